use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use motcua_core::date::{parse_iso, to_vi, to_vi_datetime};
use motcua_core::form::applicant_section;
use motcua_core::workflow::views::StaffDossier;
use motcua_core::workflow::{phase_label_vi, Action, ActionRequest};
use motcua_core::ErrorBody;

use crate::api;
use crate::components::status::{ErrorMessage, Fact, Loading};
use crate::components::title::set_title;
use crate::i18n::staff::{s, sf, S};
use crate::staff::History;

/// `/can-bo/ho-so/:code`: the whole record, the actions this account may take, and the
/// printable slips (05 process control; the result slip with its verification QR code).
#[component]
pub fn DossierPage() -> impl IntoView {
    set_title(s(S::Dossier));
    let params = use_params_map();
    let code = params.get_untracked().get("code").unwrap_or_default();
    let record = RwSignal::new(None::<Result<StaffDossier, ErrorBody>>);
    // Here, not in the record's view: a re-issued receipt stays on screen when the record reloads.
    let reissued = RwSignal::new(None::<motcua_core::dossier::Receipt>);
    {
        let code = code.clone();
        leptos::task::spawn_local(async move { record.set(Some(api::staff_dossier(&code).await)) });
    }
    move || match record.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
        Some(Ok(d)) => view! { <Record d=d record=record reissued=reissued/> }.into_any(),
    }
}

#[component]
fn Record(
    d: StaffDossier,
    record: RwSignal<Option<Result<StaffDossier, ErrorBody>>>,
    reissued: RwSignal<Option<motcua_core::dossier::Receipt>>,
) -> impl IntoView {
    // Nothing is unpublished in a dossier: a missing fact has not happened yet.
    let missing = |label: &str| if label == s(S::ReceivedAt) { s(S::NotReceived) } else { s(S::None) };
    let facts = vec![
        (s(S::DossierCode), Some(d.code.as_str().to_owned())),
        (s(S::Procedure), Some(format!("{} ({})", d.procedure_name, d.procedure))),
        (s(S::State), Some(d.status_label.clone())),
        (s(S::CurrentStep), Some(phase_label_vi(d.phase).to_owned())),
        (s(S::Process), Some(d.flow.label_vi().to_owned())),
        (s(S::Channel), Some(d.channel.label_vi().to_owned())),
        (s(S::SubmittedAt), Some(to_vi_datetime(d.submitted_at))),
        (s(S::ReceivedAt), d.received_at.map(to_vi_datetime)),
        (s(S::Period), Some(d.term.text(motcua_core::Lang::Vi))),
        (s(S::ResultDue), Some(to_vi_datetime(d.due_at))),
        (s(S::StepDue), d.step_due_at.map(to_vi_datetime)),
    ];
    // The applicant section, then the procedure's own pages of the dossier's version.
    let answers: Vec<(String, Option<String>)> = applicant_section()
        .fields
        .into_iter()
        .chain(d.form.iter().flat_map(|s| s.fields.clone()))
        .filter_map(|f| d.answers.get(&f.id).map(|a| (f.label.clone(), Some(f.shown(a).to_owned()))))
        .collect();
    let code = d.code.as_str().to_owned();
    let result = d.result.clone();
    view! {
        <h1>{s(S::DossierPrefix)} {code.clone()}</h1>
        {d.supplement.clone().map(|sup| view! {
            <div class="notice"><p><strong>{s(S::AwaitingSupplement)} {to_vi_datetime(sup.at)}</strong></p>
            <p>{sup.reason}</p>{(!sup.missing.is_empty()).then(|| view! { <p>{s(S::Missing)} {sup.missing.join("; ")}</p> })}</div>
        })}
        {d.apology.clone().map(|a| view! {
            <div class="notice"><p><strong>{s(S::Apologised)} {to_vi_datetime(a.new_due)}</strong></p><p>{a.reason}</p></div>
        })}
        <Actions d=d.clone() record=record/>
        <Reissue code=code.clone() version=d.version record=record receipt=reissued/>
        <dl class="facts">{facts.into_iter().map(|(l, v)| view! { <Fact label=l value=v missing=missing(l)/> }).collect_view()}</dl>
        <h2>{s(S::Applicant)}</h2>
        <dl class="facts">{answers.into_iter().map(|(l, v)| view! { <Fact label=l value=v/> }).collect_view()}</dl>
        <Files d=d.clone()/>
        {result.map(|r| view! { <ResultSlip code=code.clone() r=r/> })}
        <Notices d=d.clone()/>
        <section class="slip" aria-labelledby="slip05-h">
            <h2 id="slip05-h">{s(S::ControlSlip)}</h2>
            <History events=d.history.clone()/>
            <p class="no-print"><button type="button" on:click=|_| { let _ = window().print(); }>{s(S::PrintSlip)}</button></p>
        </section>
    }
}


