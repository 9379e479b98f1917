use std::collections::BTreeMap;

use leptos::prelude::*;
use motcua_core::catalogue::version::{Decision, Editable, Preview, Publication, Repeal};
use motcua_core::catalogue::{Flow, OnlineLevel, ProcedureCode, Procedure, ProcessStep, RequiredDocument};
use motcua_core::date::{parse_iso, to_vi};
use motcua_core::form::Section;

use crate::api;
use crate::components::title::set_title;
use crate::i18n::staff::{s, sf, S};
use crate::pages::procedure::Record;
use crate::staff::session;

/// The attributes edited as text, with their labels; the keys are the API's field names, so
/// the server's field errors land next to the right input.
const TEXTS: [(&str, &str); 15] = [
    ("name", s(S::ProcedureName)),
    ("field_name", s(S::Field)),
    ("implementing_body", s(S::ImplementingAgency)),
    ("how_to_submit", s(S::Method)),
    ("note", s(S::SourceNote)),
    ("days_in_person", s(S::DaysInPerson)),
    ("days_online", s(S::DaysOnline)),
    ("days_statutory", s(S::DaysStatutory)),
    ("fees", s(S::Fees)),
    ("result", s(S::Outcome)),
    ("applicants", s(S::Subjects)),
    ("conditions", s(S::Requirements)),
    ("legal_basis", s(S::LegalBasis)),
    ("name_en", s(S::EnglishName)),
    ("summary_en", s(S::EnglishSummary)),
];

const OPTIONAL: &str = s(S::OptionalMark);

const FORM_EXAMPLE: &str = r#"[{"id": "employer", "title": "Thông tin doanh nghiệp", "fields": [
  {"id": "tax_code", "label": "Mã số thuế", "kind": {"type": "text", "max_len": 14}, "required": true, "hint": null}]}]"#;

