use leptos::prelude::*;
use motcua_core::accounts::{LoginRequest, PasswordChange, Pending, TotpCode, MIN_PASSWORD_CHARS};
use motcua_core::ErrorBody;

use crate::api;
use crate::i18n::staff::{s, sf, S};
use crate::staff::session;

/// The message of a refusal, or of its first field when it names one.
fn message(e: ErrorBody) -> String {
    e.fields.into_iter().next().map_or(e.message, |f| f.message)
}

/// The sign-in form; on success the page shows the account's workspace, or the step the
/// account still owes (`SignInStep`).
#[component]
pub fn Login() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Taken here: contexts are not reachable from inside a spawned task.
    let session = session();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let request = LoginRequest { username: username.get_untracked(), password: password.get_untracked() };
        leptos::task::spawn_local(async move {
            match api::login(&request).await {
                Ok(staff) => session.set(Some(Ok(staff))),
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{s(S::StaffSignIn)}</h1>
        <form class="login" on:submit=on_submit>
            <label for="username">{s(S::Username)}</label>
            <input id="username" name="username" autocomplete="username" required
                on:input=move |ev| username.set(event_target_value(&ev))/>
            <label for="password">{s(S::Password)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required
                on:input=move |ev| password.set(event_target_value(&ev))/>
            {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <button type="submit" disabled=move || busy.get()>{move || if busy.get() { s(S::SigningIn) } else { s(S::SignIn) }}</button>
        </form>
    }
}

/// The step a signed-in account owes before it may work: a new password after an admin's
/// reset, then an administrator's second factor (set up the first time).
#[component]
pub fn SignInStep(pending: Pending) -> impl IntoView {
    let session = session();
    let leave = move |_| {
        leptos::task::spawn_local(async move {
            let _ = api::logout().await;
            session.set(Some(Err(ErrorBody::from_code(motcua_core::ErrorCode::Unauthorized))));
        });
    };
    view! {
        {match pending {
            Pending::ChangePassword => view! {
                <h1>{s(S::SetNewPassword)}</h1>
                <p>{s(S::MustSetPassword)}</p>
                <PasswordForm forced=true/>
            }.into_any(),
            Pending::EnrollTotp => view! { <EnrollTotp/> }.into_any(),
            Pending::Totp => view! { <TotpForm enroll=false/> }.into_any(),
        }}
        <p><button type="button" class="link" on:click=leave>{s(S::CancelAndSignOut)}</button></p>
    }
}

/// The current password and a new one, twice. `forced`: the sign-in's step, which then goes
/// on; otherwise the account's own change (`/can-bo/mat-khau`), which ends its other sessions.
#[component]
pub fn PasswordForm(forced: bool) -> impl IntoView {
    let session = session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != repeat.get_untracked() {
            error.set(Some(s(S::PasswordsDiffer).into()));
            return;
        }
        let request = PasswordChange { current: current.get_untracked(), new: new.get_untracked() };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::change_password(&request).await {
                Ok(staff) => {
                    error.set(None);
                    done.set(true);
                    if forced {
                        session.set(Some(Ok(staff)));
                    }
                }
                Err(e) => error.set(Some(message(e))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="login" on:submit=on_submit>
            <label for="current">{s(S::CurrentPassword)}</label>
            <input id="current" type="password" autocomplete="current-password" required on:input=move |ev| current.set(event_target_value(&ev))/>
            <label for="new-password">{s(S::NewPassword)}</label>
            <p class="hint" id="new-hint">{sf(S::PasswordRule, &[&MIN_PASSWORD_CHARS])}</p>
            <input id="new-password" type="password" autocomplete="new-password" required aria-describedby="new-hint"
                on:input=move |ev| new.set(event_target_value(&ev))/>
            <label for="repeat-password">{s(S::RepeatPassword)}</label>
            <input id="repeat-password" type="password" autocomplete="new-password" required on:input=move |ev| repeat.set(event_target_value(&ev))/>
            {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || (done.get() && !forced).then(|| view! {
                <p class="notice" role="status">{s(S::PasswordChanged)}</p>
            })}
            <button type="submit" disabled=move || busy.get()>{s(S::ChangePassword)}</button>
        </form>
    }
}

/// The first sign-in of an administrator: the secret to add to an authenticator app (as a QR
/// code and as text), then its first code.
#[component]
fn EnrollTotp() -> impl IntoView {
    let offer = RwSignal::new(None::<Result<motcua_core::accounts::TotpEnrollment, ErrorBody>>);
    leptos::task::spawn_local(async move { offer.set(Some(api::totp_offer().await)) });
    view! {
        <h1>{s(S::SetUpTotp)}</h1>
        <p>{s(S::TotpWhy)}</p>
        <ol>
            <li>{s(S::TotpScan)}</li>
            <li>{s(S::TotpConfirm)}</li>
        </ol>
        {move || offer.get().map(|o| match o {
            Ok(o) => view! {
                <figure class="totp-qr">
                    <img src="/api/auth/totp/enroll.svg" width="200" height="200" alt={s(S::TotpQr)}/>
                    <figcaption>{s(S::TotpKey)} <code id="totp-secret">{o.secret}</code></figcaption>
                </figure>
            }.into_any(),
            Err(e) => view! { <crate::components::status::ErrorMessage error=e/> }.into_any(),
        })}
        <TotpForm enroll=true/>
    }
}

/// Six digits from the authenticator: the last step of an administrator's sign-in (`enroll`:
/// the first code from a new secret).
#[component]
fn TotpForm(enroll: bool) -> impl IntoView {
    let session = session();
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = TotpCode { code: code.get_untracked() };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = if enroll { api::totp_enroll(&request).await } else { api::totp(&request).await };
            match answer {
                Ok(staff) => session.set(Some(Ok(staff))),
                Err(e) => error.set(Some(message(e))),
            }
            busy.set(false);
        });
    };
    view! {
        {(!enroll).then(|| view! {
            <h1>{s(S::TwoFactor)}</h1>
            <p>{s(S::TotpEnter)}</p>
        })}
        <form class="login" on:submit=on_submit>
            <label for="totp">{s(S::TotpCode)}</label>
            <input id="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" required
                on:input=move |ev| code.set(event_target_value(&ev))/>
            {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <button type="submit" disabled=move || busy.get()>{s(S::ConfirmButton)}</button>
        </form>
    }
}
