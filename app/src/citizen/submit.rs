use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use motcua_core::catalogue::Procedure;
use motcua_core::date::datetime_text;
use motcua_core::catalogue::RequiredDocument;
use motcua_core::dossier::{AttachedDocument, Receipt, SubmitRequest};
use motcua_core::dossier::check_documents;
use motcua_core::form::{applicant_section_in, drop_unasked, validate, FieldError, FieldSpec, Section};
use motcua_core::ErrorCode;

use crate::api;
use crate::citizen::device::{discard_draft, load_draft, remember, save_draft, save_receipt, Attached, Draft, Remembered};
use crate::components::field::Field;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::receipt::ReceiptSlip;
use crate::components::title::set_title;
use crate::i18n::{lang, t, tf, Msg};

/// One topic per page (GOV.UK style), then "check your answers".
const PAGES: [(Msg, &[&str]); 3] = [
    (Msg::PagePersonal, &["full_name", "birth_date", "cccd"]),
    (Msg::PageContact, &["phone", "email", "address"]),
    (Msg::PageDelivery, &["delivery"]),
];

fn spec(id: &str) -> FieldSpec {
    applicant_section_in(lang()).fields.into_iter().find(|f| f.id == id).expect("a field of the applicant section")
}

/// The pages of a procedure's form: the applicant's topics, then one per page of the
/// procedure's own form. Attachments and "check your answers" follow.
fn pages_of(own: &[Section]) -> Vec<(String, Vec<FieldSpec>)> {
    let mut pages: Vec<(String, Vec<FieldSpec>)> =
        PAGES.iter().map(|(title, ids)| (t(*title).to_owned(), ids.iter().map(|id| spec(id)).collect())).collect();
    pages.extend(own.iter().map(|s| (s.title.clone(), s.fields.clone())));
    pages
}

/// `/nop-ho-so/:id`: the online submission of a procedure.
#[component]
pub fn Submit() -> impl IntoView {
    set_title(t(Msg::ApplyOnline));
    let params = use_params_map();
    let id = params.get_untracked().get("id").unwrap_or_default();
    let procedure = loader({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move {
                let p = api::get_procedure(&id).await?;
                Ok::<_, motcua_core::ErrorBody>((p, api::procedure_form(&id).await?))
            }
        }
    });
    move || match procedure.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
        Some(Ok((p, _))) if p.online_term().is_none() => view! {
            <h1>{t(Msg::ApplyOnline)}</h1>
            <p class="notice">{tf(Msg::NotOnlineNamed, &[&p.name])}
                <a href=format!("/thu-tuc/{}", p.id) rel="external">{t(Msg::HowToApply)}</a></p>
        }.into_any(),
        Some(Ok((p, own))) => view! { <Form procedure=p own=own/> }.into_any(),
    }
}

/// What the form's pages share: the draft kept on the device, the messages shown, how the
/// submission went, and the moves between pages (`Callback`s are copied freely into the parts).
#[derive(Clone, Copy)]
struct FormState {
    draft: RwSignal<Draft>,
    errors: RwSignal<BTreeMap<String, String>>,
    failure: RwSignal<Option<String>>,
    sending: RwSignal<bool>,
    pages: StoredValue<Vec<(String, Vec<FieldSpec>)>>,
    docs_page: usize,
    save: Callback<()>,
    go: Callback<usize>,
    next: Callback<()>,
}