fn texts_of(p: &Procedure) -> BTreeMap<String, String> {
    let num = |d: Option<u16>| d.map(|d| d.to_string()).unwrap_or_default();
    let docs = p
        .documents
        .iter()
        .map(|d| if d.mandatory { d.name.clone() } else { format!("{}{OPTIONAL}", d.name) })
        .collect::<Vec<_>>()
        .join("\n");
    [
        ("name", p.name.clone()),
        ("field_name", p.field_name.clone()),
        ("days_in_person", num(p.days_in_person)),
        ("days_online", num(p.days_online)),
        ("days_statutory", num(p.days_statutory)),
        ("fees", p.fees.clone().unwrap_or_default()),
        ("result", p.result.clone().unwrap_or_default()),
        ("applicants", p.applicants.clone().unwrap_or_default()),
        ("conditions", p.conditions.clone().unwrap_or_default()),
        ("legal_basis", p.legal_basis.clone().unwrap_or_default()),
        ("implementing_body", p.implementing_body.clone().unwrap_or_default()),
        ("how_to_submit", p.how_to_submit.clone().unwrap_or_default()),
        ("note", p.note.clone().unwrap_or_default()),
        ("name_en", p.english.as_ref().map(|t| t.name.clone()).unwrap_or_default()),
        ("summary_en", p.english.as_ref().and_then(|t| t.summary.clone()).unwrap_or_default()),
        ("process", process_text(&p.internal_process)),
        ("documents", docs),
        ("online", p.online.map_or("", |l| l.as_str()).to_owned()),
        ("flow", if p.flow == Some(Flow::ThreeStep) { "3" } else { "4" }.to_owned()),
        ("calendar_days", if p.calendar_days { "1" } else { "" }.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The internal process as lines "task | responsible | time", a line "# case" before the steps
/// of each case where a procedure publishes several.
fn process_text(steps: &[ProcessStep]) -> String {
    let mut out = Vec::new();
    let mut case: Option<&str> = None;
    for s in steps {
        if s.case.as_deref() != case {
            case = s.case.as_deref();
            out.push(format!("# {}", case.unwrap_or_default()));
        }
        out.push(format!("{} | {} | {}", s.task, s.responsible, s.allotment_text.as_deref().unwrap_or_default()));
    }
    out.join("\n")
}

fn process_of(text: &str) -> Result<Vec<ProcessStep>, (String, String)> {
    let mut steps = Vec::new();
    let mut case: Option<String> = None;
    let mut order = 0u8;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(c) = line.strip_prefix('#') {
            case = Some(c.trim().to_owned()).filter(|c| !c.is_empty());
            order = 0;
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [task, responsible, time] = parts[..] else {
            return Err(("process".into(), sf(S::StepLineShape, &[&line])));
        };
        order = order.saturating_add(1);
        steps.push(motcua_core::catalogue::import::process_step(case.as_deref().unwrap_or(""), order, task, responsible, time));
    }
    Ok(steps)
}

/// The form's text back onto the base record; what the form cannot say (document details
/// such as original or copy) stays as it was.
fn apply(
    base: &Procedure,
    t: &BTreeMap<String, String>,
    templates: &BTreeMap<String, String>,
    delegated: bool,
) -> Result<Procedure, (String, String)> {
    let get = |k: &str| t.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let opt = |k: &str| Some(get(k)).filter(|v| !v.is_empty());
    let days = |k: &str| -> Result<Option<u16>, (String, String)> {
        opt(k).map(|v| v.parse::<u16>().map_err(|_| (k.to_owned(), s(S::WholeDays).to_owned()))).transpose()
    };
    let mut p = base.clone();
    p.name = get("name");
    p.field_name = get("field_name");
    p.days_in_person = days("days_in_person")?;
    p.days_online = days("days_online")?;
    p.days_statutory = days("days_statutory")?;
    p.fees = opt("fees");
    p.result = opt("result");
    p.applicants = opt("applicants");
    p.conditions = opt("conditions");
    p.legal_basis = opt("legal_basis");
    p.implementing_body = opt("implementing_body");
    p.how_to_submit = opt("how_to_submit");
    p.note = opt("note");
    // Both blank: no translation. A summary without a name is refused by the server (name_en).
    p.english = match (opt("name_en"), opt("summary_en")) {
        (None, None) => None,
        (name, summary) => Some(motcua_core::catalogue::Translation { name: name.unwrap_or_default(), summary }),
    };
    p.calendar_days = get("calendar_days") == "1";
    p.internal_process = process_of(&get("process"))?;
    p.online = OnlineLevel::parse(&get("online"));
    p.flow = Some(if get("flow") == "3" { Flow::ThreeStep } else { Flow::FourStep });
    p.delegated = delegated;
    p.documents = get("documents")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, mandatory) = match line.strip_suffix(OPTIONAL) {
                Some(n) => (n.trim(), false),
                None => (line, true),
            };
            let old = base.documents.iter().find(|d| d.name == name);
            RequiredDocument {
                name: name.to_owned(),
                original: old.and_then(|d| d.original),
                count: old.and_then(|d| d.count),
                template: templates.get(name).cloned().or_else(|| old.and_then(|d| d.template.clone())),
                mandatory,
            }
        })
        .collect();
    Ok(p)
}

fn blank(id: &str, agency: &str, agency_name: &str) -> Procedure {
    Procedure {
        id: id.to_owned(),
        code: ProcedureCode::parse(id).ok(),
        name: String::new(),
        field: String::new(),
        field_name: String::new(),
        agency: agency.to_owned(),
        agency_name: agency_name.to_owned(),
        implementing_body: None,
        online: None,
        days_in_person: None,
        days_online: None,
        days_statutory: None,
        calendar_days: false,
        fees: None,
        documents: Vec::new(),
        how_to_submit: None,
        result: None,
        applicants: None,
        conditions: None,
        legal_basis: None,
        flow: Some(Flow::FourStep),
        delegated: false,
        decision: None,
        effective_date: None,
        internal_process: Vec::new(),
        source: s(S::PublishedByDecision).to_owned(),
        note: None,
        english: None,
        versions_html: None,
    }
}

