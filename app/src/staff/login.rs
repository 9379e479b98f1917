use leptos::prelude::*;
use motcua_core::staff::LoginRequest;

use crate::api;
use crate::staff::session;

/// The sign-in form; on success the page shows the account's workspace.
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
        <h1>"Đăng nhập cán bộ"</h1>
        <form class="login" on:submit=on_submit>
            <label for="username">"Tên đăng nhập"</label>
            <input id="username" name="username" autocomplete="username" required
                on:input=move |ev| username.set(event_target_value(&ev))/>
            <label for="password">"Mật khẩu"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required
                on:input=move |ev| password.set(event_target_value(&ev))/>
            {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <button type="submit" disabled=move || busy.get()>{move || if busy.get() { "Đang đăng nhập…" } else { "Đăng nhập" }}</button>
        </form>
    }
}
