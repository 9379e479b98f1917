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

/// A fact of a record, or what its absence means: by default "chưa công bố", the source does
/// not publish it; a dossier's facts say instead what has not happened yet.
#[component]
pub fn Fact(#[prop(into)] label: String, value: Option<String>, #[prop(default = "Chưa công bố")] missing: &'static str) -> impl IntoView {
    let class = if value.is_some() { "" } else { "unpublished" };
    view! {
        <dt>{label}</dt>
        <dd class=class>{value.unwrap_or_else(|| missing.to_owned())}</dd>
    }
}
