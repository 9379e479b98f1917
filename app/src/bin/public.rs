//! The public bundle: catalogue search and procedure pages. Leptos CSR, one file per route in
//! `pages/`, reusable pieces in `components/`, all HTTP through `api.rs`.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use motcua_app::components::layout::Layout;
use motcua_app::pages::{home::Home, not_found::NotFound, procedure::ProcedurePage, search::Search};

fn main() {
    // No panic hook: its message formatting costs kilobytes of the first load, and a panic
    // aborts either way (panic = "abort").
    motcua_app::i18n::init();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <Layout>
                <FlatRoutes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/thu-tuc") view=Search/>
                    <Route path=path!("/thu-tuc/:id") view=ProcedurePage/>
                </FlatRoutes>
            </Layout>
        </Router>
    }
}