/// The form's pages: the applicant's and the procedure's questions, the papers, then "check
/// your answers" and sending. Each page is an entry of the browser's history (`?buoc=N`).
#[component]
fn Form(procedure: Procedure, own: Vec<Section>) -> impl IntoView {
    let id = procedure.id.clone();
    let pages = StoredValue::new(pages_of(&own));
    let docs_page = pages.with_value(Vec::len);
    // The page after the papers: "check your answers", then sending.
    let review_page = docs_page + 1;
    let sections = StoredValue::new([vec![applicant_section_in(lang())], own].concat());
    let required = StoredValue::new(procedure.documents.clone());
    let draft = RwSignal::new(load_draft(&id));
    // A draft saved under an earlier form may hold answers it no longer asks: they would be
    // refused with nowhere to mend them.
    draft.update(|d| sections.with_value(|all| drop_unasked(&mut d.answers, all.iter().flat_map(|s| &s.fields))));
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let receipt = RwSignal::new(None::<Receipt>);
    let save = Callback::new({
        let id = id.clone();
        move |()| save_draft(&id, &draft.get_untracked())
    });
    let go = steps(&id, draft, save, review_page);
    let next = Callback::new(move |()| {
        let d = draft.get_untracked();
        let page = d.page.min(review_page);
        let mut found = BTreeMap::new();
        if page == docs_page {
            // The server's rule, here first: every mandatory paper has a file.
            found.extend(required.with_value(|r| check_documents(r, &attached(&d), &[], false, lang())).into_iter().map(|e| (e.field, e.message)));
        }
        found.extend(pages.with_value(|ps| ps.get(page).map(|p| motcua_core::form::check_page(&p.1, &d.answers, lang())).unwrap_or_default()));
        let ok = found.is_empty();
        errors.set(found);
        if ok {
            go.run(page + 1);
        }
    });
    let form = FormState { draft, errors, failure: RwSignal::new(None), sending: RwSignal::new(false), pages, docs_page, save, go, next };
    let submit = Callback::new({
        let id = id.clone();
        move |()| send(form, &id, sections, required, receipt)
    });
    let discard = move |_| {
        // One tap must not lose the answers and the uploads: ask first.
        let sure = web_sys::window().and_then(|w| w.confirm_with_message(t(Msg::DiscardConfirm)).ok()).unwrap_or(false);
        if sure {
            discard_draft(&id);
            draft.set(load_draft(&id));
            errors.set(BTreeMap::new());
            go.run(0);
        }
    };
    let name = procedure.name.clone();
    let required: Vec<RequiredDocument> = required.get_value();
    // The page is drawn again when it changes (or its messages do), not at every keystroke.
    let page = Memo::new(move |_| draft.with(|d| d.page).min(review_page));
    move || {
        if let Some(r) = receipt.get() {
            return view! { <ReceiptView r=r/> }.into_any();
        }
        let page = page.get();
        let error_list: Vec<(String, String)> = errors.get().into_iter().collect();
        let body = if page == docs_page {
            view! { <PapersPage form=form required=required.clone()/> }.into_any()
        } else if page < review_page {
            view! { <QuestionsPage form=form page=page/> }.into_any()
        } else {
            view! { <CheckPage form=form submit=submit/> }.into_any()
        };
        view! {
            <p class="crumbs">{tf(Msg::StepOf, &[&(page + 1), &(review_page + 1)])}</p>
            <h1>{t(Msg::ApplyOnline)}</h1>
            <p class="lead">{name.clone()}</p>
            {(!error_list.is_empty()).then(|| view! {
                <div class="error" role="alert" tabindex="-1">
                    <h2>{t(Msg::PleaseCheck)}</h2>
                    <ul>{error_list.into_iter().map(|(f, m)| view! { <li><a href=format!("#{f}") on:click=move |ev| focus_field(ev, &f)>{m}</a></li> }).collect_view()}</ul>
                </div>
            })}
            {body}
            <p><button type="button" class="link" on:click=discard.clone()>{t(Msg::DiscardDraft)}</button></p>
        }.into_any()
    }
}

/// The papers a draft attaches, as a submission names them.
fn attached(d: &Draft) -> Vec<AttachedDocument> {
    d.documents.iter().map(|u| AttachedDocument { upload: u.id.clone(), document: u.document, name: motcua_core::dossier::FileName::parse(&u.name).ok() }).collect()
}

/// The move to a page: the URL leads (Back goes to the previous step, not out of the form), the
/// draft remembers the step for a reload, and a step typed in the URL is followed.
fn steps(id: &str, draft: RwSignal<Draft>, save: Callback<()>, review_page: usize) -> Callback<usize> {
    let navigate = use_navigate();
    let query = use_query_map();
    let step_url = {
        let id = id.to_owned();
        move |page: usize| format!("/nop-ho-so/{id}?buoc={}", page + 1)
    };
    if query.get_untracked().get("buoc").is_none() {
        let page = draft.with_untracked(|d| d.page.min(review_page));
        navigate(&step_url(page), NavigateOptions { replace: true, ..Default::default() });
    }
    Effect::new(move |_| {
        let asked = query.get().get("buoc").and_then(|n| n.parse::<usize>().ok()).filter(|n| *n >= 1);
        if let Some(n) = asked {
            let page = (n - 1).min(review_page);
            if draft.with_untracked(|d| d.page) != page {
                draft.update(|d| d.page = page);
                save.run(());
            }
        }
    });
    Callback::new(move |page: usize| {
        draft.update(|d| d.page = page);
        save.run(());
        navigate(&step_url(page), Default::default());
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    })
}

