use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use motcua_core::rating::SurveyRequest;

use crate::api;
use crate::citizen::device::{kiosk_token, set_kiosk_token};
use crate::components::title::set_title;
use crate::i18n::{t, Msg};

/// Seconds the thank-you screen stays on a kiosk before the next respondent's form.
const RESET_SECONDS: u64 = 5;

/// Reads `#token=…` (an admin's enrollment link) or `#ma=…` (a receipt's secret) from the
/// address, keeps the token on the device and takes both out of the address bar.
fn from_fragment() -> (Option<String>, Option<String>) {
    let Some(window) = web_sys::window() else { return (None, None) };
    let hash = window.location().hash().unwrap_or_default();
    let value = |key: &str| hash.strip_prefix('#').and_then(|h| h.strip_prefix(key)).map(str::to_owned);
    let (token, secret) = (value("token="), value("ma="));
    if let Some(t) = &token {
        set_kiosk_token(t);
    }
    if token.is_some() || secret.is_some() {
        if let Ok(h) = window.history() {
            let path = window.location().pathname().unwrap_or_default() + &window.location().search().unwrap_or_default();
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
    (token, secret)
}

/// `/khao-sat`: the walk-in survey (phiếu khảo sát): on an enrolled kiosk at the centre, or
/// once per dossier from the receipt's link (`?ho-so=<code>#ma=<secret>`).
#[component]
pub fn Survey() -> impl IntoView {
    set_title(t(Msg::SurveyTitle));
    let (_, secret) = from_fragment();
    let dossier = use_query_map().get_untracked().get("ho-so");
    let token = kiosk_token();
    let receipt = dossier.clone().zip(secret);
    if token.is_none() && receipt.is_none() {
        return view! {
            <h1>{t(Msg::SurveyTitle)}</h1>
            <div class="error" role="alert">
                <p>{t(Msg::NotKiosk)}</p>
                <p>{t(Msg::OpenFromReceipt)}</p>
            </div>
        }
        .into_any();
    }
    let answers = RwSignal::new([None::<bool>; 3]);
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let thanked = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let kiosk = receipt.is_none();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [Some(simplified), Some(fast), Some(good)] = answers.get_untracked() else {
            problem.set(Some(t(Msg::AnswerThree).into()));
            return;
        };
        let request = SurveyRequest {
            simplified,
            fast,
            good,
            comment: comment.get_untracked(),
            dossier: receipt.as_ref().map(|r| r.0.clone()),
            secret: receipt.as_ref().map(|r| r.1.clone()),
        };
        let token = if kiosk { kiosk_token() } else { None };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::survey(&request, token.as_deref()).await {
                Ok(()) => {
                    problem.set(None);
                    thanked.set(true);
                    if kiosk {
                        // The next respondent finds a blank form.
                        set_timeout(
                            move || {
                                answers.set([None; 3]);
                                comment.set(String::new());
                                thanked.set(false);
                            },
                            std::time::Duration::from_secs(RESET_SECONDS),
                        );
                    }
                }
                Err(e) => problem.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let questions = [t(Msg::QSimple), t(Msg::QFast), t(Msg::QGood)];
    view! {
        <h1>{t(Msg::SurveyH1)}</h1>
        {move || if thanked.get() {
            view! { <div class="thanks" role="status"><p>{t(Msg::Thanks)}</p></div> }.into_any()
        } else {
            view! {
                <form class="survey" on:submit=send.clone()>
                    {questions.into_iter().enumerate().map(|(n, q)| yes_or_no(n, q, answers)).collect_view()}
                    <div class="field">
                        <label for="survey-comment">{t(Msg::OtherComments)}</label>
                        <textarea id="survey-comment" rows="3" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </div>
                    {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <button type="submit" class="send" disabled=move || busy.get()>{t(Msg::SendSurvey)}</button>
                </form>
            }.into_any()
        }}
    }
    .into_any()
}

/// One of the three questions: two large buttons, the chosen one pressed.
fn yes_or_no(n: usize, question: &'static str, answers: RwSignal<[Option<bool>; 3]>) -> impl IntoView {
    view! {
        <fieldset class="big-choices"><legend>{question}</legend>
            {[(true, t(Msg::Yes)), (false, t(Msg::No))].into_iter().map(|(value, label)| view! {
                <button type="button" class:chosen=move || answers.get()[n] == Some(value)
                    aria-pressed=move || (answers.get()[n] == Some(value)).to_string()
                    on:click=move |_| answers.update(|a| a[n] = Some(value))>{label}</button>
            }).collect_view()}
        </fieldset>
    }
}
