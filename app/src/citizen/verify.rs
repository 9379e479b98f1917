use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use motcua_core::date::date_text;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{Fact, Loading};
use crate::components::title::set_title;
use crate::i18n::{lang, t, Msg};

/// `/xac-minh/:code?sig=`: where the result slip's QR code leads. Says whether the record is
/// genuine and unchanged, with what it holds.
#[component]
pub fn Verify() -> impl IntoView {
    set_title(t(Msg::VerifyTitle));
    let code = use_params_map().get_untracked().get("code").unwrap_or_default();
    let sig = use_query_map().get_untracked().get("sig").unwrap_or_default();
    let answer = loader(move || {
        let (code, sig) = (code.clone(), sig.clone());
        async move { api::verify_result(&code, &sig).await }
    });
    view! {
        <h1>{t(Msg::VerifyH1)}</h1>
        {move || match answer.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <div class="error verdict" role="alert"><p><strong>{t(Msg::NotVerified)}</strong></p><p>{e.message}</p></div> }.into_any(),
            Some(Ok(v)) => view! {
                <div class="genuine verdict" role="status"><p><strong>{t(Msg::Genuine)}</strong></p></div>
                <dl class="facts">
                    <Fact label=t(Msg::DossierCode) value=Some(v.code)/>
                    <Fact label=t(Msg::Procedure) value=Some(v.procedure_name)/>
                    <Fact label=t(Msg::Agency) value=Some(v.agency_name)/>
                    <Fact label=t(Msg::DocNumber) value=Some(v.number)/>
                    <Fact label=t(Msg::SignedOn) value=Some(date_text(v.date, lang()))/>
                    <Fact label=t(Msg::IssuedTo) value=Some(v.holder)/>
                </dl>
            }.into_any(),
        }}
    }
}
