use std::collections::BTreeMap;

use leptos::prelude::*;
use motcua_core::accounts::{Account, NewAccount, Role};

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::i18n::staff::{s, sf, S};

/// `/can-bo/tai-khoan`: the admin's accounts of their agency — create, reset a password,
/// deactivate — and the survey kiosks.
#[component]
pub fn Accounts() -> impl IntoView {
    set_title(s(S::StaffAccounts));
    let reload = RwSignal::new(0u32);
    let list = loader(move || {
        reload.get();
        async move { api::list_accounts().await }
    });
    // Shown under the form: a refused creation, or a refused lock in the table above.
    let problem = RwSignal::new(None::<String>);
    let resetting = RwSignal::new(None::<String>);
    view! {
        <h1>{s(S::StaffAccounts)}</h1>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(accounts)) => view! { <AccountTable accounts=accounts resetting=resetting reload=reload problem=problem/> }.into_any(),
        }}
        {move || resetting.get().map(|user| view! { <Reset user=user resetting=resetting/> })}
        <Kiosks/>
        <CreateAccount reload=reload problem=problem/>
    }
}

/// The agency's accounts, each active one with its reset and lock buttons.
#[component]
fn AccountTable(accounts: Vec<Account>, resetting: RwSignal<Option<String>>, reload: RwSignal<u32>, problem: RwSignal<Option<String>>) -> impl IntoView {
    let lock = move |user: String| {
        leptos::task::spawn_local(async move {
            match api::deactivate_account(&user).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => problem.set(Some(e.message)),
            }
        });
    };
    view! {
        <table class="register accounts">
            <thead><tr><th>{s(S::Username)}</th><th>{s(S::FullName)}</th><th>{s(S::Roles)}</th><th>{s(S::Email)}</th><th>{s(S::State)}</th><th><span class="sr-only">{s(S::Actions)}</span></th></tr></thead>
            <tbody>{accounts.into_iter().map(|a| {
                let user = a.username.as_str().to_owned();
                let roles = a.roles.iter().map(|r| r.label_vi()).collect::<Vec<_>>().join(", ")
                    + if a.delegated_approval { s(S::DelegatedMark) } else { "" };
                view! { <tr>
                    <td>{user.clone()}</td><td>{a.name}</td><td>{roles}</td><td>{a.email.unwrap_or_default()}</td>
                    <td>{if a.active { s(S::Active) } else { s(S::Locked) }}</td>
                    <td>{a.active.then(|| {
                        let again = user.clone();
                        view! {
                            <button type="button" class="secondary" on:click=move |_| resetting.set(Some(again.clone()))>{s(S::ResetPassword)}</button>
                            " "
                            <button type="button" class="secondary" on:click=move |_| lock(user.clone())>{s(S::Lock)}</button>
                        }
                    })}</td>
                </tr> }
            }).collect_view()}</tbody>
        </table>
    }
}

/// A new account of the agency: its roles (the province's only for the province's
/// administrator), its first password, its e-mail for the morning digest.
#[component]
fn CreateAccount(reload: RwSignal<u32>, problem: RwSignal<Option<String>>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let delegated = RwSignal::new(false);
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let done = RwSignal::new(None::<String>);
    // Only the province's administrator hands out the province's role.
    let province = crate::staff::session().with_untracked(|s| s.as_ref().and_then(|s| s.as_ref().ok()).is_some_and(|s| s.has(Role::ProvinceAdmin)));
    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let account = NewAccount {
            username: username.get_untracked(),
            name: name.get_untracked(),
            roles: roles.get_untracked(),
            delegated_approval: delegated.get_untracked(),
            password: password.get_untracked(),
            email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
        };
        if let Err(found) = account.check() {
            errors.set(found.into_iter().map(|f| (f.field, f.message)).collect());
            return;
        }
        errors.set(BTreeMap::new());
        leptos::task::spawn_local(async move {
            match api::create_account(&account).await {
                Ok(a) => {
                    problem.set(None);
                    done.set(Some(sf(S::AccountCreated, &[&a.username.as_str()])));
                    reload.update(|n| *n += 1);
                }
                Err(e) => {
                    errors.set(e.fields.iter().map(|f| (f.field.clone(), f.message.clone())).collect());
                    problem.set(Some(e.message));
                }
            }
        });
    };
    let message = move |id: &'static str| move || errors.get().get(id).cloned().map(|m| view! { <p class="field-error" role="alert">{m}</p> });
    view! {
        <h2>{s(S::CreateAccount)}</h2>
        <form class="walk-in" on:submit=on_create novalidate>
            <label for="a-username">{s(S::Username)}</label>
            <input id="a-username" autocomplete="off" on:input=move |ev| username.set(event_target_value(&ev))/>
            {message("username")}
            <label for="a-name">{s(S::FullName)}</label>
            <input id="a-name" on:input=move |ev| name.set(event_target_value(&ev))/>
            {message("name")}
            <fieldset><legend>{s(S::Roles)}</legend>
                {Role::ALL.into_iter().filter(move |r| *r != Role::ProvinceAdmin || province).map(|r| view! {
                    <label class="check"><input type="checkbox" on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        roles.update(|v| { v.retain(|x| *x != r); if on { v.push(r); } });
                    }/>{r.label_vi()}</label>
                }).collect_view()}
                <label class="check"><input type="checkbox" on:change=move |ev| delegated.set(event_target_checked(&ev))/>
                    {s(S::DelegatedApprover)}</label>
            </fieldset>
            {message("roles")}
            {message("delegated_approval")}
            <label for="a-password">{s(S::InitialPassword)}</label>
            <input id="a-password" type="password" autocomplete="new-password" on:input=move |ev| password.set(event_target_value(&ev))/>
            {message("password")}
            <label for="a-email">{s(S::AccountEmail)}</label>
            <input id="a-email" type="email" autocomplete="off" on:input=move |ev| email.set(event_target_value(&ev))/>
            {message("email")}
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || done.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            <button type="submit" class="primary">{s(S::CreateAccount)}</button>
        </form>
    }
}

