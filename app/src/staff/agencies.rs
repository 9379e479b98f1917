use leptos::prelude::*;
use motcua_core::catalogue::agency::{AgencyAdmin, Merge, NewAgency, Rename};
use motcua_core::catalogue::version::Decision;
use motcua_core::date::{parse_iso, to_vi};
use motcua_core::accounts::{Capability, NewAccount, Role};

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::i18n::staff::{s, sf, S};
use crate::staff::session;

fn value(id: &str) -> String {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value().trim().to_owned())
        .unwrap_or_default()
}

/// What a form of the page answers: the message to show, or the refusal.
type Answer = Callback<Result<String, motcua_core::ErrorBody>>;

/// `/can-bo/co-quan`: agencies — an agency's admin renames their own; the province's
/// administrator creates one with its first admin and merges one into another under a decision.
#[component]
pub fn Agencies() -> impl IntoView {
    set_title(s(S::Agencies));
    let me = session().get_untracked().and_then(Result::ok);
    let own = me.as_ref().map(|s| s.agency.clone()).unwrap_or_default();
    let agency_admin = me.as_ref().is_some_and(|s| s.may(Capability::AdministerAgency));
    let province = me.as_ref().is_some_and(|s| s.may(Capability::AdministerProvince));
    let reload = RwSignal::new(0u32);
    let list = loader(move || {
        reload.get();
        async move { api::list_agencies_admin().await }
    });
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let answer: Answer = Callback::new(move |r: Result<String, motcua_core::ErrorBody>| match r {
        Ok(m) => {
            problem.set(None);
            done.set(Some(m));
            reload.update(|n| *n += 1);
        }
        Err(e) => {
            done.set(None);
            problem.set(Some(e.fields.first().map_or(e.message.clone(), |f| format!("{} ({})", f.message, f.field))));
        }
    });
    let row = |a: AgencyAdmin| {
        let merged = a.merged_into.map(|into| sf(S::MergedInto, &[&into]) + &a.merged_on.map(|d| sf(S::MergedFrom, &[&to_vi(d)])).unwrap_or_default());
        view! { <tr><td>{a.code}</td><td>{a.name}</td><td>{merged.unwrap_or_default()}</td></tr> }
    };
    view! {
        <h1>{s(S::Agencies)}</h1>
        {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        {move || done.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(all)) => view! {
                <table class="register agencies">
                    <thead><tr><th>{s(S::Code)}</th><th>{s(S::Name)}</th><th>{s(S::Merge)}</th></tr></thead>
                    <tbody>{all.into_iter().map(row).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
        {agency_admin.then(|| view! { <RenameOwn own=own answer=answer/> })}
        {province.then(|| view! { <MergeForm answer=answer/> <CreateForm answer=answer/> })}
    }
}

/// An agency's admin renames their own agency.
#[component]
fn RenameOwn(own: String, answer: Answer) -> impl IntoView {
    let label = sf(S::NewNameOf, &[&own]);
    let on_rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = own.clone();
        let rename = Rename { name: value("ag-rename") };
        leptos::task::spawn_local(async move {
            answer.try_run(api::rename_agency(&code, &rename).await.map(|a| sf(S::Renamed, &[&a.name])));
        });
    };
    view! {
        <h2>{s(S::RenameOwnAgency)}</h2>
        <form class="walk-in" on:submit=on_rename novalidate>
            <label for="ag-rename">{label}</label>
            <input id="ag-rename"/>
            <button type="submit">{s(S::Rename)}</button>
        </form>
    }
}

/// The province merges one agency into another under a decision.
#[component]
fn MergeForm(answer: Answer) -> impl IntoView {
    let on_merge = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(date), Some(effective_from)) = (parse_iso(&value("mg-date")), parse_iso(&value("mg-effective"))) else {
            answer.try_run(Err(motcua_core::ErrorBody::new(motcua_core::ErrorCode::Validation, s(S::ChooseDecisionDates))));
            return;
        };
        let from = value("mg-from");
        let merge = Merge { into: value("mg-into"), decision: Decision { number: value("mg-number"), date, effective_from } };
        leptos::task::spawn_local(async move {
            answer.try_run(api::merge_agency(&from, &merge).await.map(|moved| sf(S::Merged, &[&from, &merge.into, &moved.len(), &to_vi(effective_from)])));
        });
    };
    view! {
        <h2>{s(S::MergeAgencies)}</h2>
        <p class="hint">{s(S::MergeHint)}</p>
        <form class="walk-in" on:submit=on_merge novalidate>
            <label for="mg-from">{s(S::MergedAgency)}</label>
            <input id="mg-from"/>
            <label for="mg-into">{s(S::ReceivingAgency)}</label>
            <input id="mg-into"/>
            <label for="mg-number">{s(S::DecisionNumber)}</label>
            <input id="mg-number"/>
            <label for="mg-date">{s(S::SignedOn)}</label>
            <input id="mg-date" type="date"/>
            <label for="mg-effective">{s(S::EffectiveOn)}</label>
            <input id="mg-effective" type="date"/>
            <button type="submit" class="primary">{s(S::Merge)}</button>
        </form>
    }
}

/// The province creates an agency with its first administrator.
#[component]
fn CreateForm(answer: Answer) -> impl IntoView {
    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewAgency {
            code: value("ag-code"),
            name: value("ag-name"),
            first_admin: NewAccount {
                username: value("ag-user"),
                name: value("ag-user-name"),
                roles: vec![Role::Admin],
                delegated_approval: false,
                password: value("ag-password"),
                email: None,
            },
        };
        if let Err(errors) = new.check() {
            answer.try_run(Err(motcua_core::ErrorBody { fields: errors, ..motcua_core::ErrorBody::from_code(motcua_core::ErrorCode::Validation) }));
            return;
        }
        leptos::task::spawn_local(async move {
            answer.try_run(api::create_agency(&new).await.map(|a| sf(S::AgencyCreated, &[&a.name, &a.code])));
        });
    };
    view! {
        <h2>{s(S::NewAgency)}</h2>
        <form class="walk-in" on:submit=on_create novalidate>
            <label for="ag-code">{s(S::AgencyCode)}</label>
            <input id="ag-code" autocomplete="off"/>
            <label for="ag-name">{s(S::AgencyName)}</label>
            <input id="ag-name"/>
            <label for="ag-user">{s(S::FirstAdminUsername)}</label>
            <input id="ag-user" autocomplete="off"/>
            <label for="ag-user-name">{s(S::FirstAdminName)}</label>
            <input id="ag-user-name"/>
            <label for="ag-password">{s(S::InitialPassword)}</label>
            <input id="ag-password" type="password" autocomplete="new-password"/>
            <button type="submit">{s(S::CreateAgency)}</button>
        </form>
    }
}
