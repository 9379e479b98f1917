use leptos::prelude::*;
use motcua_core::rating::{RatingSummary, Satisfaction};

use crate::api;
use crate::i18n::{lang, t, Lang, Msg};
use crate::components::loader::loader;
use crate::components::period::{span, Period, PeriodButtons};
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;


fn percent(permille: Option<u32>) -> String {
    let mark = if lang() == Lang::En { '.' } else { ',' };
    permille.map_or("—".into(), |p| format!("{}{mark}{}%", p / 10, p % 10))
}

/// `/danh-gia`: the published results of evaluations and surveys, by period and field.
#[component]
pub fn Ratings() -> impl IntoView {
    set_title(t(Msg::RatingsTitle));
    let period = RwSignal::new(Period::Month);
    let field = RwSignal::new(String::new());
    let procedure = RwSignal::new(String::new());
    let fields = loader(|| async { api::list_fields().await });
    let summary = loader(move || {
        let (from, to) = span(period.get());
        let (f, p) = (field.get(), procedure.get());
        async move { api::rating_summary(&from, &to, &f, &p).await }
    });
    view! {
        <h1>{t(Msg::RatingsTitle)}</h1>
        <PeriodButtons period=period active=true/>
        <label for="rating-field">{t(Msg::FilterField)}</label>
        <select id="rating-field" on:change=move |ev| field.set(event_target_value(&ev))>
            <option value="">{t(Msg::AllFields)}</option>
            {move || fields.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|f| view! {
                <option value=f.id.clone()>{f.name.clone()}</option>
            }).collect_view()}
        </select>
        <label for="rating-procedure">{t(Msg::ProcedureCodeOptional)}</label>
        <input id="rating-procedure" placeholder=t(Msg::ProcedureExample) on:change=move |ev| procedure.set(event_target_value(&ev).trim().to_owned())/>
        {move || match summary.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(s)) => view! { <Summary s=s/> }.into_any(),
        }}
    }
}

#[component]
fn Summary(s: RatingSummary) -> impl IntoView {
    view! {
        <p class="lead sentence">{motcua_core::rating::sentence(&s, lang())}</p>
        <dl class="facts">
            <dt>{t(Msg::RatedDossiers)}</dt><dd class="evaluations">{s.evaluations}</dd>
            <dt>{t(Msg::SatisfiedShare)}</dt><dd>{percent(s.satisfied_permille)}</dd>
            <dt>{t(Msg::SurveyForms)}</dt><dd class="surveys">{s.surveys}</dd>
        </dl>
        <h2>{t(Msg::SurveysAtCentre)}</h2>
        <table class="register">
            <thead><tr><th>{t(Msg::Question)}</th><th>{t(Msg::Yes)}</th><th>{t(Msg::No)}</th></tr></thead>
            <tbody>
                {[(t(Msg::SurveySimple), s.survey_simplified), (t(Msg::SurveyFast), s.survey_fast), (t(Msg::SurveyGood), s.survey_good)].into_iter().map(|(q, yes)| view! {
                    <tr><td>{q}</td><td>{yes}</td><td>{s.surveys - yes}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>{t(Msg::NineIndices)}</h2>
        <table class="register">
            <thead><tr><th>{t(Msg::IndexColumn)}</th><th>{t(Msg::TwoPoints)}</th><th>{t(Msg::OnePoint)}</th><th>{t(Msg::ZeroPoints)}</th><th>{t(Msg::Average)}</th></tr></thead>
            <tbody>
                {s.indices.into_iter().map(|i| view! {
                    <tr><td>{i.index.map_or(i.label, |x| x.label(lang()).to_owned())}</td><td>{i.counts[0]}</td><td>{i.counts[1]}</td><td>{i.counts[2]}</td>
                    <td>{i.average_x100.map(|a| motcua_core::text::decimal(u64::from(a), lang())).unwrap_or_else(|| "—".into())}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>{t(Msg::SatisfactionLevels)}</h2>
        <table class="register">
            <thead><tr><th><span class="sr-only">{t(Msg::RowHeader)}</span></th>{Satisfaction::ALL.iter().map(|l| view! { <th>{l.label(lang())}</th> }).collect_view()}</tr></thead>
            <tbody>
                <tr><td>{t(Msg::Ease)}</td><td>{s.ease[0]}</td><td>{s.ease[1]}</td><td>{s.ease[2]}</td></tr>
                <tr><td>{t(Msg::Overall)}</td><td>{s.overall[0]}</td><td>{s.overall[1]}</td><td>{s.overall[2]}</td></tr>
            </tbody>
        </table>
    }
}
