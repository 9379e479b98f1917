//! The staff bundle (`/can-bo…`): the department's workspace. Never loaded by citizens.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use motcua_app::api;
use motcua_app::i18n::staff::{s, S};
use motcua_app::i18n::{t, Msg};
use motcua_app::components::status::{ErrorMessage, Loading};
use motcua_app::pages::not_found::NotFound;
use motcua_app::staff::accounts::Accounts;
use motcua_app::staff::agencies::Agencies;
use motcua_app::staff::calendar::CalendarAdmin;
use motcua_app::staff::catalogue::Catalogue;
use motcua_app::staff::dossier::DossierPage;
use motcua_app::staff::home::{Home, StaffNav};
use motcua_app::staff::login::{Login, PasswordForm, SignInStep};
use motcua_app::staff::officers::Officers;
use motcua_app::staff::performance::Performance;
use motcua_app::staff::register::Register;
use motcua_app::staff::walk_in::WalkIn;
use motcua_core::accounts::Staff;
use motcua_core::{ErrorBody, ErrorCode};

fn main() {
    console_error_panic_hook::set_once();
    // The workspace stays Vietnamese, whatever this browser chose on the public pages.
    motcua_app::i18n::only(motcua_app::i18n::Lang::Vi);
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let session = RwSignal::new(None::<Result<Staff, ErrorBody>>);
    provide_context(session);
    leptos::task::spawn_local(async move { session.set(Some(api::me().await)) });
    view! {
        <Router>
            <header class="site-header">
                <a class="brand" href="/can-bo">
                    <span class="brand-mark" aria-hidden="true">{env!("MOTCUA_LOGO")}</span>
                    <span>{t(Msg::Brand)}" "<small>{s(S::Workspace)}</small></span>
                </a>
            </header>
            <main id="main" tabindex="-1">
                {move || match session.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) if e.code == ErrorCode::Unauthorized => view! { <Login/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
                    Some(Ok(staff)) if staff.pending.is_some() => view! { <SignInStep pending=staff.pending.unwrap_or(motcua_core::accounts::Pending::Totp)/> }.into_any(),
                    Some(Ok(staff)) => view! {
                        <StaffNav staff=staff/>
                        <FlatRoutes fallback=NotFound>
                            <Route path=path!("/can-bo") view=Home/>
                            <Route path=path!("/can-bo/ho-so/:code") view=DossierPage/>
                            <Route path=path!("/can-bo/tiep-nhan") view=WalkIn/>
                            <Route path=path!("/can-bo/so-theo-doi") view=Register/>
                            <Route path=path!("/can-bo/tai-khoan") view=Accounts/>
                            <Route path=path!("/can-bo/danh-muc") view=Catalogue/>
                            <Route path=path!("/can-bo/lich") view=CalendarAdmin/>
                            <Route path=path!("/can-bo/co-quan") view=Agencies/>
                            <Route path=path!("/can-bo/danh-gia") view=Officers/>
                            <Route path=path!("/can-bo/thong-ke") view=Performance/>
                            <Route path=path!("/can-bo/mat-khau") view=|| view! { <h1>{s(S::ChangePassword)}</h1><PasswordForm forced=false/> }/>
                        </FlatRoutes>
                    }.into_any(),
                }}
            </main>
        </Router>
    }
}