/// What the catalogue page is editing: the opened procedure's versions, the draft's texts and
/// the publishing decision, and what the page says back. Copied into each part of the page.
#[derive(Clone, Copy)]
struct Editor {
    id: RwSignal<String>,
    editable: RwSignal<Option<Editable>>,
    base: RwSignal<Option<Procedure>>,
    texts: RwSignal<BTreeMap<String, String>>,
    delegated: RwSignal<bool>,
    /// Uploaded form templates by document name, applied when the draft is read.
    templates: RwSignal<BTreeMap<String, String>>,
    uploading: RwSignal<bool>,
    /// The procedure's own form pages, as JSON (core::form::Section); empty: the applicant
    /// section only.
    form_text: RwSignal<String>,
    decision: RwSignal<BTreeMap<String, String>>,
    errors: RwSignal<BTreeMap<String, String>>,
    problem: RwSignal<Option<String>>,
    done: RwSignal<Option<String>>,
    preview: RwSignal<Option<Preview>>,
}

impl Editor {
    fn new() -> Self {
        Editor {
            id: RwSignal::new(String::new()),
            editable: RwSignal::new(None),
            base: RwSignal::new(None),
            texts: RwSignal::new(BTreeMap::new()),
            delegated: RwSignal::new(false),
            templates: RwSignal::new(BTreeMap::new()),
            uploading: RwSignal::new(false),
            form_text: RwSignal::new(String::new()),
            decision: RwSignal::new(BTreeMap::new()),
            errors: RwSignal::new(BTreeMap::new()),
            problem: RwSignal::new(None),
            done: RwSignal::new(None),
            preview: RwSignal::new(None),
        }
    }

    /// Starts a draft from `p`.
    fn start(self, p: Procedure) {
        self.texts.set(texts_of(&p));
        self.delegated.set(p.delegated);
        self.templates.set(p.documents.iter().filter_map(|d| Some((d.name.clone(), d.template.clone()?))).collect());
        self.base.set(Some(p));
        self.preview.set(None);
        self.errors.set(BTreeMap::new());
        self.problem.set(None);
    }

    /// Opens the procedure whose code was typed, with its versions.
    fn open(self) {
        self.done.set(None);
        let wanted = self.id.get_untracked().trim().to_owned();
        leptos::task::spawn_local(async move {
            match api::editable_procedure(&wanted).await {
                Ok(e) => {
                    self.start(e.latest.clone());
                    self.form_text.set(if e.form.is_empty() { String::new() } else { serde_json::to_string_pretty(&e.form).unwrap_or_default() });
                    self.editable.set(Some(e));
                }
                Err(e) => {
                    self.editable.set(None);
                    self.base.set(None);
                    self.problem.set(Some(e.message));
                }
            }
        });
    }

    /// A blank draft with the typed code, at the admin's own agency.
    fn new_procedure(self) {
        self.done.set(None);
        self.editable.set(None);
        let staff = session().get_untracked().and_then(Result::ok);
        let (agency, name) = staff.map(|s| (s.agency, s.agency_name)).unwrap_or_default();
        self.start(blank(self.id.get_untracked().trim(), &agency, &name));
        self.form_text.set(String::new());
    }

    fn read_decision(self) -> Option<Decision> {
        let d = self.decision.get_untracked();
        let date = |k: &str| d.get(k).and_then(|v| parse_iso(v));
        let mut found = BTreeMap::new();
        for key in ["decision_date", "effective_from"] {
            if date(key).is_none() {
                found.insert(key.to_owned(), s(S::ChooseDate).to_owned());
            }
        }
        if !found.is_empty() {
            self.errors.set(found);
            return None;
        }
        Some(Decision {
            number: d.get("decision_number").cloned().unwrap_or_default(),
            date: date("decision_date")?,
            effective_from: date("effective_from")?,
        })
    }

    /// The publication the form describes, or `None` with the reason shown by its field.
    fn draft(self) -> Option<Publication> {
        let decision = self.read_decision()?;
        let base = self.base.get_untracked()?;
        let text = self.form_text.get_untracked();
        let form = if text.trim().is_empty() {
            Vec::new()
        } else {
            match serde_json::from_str::<Vec<Section>>(&text) {
                Ok(form) => form,
                Err(e) => {
                    self.errors.set([("form".to_owned(), sf(S::FormNotJson, &[&e]))].into_iter().collect());
                    return None;
                }
            }
        };
        match apply(&base, &self.texts.get_untracked(), &self.templates.get_untracked(), self.delegated.get_untracked()) {
            Ok(procedure) => Some(Publication { procedure, decision, form: Some(form) }),
            Err((field, message)) => {
                self.errors.set([(field, message)].into_iter().collect());
                None
            }
        }
    }

