use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use motcua_core::date::{date_text, datetime_text};
use motcua_core::dossier::{AttachedDocument, DossierStatus, FileName};
use motcua_core::form::applicant_section_in;
use motcua_core::tracking::{LookupRequest, PrivateView, PublicStatus};
use motcua_core::workflow::views::SupplementAnswer;
use motcua_core::ErrorCode;

use crate::api;
use crate::citizen::device::{remember, Remembered};
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Fact, Loading};
use crate::components::title::set_title;
use crate::i18n::{lang, t, tf, Msg};

/// `/ho-so/:code`: anyone with the code sees the status; with the receipt's secret the
/// applicant also sees their answers and may act. A link sent to recover a lost secret
/// carries it after `#ma=` (a fragment never reaches a server or a referrer): the page opens
/// with it and takes it out of the address bar.
#[component]
pub fn Track() -> impl IntoView {
    set_title(t(Msg::TrackTitle));
    let params = use_params_map();
    let code = Memo::new(move |_| params.get().get("code").unwrap_or_default());
    // Read again after the applicant acts here, so the status above is never stale.
    let reload = RwSignal::new(0u32);
    let sent = RwSignal::new(None::<&'static str>);
    let status = loader(move || {
        reload.track();
        let code = code.get();
        async move { api::dossier_status(&code).await }
    });
    let private = RwSignal::new(None::<PrivateView>);
    let proof_error = RwSignal::new(None::<String>);
    let proof = RwSignal::new(String::new());
    let open_private = move || {
        let request = LookupRequest { secret: secret_of(&proof.get_untracked()) };
        let code = code.get_untracked();
        leptos::task::spawn_local(async move {
            match api::dossier_lookup(&code, &request).await {
                Ok(view) => {
                    proof_error.set(None);
                    private.set(Some(view));
                }
                Err(e) => proof_error.set(Some(e.message)),
            }
        });
    };
    let on_proof = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        open_private();
    };
    let hash = use_location().hash;
    let navigate = use_navigate();
    Effect::new(move |_| {
        let Some(secret) = hash.get().strip_prefix("#ma=").map(str::to_owned).filter(|s| !s.is_empty()) else { return };
        proof.set(secret);
        open_private();
        navigate(&format!("/ho-so/{}", code.get_untracked()), NavigateOptions { replace: true, ..Default::default() });
    });
    view! {
        <h1>{t(Msg::TrackTitle)}</h1>
        {move || match status.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) if e.code == ErrorCode::NotFound => view! {
                <div class="error" role="alert">
                    <p>{tf(Msg::NoDossier, &[&code.get()])}</p>
                    <p><a href="/ho-so">{t(Msg::EnterCodeAgain)}</a></p>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(s)) => view! { <Public s=s/> }.into_any(),
        }}
        <section aria-labelledby="proof-h">
            <h2 id="proof-h">{t(Msg::SeePersonal)}</h2>
            <form on:submit=on_proof class="proof">
                <label for="proof">{t(Msg::SecretLabel)}</label>
                <div class="search-row">
                    <input id="proof" type="text" autocomplete="off" spellcheck="false" prop:value=move || proof.get()
                        on:input=move |ev| proof.set(event_target_value(&ev))/>
                    <button type="submit">{t(Msg::See)}</button>
                </div>
            </form>
            {move || proof_error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || private.get().is_none().then(|| view! { <LostSecret code=code.get()/> })}
            {move || sent.get().map(|m| view! { <p class="notice sent" role="status">{m}</p> })}
            {move || private.get().map(|v| view! { <Personal view=v.clone() proof=proof private=private reload=reload sent=sent/> })}
            {move || private.get().map(|v| view! { <Notify view=v proof=proof/> })}
            {move || private.get().map(|v| view! { <crate::citizen::evaluate::Evaluate view=v proof=proof private=private/> })}
            {move || private.get().map(|v| view! { <Answers v=v/> })}
        </section>
    }
}

