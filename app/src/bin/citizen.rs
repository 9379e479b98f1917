//! The citizen bundle: submit a dossier, track it, the dossiers kept on this phone. Served for
//! `/nop-ho-so/*` and `/ho-so*` (worker/src/assets.rs); not part of the public first load.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use motcua_app::citizen::{mine::{Mine, SavedReceipt}, ratings::Ratings, stats::Dashboard, submit::Submit, survey::Survey, track::Track, verify::Verify};
use motcua_app::components::layout::Layout;
use motcua_app::pages::not_found::NotFound;

fn main() {
    console_error_panic_hook::set_once();
    motcua_app::i18n::init();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <Layout>
                <FlatRoutes fallback=NotFound>
                    <Route path=path!("/nop-ho-so/:id") view=Submit/>
                    <Route path=path!("/ho-so") view=Mine/>
                    <Route path=path!("/ho-so/:code") view=Track/>
                    <Route path=path!("/ho-so/:code/giay-tiep-nhan") view=SavedReceipt/>
                    <Route path=path!("/xac-minh/:code") view=Verify/>
                    <Route path=path!("/khao-sat") view=Survey/>
                    <Route path=path!("/danh-gia") view=Ratings/>
                    <Route path=path!("/thong-ke") view=Dashboard/>
                </FlatRoutes>
            </Layout>
        </Router>
    }
}
