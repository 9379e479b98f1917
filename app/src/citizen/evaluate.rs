use leptos::prelude::*;
use motcua_core::dossier::DossierStatus;
use motcua_core::tracking::PrivateView;
use motcua_core::rating::{computed_scores, EvaluationRequest, Index, Satisfaction};

use crate::api;
use crate::i18n::{lang, t, tf, Msg};

/// The evaluation of a returned dossier, once: the indices the system knows are shown with
/// their scores; the applicant answers the other four, satisfaction and a comment.
#[component]
pub fn Evaluate(view: PrivateView, proof: RwSignal<String>, private: RwSignal<Option<PrivateView>>) -> impl IntoView {
    if view.status.status != DossierStatus::Returned {
        return ().into_any();
    }
    if let Some(e) = view.evaluation.clone() {
        return view! {
            <section class="notice evaluated" aria-labelledby="eval-h">
                <h2 id="eval-h">{t(Msg::Evaluated)}</h2>
                <p>{tf(Msg::OverallWas, &[&e.overall.label(lang())])}</p>
            </section>
        }
        .into_any();
    }
    let computed = computed_scores(&view.status.timeline, view.status.online, true);
    let answers = RwSignal::new([None::<u8>; 4]);
    let ease = RwSignal::new(None::<Satisfaction>);
    let overall = RwSignal::new(None::<Satisfaction>);
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let code = view.status.code.as_str().to_owned();
    let asked = [Index::Contacts, Index::Agencies, Index::Attitude, Index::Feedback];
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let a = answers.get_untracked();
        let (Some(contacts), Some(agencies), Some(attitude), Some(feedback), Some(e), Some(o)) =
            (a[0], a[1], a[2], a[3], ease.get_untracked(), overall.get_untracked())
        else {
            problem.set(Some(t(Msg::AnswerAll).into()));
            return;
        };
        let secret = crate::citizen::track::secret_of(&proof.get_untracked());
        let request = EvaluationRequest { secret, contacts, agencies, attitude, feedback, ease: e, overall: o, comment: comment.get_untracked() };
        let code = code.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::evaluate_dossier(&code, &request).await {
                Ok(evaluation) => {
                    problem.set(None);
                    private.update(|v| if let Some(v) = v { v.evaluation = Some(evaluation) });
                }
                Err(e) => problem.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="evaluate" aria-labelledby="eval-h">
            <h2 id="eval-h">{t(Msg::RateTitle)}</h2>
            <p>{t(Msg::RateComputed)}</p>
            <dl class="facts computed">
                {Index::ALL.iter().zip(computed).filter_map(|(i, c)| c.map(|score| view! {
                    <dt>{i.label(lang())}</dt><dd>{tf(Msg::Points, &[&score])}</dd>
                })).collect_view()}
            </dl>
            <form on:submit=send>
                {asked.into_iter().enumerate().map(|(n, index)| asked_index(n, index, answers)).collect_view()}
                {satisfaction("ease", Msg::RateEase, ease)}
                {satisfaction("overall", Msg::RateOverall, overall)}
                <div class="field">
                    <label for="eval-comment">{t(Msg::CommentOptional)}</label>
                    <textarea id="eval-comment" rows="3" on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <button type="submit" disabled=move || busy.get()>{t(Msg::SendRating)}</button>
            </form>
        </section>
    }
    .into_any()
}

/// One of the asked indices (circular 03's 2, 1 or 0 points), as radio buttons.
fn asked_index(n: usize, index: Index, answers: RwSignal<[Option<u8>; 4]>) -> impl IntoView {
    let name = format!("q{n}");
    view! {
        <fieldset class="choices"><legend>{index.label(lang())}</legend>
            {index.choices(lang()).into_iter().enumerate().map(|(k, label)| {
                let score = 2 - k as u8;
                let id = format!("{name}-{score}");
                let label_for = id.clone();
                view! { <label class="choice" for=label_for><input type="radio" id=id name=name.clone()
                    on:change=move |_| answers.update(|a| a[n] = Some(score))/>{label}</label> }
            }).collect_view()}
        </fieldset>
    }
}

/// A satisfaction question (the five levels), as radio buttons.
fn satisfaction(name: &'static str, legend: Msg, target: RwSignal<Option<Satisfaction>>) -> impl IntoView {
    view! {
        <fieldset class="choices"><legend>{t(legend)}</legend>
            {Satisfaction::ALL.into_iter().map(|s| {
                let id = format!("{name}-{}", s.position());
                let label_for = id.clone();
                view! { <label class="choice" for=label_for><input type="radio" id=id name=name on:change=move |_| target.set(Some(s))/>{s.label(lang())}</label> }
            }).collect_view()}
        </fieldset>
    }
}