    fn fail(self, e: motcua_core::ErrorBody) {
        self.errors.set(e.fields.iter().map(|f| (f.field.clone(), f.message.clone())).collect());
        self.problem.set(Some(e.message));
    }

    /// Shows what publishing would change, as the public would see it.
    fn preview(self) {
        self.done.set(None);
        let Some(publication) = self.draft() else { return };
        leptos::task::spawn_local(async move {
            match api::preview_publication(&publication).await {
                Ok(p) => {
                    self.errors.set(BTreeMap::new());
                    self.problem.set(None);
                    self.preview.set(Some(p));
                }
                Err(e) => self.fail(e),
            }
        });
    }

    fn publish(self) {
        let Some(publication) = self.draft() else { return };
        leptos::task::spawn_local(async move {
            match api::publish_procedure(&publication).await {
                Ok(v) => {
                    self.errors.set(BTreeMap::new());
                    self.problem.set(None);
                    self.preview.set(None);
                    let from = v.effective_from.map(to_vi).unwrap_or_default();
                    self.done.set(Some(sf(S::VersionPublished, &[&v.version, &v.decision, &from])));
                    if let Ok(e) = api::editable_procedure(&publication.procedure.id).await {
                        self.editable.set(Some(e));
                    }
                }
                Err(e) => self.fail(e),
            }
        });
    }

    fn repeal(self) {
        let (Some(decision), Some(p)) = (self.read_decision(), self.base.get_untracked()) else { return };
        leptos::task::spawn_local(async move {
            match api::repeal_procedure(&p.id, &Repeal { decision }).await {
                Ok(v) => {
                    self.problem.set(None);
                    self.done.set(Some(sf(S::ProcedureRepealed, &[&v.decision, &v.version])));
                    if let Ok(e) = api::editable_procedure(&p.id).await {
                        self.editable.set(Some(e));
                    }
                }
                Err(e) => self.fail(e),
            }
        });
    }

    /// The error of `key`'s field, under it.
    fn message(self, key: &'static str) -> impl Fn() -> Option<AnyView> + Copy {
        move || self.errors.get().get(key).cloned().map(|m| view! { <p class="field-error" role="alert">{m}</p> }.into_any())
    }

    /// A select or text area bound to the draft's text under `key`.
    fn text(self, key: &'static str) -> (impl Fn() -> String + Copy, impl Fn(String) + Copy) {
        (move || self.texts.with(|t| t.get(key).cloned().unwrap_or_default()), move |v| self.texts.update(|t| {
            t.insert(key.to_owned(), v);
        }))
    }
}