/// Sends the draft, after the server's own checks here first; a refusal goes to the page where
/// it can be mended, and nothing is lost on a failure (the draft stays, the key makes a retry
/// safe).
fn send(form: FormState, id: &str, sections: StoredValue<Vec<Section>>, required: StoredValue<Vec<RequiredDocument>>, receipt: RwSignal<Option<Receipt>>) {
    let d = form.draft.get_untracked();
    // The page where the first error can be mended: its field's page, or the papers' page.
    let page_of = move |found: &[FieldError]| -> usize {
        found
            .iter()
            .filter_map(|e| {
                let page = form.pages.try_with_value(|ps| ps.iter().position(|(_, fields)| fields.iter().any(|f| f.id == e.field))).flatten();
                page.or_else(|| e.about_papers().then_some(form.docs_page))
            })
            .min()
            .unwrap_or(0)
    };
    let mut found = sections.with_value(|all| validate(all, &d.answers, lang())).err().unwrap_or_default();
    found.extend(required.with_value(|r| check_documents(r, &attached(&d), &[], false, lang())));
    if !found.is_empty() {
        form.go.run(page_of(&found));
        form.errors.set(found.into_iter().map(|e| (e.field, e.message)).collect());
        return;
    }
    let request = SubmitRequest { procedure: id.to_owned(), idempotency_key: d.idempotency_key.clone(), answers: d.answers.clone(), documents: attached(&d), papers: vec![] };
    let id = id.to_owned();
    form.sending.set(true);
    form.failure.set(None);
    leptos::task::spawn_local(async move {
        match api::submit_dossier(&request).await {
            Ok(r) => {
                remember(Remembered {
                    code: r.code.as_str().to_owned(),
                    procedure_name: r.procedure_name.clone(),
                    status_label: r.status.label(lang()).to_owned(),
                    due_at: datetime_text(r.due_at, lang()),
                    needs_action: false,
                });
                save_receipt(&r);
                discard_draft(&id);
                receipt.set(Some(r));
            }
            Err(e) if e.code == ErrorCode::Validation => {
                // The page may be gone by now (the applicant went elsewhere): nothing to show.
                form.go.try_run(page_of(&e.fields));
                form.errors.set(e.fields.into_iter().map(|f| (f.field, f.message)).collect());
            }
            Err(e) => form.failure.set(Some(e.message)),
        }
        form.sending.set(false);
    });
}

/// A page of questions, with Back (but on the first) and Continue.
#[component]
fn QuestionsPage(form: FormState, page: usize) -> impl IntoView {
    let (title, fields) = form.pages.with_value(|ps| ps[page].clone());
    let set_answer = move |field: String, value: String| {
        form.draft.update(|d| {
            d.answers.insert(field, value);
        });
        form.save.run(());
    };
    let answers = form.draft.with_untracked(|d| d.answers.clone());
    view! {
        <h2>{title}</h2>
        {fields.into_iter().map(|spec| {
            let value = answers.get(&spec.id).cloned().unwrap_or_default();
            let error = form.errors.get_untracked().get(&spec.id).cloned();
            view! { <Field spec=spec value=value error=error on_change=set_answer/> }
        }).collect_view()}
        <div class="actions">
            {(page > 0).then(|| view! { <button type="button" class="secondary" on:click=move |_| form.go.run(page - 1)>{t(Msg::Back)}</button> })}
            <button type="button" on:click=move |_| form.next.run(())>{t(Msg::Continue)}</button>
        </div>
    }
}

/// The papers: each required one, then any other.
#[component]
fn PapersPage(form: FormState, required: Vec<RequiredDocument>) -> impl IntoView {
    // Called when an upload ends, perhaps after the page is gone: the draft is saved while it can be.
    let save = move || {
        form.save.try_run(());
    };
    view! {
        <h2>{t(Msg::Attachments)}</h2>
        <p class="hint">{t(Msg::FileRule)}</p>
        {required.iter().enumerate().map(|(i, doc)| view! {
            <Attachments draft=form.draft save=save index=Some(i as u16) label=doc.name.clone() mandatory=doc.mandatory/>
        }).collect_view()}
        <Attachments draft=form.draft save=save index=None label=t(Msg::OtherPapers).to_owned() mandatory=false/>
        <div class="actions">
            <button type="button" class="secondary" on:click=move |_| form.go.run(form.docs_page - 1)>{t(Msg::Back)}</button>
            <button type="button" on:click=move |_| form.next.run(())>{t(Msg::Continue)}</button>
        </div>
    }
}

