use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use motcua_core::ErrorCode;

use crate::api;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::pages::not_found::NotFound;

/// Where "Nộp hồ sơ trực tuyến" leads. Online submission is not open on this system yet
/// (issue: submission); until then the page tells the citizen exactly where to submit.
#[component]
pub fn Submit() -> impl IntoView {
    set_title("Nộp hồ sơ trực tuyến");
    let params = use_params_map();
    let record = LocalResource::new(move || {
        let id = params.get().get("id").unwrap_or_default();
        async move { api::procedure(&id).await }
    });
    move || match record.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) if e.code == ErrorCode::NotFound => view! { <NotFound/> }.into_any(),
        Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
        Some(Ok(p)) => {
            let back = format!("/thu-tuc/{}", p.id);
            view! {
                <section>
                    <h1>"Nộp hồ sơ trực tuyến"</h1>
                    <p class="lead">{p.name}</p>
                    <div class="notice" role="note">
                        <p>"Hệ thống này chưa nhận hồ sơ trực tuyến. Trong thời gian này, bạn có thể nộp hồ sơ theo cách sau:"</p>
                        <p>{p.how_to_submit.unwrap_or_else(|| "Tại Bộ phận tiếp nhận và trả kết quả, Trung tâm Phục vụ hành chính công tỉnh.".into())}</p>
                    </div>
                    <p><a href=back>"‹ Quay lại thông tin thủ tục"</a></p>
                </section>
            }.into_any()
        }
    }
}
