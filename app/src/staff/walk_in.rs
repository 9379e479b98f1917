use std::collections::BTreeMap;

use leptos::prelude::*;
use motcua_core::catalogue::{ProcedureCode, RequiredDocument};
use motcua_core::dossier::{Receipt, SubmitRequest};
use motcua_core::dossier::check_documents;
use motcua_core::form::{applicant_section, check_page, drop_unasked, FieldSpec};

use crate::api;
use crate::components::field::{Choices, Field};
use crate::components::receipt::ReceiptSlip;
use crate::components::title::set_title;
use crate::i18n::staff::{s, S};


/// The desk's form as it is filled in: the procedure typed, its own questions and papers, the
/// answers, and what came back.
#[derive(Clone, Copy)]
struct Desk {
    procedure: RwSignal<String>,
    answers: RwSignal<BTreeMap<String, String>>,
    errors: RwSignal<BTreeMap<String, String>>,
    problem: RwSignal<Option<String>>,
    receipt: RwSignal<Option<Receipt>>,
    /// One key per form: a double click or a retry registers one dossier, never two.
    key: StoredValue<String>,
    busy: RwSignal<bool>,
    own: RwSignal<Vec<FieldSpec>>,
    /// The procedure's published papers, and those the officer has checked on paper.
    required: RwSignal<Vec<RequiredDocument>>,
    papers: RwSignal<Vec<u16>>,
    /// The code whose questions and papers are shown (fetched once per code entered).
    loaded: StoredValue<String>,
}

impl Desk {
    fn new() -> Self {
        Desk {
            procedure: RwSignal::new(String::new()),
            answers: RwSignal::new(BTreeMap::new()),
            errors: RwSignal::new(BTreeMap::new()),
            problem: RwSignal::new(None),
            receipt: RwSignal::new(None),
            key: StoredValue::new(crate::citizen::device::random_key()),
            busy: RwSignal::new(false),
            own: RwSignal::new(Vec::new()),
            required: RwSignal::new(Vec::new()),
            papers: RwSignal::new(Vec::new()),
            loaded: StoredValue::new(String::new()),
        }
    }

    /// The procedure's own questions and published papers, once per code entered.
    fn load(self, code: String) {
        let code = code.trim().to_owned();
        if code.is_empty() || self.loaded.get_value() == code {
            return;
        }
        self.loaded.set_value(code.clone());
        self.papers.set(Vec::new());
        leptos::task::spawn_local(async move {
            let found = match (api::procedure_form(&code).await, api::get_procedure(&code).await) {
                (Ok(form), Ok(p)) => Some((form.into_iter().flat_map(|s| s.fields).collect::<Vec<_>>(), p.documents)),
                _ => None,
            };
            // A code typed after this one has the last word.
            if self.loaded.get_value() != code {
                return;
            }
            let (fields, documents) = found.unwrap_or_else(|| {
                self.loaded.set_value(String::new()); // not found or offline: the next try asks again
                Default::default()
            });
            // Answers to another procedure's questions would be refused: they go with it.
            self.answers.update(|a| drop_unasked(a, applicant_section().fields.iter().chain(&fields)));
            self.own.set(fields);
            self.required.set(documents);
        });
    }

    /// Registers the dossier, after the phone's checks on the whole form and the papers.
    fn submit(self) {
        // The phone's checks of a page, on the whole desk form (the CCCD against the birth date too).
        let fields: Vec<FieldSpec> = applicant_section().fields.into_iter().chain(self.own.get_untracked()).collect();
        let mut found = self.answers.with_untracked(|a| check_page(&fields, a, motcua_core::Lang::Vi));
        let missing = self.required.with_untracked(|r| self.papers.with_untracked(|p| check_documents(r, &[], p, true, motcua_core::Lang::Vi)));
        found.extend(missing.into_iter().map(|e| (e.field, e.message)));
        self.errors.set(found.clone());
        if !found.is_empty() {
            self.problem.set(Some(s(S::FixMarked).into()));
            return;
        }
        let request = SubmitRequest {
            procedure: self.procedure.get_untracked().trim().to_owned(),
            idempotency_key: self.key.get_value(),
            answers: self.answers.get_untracked(),
            documents: vec![],
            papers: self.papers.get_untracked(),
        };
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            match api::register_walk_in(&request).await {
                Ok(r) => self.receipt.set(Some(r)),
                Err(e) => {
                    self.errors.set(e.fields.iter().map(|f| (f.field.clone(), f.message.clone())).collect());
                    self.problem.set(Some(e.message));
                }
            }
            self.busy.set(false);
        });
    }
}

