use leptos::prelude::*;
use motcua_core::date::datetime_text;
use motcua_core::dossier::Receipt;
use motcua_core::form::applicant_section_in;

use crate::i18n::{lang, t, tf, Msg};

/// Slip 01, the receipt and appointment (giấy tiếp nhận hồ sơ và hẹn trả kết quả): the same
/// for an online submission and a walk-in registered at the desk. Printable on A4.
#[component]
pub fn ReceiptSlip(r: Receipt) -> impl IntoView {
    let track = format!("/ho-so/{}", r.code.as_str());
    let answer = |id: &str| r.applicant.get(id).cloned();
    let delivery = applicant_section_in(lang())
        .fields
        .into_iter()
        .find(|f| f.id == "delivery")
        .and_then(|f| match f.kind {
            motcua_core::form::FieldKind::Choice { options } => {
                options.into_iter().find(|o| Some(&o.value) == r.applicant.get("delivery")).map(|o| o.label)
            }
            _ => None,
        });
    let rows: Vec<(Msg, Option<String>)> = vec![
        // Answers as typed; labels, dates and statuses in the page's language.
        (Msg::Applicant, answer("full_name")),
        (Msg::Phone, answer("phone")),
        (Msg::Email, answer("email")),
        (Msg::Address, answer("address")),
        (Msg::Procedure, Some(r.procedure_name.clone())),
        (Msg::Channel, Some(t(if r.channel == motcua_core::dossier::Channel::WalkIn { Msg::AtDesk } else { Msg::Online }).to_owned())),
        (Msg::SubmittedAt, Some(datetime_text(r.submitted_at, lang()))),
        (Msg::Term, Some(r.term.text(lang()))),
        (Msg::DueAt, Some(format!("{}{}", datetime_text(r.due_at, lang()), crate::pages::procedure::provisional(r.provisional_year)))),
        (Msg::Delivery, delivery),
        (Msg::Status, Some(r.status.label(lang()).to_owned())),
    ];
    let documents = r.documents.clone();
    let secret = r.secret.clone();
    let copied = RwSignal::new(false);
    view! {
        <article class="receipt">
            <h1>{t(Msg::ReceiptH1)}</h1>
            <p>{t(Msg::DossierCode)}</p>
            <p class="code big">{r.code.as_str().to_owned()}</p>
            <dl class="facts">
                {rows.into_iter().filter_map(|(l, v)| v.map(|v| view! { <dt>{t(l)}</dt><dd>{v}</dd> })).collect_view()}
            </dl>
            <h2>{t(Msg::PapersReceived)}</h2>
            {if documents.is_empty() {
                view! { <p>{t(Msg::NoFiles)}</p> }.into_any()
            } else {
                view! { <ol class="attached">{documents.into_iter().map(|d| view! { <li>{d.text(lang())}</li> }).collect_view()}</ol> }.into_any()
            }}
            <img class="qr" src=format!("/api/dossiers/{}/qr.svg", r.code.as_str()) width="160" height="160"
                alt=tf(Msg::QrAlt, &[&r.code.as_str()])/>
            <div class="notice">
                <p>{t(Msg::SecretOnce)}</p>
                // In groups of four, to read aloud or copy by hand; the copy button takes it whole.
                <p class="code secret">{groups(&r.secret).into_iter().map(|g| view! { <span class="group">{g}</span> }).collect_view()}</p>
                <p class="no-print"><button type="button" class="secondary" id="copy-secret" on:click=move |_| copy(&secret, copied)>{t(Msg::CopySecret)}</button>
                    " "<span role="status">{move || copied.get().then(|| t(Msg::Copied))}</span></p>
                <p>{t(Msg::SecretUse)}</p>
            </div>
            <p class="no-print">{t(Msg::SurveyInvite)}
                <a href=format!("/khao-sat?ho-so={}#ma={}", r.code.as_str(), r.secret) rel="external">{t(Msg::SurveyLink)}</a></p>
            <p class="actions">
                <a class="button" href=track rel="external">{t(Msg::TrackButton)}</a>
                <button type="button" class="secondary" on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{t(Msg::PrintReceipt)}</button>
            </p>
        </article>
    }
}

fn groups(secret: &str) -> Vec<String> {
    secret.chars().collect::<Vec<_>>().chunks(4).map(|c| c.iter().collect()).collect()
}

fn copy(secret: &str, copied: RwSignal<bool>) {
    if let Some(w) = web_sys::window() {
        let done = w.navigator().clipboard().write_text(secret);
        leptos::task::spawn_local(async move {
            copied.set(wasm_bindgen_futures::JsFuture::from(done).await.is_ok());
        });
    }
}
