use leptos::prelude::*;
use motcua_core::date::to_vi_datetime;
use motcua_core::stats::OnTimeRow;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::i18n::staff::{s, S};

fn rate(r: &OnTimeRow) -> String {
    r.on_time_permille.map_or(s(S::NoFigure).into(), |p| format!("{},{}%", p / 10, p % 10))
}

#[component]
fn Rates(rows: Vec<OnTimeRow>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="register on-time">
            <caption>{caption}</caption>
            <thead><tr><th><span class="sr-only">{s(S::Staff)}</span></th><th>{s(S::Early)}</th><th>{s(S::OnTime)}</th><th>{s(S::Late)}</th><th>{s(S::OnTimeShare)}</th></tr></thead>
            <tbody>{rows.into_iter().map(|r| view! {
                <tr><th scope="row">{r.label.clone()}</th><td>{r.early}</td><td>{r.on_time}</td><td>{r.late}</td><td>{rate(&r)}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
}

/// `/can-bo/thong-ke` (managers): this month's on-time rates per desk and per officer, and the
/// dossiers overdue now.
#[component]
pub fn Performance() -> impl IntoView {
    set_title(s(S::ProgressTitle));
    let report = loader(|| async { api::manager_stats().await });
    view! {
        <h1>{s(S::ProgressMonth)}</h1>
        {move || match report.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(m)) => view! {
                <Rates rows=m.units caption={s(S::ByUnit)}/>
                <Rates rows=m.officers caption={s(S::ByOfficer)}/>
                <h2>{s(S::OverdueDossiers)}</h2>
                {if m.overdue.is_empty() {
                    view! { <p class="notice overdue-none">{s(S::NoOverdue)}</p> }.into_any()
                } else {
                    view! { <ol class="queue overdue">{m.overdue.into_iter().map(|o| view! {
                        <li class="overdue"><a href=format!("/can-bo/ho-so/{}", o.code)><strong>{o.code.clone()}</strong></a>
                            {s(S::Dot)} {o.applicant_name} {s(S::Dot)} {o.procedure_name}<br/>
                            <small>{o.status_label} {s(S::DueShort)} {to_vi_datetime(o.due_at)}</small></li>
                    }).collect_view()}</ol> }.into_any()
                }}
            }.into_any(),
        }}
    }
}
