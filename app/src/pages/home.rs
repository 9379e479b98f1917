use leptos::prelude::*;
use motcua_core::catalogue::Field;
use motcua_core::query::ProcedureQuery;
use motcua_core::text::decimal_vi;

use crate::api;
use crate::components::search_box::SearchBox;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;

#[component]
pub fn Home() -> impl IntoView {
    set_title("Tra cứu thủ tục hành chính");
    let fields = loader(api::fields);
    let kpis = loader(api::kpis);
    view! {
        <section class="hero">
            <h1>"Thủ tục hành chính"</h1>
            <p>"Tra cứu thủ tục, giấy tờ cần chuẩn bị, thời hạn và nơi nộp hồ sơ."</p>
            <SearchBox base=Signal::derive(ProcedureQuery::default)/>
        </section>
        <section aria-labelledby="fields-h">
            <h2 id="fields-h">"Tra cứu theo lĩnh vực"</h2>
            {move || match fields.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
                Some(Ok(list)) => view! { <FieldList fields=list/> }.into_any(),
            }}
        </section>
        {move || kpis.get().and_then(Result::ok).map(|k| view! {
            <section class="kpis" aria-labelledby="kpi-h">
                <h2 id="kpi-h">"Dịch vụ công trực tuyến"</h2>
                <p>
                    <strong>{k.online_level3_plus}"/"{k.total}</strong>
                    " thủ tục nộp được trực tuyến ("{share_tenths(k.online_level3_plus, k.total)}
                    "%; mục tiêu "{k.target_percent}"%)."
                </p>
            </section>
        })}
    }
}

// Integer rounding to one decimal: no float formatting code in the app.
fn share_tenths(part: u32, total: u32) -> String {
    let tenths = (u64::from(part) * 1000 + u64::from(total) / 2) / u64::from(total.max(1));
    decimal_vi(tenths * 10)
}

#[component]
fn FieldList(fields: Vec<Field>) -> impl IntoView {
    view! {
        <ul class="fields">
            {fields.into_iter().map(|f| {
                let href = format!("/thu-tuc?field={}", f.id);
                view! {
                    <li><a href=href>{f.name}<span class="count">{f.procedures}" thủ tục"</span></a></li>
                }
            }).collect_view()}
        </ul>
    }
}
