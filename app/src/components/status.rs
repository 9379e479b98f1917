use leptos::prelude::*;
use motcua_core::ErrorBody;

/// Shown while a request is in flight; announced politely to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite">"Đang tải…"</p> }
}

/// The server's (or the client's) Vietnamese message, announced at once.
#[component]
pub fn ErrorMessage(error: ErrorBody) -> impl IntoView {
    view! {
        <div class="error" role="alert">
            <p>{error.message}</p>
            <p><a href="javascript:location.reload()">"Thử lại"</a></p>
        </div>
    }
}

/// A fact of a record, or "chưa công bố" when the source does not publish it.
#[component]
pub fn Fact(#[prop(into)] label: String, value: Option<String>) -> impl IntoView {
    let class = if value.is_some() { "" } else { "unpublished" };
    view! {
        <dt>{label}</dt>
        <dd class=class>{value.unwrap_or_else(|| "Chưa công bố".to_owned())}</dd>
    }
}
