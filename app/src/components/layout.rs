use leptos::prelude::*;

/// Header, skip link, main landmark and footer around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip" href="#main">"Bỏ qua, đến nội dung chính"</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"1"</span>
                <span>"Một cửa "<small>"Thủ tục hành chính tỉnh Quảng Ninh"</small></span>
            </a>
            <nav aria-label="Chính">
                <a href="/thu-tuc">"Tra cứu thủ tục"</a>
                <a href="/ho-so" rel="external">"Hồ sơ của tôi"</a>
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>"Thông tin thủ tục theo các quyết định công bố của cơ quan có thẩm quyền. "
               "Mục ghi “Chưa công bố” là thông tin văn bản nguồn không nêu."</p>
            <p><a href="/thong-ke" rel="external">"Thống kê giải quyết hồ sơ"</a>" · "
               <a href="/danh-gia" rel="external">"Kết quả đánh giá sự hài lòng"</a></p>
        </footer>
    }
}
