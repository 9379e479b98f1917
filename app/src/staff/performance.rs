use leptos::prelude::*;
use motcua_core::date::to_vi_datetime;
use motcua_core::stats::OnTimeRow;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;

fn rate(r: &OnTimeRow) -> String {
    r.on_time_permille.map_or("—".into(), |p| format!("{},{}%", p / 10, p % 10))
}

#[component]
fn Rates(rows: Vec<OnTimeRow>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="register on-time">
            <caption>{caption}</caption>
            <thead><tr><th><span class="sr-only">"Cán bộ"</span></th><th>"Trước hạn"</th><th>"Đúng hạn"</th><th>"Quá hạn"</th><th>"Tỷ lệ đúng và trước hạn"</th></tr></thead>
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
    set_title("Tiến độ giải quyết");
    let report = loader(|| async { api::manager_stats().await });
    view! {
        <h1>"Tiến độ giải quyết (tháng này)"</h1>
        {move || match report.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(m)) => view! {
                <Rates rows=m.units caption="Theo bộ phận"/>
                <Rates rows=m.officers caption="Theo cán bộ"/>
                <h2>"Hồ sơ quá hạn"</h2>
                {if m.overdue.is_empty() {
                    view! { <p class="notice overdue-none">"Không có hồ sơ quá hạn."</p> }.into_any()
                } else {
                    view! { <ol class="queue overdue">{m.overdue.into_iter().map(|o| view! {
                        <li class="overdue"><a href=format!("/can-bo/ho-so/{}", o.code)><strong>{o.code.clone()}</strong></a>
                            " · " {o.applicant_name} " · " {o.procedure_name}<br/>
                            <small>{o.status_label} " · hạn: " {to_vi_datetime(o.due_at)}</small></li>
                    }).collect_view()}</ol> }.into_any()
                }}
            }.into_any(),
        }}
    }
}
