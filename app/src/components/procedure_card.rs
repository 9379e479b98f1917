use leptos::prelude::*;
use motcua_core::catalogue::{days_text, ProcedureSummary};

use crate::i18n::{lang, t, Lang, Msg};

/// One search hit: name as the link, then code, field, agency, time and online class.
#[component]
pub fn ProcedureCard(p: ProcedureSummary) -> impl IntoView {
    let href = format!("/thu-tuc/{}", p.id);
    // The whole card is the link's target area (CSS stretches it): easy to tap on a phone.
    let code = p.code.map(|c| c.as_str().to_owned()).unwrap_or_else(|| t(Msg::CodeUnpublished).into());
    let days = days_text(p.days_in_person, p.calendar_days, lang());
    let online = p.online.filter(|l| l.accepts_online_submission());
    // In English, a translated name leads; the official Vietnamese one follows, marked as such.
    let (title, official) = match p.name_en.filter(|_| lang() == Lang::En) {
        Some(en) => (en, Some(p.name)),
        None => (p.name, None),
    };
    view! {
        <li class="card">
            <h3><a href=href>{title}</a></h3>
            {official.map(|n| view! { <p class="official"><span lang="vi">{n}</span></p> })}
            <p class="meta">
                <span class="code">{code}</span>
                <span>{p.field_name}</span>
                <span>{p.agency_name}</span>
                {days.map(|d| view! { <span>{d}</span> })}
            </p>
            <p class="tags">
                {online.map(|l| view! { <span class="tag online">{l.label(lang())}</span> })}
                {p.delegated.then(|| view! { <span class="tag">{t(Msg::Delegated)}</span> })}
            </p>
        </li>
    }
}