/// A temporary password for `user`, handed over in person; the account changes it at its
/// next sign-in (an administrator also sets up the second factor again: a lost phone).
#[component]
fn Reset(user: String, resetting: RwSignal<Option<String>>) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<Result<String, String>>);
    let on_reset = {
        let user = user.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let user = user.clone();
            let request = motcua_core::accounts::PasswordReset { password: password.get_untracked() };
            leptos::task::spawn_local(async move {
                let outcome = api::reset_password(&user, &request).await;
                answer.set(Some(match outcome {
                    Ok(()) => Ok(sf(S::PasswordReset, &[&user])),
                    Err(e) => Err(e.fields.into_iter().next().map_or(e.message, |f| f.message)),
                }));
            });
        }
    };
    view! {
        <form class="walk-in reset" on:submit=on_reset novalidate>
            <h2>{s(S::ResetPasswordOf)} {user.clone()}</h2>
            <p>{s(S::ResetPasswordHint)}</p>
            <label for="reset-password">{s(S::TemporaryPassword)}</label>
            <input id="reset-password" type="password" autocomplete="new-password" on:input=move |ev| password.set(event_target_value(&ev))/>
            {move || answer.get().map(|r| match r {
                Ok(m) => view! { <p class="notice" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="error" role="alert">{m}</p> }.into_any(),
            })}
            <button type="submit" class="primary">{s(S::Reset)}</button>
            " "
            <button type="button" class="link" on:click=move |_| resetting.set(None)>{s(S::Close)}</button>
        </form>
    }
}

/// The agency's survey kiosks: enrol one (the link, opened once on the kiosk's own screen,
/// keeps its token there), revoke a lost or retired one.
#[component]
fn Kiosks() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let list = loader(move || {
        reload.get();
        async move { api::list_kiosks().await }
    });
    let name = RwSignal::new(String::new());
    let enrolled = RwSignal::new(None::<motcua_core::rating::KioskEnrollment>);
    let problem = RwSignal::new(None::<String>);
    let on_enroll = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        leptos::task::spawn_local(async move {
            match api::enroll_kiosk(&n).await {
                Ok(k) => {
                    problem.set(None);
                    enrolled.set(Some(k));
                    reload.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.fields.first().map(|f| f.message.clone()).unwrap_or(e.message))),
            }
        });
    };
    view! {
        <h2>{s(S::Kiosks)}</h2>
        {move || list.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|kiosks| view! {
            <ul class="kiosks">{kiosks.into_iter().map(|k| {
                let id = k.id;
                view! { <li>
                    {k.name} {s(S::KioskEnrolledOn)} {k.created_at.get(..10).unwrap_or_default().to_owned()} {s(S::Dot)}
                    {if k.active {
                        view! { <button type="button" class="secondary" on:click=move |_| {
                            leptos::task::spawn_local(async move {
                                match api::revoke_kiosk(id).await {
                                    Ok(()) => reload.update(|n| *n += 1),
                                    Err(e) => problem.set(Some(e.message)),
                                }
                            });
                        }>{s(S::Revoke)}</button> }.into_any()
                    } else {
                        view! { <span>{s(S::Revoked)}</span> }.into_any()
                    }}
                </li> }
            }).collect_view()}</ul>
        })}
        <form class="walk-in kiosk" on:submit=on_enroll novalidate>
            <label for="k-name">{s(S::KioskName)}</label>
            <input id="k-name" on:input=move |ev| name.set(event_target_value(&ev))/>
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <button type="submit">{s(S::EnrolKiosk)}</button>
        </form>
        {move || enrolled.get().map(|k| {
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            let link = format!("{origin}/khao-sat#token={}", k.token);
            view! {
                <div class="notice" role="status">
                    <p>{sf(S::KioskEnrolled, &[&k.name])}</p>
                    <p class="code secret kiosk-link">{link}</p>
                </div>
            }
        })}
    }
}
