use leptos::prelude::*;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;

fn this_year() -> (String, String) {
    let y = js_sys::Date::new_0().get_full_year();
    (format!("{y:04}-01-01"), format!("{y:04}-12-31"))
}

/// `/can-bo/danh-gia` (managers): evaluations per officer this year, with the dossiers behind
/// each number.
#[component]
pub fn Officers() -> impl IntoView {
    set_title("Đánh giá theo cán bộ");
    let list = loader(|| async {
        let (from, to) = this_year();
        api::officers(&from, &to).await
    });
    view! {
        <h1>"Kết quả đánh giá theo cán bộ (năm nay)"</h1>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(rows)) if rows.is_empty() => view! { <p class="notice">"Chưa có hồ sơ nào được đánh giá."</p> }.into_any(),
            Some(Ok(rows)) => view! {
                <table class="register officers">
                    <thead><tr><th>"Cán bộ"</th><th>"Hồ sơ được đánh giá"</th><th>"Hài lòng"</th><th>"Hồ sơ"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|o| view! {
                        <tr><td>{o.name.clone().unwrap_or_else(|| o.username.clone())}</td><td>{o.evaluations}</td><td>{o.satisfied}</td>
                        <td>{o.dossiers.into_iter().map(|c| view! { <a href=format!("/can-bo/ho-so/{c}")>{c.clone()}</a>" " }).collect_view()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
    }
}
