//! Online submission, walk-in registration, and the applicant's side of a dossier: public
//! status, the personal view, answering a supplement request.

use std::collections::BTreeMap;

use chrono::Datelike;
use motcua_core::catalogue::RequiredDocument;
use motcua_core::applicant::PhoneNumber;
use motcua_core::calendar::Calendar;
use motcua_core::date::{to_iso, to_iso_datetime};
use motcua_core::dossier::{
    document_names, DossierCode, LookupRequest, PrivateView, Receipt, SubmitRequest, LOOKUP_ATTEMPTS, LOOKUP_WINDOW_MINUTES,
};
use motcua_core::form::{applicant_section, check_documents, validate, FieldError};
use motcua_core::staff::Staff;
use motcua_core::workflow::transition::{self, Actor, Command, Reception, Refusal, Rules};
use motcua_core::workflow::views::SupplementAnswer;
use motcua_core::{ErrorBody, ErrorCode};
use worker::{Env, Request, Response};

use super::record::{to_json, Detail};
use super::{json, now, read_json, sha256_hex};
use crate::delivery;
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::dossier::{DossierRow, Inserted};

/// Larger bodies are refused before parsing (answers are short texts; files go elsewhere).
const MAX_BODY: usize = 64 * 1024;

/// The tracking secret is derived from the client's idempotency key and a server pepper: a
/// retried submission gets the same secret back, and nothing but its hash is stored.
fn secret_for(env: &Env, key: &str) -> String {
    let pepper = env.var("TRACKING_PEPPER").map(|v| v.to_string()).unwrap_or_default();
    sha256_hex(&format!("{pepper}:{key}"))[..24].to_owned()
}

fn receipt(row: &DossierRow, secret: String, applicant: BTreeMap<String, String>, published: &[RequiredDocument], calendar: &Calendar) -> ApiResult<Receipt> {
    let timing = row.timing()?;
    Ok(Receipt {
        term: timing.term(row.days),
        provisional_year: calendar.provisional_year(timing.counted_from.date(), timing.due_at.date()),
        channel: row.channel.clone(),
        applicant,
        documents: document_names(&row.documents()?, &row.papers()?, published),
        code: row.code()?,
        procedure: row.procedure_id.clone(),
        procedure_name: row.procedure_name.clone(),
        status: row.state()?.status,
        submitted_at: super::record::instant(&row.code, "submitted_at", &row.submitted_at)?,
        due_at: super::record::instant(&row.code, "due_at", &row.due_at)?,
        days: row.days,
        secret,
    })
}

fn invalid_body(message: &str) -> ApiError {
    ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidBody, message))
}

pub async fn submit(req: &mut Request, env: &Env) -> ApiResult<Response> {
    let request: SubmitRequest =
        read_json(req, MAX_BODY, "Dữ liệu gửi lên phải là JSON gồm procedure, idempotency_key và answers.").await?;
    create(env, request, None, &origin(req)?).await
}

/// The service's address as the client reached it: the links of the notices.
pub(super) fn origin(req: &Request) -> ApiResult<String> {
    Ok(req.url()?.origin().ascii_serialization())
}

/// A walk-in dossier registered by reception: the same form and checks, received at once.
pub async fn register_walk_in(req: &mut Request, env: &Env, staff: &Staff) -> ApiResult<Response> {
    let request: SubmitRequest =
        read_json(req, MAX_BODY, "Dữ liệu gửi lên phải là JSON gồm procedure, idempotency_key và answers.").await?;
    create(env, request, Some(staff), &origin(req)?).await
}