/// "Check your answers": every answer with a way back to change it, then sending.
#[component]
fn CheckPage(form: FormState, submit: Callback<()>) -> impl IntoView {
    let d = form.draft.get_untracked();
    let rows: Vec<(usize, String, String)> = form
        .pages
        .get_value()
        .into_iter()
        .enumerate()
        .flat_map(|(i, (_, fields))| fields.into_iter().map(move |f| (i, f)))
        .map(|(i, s)| {
            let shown = s.shown(d.answers.get(&s.id).map_or("", String::as_str)).to_owned();
            (i, s.label, if shown.is_empty() { t(Msg::NotDeclared).into() } else { shown })
        })
        .collect();
    let files = d.documents.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
    let sending = form.sending;
    view! {
        <h2>{t(Msg::CheckAnswers)}</h2>
        <dl class="facts check">
            {rows.into_iter().map(|(i, label, value)| view! {
                <dt>{label}</dt>
                <dd>{value}" "<button type="button" class="link" on:click=move |_| form.go.run(i)>{t(Msg::Change)}</button></dd>
            }).collect_view()}
            <dt>{t(Msg::Attachments)}</dt>
            <dd>{if files.is_empty() { t(Msg::NoAttachments).to_owned() } else { files }}" "
                <button type="button" class="link" on:click=move |_| form.go.run(form.docs_page)>{t(Msg::Change)}</button></dd>
        </dl>
        {move || form.failure.get().map(|m| view! { <p class="error" role="alert">{m}{t(Msg::DraftKept)}</p> })}
        <div class="actions">
            <button type="button" class="secondary" on:click=move |_| form.go.run(form.docs_page)>{t(Msg::Back)}</button>
            <button type="button" on:click=move |_| submit.run(()) disabled=move || sending.get()>
                {move || if sending.get() { t(Msg::Sending) } else { t(Msg::SubmitButton) }}
            </button>
        </div>
    }
}

/// One document's files: each chosen file is uploaded at once; a failed one can be chosen again
/// without losing the form.
#[component]
fn Attachments<S>(draft: RwSignal<Draft>, save: S, index: Option<u16>, label: String, mandatory: bool) -> impl IntoView
where
    S: Fn() + Clone + Send + Sync + 'static,
{
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let on_files = {
        let save = save.clone();
        move |ev: leptos::ev::Event| {
            use wasm_bindgen::JsCast;
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(list) = input.files() else { return };
            let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            // Refused here, before a byte is sent: a phone on a slow line would wait for nothing.
            let (files, too_big) = within_limit(files);
            problem.set(too_big);
            let save = save.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                for file in files {
                    match api::upload(&file).await {
                        Ok(u) => {
                            draft.update(|d| {
                                d.documents.retain(|a| !(a.id == u.id && a.document == index));
                                d.documents.push(Attached { id: u.id, name: file.name(), size: u.size, document: index });
                            });
                            save();
                        }
                        Err(e) => problem.set(Some(format!("{}: {}", file.name(), e.message))),
                    }
                }
                busy.set(false);
            });
        }
    };
    let input_id = match index {
        Some(i) => format!("document-{i}"),
        None => "document-other".to_owned(),
    };
    let label = if mandatory || index.is_none() { label } else { tf(Msg::Optional, &[&label]) };
    view! {
        <div class="field">
            <label for=input_id.clone()>{label}</label>
            <input id=input_id type="file" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" on:change=on_files/>
        </div>
        {move || busy.get().then(|| view! { <p role="status" class="loading">{t(Msg::Uploading)}</p> })}
        {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}{t(Msg::ChooseAgain)}</p> })}
        <ul class="attached">
            {move || draft.get().documents.into_iter().filter(|a| a.document == index).map(|a| {
                let id = a.id.clone();
                let save = save.clone();
                view! {
                    <li>
                        <span>{a.name}" ("{format!("{} KB", a.size.div_ceil(1024))}")"</span>" "
                        <button type="button" class="link" on:click=move |_| { draft.update(|d| d.documents.retain(|x| !(x.id == id && x.document == index))); save(); }>{t(Msg::Remove)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn ReceiptView(r: Receipt) -> impl IntoView {
    set_title(t(Msg::ReceiptTitle));
    view! { <p class="notice" role="status">{t(Msg::Submitted)}</p> <ReceiptSlip r=r/> }
}

/// An error summary's link moves focus to its field, as GOV.UK's does (a fragment link alone
/// scrolls but leaves focus behind); a choice's field is its first option.
fn focus_field(ev: leptos::ev::MouseEvent, field: &str) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let target = doc.get_element_by_id(field).or_else(|| doc.query_selector(&format!("[name=\"{field}\"]")).ok().flatten());
    if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = el.focus();
        el.scroll_into_view();
    }
}

/// The files within the upload limit, and the message naming those over it.
pub fn within_limit(files: Vec<web_sys::File>) -> (Vec<web_sys::File>, Option<String>) {
    let (ok, big): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| f.size() <= motcua_core::form::MAX_UPLOAD_BYTES as f64);
    let message = big
        .iter()
        .map(|f| tf(Msg::FileTooBig, &[&f.name(), &motcua_core::text::decimal((f.size() / 10_485.76).ceil() as u64, lang())]))
        .collect::<Vec<_>>();
    (ok, (!message.is_empty()).then(|| message.join(" ")))
}
