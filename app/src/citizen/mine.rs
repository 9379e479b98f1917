use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::citizen::device::mine;
use crate::components::title::set_title;
use crate::i18n::{t, Msg};

/// `/ho-so`: find a dossier by its code, and the dossiers this phone remembers (their last
/// known status, readable offline).
#[component]
pub fn Mine() -> impl IntoView {
    set_title(t(Msg::NavMine));
    let navigate = use_navigate();
    let code = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = code.get_untracked().trim().to_uppercase();
        if !c.is_empty() {
            navigate(&format!("/ho-so/{c}"), Default::default());
        }
    };
    let list = mine();
    view! {
        <h1>{t(Msg::NavMine)}</h1>
        <form on:submit=on_submit class="search-box">
            <label for="code">{t(Msg::DossierCode)}</label>
            <div class="search-row">
                <input id="code" type="text" autocomplete="off" placeholder=t(Msg::CodeExample)
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                <button type="submit">{t(Msg::Find)}</button>
            </div>
        </form>
        <h2>{t(Msg::OnThisPhone)}</h2>
        {if list.is_empty() {
            view! { <p class="unpublished">{t(Msg::NoneYet)}</p> }.into_any()
        } else {
            view! {
                <ul class="cards mine">
                    {list.into_iter().map(|r| view! {
                        <li class="card">
                            <h3><a href=format!("/ho-so/{}", r.code)>{r.code.clone()}</a></h3>
                            <p>{r.procedure_name}</p>
                            <p class="meta"><span>{r.status_label}</span><span>{t(Msg::DueShort)}{r.due_at}</span></p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