async fn create(env: &Env, request: SubmitRequest, reception: Option<&Staff>, origin: &str) -> ApiResult<Response> {
    if !request.key_ok() {
        return Err(invalid_body("idempotency_key phải gồm 16–64 ký tự chữ, số, - hoặc _."));
    }
    let db = env.d1("DB")?;
    let secret = secret_for(env, &request.idempotency_key);
    let now = now()?;
    // One round trip for everything a submission reads: a stored retry, the version in force
    // now (the one the dossier keeps: receipt, checks, due date) with its form pages, and the
    // calendar's decisions.
    let reads = db
        .batch(vec![
            store::dossier::by_key_statement(&db, &request.idempotency_key)?,
            store::catalogue::version_in_force(&db, &request.procedure, now.date())?,
            store::calendar::decisions(&db, now.year() - 1, now.year() + 2)?,
        ])
        .await?;
    // A retry of a submission that was stored: the same dossier, never a second one.
    if let Some(row) = reads[0].results::<DossierRow>()?.into_iter().next() {
        return json(&stored_receipt(env, &row, secret).await?, None);
    }
    let (version, procedure, own_pages) = reads[1]
        .results::<store::catalogue::InForceRow>()?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound("Không tìm thấy thủ tục hành chính với mã này (hoặc thủ tục đã bị bãi bỏ)."))?
        .parse(&request.procedure)?;
    let calendar = store::calendar::from_rows(env, reads[2].results()?)?;
    let term = match reception {
        None => procedure.online_term().ok_or(ApiError::Unprocessable(ErrorBody::from_code(ErrorCode::NotOnline)))?,
        Some(staff) => {
            if procedure.agency != staff.agency {
                return Err(ApiError::NotAllowed("Thủ tục này thuộc cơ quan khác."));
            }
            procedure.term(false).ok_or(ApiError::Unprocessable(ErrorBody::new(
                ErrorCode::NotOnline,
                "Thủ tục này chưa công bố thời hạn giải quyết: chưa tiếp nhận trên hệ thống.",
            )))?
        }
    };
    // The common applicant section, then the version's own pages.
    let mut sections = vec![applicant_section()];
    sections.extend(own_pages);
    let mut fields = match validate(&sections, &request.answers) {
        Ok(_) => Vec::new(),
        Err(fields) => fields,
    };
    let document_errors = check_documents(&procedure.documents, &request.documents, &request.papers, reception.is_some());
    // Attachments must have been uploaded (and be unexpired) before they are referenced.
    if document_errors.is_empty() {
        for a in &request.documents {
            if super::upload::find(env, &a.upload).await?.is_none() {
                fields.push(FieldError { field: "documents".into(), message: "Có tệp đính kèm chưa tải lên xong. Vui lòng tải lại.".into() });
                break;
            }
        }
    }
    fields.extend(document_errors);
    if !fields.is_empty() {
        return Err(ApiError::Unprocessable(ErrorBody { fields, ..ErrorBody::from_code(ErrorCode::Validation) }));
    }
    let answers = validate(&sections, &request.answers).unwrap_or_default();
    let sequence = store::dossier::next_sequence(&db, &procedure.agency, &to_iso(now.date())).await?;
    let code = DossierCode::new(&procedure.agency, now.date(), sequence).map_err(|e| ApiError::Internal(e.to_string()))?;
    let reception_facts = Reception {
        code,
        procedure: &procedure,
        procedure_version: version.version,
        term,
        applicant_name: answers.get("full_name").cloned().unwrap_or_default(),
        documents: request.documents.clone(),
        papers: request.papers_received(),
    };
    let t = transition::receive(reception_facts, reception, now, &calendar);
    match store::dossier::insert(&db, &t, &to_json(&answers)?, &sha256_hex(&secret), &request.idempotency_key, origin).await? {
        (Inserted::Stored, row) => {
            delivery::enqueue(env, &row.code, t.event.version).await;
            Ok(json(&receipt(&row, secret, answers, &procedure.documents, &calendar)?, None)?.with_status(201))
        }
        // A concurrent retry stored it first: answer with that one.
        (Inserted::DuplicateKey, _) => match store::dossier::by_idempotency_key(&db, &request.idempotency_key).await? {
            Some(row) => json(&stored_receipt(env, &row, secret).await?, None),
            None => Err(ApiError::Internal("duplicate key without a row".into())),
        },
    }
}

/// The receipt of a dossier already stored (a retried submission).
async fn stored_receipt(env: &Env, row: &DossierRow, secret: String) -> ApiResult<Receipt> {
    let db = env.d1("DB")?;
    let (answers_json, _) = store::dossier::private(&db, &row.code()?).await?.ok_or_else(not_found)?;
    let answers = super::record::from_json(&row.code, "answers", &answers_json)?;
    let published = store::catalogue::record(&db, &row.procedure_id, row.procedure_version).await?.map(|p| p.documents).unwrap_or_default();
    let due = super::record::instant(&row.code, "due_at", &row.due_at)?;
    let calendar = store::calendar::calendar(env, due.year() - 2, due.year()).await?;
    receipt(row, secret, answers, &published, &calendar)
}

