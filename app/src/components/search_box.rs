use leptos::prelude::*;
use motcua_core::query::ProcedureQuery;

use crate::api::search_href;
use crate::i18n::{t, Msg};

/// The search form. Submitting navigates to the results URL, so results are shareable and the
/// back button returns to them; other filters of `base` are kept, the page resets.
#[component]
pub fn SearchBox(#[prop(into)] base: Signal<ProcedureQuery>) -> impl IntoView {
    let navigate = crate::router::navigator();
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = input.get().map(|i| i.value()).unwrap_or_default();
        let query = ProcedureQuery { text: text.trim().to_owned(), page: 1, ..base.get_untracked() };
        navigate(&search_href(&query));
    };
    view! {
        <form class="search-box" role="search" on:submit=on_submit>
            <label for="q">{t(Msg::SearchLabel)}</label>
            <div class="search-row">
                <input id="q" name="q" type="search" node_ref=input autocomplete="off"
                    placeholder=t(Msg::SearchExample)
                    prop:value=move || base.get().text maxlength="200"/>
                <button type="submit">{t(Msg::SearchButton)}</button>
            </div>
        </form>
    }
}
