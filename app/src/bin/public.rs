//! The public bundle: catalogue search and procedure pages. Leptos CSR, one file per route in
//! `pages/`, reusable pieces in `components/`, all HTTP through `api.rs`; the URL is followed by
//! the bundle's own small router (`router.rs`).

use leptos::prelude::*;

use motcua_app::components::layout::Layout;
use motcua_app::pages::{home::Home, not_found::NotFound, procedure::ProcedurePage, search::Search};
use motcua_app::router;

fn main() {
    // No panic hook: its message formatting costs kilobytes of the first load, and a panic
    // aborts either way (panic = "abort").
    motcua_app::i18n::init();
    leptos::mount::mount_to_body(App);
}

/// The public pages, by path.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    Home,
    Search,
    Procedure,
    NotFound,
}

impl Page {
    fn of(path: &str) -> Page {
        match path {
            "/" => Page::Home,
            "/thu-tuc" | "/thu-tuc/" => Page::Search,
            p if p.strip_prefix("/thu-tuc/").is_some_and(|id| !id.contains('/')) => Page::Procedure,
            _ => Page::NotFound,
        }
    }
}

#[component]
fn App() -> impl IntoView {
    router::start();
    let path = router::path();
    // A new page only when the path names another one: the search's filters change its query,
    // not the page.
    let page = Memo::new(move |_| Page::of(&path.get()));
    view! {
        <Layout>
            {move || match page.get() {
                Page::Home => view! { <Home/> }.into_any(),
                Page::Search => view! { <Search/> }.into_any(),
                Page::Procedure => view! { <ProcedurePage/> }.into_any(),
                Page::NotFound => view! { <NotFound/> }.into_any(),
            }}
        </Layout>
    }
}