/// The receipt's QR code: an SVG of the tracking page's address, to scan from the paper slip.
pub async fn qr(env: &Env, url: &worker::Url, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    store::dossier::by_code(&env.d1("DB")?, &code).await?.ok_or_else(not_found)?;
    let target = format!("{}/ho-so/{}", url.origin().ascii_serialization(), code.as_str());
    svg_response(&target, 86400)
}

/// An SVG QR code of `target`.
pub fn svg_response(target: &str, max_age: u32) -> ApiResult<Response> {
    let qr = qrcode::QrCode::new(target.as_bytes()).map_err(|e| ApiError::Internal(format!("qr: {e}")))?;
    let svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
    let mut resp = Response::ok(svg)?;
    resp.headers_mut().set("Content-Type", "image/svg+xml")?;
    resp.headers_mut().set("Cache-Control", &format!("public, max-age={max_age}"))?;
    Ok(resp)
}

fn not_found() -> ApiError {
    ApiError::NotFound("Không tìm thấy hồ sơ với mã này.")
}

pub async fn status(env: &Env, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let db = env.d1("DB")?;
    let row = store::dossier::by_code(&db, &code).await?.ok_or_else(not_found)?;
    let events = store::dossier::events(&db, &row.code).await?;
    json(&row.public(&events)?, None)
}

/// Checks the applicant's proof (secret of the receipt, or the phone number of the dossier).
/// Wrong proofs are counted per client and dossier; past `LOOKUP_ATTEMPTS` in the window every
/// attempt is refused with 429.
pub(super) async fn prove(req: &Request, env: &Env, code: &DossierCode, secret: Option<&str>, phone: Option<&str>) -> ApiResult<(DossierRow, std::collections::BTreeMap<String, String>)> {
    if secret.is_none() && phone.is_none() {
        return Err(invalid_body("Cần mã bí mật (secret) hoặc số điện thoại (phone)."));
    }
    let db = env.d1("DB")?;
    let client = req.headers().get("CF-Connecting-IP")?.unwrap_or_else(|| "local".into());
    let limit_key = format!("lookup:{client}:{}", code.as_str());
    let now = now()?;
    let since = to_iso_datetime(now - chrono::Duration::minutes(LOOKUP_WINDOW_MINUTES));
    if store::limits::failures(&db, &limit_key, &since).await? >= LOOKUP_ATTEMPTS {
        return Err(ApiError::TooManyRequests);
    }
    let row = store::dossier::by_code(&db, code).await?.ok_or_else(not_found)?;
    let (answers_json, stored_hash) = store::dossier::private(&db, code).await?.ok_or_else(not_found)?;
    let answers: std::collections::BTreeMap<String, String> = super::record::from_json(&row.code, "answers", &answers_json)?;
    let by_secret = secret.is_some_and(|s| sha256_hex(s.trim()) == stored_hash);
    let by_phone = match (phone.map(PhoneNumber::parse), answers.get("phone").map(|p| PhoneNumber::parse(p))) {
        (Some(Ok(given)), Some(Ok(stored))) => given == stored,
        _ => false,
    };
    if !(by_secret || by_phone) {
        store::limits::record_failure(&db, &limit_key, &to_iso_datetime(now), &since).await?;
        return Err(ApiError::Forbidden);
    }
    Ok((row, answers))
}

async fn private_view(env: &Env, row: &DossierRow, answers: std::collections::BTreeMap<String, String>) -> ApiResult<PrivateView> {
    let db = env.d1("DB")?;
    let reads = db.batch(vec![store::dossier::events_statement(&db, &row.code)?, store::notices::of_dossier(&db, &row.code)?]).await?;
    let events: Vec<store::dossier::EventRow> = reads[0].results()?;
    let mut status = row.public(&events)?;
    let flow = row.handling().flow;
    status.timeline = events.iter().map(|e| super::record::event(&row.code, e, flow, Detail::Applicant)).collect::<ApiResult<_>>()?;
    let evaluation = super::rating::evaluation(env, &row.code).await?;
    let notifications = super::notices::statuses(reads[1].results()?, false);
    Ok(PrivateView { status, answers, supplement: row.supplement()?, apology: row.apology()?, result: row.result()?, evaluation, notifications })
}