/// `/can-bo/danh-muc`: the admin drafts a new procedure or an amendment, previews it as the
/// public will see it with what it changes, and publishes it under a decision; or repeals one.
#[component]
pub fn Catalogue() -> impl IntoView {
    set_title(s(S::CatalogueShort));
    let ed = Editor::new();
    view! {
        <h1>{s(S::Catalogue)}</h1>
        <p class="hint">{s(S::CatalogueHint)}</p>
        <form class="walk-in" on:submit=move |ev| { ev.prevent_default(); ed.open(); } novalidate>
            <label for="c-id">{s(S::ProcedureCode)}</label>
            <input id="c-id" placeholder="1.014199" on:input=move |ev| ed.id.set(event_target_value(&ev))/>
            <button type="submit">{s(S::OpenProcedure)}</button>
            <button type="button" class="secondary" on:click=move |_| ed.new_procedure()>{s(S::DraftWithCode)}</button>
        </form>
        {move || ed.problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        {move || ed.done.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || ed.editable.get().map(|e| view! { <Versions e=e/> })}
        // Drawn again when a publication makes the draft an amendment (its repeal button shows).
        {move || {
            let amending = ed.editable.with(Option::is_some);
            ed.base.get().map(|p| view! { <DraftForm ed=ed p=p amending=amending/> })
        }}
        {move || ed.preview.get().map(|pv| view! { <PreviewOf pv=pv/> })}
        <crate::staff::import::Import/>
    }
}

/// The opened procedure's versions, newest first.
#[component]
fn Versions(e: Editable) -> impl IntoView {
    view! {
        <h2>{s(S::Versions)}</h2>
        <table class="register versions-admin">
            <thead><tr><th>{s(S::Version)}</th><th>{s(S::EffectiveFrom)}</th><th>{s(S::Decision)}</th><th><span class="sr-only">{s(S::Actions)}</span></th></tr></thead>
            <tbody>{e.versions.into_iter().rev().map(|v| view! {
                <tr>
                    <td>{v.version}</td>
                    <td>{v.effective_from.map_or_else(|| s(S::InitialCatalogue).to_owned(), to_vi)}</td>
                    <td>{v.decision}</td>
                    <td>{if v.repealed { s(S::Repealed) } else { "" }}</td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}

/// The draft: the procedure's texts, its process and papers with their templates, its own form
/// pages, and the decision it is published under.
#[component]
fn DraftForm(ed: Editor, p: Procedure, amending: bool) -> impl IntoView {
    let text_input = move |key: &'static str, label: &'static str| {
        let input_id = format!("c-{key}");
        let label_for = input_id.clone();
        let (value, set) = ed.text(key);
        view! {
            <label for=label_for>{label}</label>
            <input id=input_id prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
            {ed.message(key)}
        }
    };
    let decision_input = move |key: &'static str, label: &'static str, kind: &'static str| {
        let input_id = format!("c-{key}");
        let label_for = input_id.clone();
        view! {
            <label for=label_for>{label}</label>
            <input id=input_id type=kind on:input=move |ev| ed.decision.update(|d| { d.insert(key.to_owned(), event_target_value(&ev)); })/>
            {ed.message(key)}
        }
    };
    let ((online, set_online), (flow, set_flow), (unit, set_unit)) = (ed.text("online"), ed.text("flow"), ed.text("calendar_days"));
    let ((process, set_process), (documents, set_documents)) = (ed.text("process"), ed.text("documents"));
    view! {
        <h2>{if amending { s(S::DraftAmendment) } else { s(S::DraftNew) }}</h2>
        <form class="walk-in catalogue-draft" on:submit=|ev| ev.prevent_default() novalidate>
            <p>{sf(S::CodeAndAgency, &[&p.id, &p.agency_name])}</p>
            {ed.message("id")}
            {ed.message("agency")}
            {TEXTS.into_iter().map(|(k, l)| text_input(k, l)).collect_view()}
            <label for="c-online">{s(S::OnlineLevel)}</label>
            <select id="c-online" prop:value=online on:change=move |ev| set_online(event_target_value(&ev))>
                <option value="">{s(S::Unpublished)}</option>
                {OnlineLevel::ALL.into_iter().map(|l| view! { <option value=l.as_str()>{l.label_vi()}</option> }).collect_view()}
            </select>
            <label for="c-flow">{s(S::Flow)}</label>
            <select id="c-flow" prop:value=flow on:change=move |ev| set_flow(event_target_value(&ev))>
                <option value="3">{Flow::ThreeStep.label_vi()}</option>
                <option value="4">{Flow::FourStep.label_vi()}</option>
            </select>
            <label class="check"><input type="checkbox" prop:checked=move || ed.delegated.get()
                on:change=move |ev| ed.delegated.set(event_target_checked(&ev))/>{s(S::DelegatedToDepartment)}</label>
            <label for="c-unit">{s(S::PeriodUnit)}</label>
            <select id="c-unit" prop:value=unit on:change=move |ev| set_unit(event_target_value(&ev))>
                <option value="">{s(S::WorkingDays)}</option>
                <option value="1">{s(S::CalendarDays)}</option>
            </select>
            <label for="c-process">{s(S::ProcessLines)}</label>
            <textarea id="c-process" rows="6" prop:value=process on:input=move |ev| set_process(event_target_value(&ev))></textarea>
            {ed.message("process")}
            <label for="c-documents">{s(S::DocumentLines)}</label>
            <textarea id="c-documents" rows="5" prop:value=documents on:input=move |ev| set_documents(event_target_value(&ev))></textarea>
            {ed.message("documents")}
            <Templates ed=ed/>
            <label for="c-form">{s(S::FormJson)}</label>
            <textarea id="c-form" rows="8" placeholder=FORM_EXAMPLE prop:value=move || ed.form_text.get()
                on:input=move |ev| ed.form_text.set(event_target_value(&ev))></textarea>
            {ed.message("form")}
            {ed.message("procedure")}
            <fieldset><legend>{s(S::PublishingDecision)}</legend>
                {decision_input("decision_number", s(S::DecisionNumber), "text")}
                {decision_input("decision_date", s(S::SignedOn), "date")}
                {decision_input("effective_from", s(S::EffectiveOn), "date")}
            </fieldset>
            <button type="button" on:click=move |_| ed.preview()>{s(S::Preview)}</button>
            <button type="button" class="primary" on:click=move |_| ed.publish()>{s(S::Publish)}</button>
            {amending.then(|| view! {
                <button type="button" class="secondary" on:click=move |_| ed.repeal()>{s(S::RepealByDecision)}</button>
            })}
        </form>
    }
}

/// A template to download for each paper of the draft, uploaded here.
#[component]
fn Templates(ed: Editor) -> impl IntoView {
    let names = move || -> Vec<String> {
        ed.texts
            .with(|t| t.get("documents").cloned().unwrap_or_default())
            .lines()
            .map(|l| l.trim().trim_end_matches(OPTIONAL).trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let upload = move |key: String, ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        ed.uploading.set(true);
        leptos::task::spawn_local(async move {
            match api::upload_template(&file).await {
                Ok(t) => ed.templates.update(|m| {
                    m.insert(key, t.url);
                }),
                Err(e) => ed.problem.set(Some(e.message)),
            }
            ed.uploading.set(false);
        });
    };
    view! {
        <p class="hint">{s(S::Templates)}</p>
        <ul class="templates">{move || names().into_iter().enumerate().map(|(i, name)| {
            let input_id = format!("c-template-{i}");
            let label_for = input_id.clone();
            let current = ed.templates.with(|m| m.get(&name).cloned());
            let key = name.clone();
            view! {
                <li>
                    <label for=label_for>{name}</label>
                    {current.map(|url| view! { " " <a href=url>{s(S::CurrentTemplate)}</a> })}
                    <input id=input_id type="file" accept=".pdf,.doc,.docx,.xlsx" on:change=move |ev| upload(key.clone(), ev)/>
                </li>
            }
        }).collect_view()}</ul>
        {move || ed.uploading.get().then(|| view! { <p role="status">{s(S::UploadingTemplate)}</p> })}
    }
}

/// What publishing the draft would change, and the page as the public would see it.
#[component]
fn PreviewOf(pv: Preview) -> impl IntoView {
    view! {
        <section class="preview" aria-label={s(S::Preview)}>
            <h2>{s(S::Preview)}</h2>
            <p>{match &pv.amends {
                Some(v) => sf(S::AmendsVersion, &[&v.version, &v.decision]),
                None => s(S::NewProcedure).to_owned(),
            }}</p>
            {pv.replaced_by.as_ref().map(|v| view! {
                <p class="error" role="alert">{sf(S::ReplacedBy, &[&v.version, &v.decision, &v.effective_from.map(to_vi).unwrap_or_default()])}</p>
            })}
            <ul class="preview-changes">{pv.changes.into_iter().map(|c| view! {
                <li><strong>{c.label}</strong>": "{c.before.unwrap_or_else(|| s(S::Empty).into())}{s(S::Arrow)}{c.after.unwrap_or_else(|| s(S::Empty).into())}</li>
            }).collect_view()}</ul>
            <div class="public-preview"><Record p=pv.procedure/></div>
        </section>
    }
}
