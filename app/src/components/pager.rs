use leptos::prelude::*;

use crate::i18n::{t, tf, Msg};

/// "Page 2 of 7" with the first, previous, next and last page: a list's pages, at most `pages`.
#[component]
pub fn Pager(page: RwSignal<u32>, pages: u32, #[prop(into)] label: String) -> impl IntoView {
    let current = page.get_untracked();
    let to = move |p: u32| move |_| page.set(p);
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=label>
                <button type="button" class="first" disabled={current <= 1} on:click=to(1)>{t(Msg::FirstPage)}</button>
                <button type="button" class="previous" disabled={current <= 1} on:click=to(current.saturating_sub(1).max(1))>{t(Msg::PrevPage)}</button>
                <span aria-current="page">{tf(Msg::PageOf, &[&current, &pages])}</span>
                <button type="button" class="next" disabled={current >= pages} on:click=to((current + 1).min(pages))>{t(Msg::NextPage)}</button>
                <button type="button" class="last" disabled={current >= pages} on:click=to(pages)>{t(Msg::FinalPage)}</button>
            </nav>
        }
    })
}