/// The applicant's own view, after proof by secret or phone.
pub async fn lookup(req: &mut Request, env: &Env, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let proof: LookupRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON có secret hoặc phone.").await?;
    let (row, answers) = prove(req, env, &code, proof.secret.as_deref(), proof.phone.as_deref()).await?;
    json(&private_view(env, &row, answers).await?, None)
}

/// The applicant answers a supplement request with the missing papers: the dossier goes back
/// where it was asked, and the clock resumes later by the time it waited.
pub async fn answer_supplement(req: &mut Request, env: &Env, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let answer: SupplementAnswer = read_json(req, MAX_BODY, "Dữ liệu gửi lên phải là JSON có secret hoặc phone và documents.").await?;
    let (row, answers) = prove(req, env, &code, answer.secret.as_deref(), answer.phone.as_deref()).await?;
    // Attachments must have been uploaded before they are referenced.
    for a in &answer.documents {
        if super::upload::find(env, &a.upload).await?.is_none() {
            return Err(ApiError::validation(vec![FieldError { field: "documents".into(), message: "Có tệp đính kèm chưa tải lên xong. Vui lòng tải lại.".into() }]));
        }
    }
    let command = Command::AnswerSupplement { documents: answer.documents, note: answer.note };
    let row = by_applicant(env, &row, command, "Hồ sơ không ở trạng thái chờ bổ sung.", &origin(req)?).await?;
    json(&private_view(env, &row, answers).await?, None)
}

/// A change the applicant makes (answer, withdrawal), written with its event and counters.
async fn by_applicant(env: &Env, row: &DossierRow, command: Command, not_now: &'static str, origin: &str) -> ApiResult<DossierRow> {
    let now = now()?;
    let calendar = store::calendar::calendar(env, now.year() - 1, now.year() + 2).await?;
    let no_signing = |_: &str| String::new();
    let rules = Rules { calendar: &calendar, procedure: None, sign: &no_signing };
    let t = transition::apply(&row.dossier()?, command, Actor::Applicant, now, &rules).map_err(|r| refused(r, Some(not_now)))?;
    committed(env, &t, origin).await
}

/// Writes a transition and, once it is in, queues its notices for delivery.
pub(super) async fn committed(env: &Env, t: &transition::Transition, origin: &str) -> ApiResult<DossierRow> {
    match store::dossier::commit(&env.d1("DB")?, t, origin).await? {
        (true, row) => {
            if !t.notices.is_empty() {
                delivery::enqueue(env, &row.code, t.event.version).await;
            }
            Ok(row)
        }
        (false, _) => Err(ApiError::Conflict),
    }
}

/// The answer to a refused change; `not_now` says why it is not possible in this status.
pub(super) fn refused(r: Refusal, not_now: Option<&'static str>) -> ApiError {
    match r {
        Refusal::Stale => ApiError::Conflict,
        Refusal::NotStaffAction => ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidBody, "Thao tác này không dành cho cán bộ.")),
        Refusal::OtherDesk => ApiError::NotAllowed("Hồ sơ đang ở bước của bộ phận khác."),
        Refusal::NeedsDelegation => ApiError::NotAllowed("Thủ tục được tỉnh ủy quyền: cần lãnh đạo được giao ủy quyền phê duyệt."),
        Refusal::NotNow => ApiError::Unprocessable(not_now.map_or_else(|| ErrorBody::from_code(ErrorCode::InvalidTransition), |m| ErrorBody::new(ErrorCode::InvalidTransition, m))),
        Refusal::Fields(fields) => ApiError::validation(fields),
    }
}

/// `POST /api/dossiers/{code}/withdraw`: the applicant withdraws a dossier not yet resolved
/// (status 7); counted in the statistics in the same batch.
pub async fn withdraw(req: &mut Request, env: &Env, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let proof: LookupRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON có secret hoặc phone.").await?;
    let (row, answers) = prove(req, env, &code, proof.secret.as_deref(), proof.phone.as_deref()).await?;
    let row = by_applicant(env, &row, Command::Withdraw, "Hồ sơ đã có kết quả hoặc đã kết thúc: không thể rút.", &origin(req)?).await?;
    json(&private_view(env, &row, answers).await?, None)
}
