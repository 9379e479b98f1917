use leptos::prelude::*;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;

fn this_year() -> (String, String) {
    let y = crate::components::today::this_year();
    (format!("{y:04}-01-01"), format!("{y:04}-12-31"))
}

/// `/can-bo/danh-gia` (managers): evaluations per officer this year, with the dossiers behind
/// each number.
#[component]
pub fn Officers() -> impl IntoView {
    set_title("Đánh giá theo cán bộ");
    let list = loader(|| async {
        let (from, to) = this_year();
        api::rating_officers(&from, &to).await
    });
    view! {
        <h1>"Kết quả đánh giá theo bộ phận và cán bộ (năm nay)"</h1>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(r)) if r.officers.is_empty() => view! { <p class="notice">"Chưa có hồ sơ nào được đánh giá."</p> }.into_any(),
            Some(Ok(r)) => view! {
                <h2>"Theo bộ phận"</h2>
                <table class="register units">
                    <thead><tr><th>"Bộ phận"</th><th>"Hồ sơ được đánh giá"</th><th>"Hài lòng"</th></tr></thead>
                    <tbody>{r.units.into_iter().map(|u| view! {
                        <tr><td>{u.role.label_vi()}</td><td>{u.evaluations}</td><td>{u.satisfied}</td></tr>
                    }).collect_view()}</tbody>
                </table>
                <h2>"Theo cán bộ"</h2>
                <table class="register officers">
                    <thead><tr><th>"Cán bộ"</th><th>"Hồ sơ được đánh giá"</th><th>"Hài lòng"</th><th>"Hồ sơ"</th></tr></thead>
                    <tbody>{r.officers.into_iter().map(|o| view! {
                        <tr><td>{o.name.clone().unwrap_or_else(|| o.username.clone())}</td><td>{o.evaluations}</td><td>{o.satisfied}</td>
                        <td>{o.dossiers.into_iter().map(|c| view! { <a href=format!("/can-bo/ho-so/{c}")>{c.clone()}</a>" " }).collect_view()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
    }
}
