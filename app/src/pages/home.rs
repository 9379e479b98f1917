use leptos::prelude::*;
use motcua_core::catalogue::Field;
use motcua_core::query::ProcedureQuery;
use motcua_core::text::decimal;

use crate::api;
use crate::components::search_box::SearchBox;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::i18n::{lang, t, tf, Msg};

#[component]
pub fn Home() -> impl IntoView {
    set_title(t(Msg::HomeTitle));
    let fields = loader(api::list_fields);
    let kpis = loader(api::catalogue_kpis);
    view! {
        <section class="hero">
            <h1>{t(Msg::HomeH1)}</h1>
            <p>{t(Msg::HomeLead)}</p>
            <SearchBox base=Signal::derive(ProcedureQuery::default)/>
        </section>
        <section aria-labelledby="fields-h">
            <h2 id="fields-h">{t(Msg::HomeByField)}</h2>
            {move || match fields.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
                Some(Ok(list)) => view! { <FieldList fields=list/> }.into_any(),
            }}
        </section>
        {move || kpis.get().and_then(Result::ok).map(|k| view! {
            <section class="kpis" aria-labelledby="kpi-h">
                <h2 id="kpi-h">{t(Msg::HomeOnline)}</h2>
                <p>
                    <strong>{k.online_level3_plus}"/"{k.total}</strong>
                    {tf(Msg::HomeOnlineShare, &[&share_tenths(k.online_level3_plus, k.total), &k.target_percent])}
                </p>
            </section>
        })}
    }
}

// Integer rounding to one decimal: no float formatting code in the app.
fn share_tenths(part: u32, total: u32) -> String {
    let tenths = (u64::from(part) * 1000 + u64::from(total) / 2) / u64::from(total.max(1));
    decimal(tenths * 10, lang())
}

#[component]
fn FieldList(fields: Vec<Field>) -> impl IntoView {
    view! {
        <ul class="fields">
            {fields.into_iter().map(|f| {
                let href = format!("/thu-tuc?field={}", f.id);
                view! {
                    <li><a href=href>{f.name}<span class="count">{tf(Msg::FieldCount, &[&f.procedures])}</span></a></li>
                }
            }).collect_view()}
        </ul>
    }
}