/// `/can-bo/tiep-nhan`: reception registers a dossier handed in at the desk. The same
/// applicant section and checks as online (core::form), and the same receipt.
#[component]
pub fn WalkIn() -> impl IntoView {
    set_title(s(S::WalkInTitle));
    let desk = Desk::new();
    let Desk { procedure, answers, errors, problem, receipt, busy, own, required, papers, .. } = desk;
    let load = move |code: String| desk.load(code);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        desk.submit();
    };
    view! {
        <h1>{s(S::WalkInTitle)}</h1>
        {move || match receipt.get() {
            Some(r) => view! { <Registered r=r/> }.into_any(),
            None => view! {
                <form class="walk-in" on:submit=on_submit novalidate>
                    <label for="procedure">{s(S::ProcedureCode)}</label>
                    <input id="procedure" required placeholder={s(S::ProcedureExample)}
                        on:input=move |ev| {
                            let code = event_target_value(&ev);
                            procedure.set(code.clone());
                            // A complete national code: its questions and papers appear at once.
                            if ProcedureCode::parse(code.trim()).is_ok() {
                                load(code);
                            }
                        }
                        on:change=move |ev| load(event_target_value(&ev))/>
                    {applicant_section().fields.into_iter().map(|f| desk_field(f, answers, errors)).collect_view()}
                    // The procedure's own pages, once its code is known.
                    {move || own.get().into_iter().map(|f| desk_field(f, answers, errors)).collect_view()}
                    {move || (!required.get().is_empty()).then(|| view! { <PapersReceived required=required.get() papers=papers errors=errors/> })}
                    {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <button type="submit" class="primary" disabled=move || busy.get()>{s(S::ReceiveAndSlip)}</button>
                </form>
            }.into_any(),
        }}
    }
}

/// What the desk hands over once a dossier is registered: its receipt, and the way on.
#[component]
fn Registered(r: Receipt) -> impl IntoView {
    view! {
        <p class="notice no-print" role="status">{s(S::WalkInDone)}
            <a href=format!("/can-bo/ho-so/{}", r.code.as_str())>{s(S::OpenDossier)} {r.code.as_str().to_owned()}</a>
            {s(S::Dot)} <a href="/can-bo/tiep-nhan" rel="external">{s(S::AnotherWalkIn)}</a></p>
        <ReceiptSlip r=r/>
    }
}

/// The procedure's published papers, each ticked when the officer has checked it on paper.
#[component]
fn PapersReceived(required: Vec<RequiredDocument>, papers: RwSignal<Vec<u16>>, errors: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    view! {
        <fieldset class="papers">
            <legend>{s(S::PapersReceived)}</legend>
            {required.into_iter().enumerate().map(|(i, doc)| {
                let i = i as u16;
                let id = format!("document-{i}");
                let for_id = id.clone();
                view! {
                    <label for=for_id class="check">
                        <input id=id type="checkbox" prop:checked=move || papers.with(|p| p.contains(&i)) on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            papers.update(|p| { p.retain(|x| *x != i); if on { p.push(i); } });
                        }/>
                        " " {doc.name} {(!doc.mandatory).then_some(s(S::OptionalMark))}
                    </label>
                    {move || errors.get().get(&format!("document-{i}")).cloned().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A question at the desk: the phone's widget, with the desk's ids and a select for choices.
fn desk_field(f: FieldSpec, answers: RwSignal<BTreeMap<String, String>>, errors: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    let (a, e) = (f.id.clone(), f.id.clone());
    // Read from the answers, so a redrawn list (another procedure) never shows stale text.
    let value = Signal::derive(move || answers.with(|all| all.get(&a).cloned().unwrap_or_default()));
    let error = Signal::derive(move || errors.with(|all| all.get(&e).cloned()));
    let set = move |id: String, v: String| answers.update(|all| {
        all.insert(id, v);
    });
    view! { <Field spec=f value=value error=error on_change=set id_prefix="f-" choices=Choices::Select/> }
}
