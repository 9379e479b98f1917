use leptos::prelude::*;

use crate::components::title::set_title;

#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Không tìm thấy trang");
    view! {
        <section class="not-found">
            <h1>"Không tìm thấy trang"</h1>
            <p>"Địa chỉ này không có trên hệ thống, hoặc thủ tục đã không còn được công bố."</p>
            <p><a href="/thu-tuc">"Tra cứu thủ tục hành chính"</a>" hoặc "<a href="/">"về trang chủ"</a>"."</p>
        </section>
    }
}
