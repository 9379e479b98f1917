use leptos::prelude::*;
use motcua_core::catalogue::import::{ImportLine, ImportReport, ImportRequest};
use motcua_core::catalogue::version::Decision;
use motcua_core::date::parse_iso;
use wasm_bindgen::JsCast;

use crate::api;
use crate::i18n::staff::{s, sf, S};

async fn file_text(input_id: &str) -> Option<String> {
    let input = web_sys::window()?.document()?.get_element_by_id(input_id)?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok()?;
    text.as_string()
}

/// Lists of an import report, each procedure with what changes.
fn lines(title: &'static str, lines: Vec<ImportLine>) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        view! {
            <h3>{format!("{title} ({})", lines.len())}</h3>
            <ul class="import-lines">{lines.into_iter().map(|l| view! {
                <li>
                    <strong>{l.id}</strong>{s(S::Dash)}{l.name}
                    {(!l.changes.is_empty()).then(|| view! {
                        <ul>{l.changes.into_iter().map(|c| view! {
                            <li>{c.label}": "{c.before.unwrap_or_else(|| s(S::Empty).into())}{s(S::Arrow)}{c.after.unwrap_or_else(|| s(S::Empty).into())}</li>
                        }).collect_view()}</ul>
                    })}
                </li>
            }).collect_view()}</ul>
        }
    })
}

/// Imports a catalogue file (data/catalogue.json's format or procedures.tsv's) under one
/// decision: first a dry run that lists what would be added, amended, repealed and skipped,
/// then the import itself, all or nothing.
#[component]
pub fn Import() -> impl IntoView {
    let decision = RwSignal::new((String::new(), String::new(), String::new()));
    let repeal_missing = RwSignal::new(false);
    let report = RwSignal::new(None::<ImportReport>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |dry_run: bool| {
        let (number, date, effective) = decision.get_untracked();
        let (Some(date), Some(effective_from)) = (parse_iso(&date), parse_iso(&effective)) else {
            problem.set(Some(s(S::ChooseDecisionDates).into()));
            return;
        };
        let repeal = repeal_missing.get_untracked();
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let Some(file) = file_text("i-file").await else {
                problem.set(Some(s(S::ChooseCatalogueFile).into()));
                busy.set(false);
                return;
            };
            let request = ImportRequest { file, decision: Decision { number, date, effective_from }, dry_run, repeal_missing: repeal };
            match api::import_catalogue(&request).await {
                Ok(r) => report.set(Some(r)),
                Err(e) => {
                    problem.set(Some(e.fields.first().map_or(e.message.clone(), |f| format!("{}: {}", f.field, f.message))));
                }
            }
            busy.set(false);
        });
    };
    let set = move |i: usize| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            decision.update(|d| match i {
                0 => d.0 = v,
                1 => d.1 = v,
                _ => d.2 = v,
            });
        }
    };
    view! {
        <h2>{s(S::ImportCatalogue)}</h2>
        <p class="hint">{s(S::ImportHint)}</p>
        <form class="walk-in import" on:submit=|ev| ev.prevent_default() novalidate>
            <label for="i-file">{s(S::CatalogueFile)}</label>
            <input id="i-file" type="file" accept=".json,.tsv,.txt,application/json,text/tab-separated-values"/>
            <label for="i-number">{s(S::DecisionNumber)}</label>
            <input id="i-number" on:input=set(0)/>
            <label for="i-date">{s(S::SignedOn)}</label>
            <input id="i-date" type="date" on:input=set(1)/>
            <label for="i-effective">{s(S::EffectiveOn)}</label>
            <input id="i-effective" type="date" on:input=set(2)/>
            <label class="check"><input type="checkbox" on:change=move |ev| repeal_missing.set(event_target_checked(&ev))/>
                {s(S::WholeCatalogue)}</label>
            <button type="button" disabled=move || busy.get() on:click=move |_| run(true)>{s(S::DryRun)}</button>
            <button type="button" class="primary" disabled=move || busy.get() || report.with(|r| r.as_ref().is_none_or(|r| r.written || !r.errors.is_empty()))
                on:click=move |_| run(false)>{s(S::ImportAndPublish)}</button>
            {move || busy.get().then(|| view! { <p role="status">{s(S::ProcessingFile)}</p> })}
        </form>
        {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        {move || report.get().map(|r| view! {
            <section class="import-report" aria-live="polite">
                <p class="notice">{if r.written { s(S::Imported) } else { s(S::DryRunDone) }}
                    {sf(S::ImportCounts, &[
                        &r.added.len(), &r.amended.len(), &r.repealed.len(), &r.unchanged, &r.skipped.len()])}</p>
                {(!r.errors.is_empty()).then(|| view! {
                    <div class="error" role="alert"><p>{s(S::ImportErrors)}</p>
                        <ul>{r.errors.iter().map(|e| view! { <li>{format!("{}: {}", e.field, e.message)}</li> }).collect_view()}</ul>
                    </div>
                })}
                {lines(s(S::Added), r.added)}
                {lines(s(S::Amended), r.amended)}
                {lines(s(S::Repealed), r.repealed)}
                {lines(s(S::Skipped), r.skipped)}
            </section>
        })}
    }
}