/// The files attached online, each under its paper's name, and the papers handed in at the desk.
#[component]
fn Files(d: StaffDossier) -> impl IntoView {
    let code = d.code.as_str().to_owned();
    let required = d.required_documents.clone();
    let papers: Vec<String> = d.papers.iter().filter_map(|i| required.get(usize::from(*i)).map(|r| r.name.clone())).collect();
    view! {
        <h2>{s(S::Attachments)}</h2>
        {if d.documents.is_empty() {
            view! { <p>{s(S::NoAttachments)}</p> }.into_any()
        } else {
            view! { <ul>{d.documents.into_iter().enumerate().map(|(n, a)| {
                let paper = a.document.and_then(|i| required.get(usize::from(i)).map(|r| r.name.clone())).unwrap_or_else(|| s(S::OtherPapers).into());
                // Files stored before names were kept are numbered instead.
                let file = a.name.map(|f| f.as_str().to_owned()).unwrap_or_else(|| sf(S::FileNumber, &[&(n + 1)]));
                view! { <li>{paper} ": " <a class="file" href=format!("/api/staff/dossiers/{code}/files/{}", a.upload) target="_blank">{file}</a></li> }
            }).collect_view()}</ul> }.into_any()
        }}
        {(!papers.is_empty()).then(|| view! {
            <h2>{s(S::PapersOnPaper)}</h2>
            <ul class="papers">{papers.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
        })}
    }
}

/// The result as recorded: its number, date and holder, its file, and the QR code that verifies it.
#[component]
fn ResultSlip(code: String, r: motcua_core::workflow::ResultRecord) -> impl IntoView {
    let qr = format!("/api/verify/{code}/qr.svg?sig={}", r.signature);
    view! {
        <section class="slip result-slip" aria-labelledby="result-h">
            <h2 id="result-h">{s(S::Result)}</h2>
            <p>{s(S::NumberPrefix)} <strong>{r.number}</strong> {s(S::DatedPrefix)} {to_vi(r.date)} {s(S::IssuedTo)} {r.holder}</p>
            {r.upload.map(|id| view! { <p class="no-print"><a href=format!("/api/staff/dossiers/{code}/files/{id}") target="_blank">{s(S::ResultFile)}</a></p> })}
            <img src=qr alt={s(S::ResultQr)} width="160" height="160"/>
            <p><small>{s(S::ResultQrHint)}</small></p>
        </section>
    }
}

/// The notices sent to the applicant about the dossier, each with its delivery.
#[component]
fn Notices(d: StaffDossier) -> impl IntoView {
    view! {
        <section class="no-print" aria-labelledby="notices-h">
            <h2 id="notices-h">{s(S::NoticesSent)}</h2>
            {if d.notifications.is_empty() {
                view! { <p>{s(S::NoNotices)}</p> }.into_any()
            } else {
                view! { <table class="register notices">
                    <thead><tr><th>{s(S::Content)}</th><th>{s(S::Via)}</th><th>{s(S::DeliveryState)}</th><th>{s(S::At)}</th></tr></thead>
                    <tbody>{d.notifications.iter().map(|n| {
                        let status = match n.status.as_str() {
                            "sent" => s(S::Sent).to_owned(),
                            "failed" => sf(S::NotSent, &[&n.error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()]),
                            _ => sf(S::Sending, &[&(n.attempts + 1)]),
                        };
                        view! { <tr>
                            <td>{n.kind.label_vi()}</td>
                            <td>{if n.channel == "email" { s(S::Email) } else { s(S::Push) }}</td>
                            <td>{status}</td>
                            <td>{to_vi_datetime(n.at)}</td>
                        </tr> }
                    }).collect_view()}</tbody>
                </table> }.into_any()
            }}
        </section>
    }
}

/// The buttons of the available actions; the chosen one asks for what it needs.
#[component]
fn Actions(d: StaffDossier, record: RwSignal<Option<Result<StaffDossier, ErrorBody>>>) -> impl IntoView {
    let chosen = RwSignal::new(None::<Action>);
    let inputs = ActionInputs::new(d.answers.get("delivery").is_some_and(|v| v == "post"));
    let busy = RwSignal::new(false);
    let (code, version, flow) = (d.code.as_str().to_owned(), d.version, d.flow);
    let required = d.required_documents.clone();
    let send = move |_| {
        let Some(action) = chosen.get_untracked() else { return };
        let request = inputs.request(action, version);
        let code = code.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::staff_action(&code, &request).await {
                Ok(updated) => {
                    chosen.set(None);
                    inputs.error.set(None);
                    record.set(Some(Ok(updated)));
                }
                Err(e) => inputs.error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    if d.actions.is_empty() {
        return view! { <p class="notice">{s(S::NoActionHere)}</p> }.into_any();
    }
    view! {
        <section class="workflow-actions no-print" aria-labelledby="actions-h">
            <h2 id="actions-h">{s(S::Handle)}</h2>
            <div class="buttons">
                {d.actions.iter().map(|a| {
                    let a = *a;
                    view! { <button type="button" class:current=move || chosen.get() == Some(a) on:click=move |_| { chosen.set(Some(a)); inputs.error.set(None); }>{a.label_vi(flow)}</button> }
                }).collect_view()}
            </div>
            {move || chosen.get().map(|a| {
                let required = required.clone();
                view! {
                    <div class="action-form">
                        {(a == Action::RequestSupplement && !required.is_empty()).then(|| view! { <MissingPapers inputs=inputs required=required/> })}
                        {(a.needs_reason() || a == Action::Accept || a == Action::PassOn || a == Action::Approve).then(|| view! {
                            <label for="comment">{if a.needs_reason() { s(S::ReasonRequired) } else { s(S::NoteOptional) }}</label>
                            <textarea id="comment" rows="3" on:input=move |ev| inputs.comment.set(event_target_value(&ev))></textarea>
                            {inputs.message("comment")}
                        })}
                        {(a == Action::Apologize).then(|| view! {
                            <label for="new-due">{s(S::NewResultDate)}</label>
                            <input id="new-due" type="date" on:input=move |ev| inputs.new_due.set(event_target_value(&ev))/>
                            {inputs.message("new_due")}
                        })}
                        {(a == Action::RecordResult).then(|| view! { <ResultFields inputs=inputs/> })}
                        {(a == Action::Return).then(|| view! {
                            <label class="check"><input type="checkbox" prop:checked=move || inputs.by_post.get()
                                on:change=move |ev| inputs.by_post.set(event_target_checked(&ev))/>{s(S::ByPost)}</label>
                        })}
                        {move || inputs.error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
                        <button type="button" class="primary" disabled=move || busy.get() || inputs.uploading.get() on:click=send.clone()>
                            {move || if busy.get() { s(S::SendingNow).to_owned() } else { sf(S::Confirm, &[&a.label_vi(flow)]) }}
                        </button>
                    </div>
                }
            })}
        </section>
    }.into_any()
}

/// What the officer fills in for an action, and what the server answered about it.
#[derive(Clone, Copy)]
struct ActionInputs {
    comment: RwSignal<String>,
    missing: RwSignal<Vec<u16>>,
    new_due: RwSignal<String>,
    number: RwSignal<String>,
    result_date: RwSignal<String>,
    result_upload: RwSignal<Option<String>>,
    uploading: RwSignal<bool>,
    by_post: RwSignal<bool>,
    error: RwSignal<Option<ErrorBody>>,
}

impl ActionInputs {
    fn new(by_post: bool) -> Self {
        ActionInputs {
            comment: RwSignal::new(String::new()),
            missing: RwSignal::new(Vec::new()),
            new_due: RwSignal::new(String::new()),
            number: RwSignal::new(String::new()),
            result_date: RwSignal::new(String::new()),
            result_upload: RwSignal::new(None),
            uploading: RwSignal::new(false),
            by_post: RwSignal::new(by_post),
            error: RwSignal::new(None),
        }
    }

    fn request(self, action: Action, version: u32) -> ActionRequest {
        ActionRequest {
            action,
            version,
            comment: self.comment.get_untracked(),
            missing: self.missing.get_untracked(),
            new_due: parse_iso(&self.new_due.get_untracked()),
            result_number: self.number.get_untracked(),
            result_date: parse_iso(&self.result_date.get_untracked()),
            result_upload: self.result_upload.get_untracked(),
            by_post: self.by_post.get_untracked(),
        }
    }

    /// The server's message about `name`, under its field.
    fn message(self, name: &'static str) -> impl Fn() -> Option<AnyView> {
        move || {
            self.error
                .get()
                .and_then(|e| e.fields.iter().find(|f| f.field == name).map(|f| f.message.clone()))
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> }.into_any())
        }
    }
}

/// Slip 02: the papers the applicant must add, ticked from the procedure's list.
#[component]
fn MissingPapers(inputs: ActionInputs, required: Vec<motcua_core::catalogue::RequiredDocument>) -> impl IntoView {
    view! {
        <fieldset><legend>{s(S::PapersToSupply)}</legend>
            {required.iter().enumerate().map(|(i, r)| {
                let i = i as u16;
                view! { <label class="check"><input type="checkbox" on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    inputs.missing.update(|m| { m.retain(|x| *x != i); if on { m.push(i); } });
                }/>{r.name.clone()}</label> }
            }).collect_view()}
        </fieldset>
        {inputs.message("missing")}
    }
}

/// The result: its number, date and (optionally) its signed file, uploaded at once.
#[component]
fn ResultFields(inputs: ActionInputs) -> impl IntoView {
    let upload = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        inputs.uploading.set(true);
        leptos::task::spawn_local(async move {
            match api::upload(&file).await {
                Ok(u) => inputs.result_upload.set(Some(u.id)),
                Err(e) => inputs.error.set(Some(e)),
            }
            inputs.uploading.set(false);
        });
    };
    view! {
        <label for="result-number">{s(S::ResultNumber)}</label>
        <input id="result-number" on:input=move |ev| inputs.number.set(event_target_value(&ev))/>
        {inputs.message("result_number")}
        <label for="result-date">{s(S::SignedOn)}</label>
        <input id="result-date" type="date" on:input=move |ev| inputs.result_date.set(event_target_value(&ev))/>
        {inputs.message("result_date")}
        <label for="result-file">{s(S::ResultFileOptional)}</label>
        <input id="result-file" type="file" accept="application/pdf,image/jpeg,image/png" on:change=upload/>
        {move || inputs.uploading.get().then_some(view! { <p role="status">{s(S::UploadingFile)}</p> })}
        {move || (!inputs.uploading.get() && inputs.result_upload.get().is_some()).then_some(view! { <p class="uploaded" role="status">{s(S::ResultUploaded)}</p> })}
        {inputs.message("result_upload")}
    }
}