/// What anyone with the code sees, remembered on this phone under "Hồ sơ của tôi".
#[component]
fn Public(s: PublicStatus) -> impl IntoView {
    remember(Remembered {
        code: s.code.as_str().to_owned(),
        procedure_name: s.procedure_name.clone(),
        status_label: s.status.label(lang()).to_owned(),
        due_at: datetime_text(s.due_at, lang()),
        needs_action: s.status == DossierStatus::SupplementRequested,
    });
    let facts = vec![
        (Msg::DossierCode, Some(s.code.as_str().to_owned())),
        (Msg::Procedure, Some(s.procedure_name.clone())),
        (Msg::Status, Some(s.status.label(lang()).to_owned())),
        (Msg::SubmittedAt, Some(datetime_text(s.submitted_at, lang()))),
        (Msg::DueAt, Some(datetime_text(s.due_at, lang()))),
    ];
    view! {
        <dl class="facts status">
            {facts.into_iter().map(|(label, value)| view! { <Fact label=t(label) value=value/> }).collect_view()}
        </dl>
        {(s.status == DossierStatus::SupplementRequested).then(|| view! {
            <p class="notice supplement-public" role="status">{t(Msg::SupplementPublic)}</p>
        })}
        <Timeline events=s.timeline.clone()/>
    }
}

/// The applicant's own answers, under the labels of their language.
#[component]
fn Answers(v: PrivateView) -> impl IntoView {
    let rows: Vec<(String, Option<String>)> = applicant_section_in(lang())
        .fields
        .into_iter()
        .filter_map(|f| v.answers.get(&f.id).map(|a| (f.label, Some(a.clone()))))
        .collect();
    view! {
        <dl class="facts private">
            {rows.into_iter().map(|(label, value)| view! { <Fact label=label value=value/> }).collect_view()}
        </dl>
    }
}

