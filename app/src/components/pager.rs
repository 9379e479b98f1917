use leptos::prelude::*;

/// "Trang 2 / 7" with the previous and next page: a list's pages, at most `pages`.
#[component]
pub fn Pager(page: RwSignal<u32>, pages: u32, #[prop(into)] label: String) -> impl IntoView {
    let current = page.get_untracked();
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=label>
                <button type="button" disabled=current <= 1 on:click=move |_| page.set(current - 1)>"‹ Trang trước"</button>
                <span aria-current="page">{format!("Trang {current} / {pages}")}</span>
                <button type="button" disabled=current >= pages on:click=move |_| page.set(current + 1)>"Trang sau ›"</button>
            </nav>
        }
    })
}
