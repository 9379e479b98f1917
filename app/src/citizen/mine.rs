use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use motcua_core::date::datetime_text;
use motcua_core::dossier::DossierStatus;

use crate::api;
use crate::citizen::device::{mine, replace, saved_receipt, Remembered};
use crate::components::title::set_title;
use crate::i18n::{lang, t, Msg};

/// `/ho-so`: find a dossier by its code, and the dossiers this phone remembers (their last
/// known status, readable offline, brought up to date whenever the phone is online; those
/// waiting for the applicant marked).
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
    let list = RwSignal::new(mine());
    refresh(list);
    // Back online (a phone leaving a tunnel, say): the statuses again.
    let _ = leptos::prelude::window_event_listener(leptos::ev::online, move |_| refresh(list));
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
        {move || {
            let list = list.get();
            if list.is_empty() {
                return view! { <p class="unpublished">{t(Msg::NoneYet)}</p> }.into_any();
            }
            view! {
                <ul class="cards mine">
                    {list.into_iter().map(|r| {
                        let receipt = saved_receipt(&r.code).is_some().then(|| format!("/ho-so/{}/giay-tiep-nhan", r.code));
                        view! {
                            <li class="card" class:action=r.needs_action>
                                <h3><a href=format!("/ho-so/{}", r.code)>{r.code.clone()}</a></h3>
                                <p>{r.procedure_name}</p>
                                {r.needs_action.then(|| view! { <p><span class="tag action">{t(Msg::ActionNeeded)}</span></p> })}
                                <p class="meta"><span>{r.status_label}</span><span>{t(Msg::DueShort)}{r.due_at}</span></p>
                                {receipt.map(|href| view! { <p class="receipt-link"><a href=href>{t(Msg::ReceiptLink)}</a></p> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// Asks the server for each remembered dossier's status; what cannot be reached keeps its last
/// known state (offline, the list is what was stored).
fn refresh(list: RwSignal<Vec<Remembered>>) {
    for entry in list.get_untracked() {
        leptos::task::spawn_local(async move {
            let Ok(s) = api::dossier_status(&entry.code).await else { return };
            let fresh = Remembered {
                code: entry.code.clone(),
                procedure_name: s.procedure_name.clone(),
                status_label: s.status.label(lang()).to_owned(),
                due_at: datetime_text(s.due_at, lang()),
                needs_action: s.status == DossierStatus::SupplementRequested,
            };
            if fresh != entry {
                list.update(|l| {
                    if let Some(r) = l.iter_mut().find(|r| r.code == fresh.code) {
                        *r = fresh.clone();
                    }
                });
                // Stored without moving it to the top: only a submission or a lookup does that.
                replace(fresh);
            }
        });
    }
}

/// `/ho-so/:code/giay-tiep-nhan`: the receipt kept on this phone when it submitted.
#[component]
pub fn SavedReceipt() -> impl IntoView {
    set_title(t(Msg::ReceiptTitle));
    let code = leptos_router::hooks::use_params_map().get_untracked().get("code").unwrap_or_default();
    match saved_receipt(&code) {
        Some(r) => view! { <crate::components::receipt::ReceiptSlip r=r/> }.into_any(),
        None => view! {
            <h1>{t(Msg::ReceiptTitle)}</h1>
            <p class="notice">{t(Msg::NoSavedReceipt)}" "<a href=format!("/ho-so/{code}")>{t(Msg::TrackButton)}</a></p>
        }.into_any(),
    }
}