/// Reception re-issues a lost secret after checking the applicant's identity papers: the old
/// secrets stop working and a new receipt (slip 01) is printed with the new one.
#[component]
fn Reissue(
    code: String,
    version: u32,
    record: RwSignal<Option<Result<StaffDossier, ErrorBody>>>,
    receipt: RwSignal<Option<motcua_core::dossier::Receipt>>,
) -> impl IntoView {
    let staff = crate::staff::session();
    let reception = move || staff.get().and_then(Result::ok).is_some_and(|s| s.has(motcua_core::accounts::Role::Reception));
    let error = RwSignal::new(None::<ErrorBody>);
    let busy = RwSignal::new(false);
    let reissue = move |_| {
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message(s(S::IdentityChecked)).ok())
            .unwrap_or(false);
        if !sure {
            return;
        }
        let code = code.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::reissue_secret(&code, version).await {
                Ok(r) => {
                    error.set(None);
                    receipt.set(Some(r));
                    record.set(Some(api::staff_dossier(&code).await));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    move || {
        reception().then(|| {
            view! {
                <details class="reissue no-print">
                    <summary>{s(S::ReissueSecret)}</summary>
                    <p>{s(S::ReissueHint)}</p>
                    <button type="button" id="reissue" class="secondary" disabled=move || busy.get() on:click=reissue.clone()>{s(S::ReissueAndPrint)}</button>
                    {move || error.get().map(|e| view! { <ErrorMessage error=e/> })}
                </details>
                {move || receipt.get().map(|r| view! { <crate::components::receipt::ReceiptSlip r=r/> })}
            }
        })
    }
}