/// Each step so far with its time and, for hand-overs, whether it was early, on time or late.
#[component]
fn Timeline(events: Vec<motcua_core::workflow::Event>) -> impl IntoView {
    view! {
        <h2>{t(Msg::History)}</h2>
        <ol class="timeline">
            {events.into_iter().map(|e| view! {
                <li>
                    <strong>{e.action_label(lang())}</strong> " — " {datetime_text(e.at, lang())}
                    {e.timeliness.map(|t| view! { " · " <span class="timing">{t.label(lang())}</span> })}
                    {e.note(lang()).map(|c| view! { <br/><small>{c}</small> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// What staff wrote to the applicant: a supplement request to answer here, an apology with a
/// new date, the result with its verification link.
#[component]
fn Personal(
    view: PrivateView,
    proof: RwSignal<String>,
    private: RwSignal<Option<PrivateView>>,
    reload: RwSignal<u32>,
    sent: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let code = view.status.code.as_str().to_owned();
    let open = matches!(
        view.status.status,
        DossierStatus::New | DossierStatus::Received | DossierStatus::InProgress | DossierStatus::SupplementRequested
    );
    view! {
        {view.supplement.clone().map(|s| view! { <Supplementing code=code.clone() s=s proof=proof private=private reload=reload sent=sent/> })}
        {open.then(|| view! { <Withdraw code=code.clone() proof=proof private=private reload=reload/> })}
        {view.apology.clone().map(|a| view! {
            <section class="notice" aria-labelledby="apology-h">
                <h2 id="apology-h">{t(Msg::ApologyTitle)}</h2>
                <p>{a.reason.clone()}</p>
                <p>{t(Msg::NewDue)}<strong>{datetime_text(a.new_due, lang())}</strong></p>
            </section>
        })}
        {view.result.clone().map(|r| view! {
            <section class="result" aria-labelledby="result-h">
                <h2 id="result-h">{t(Msg::ResultTitle)}</h2>
                <p>{tf(Msg::ResultDoc, &[&r.number, &date_text(r.date, lang())])}</p>
                <p><a href=format!("/xac-minh/{code}?sig={}", r.signature)>{t(Msg::VerifyResult)}</a></p>
                {r.upload.is_some().then(|| view! { <DownloadResult code=code.clone() proof=proof/> })}
            </section>
        })}
    }
}

/// Slip 02 as the applicant answers it: what is missing, and the files that supply it.
#[component]
fn Supplementing(
    code: String,
    s: motcua_core::workflow::Supplement,
    proof: RwSignal<String>,
    private: RwSignal<Option<PrivateView>>,
    reload: RwSignal<u32>,
    sent: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Each upload's id and the name the file had on the phone.
    let uploaded = RwSignal::new(Vec::<(String, String)>::new());
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(files) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        let (files, too_big) = crate::citizen::submit::within_limit(files);
        problem.set(too_big);
        busy.set(true);
        leptos::task::spawn_local(async move {
            for file in files {
                match api::upload(&file).await {
                    Ok(u) => uploaded.update(|v| v.push((u.id, file.name()))),
                    Err(e) => problem.set(Some(format!("{}: {}", file.name(), e.message))),
                }
            }
            busy.set(false);
        });
    };
    let send = move |_| {
        let answer = SupplementAnswer {
            secret: secret_of(&proof.get_untracked()),
            documents: uploaded.get_untracked().into_iter().map(|(upload, name)| AttachedDocument { upload, document: None, name: FileName::parse(&name).ok() }).collect(),
            note: String::new(),
        };
        let code = code.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::answer_supplement(&code, &answer).await {
                Ok(v) => {
                    problem.set(None);
                    private.set(Some(v));
                    sent.set(Some(t(Msg::SupplementSent)));
                    reload.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.fields.first().map(|f| f.message.clone()).unwrap_or(e.message))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="notice supplement" aria-labelledby="sup-h">
            <h2 id="sup-h">{t(Msg::SupplementAsked)}</h2>
            <p>{tf(Msg::AskedOn, &[&datetime_text(s.at, lang())])}</p>
            <p class="reason">{s.reason.clone()}</p>
            {(!s.missing.is_empty()).then(|| view! { <ul>{s.missing.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul> })}
            <label for="supplement-files">{t(Msg::UploadSupplement)}</label>
            <input id="supplement-files" type="file" multiple accept="application/pdf,image/jpeg,image/png" on:change=on_file/>
            <p class="uploaded">{move || tf(Msg::UploadedCount, &[&uploaded.get().len()])}</p>
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <button type="button" class="primary" disabled=move || busy.get() || uploaded.get().is_empty() on:click=send.clone()>{t(Msg::SendSupplement)}</button>
        </section>
    }
}

/// The applicant withdraws a dossier still being handled, after saying they are sure.
#[component]
fn Withdraw(code: String, proof: RwSignal<String>, private: RwSignal<Option<PrivateView>>, reload: RwSignal<u32>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let withdraw = move |_| {
        let sure = web_sys::window().and_then(|w| w.confirm_with_message(t(Msg::WithdrawConfirm)).ok()).unwrap_or(false);
        if !sure {
            return;
        }
        let request = LookupRequest { secret: secret_of(&proof.get_untracked()) };
        let code = code.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::withdraw_dossier(&code, &request).await {
                Ok(v) => {
                    private.set(Some(v));
                    reload.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <p class="withdraw"><button type="button" class="secondary" disabled=move || busy.get() on:click=withdraw>{t(Msg::WithdrawButton)}</button></p>
        {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
    }
}

/// The result file, fetched with the secret (never put in a link) and saved under its name.
#[component]
fn DownloadResult(code: String, proof: RwSignal<String>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let fetch = move |_| {
        let (code, secret) = (code.clone(), secret_of(&proof.get_untracked()));
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::dossier_result_file(&code, &secret).await {
                Ok((bytes, kind)) => problem.set(save_as(&bytes, &kind, &code).err()),
                Err(e) => problem.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <p><button type="button" class="secondary download" disabled=move || busy.get() on:click=fetch>{t(Msg::DownloadResult)}</button></p>
        {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
    }
}

/// Offers `bytes` as a download named after the dossier.
fn save_as(bytes: &[u8], kind: &str, code: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |_| t(Msg::Retry).to_owned();
    let ext = match kind {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(&format!("ket-qua-{}.{ext}", code.to_lowercase()));
    a.click();
    // Not revoked here: revoking at once can cancel the download it started; the page's
    // unload frees it.
    Ok(())
}

/// The messages sent about the dossier, and turning on notifications on this device.
#[component]
fn Notify(view: PrivateView, proof: RwSignal<String>) -> impl IntoView {
    let code = view.status.code.as_str().to_owned();
    let state = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let turn_on = move |_| {
        let secret = secret_of(&proof.get_untracked());
        let code = code.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = async {
                let key = api::push_key().await.map_err(|e| e.message)?;
                let subscription = crate::citizen::push::subscribe(&key.public_key).await?;
                let request = motcua_core::notify::SubscriptionRequest { secret, subscription };
                api::subscribe_push(&code, &request).await.map_err(|e| e.fields.first().map_or(e.message.clone(), |f| f.message.clone()))?;
                Ok::<_, String>(t(Msg::PushOn).to_owned())
            };
            state.set(Some(outcome.await));
            busy.set(false);
        });
    };
    let sent: Vec<String> = view
        .notifications
        .iter()
        .map(|n| {
            let channel = t(if n.channel == "email" { Msg::ByEmail } else { Msg::ByPush });
            let status = match n.status.as_str() {
                "sent" => Msg::NoticeSent,
                "failed" => Msg::NoticeFailed,
                _ => Msg::NoticeSending,
            };
            tf(Msg::NoticeLine, &[&n.kind.label(lang()), &channel, &t(status), &datetime_text(n.at, lang())])
        })
        .collect();
    view! {
        <section class="notify" aria-labelledby="notify-h">
            <h2 id="notify-h">{t(Msg::NoticesTitle)}</h2>
            {if sent.is_empty() {
                view! { <p>{t(Msg::NoNotices)}</p> }.into_any()
            } else {
                view! { <ul class="sent">{sent.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul> }.into_any()
            }}
            <button type="button" class="secondary" id="push-on" disabled=move || busy.get() on:click=turn_on>{t(Msg::PushButton)}</button>
            {move || state.get().map(|r| match r {
                Ok(m) => view! { <p class="notice" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="error" role="alert">{m}</p> }.into_any(),
            })}
        </section>
    }
}

/// A lost secret: a new one by e-mail to the address on file (the answer is the same whether
/// there is one or not), or from the reception desk after it checks the applicant's papers.
#[component]
fn LostSecret(code: String) -> impl IntoView {
    let answer = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let ask = move |_| {
        let code = code.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            answer.set(Some(api::recover_secret(&code).await.map_err(|e| e.message)));
            busy.set(false);
        });
    };
    view! {
        <details class="lost-secret">
            <summary>{t(Msg::LostSecretQ)}</summary>
            <p>{t(Msg::LostSecretMail)}</p>
            <button type="button" class="secondary" id="recover" disabled=move || busy.get() on:click=ask>{t(Msg::SendNewCode)}</button>
            {move || answer.get().map(|r| match r {
                Ok(m) => view! { <p class="notice" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="error" role="alert">{m}</p> }.into_any(),
            })}
            <p>{t(Msg::LostSecretDesk)}</p>
        </details>
    }
}

/// The secret as typed: the receipt shows it in groups of four for reading aloud, so spaces
/// typed between them are not part of it.
pub(crate) fn secret_of(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace()).collect()
}
