use leptos::prelude::*;
use motcua_core::ErrorBody;

use crate::i18n::{t, Msg};

/// Shown while a request is in flight; announced politely to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite">{t(Msg::Loading)}</p> }
}

/// The server's (or the client's) message in the page's language, announced at once.
#[component]
pub fn ErrorMessage(error: ErrorBody) -> impl IntoView {
    view! {
        <div class="error" role="alert">
            <p>{error.message}</p>
            <p><a href="javascript:location.reload()">{t(Msg::Retry)}</a></p>
        </div>
    }
}

/// A fact of a record, or what its absence means: by default "chưa công bố", the source does
/// not publish it; a dossier's facts say instead what has not happened yet.
#[component]
pub fn Fact(#[prop(into)] label: String, value: Option<String>, #[prop(optional)] missing: Option<&'static str>) -> impl IntoView {
    let class = if value.is_some() { "" } else { "unpublished" };
    view! {
        <dt>{label}</dt>
        <dd class=class>{value.unwrap_or_else(|| missing.unwrap_or_else(|| t(Msg::Unpublished)).to_owned())}</dd>
    }
}
