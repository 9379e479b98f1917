use leptos::prelude::*;
use motcua_core::calendar::Leg;
use motcua_core::catalogue::{Procedure, ProcessStep, RequiredDocument};
use motcua_core::date::datetime_text;
use motcua_core::ErrorCode;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Fact, Loading};
use crate::components::title::set_title;
use crate::i18n::{lang, t, tf, Lang, Msg};
use crate::pages::not_found::NotFound;

#[component]
pub fn ProcedurePage() -> impl IntoView {
    let path = crate::router::path();
    let id = Memo::new(move |_| {
        let raw = path.get().strip_prefix("/thu-tuc/").unwrap_or_default().to_owned();
        js_sys::decode_uri_component(&raw).map(String::from).unwrap_or(raw)
    });
    let record = loader(move || {
        let id = id.get();
        async move { api::get_procedure(&id).await }
    });
    move || match record.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) if e.code == ErrorCode::NotFound => view! { <NotFound/> }.into_any(),
        Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
        Some(Ok(p)) => view! { <Record p=p/> }.into_any(),
    }
}


#[component]
pub fn Record(p: Procedure) -> impl IntoView {
    // In English, the admins' unofficial translation where a version has one, marked so, with
    // the official Vietnamese name beside it.
    let english = if lang() == Lang::En { p.english.clone() } else { None };
    let title = english.as_ref().map_or(p.name.clone(), |e| e.name.clone());
    set_title(&title);
    let online = p.online.filter(|l| l.accepts_online_submission());
    // Online at level 3+, yet no published time: no due date, so no submission yet.
    let ready = p.online_term().is_some();
    let term = p.term(false);
    // One leg has an estimate from the calendar; a chain of steps is dated when submitted.
    let estimate = term.as_ref().and_then(|t| match t.legs() {
        [leg] => Some(*leg),
        _ => None,
    });
    let estimate = estimate.map(|leg| (leg, loader(move || api::calendar_due(leg))));
    let no_estimate = match &term {
        None => Some(t(Msg::NoTermYet)),
        Some(term) if term.legs().len() > 1 => Some(t(Msg::ChainedSteps)),
        _ => None,
    };
    // One list rendered in a loop: nineteen separate <Fact/> nodes cost kilobytes of WASM.
    let facts = p.facts(lang());
    view! {
        <article class="procedure">
            <p class="crumbs"><a href="/thu-tuc">{t(Msg::Procedures)}</a>" › "
                <a href=format!("/thu-tuc?field={}", p.field)>{p.field_name.clone()}</a></p>
            <h1>{title}</h1>
            {english.map(|e| view! {
                <p class="translation"><span class="tag">{t(Msg::Unofficial)}</span>" "
                    {t(Msg::OfficialName)}<span lang="vi">{p.name.clone()}</span></p>
                {e.summary.map(|s| view! { <p class="summary">{s}</p> })}
            })}
            // The version in force, a repeal notice (which also hides the call to submit, by
            // CSS) and the history: HTML the worker renders and escapes (see ProcedurePage).
            {p.versions_html.clone().map(|h| view! { <div class="version-block" inner_html=h></div> })}
            {match online {
                // Why: the estimate's line below (no published time).
                Some(level) if !ready => view! { <p class="cta offline">{tf(Msg::NotOnlineYet, &[&level.label(lang())])}</p> }.into_any(),
                Some(level) => view! {
                    <div class="cta">
                        <p>{level.label(lang())}</p>
                        <a class="button" href=format!("/nop-ho-so/{}", p.id) rel="external">{t(Msg::ApplyOnline)}</a>
                    </div>
                }.into_any(),
                None => view! {
                    <p class="cta offline">{t(Msg::InPerson)}</p>
                }.into_any(),
            }}
            {estimate.map(|(leg, e)| view! {
                <p class="estimate" aria-live="polite">{move || match e.get() {
                    None => t(Msg::Estimating).to_owned(),
                    Some(Ok(x)) => tf(Msg::Estimate, &[&datetime_text(x.due, lang()), &counting(leg), &provisional(x.provisional_year)]),
                    Some(Err(err)) => err.message,
                }}</p>
            })}
            {no_estimate.map(|m| view! { <p class="estimate muted">{m}</p> })}
            <h2>{t(Msg::AboutProcedure)}</h2>
            <p class="hint">{t(Msg::AboutHint)}</p>
            <dl class="facts">
                {facts.into_iter().map(|(label, value)| view! { <Fact label=label value=value/> }).collect_view()}
            </dl>
            <h2>{t(Msg::Papers)}</h2>
            <Documents docs=p.documents.clone()/>
            <h2>{t(Msg::InternalProcess)}</h2>
            <Process steps=p.internal_process.clone()/>
            // <Versions id=p.id.clone()/>
        </article>
    }
}

#[component]
fn Documents(docs: Vec<RequiredDocument>) -> impl IntoView {
    if docs.is_empty() {
        return view! { <p class="unpublished">{t(Msg::NoPapers)}</p> }.into_any();
    }
    view! {
        <ul class="checklist">
            {docs.into_iter().enumerate().map(|(i, d)| {
                let id = format!("doc-{i}");
                let kind = match d.original { Some(true) => t(Msg::Original), Some(false) => t(Msg::Copy), None => "" };
                let count = d.count.map(|n| tf(Msg::Sets, &[&n]));
                view! {
                    <li>
                        <input type="checkbox" id=id.clone()/>
                        <label for=id>{d.name}" "<small>{kind}" "{count}</small></label>
                        {d.template.map(|form| view! { <a href=form>{t(Msg::DownloadForm)}</a> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}

#[component]
fn Process(steps: Vec<ProcessStep>) -> impl IntoView {
    if steps.is_empty() {
        return view! { <p class="unpublished">{t(Msg::UnpublishedStop)}</p> }.into_any();
    }
    // Procedures with several cases publish one sequence per case, in order.
    let mut groups: Vec<(Option<String>, Vec<ProcessStep>)> = Vec::new();
    for s in steps {
        match groups.last_mut() {
            Some((case, list)) if *case == s.case => list.push(s),
            _ => groups.push((s.case.clone(), vec![s])),
        }
    }
    groups.into_iter().map(|(case, list)| view! {
        {case.map(|c| view! { <h3>{c}</h3> })}
        <ol class="process">
            {list.into_iter().map(|s| {
                // As published: "0,25 ngày làm việc" and "2 giờ" are the same time, written
                // differently by different decisions.
                let time = s.allotment_text.clone().unwrap_or_else(|| t(Msg::Unpublished).into());
                view! {
                    <li>
                        <p>{s.task}</p>
                        <p class="meta"><span>{s.responsible}</span><span class="time">{time}</span></p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }).collect_view().into_any()
}

/// How a period in this unit is counted, in a few words.
fn counting(leg: Leg) -> &'static str {
    match leg {
        Leg::Working { .. } => t(Msg::CountWorking),
        Leg::Calendar { .. } => t(Msg::CountCalendar),
    }
}

/// The short notice for dates in a year whose holidays are not announced yet.
pub fn provisional(year: Option<i32>) -> String {
    year.map(|y| tf(Msg::Provisional, &[&y])).unwrap_or_default()
}
