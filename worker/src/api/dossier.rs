//! Online submission, walk-in registration, and the applicant's side of a dossier: public
//! status, the personal view, answering a supplement request.

use std::collections::BTreeMap;

use chrono::Datelike;
use motcua_core::catalogue::{Procedure, RequiredDocument};
use motcua_core::calendar::{Calendar, Term};
use motcua_core::date::{to_iso, to_iso_datetime};
use motcua_core::dossier::{received_papers, DossierCode, Receipt, SubmitRequest};
use motcua_core::tracking::{LookupRequest, PrivateView, LOOKUP_ATTEMPTS, LOOKUP_ATTEMPTS_PER_DOSSIER, LOOKUP_WINDOW_MINUTES};
use motcua_core::dossier::check_documents;
use motcua_core::form::{applicant_section, validate, FieldError, Section};
use motcua_core::accounts::Staff;
use motcua_core::workflow::transition::{self, Actor, Command, Reception, Refusal, Rules};
use motcua_core::workflow::views::SupplementAnswer;
use motcua_core::{ErrorBody, ErrorCode, Lang};
use worker::{Request, Response};

use super::Cx;
use crate::store::record::{to_json, Detail};
use super::{json, read_json, sha256_hex};
use crate::delivery;
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::dossier::{DossierRow, Inserted};

/// Larger bodies are refused before parsing (answers are short texts; files go elsewhere).
const MAX_BODY: usize = 64 * 1024;

/// The tracking secret is derived from the client's idempotency key and the server's pepper: a
/// retried submission gets the same secret back, and nothing but its hash is stored.
fn secret_for(cx: &Cx<'_>, key: &str) -> ApiResult<String> {
    Ok(sha256_hex(&format!("{}:{key}", super::pepper(cx.env)?))[..24].to_owned())
}

fn receipt(row: &DossierRow, secret: String, applicant: BTreeMap<String, String>, published: &[RequiredDocument], calendar: &Calendar) -> ApiResult<Receipt> {
    let timing = row.timing()?;
    Ok(Receipt {
        term: timing.term(row.days),
        provisional_year: calendar.provisional_year(timing.counted_from.date(), timing.due_at.date()),
        channel: row.channel,
        applicant,
        documents: received_papers(&row.documents()?, &row.papers()?, published),
        code: row.code()?,
        procedure: row.procedure_id.clone(),
        procedure_name: row.procedure_name.clone(),
        status: row.status,
        submitted_at: crate::store::record::instant(&row.code, "submitted_at", &row.submitted_at)?,
        due_at: crate::store::record::instant(&row.code, "due_at", &row.due_at)?,
        days: row.days,
        secret,
    })
}

fn invalid_body(message: &str) -> ApiError {
    ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidBody, message))
}

pub async fn submit(req: &mut Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let volume = super::Volume::of(req, "submit", cx.settings.submit_limit_per_hour, 60, cx.now)?;
    let request: SubmitRequest =
        read_json(req, MAX_BODY, "Dữ liệu gửi lên phải là JSON gồm procedure, idempotency_key và answers.").await?;
    // The applicant's language for the messages of the fields to mend.
    let lang = Lang::negotiate(&req.headers().get("Accept-Language")?.unwrap_or_default());
    create(cx, request, Intake::Online { volume, lang }, &origin(req)?).await
}

/// Where a dossier comes in: online (counted against the client's volume, answered in the
/// applicant's language) or at reception's desk.
enum Intake<'a> {
    Online { volume: Option<super::Volume>, lang: Lang },
    Desk(&'a Staff),
}

/// The service's address as the client reached it: the links of the notices.
pub(super) fn origin(req: &Request) -> ApiResult<String> {
    Ok(req.url()?.origin().ascii_serialization())
}

/// A walk-in dossier registered by reception: the same form and checks, received at once.
pub async fn register_walk_in(req: &mut Request, cx: &Cx<'_>, staff: &Staff) -> ApiResult<Response> {
    let request: SubmitRequest =
        read_json(req, MAX_BODY, "Dữ liệu gửi lên phải là JSON gồm procedure, idempotency_key và answers.").await?;
    // The desk works in Vietnamese.
    create(cx, request, Intake::Desk(staff), &origin(req)?).await
}

async fn create(cx: &Cx<'_>, request: SubmitRequest, intake: Intake<'_>, origin: &str) -> ApiResult<Response> {
    let (reception, volume, lang) = match intake {
        Intake::Online { volume, lang } => (None, volume, lang),
        Intake::Desk(staff) => (Some(staff), None, Lang::Vi),
    };
    check_key(&request)?;
    let db = &cx.db;
    let secret = secret_for(cx, &request.idempotency_key)?;
    let now = cx.now;
    // One round trip for everything a submission reads: a stored retry, the version in force
    // now (the one the dossier keeps: receipt, checks, due date) with its form pages, the
    // calendar's decisions, and (online) the client's attempt counted against its volume.
    let mut statements = vec![
        store::dossier::by_key_statement(db, &request.idempotency_key)?,
        store::catalogue::version_in_force(db, &request.procedure, now.date())?,
        store::calendar::decisions(db, now.year() - 1, now.year() + 2)?,
    ];
    if let Some(v) = &volume {
        statements.push(v.statement(db)?);
    }
    let reads = db.batch(statements).await?;
    // A flood from one client stops here, before anything is written for it.
    if let Some(v) = &volume {
        v.check(&reads[3])?;
    }
    // A retry of a submission that was stored: the same dossier, never a second one — but only
    // for the same body (the key is no bearer token), and at the desk only within its agency.
    let in_force = reads[1]
        .results::<store::catalogue::InForceRow>()?
        .into_iter()
        .next()
        .map(|row| {
            let last = row.last_sequence();
            row.parse(&request.procedure).map(|(version, procedure, pages)| (version, procedure, pages, last))
        })
        .transpose()?;
    // The desk's agency first: another agency's reception learns nothing, not even that a key
    // was used.
    if let (Some(staff), Some((_, procedure, _, _))) = (reception, &in_force) {
        if procedure.agency != staff.agency {
            return Err(ApiError::NotAllowed("Thủ tục này thuộc cơ quan khác."));
        }
    }
    let fingerprint = sha256_hex(&request.fingerprint());
    if let Some(stored) = reads[0].results::<store::dossier::KeyedRow>()?.into_iter().next() {
        return replay(cx, stored, &fingerprint, reception, secret).await;
    }
    let (version, procedure, own_pages, last) =
        in_force.ok_or(ApiError::NotFound("Không tìm thấy thủ tục hành chính với mã này (hoặc thủ tục đã bị bãi bỏ)."))?;
    let calendar = store::calendar::from_rows(cx.env, reads[2].results()?)?;
    let term = term_for(&procedure, reception)?;
    // The common applicant section, then the version's own pages.
    let mut sections = vec![applicant_section()];
    sections.extend(own_pages);
    let answers = checked_answers(cx, &request, &sections, &procedure, reception.is_some(), lang).await?;
    // The number after the last one read, taken in the dossier's own write (no round trip of
    // its own). A concurrent submission may take it first — the insert says so, having written
    // nothing — and then a number is reserved by an atomic upsert before the next try.
    let mut sequence = last + 1;
    for attempt in 1..=CODE_TRIES {
        let code = DossierCode::new(&procedure.agency, now.date(), sequence).map_err(|e| ApiError::Internal(e.to_string()))?;
        let reception_facts = Reception {
            code,
            procedure: &procedure,
            procedure_version: version.version,
            term: term.clone(),
            applicant_name: answers.get("full_name").cloned().unwrap_or_default(),
            documents: request.documents.clone(),
            papers: request.papers_received(),
            lang,
        };
        let t = transition::receive(reception_facts, reception, now, &calendar);
        let keys = motcua_core::workflow::search::keys(&t.dossier.code, &t.dossier.applicant_name, &answers);
        let key = (request.idempotency_key.as_str(), fingerprint.as_str());
        match store::dossier::insert(db, &t, (&to_json(&answers)?, &keys), &sha256_hex(&secret), key, origin).await? {
            (Inserted::Stored, row) => {
                // Nothing to deliver for a dossier without an address (nobody can have asked
                // for pushes of a dossier that did not exist).
                if answers.get("email").is_some_and(|e| !e.is_empty()) {
                    delivery::after_response(cx.ctx, cx.env, &row.code, t.event.version);
                }
                return Ok(json(&receipt(&row, secret, answers, &procedure.documents, &calendar)?, None)?.with_status(201));
            }
            (Inserted::DuplicateKey, _) => return stored_by_key(cx, &request.idempotency_key, &fingerprint, reception, secret).await,
            (Inserted::CodeTaken, _) if attempt < CODE_TRIES => {
                match store::dossier::next_sequence(db, &procedure.agency, &to_iso(now.date()), sequence, &request.idempotency_key).await? {
                    Some(reserved) => sequence = reserved,
                    None => return stored_by_key(cx, &request.idempotency_key, &fingerprint, reception, secret).await,
                }
            }
            (Inserted::CodeTaken, _) => {}
        }
    }
    Err(ApiError::Unavailable("no free dossier number after retries"))
}

/// Tries at a dossier number before giving up (503; the client's retry with the same key is
/// safe). The first try loses to any concurrent submission of the agency; a later one only to
/// a submission that read the day's last number before the reservation and wrote after it.
const CODE_TRIES: usize = 8;

/// A concurrent retry stored it first: answer with that one (under the same conditions).
async fn stored_by_key(cx: &Cx<'_>, key: &str, fingerprint: &str, reception: Option<&Staff>, secret: String) -> ApiResult<Response> {
    let db = &cx.db;
    let stored = db.batch(vec![store::dossier::by_key_statement(db, key)?]).await?[0]
        .results::<store::dossier::KeyedRow>()?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::Internal("duplicate key without a row".into()))?;
    replay(cx, stored, fingerprint, reception, secret).await
}

/// A submission's idempotency key: well formed, and random enough that two phones never share one.
fn check_key(request: &SubmitRequest) -> ApiResult<()> {
    if !request.key_ok() {
        return Err(invalid_body("idempotency_key phải gồm 16–64 ký tự chữ, số, - hoặc _."));
    }
    if !request.key_random() {
        return Err(ApiError::validation(vec![FieldError {
            field: "idempotency_key".into(),
            message: "Mã yêu cầu phải là một chuỗi ngẫu nhiên (không lặp một ký tự). Vui lòng tải lại trang và gửi lại.".into(),
        }]));
    }
    Ok(())
}

/// The term a dossier of `procedure` gets: online, its online term (none: not taken online); at
/// the desk, of the desk's own agency, its in-person term.
fn term_for(procedure: &Procedure, reception: Option<&Staff>) -> ApiResult<Term> {
    match reception {
        None => procedure.online_term().ok_or(ApiError::Unprocessable(ErrorBody::from_code(ErrorCode::NotOnline))),
        Some(staff) if procedure.agency != staff.agency => Err(ApiError::NotAllowed("Thủ tục này thuộc cơ quan khác.")),
        Some(_) => procedure.term(false).ok_or(ApiError::Unprocessable(ErrorBody::new(
            ErrorCode::NotOnline,
            "Thủ tục này chưa công bố thời hạn giải quyết: chưa tiếp nhận trên hệ thống.",
        ))),
    }
}

/// The answers as stored (trimmed, only what the form asks), or every field's and paper's
/// message at once (422).
async fn checked_answers(
    cx: &Cx<'_>,
    request: &SubmitRequest,
    sections: &[Section],
    procedure: &Procedure,
    at_desk: bool,
    lang: Lang,
) -> ApiResult<std::collections::BTreeMap<String, String>> {
    let (answers, mut fields) = match validate(sections, &request.answers, lang) {
        Ok(answers) => (answers, Vec::new()),
        Err(fields) => (Default::default(), fields),
    };
    let document_errors = check_documents(&procedure.documents, &request.documents, &request.papers, at_desk, lang);
    // Attachments must have been uploaded (and be unexpired) before they are referenced.
    if document_errors.is_empty() {
        for a in &request.documents {
            if super::upload::find(cx, &a.upload).await?.is_none() {
                fields.push(FieldError { field: "documents".into(), message: "Có tệp đính kèm chưa tải lên xong. Vui lòng tải lại.".into() });
                break;
            }
        }
    }
    fields.extend(document_errors);
    if fields.is_empty() { Ok(answers) } else { Err(ApiError::Unprocessable(ErrorBody { fields, ..ErrorBody::from_code(ErrorCode::Validation) })) }
}

/// The receipt of a submission already stored under this key, when the retry is the same.
async fn replay(cx: &Cx<'_>, stored: store::dossier::KeyedRow, fingerprint: &str, reception: Option<&Staff>, secret: String) -> ApiResult<Response> {
    let other_agency = reception.is_some_and(|s| s.agency != stored.agency_code);
    if other_agency || stored.request_hash.as_deref() != Some(fingerprint) {
        return Err(ApiError::ConflictWith("Mã yêu cầu (idempotency_key) này đã được dùng cho một hồ sơ khác. Vui lòng tạo mã mới."));
    }
    let code = DossierCode::parse(&stored.code).map_err(|_| ApiError::Internal(format!("stored code {}", stored.code)))?;
    let row = store::dossier::by_code(&cx.db, &code).await?.ok_or_else(not_found)?;
    json(&stored_receipt(cx, &row, secret).await?, None)
}

/// The receipt of a dossier already stored (a retried submission).
async fn stored_receipt(cx: &Cx<'_>, row: &DossierRow, secret: String) -> ApiResult<Receipt> {
    let db = &cx.db;
    let (answers_json, _) = store::dossier::private(db, &row.code()?).await?.ok_or_else(not_found)?;
    let answers = crate::store::record::from_json(&row.code, "answers", &answers_json)?;
    let published = store::catalogue::record(db, &row.procedure_id, row.procedure_version).await?.map(|p| p.documents).unwrap_or_default();
    let due = crate::store::record::instant(&row.code, "due_at", &row.due_at)?;
    let calendar = store::calendar::calendar(cx.env, due.year() - 2, due.year()).await?;
    receipt(row, secret, answers, &published, &calendar)
}

/// The receipt's QR code: an SVG of the tracking page's address, to scan from the paper slip.
pub async fn qr(cx: &Cx<'_>, url: &worker::Url, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    store::dossier::by_code(&cx.db, &code).await?.ok_or_else(not_found)?;
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

pub async fn status(cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let db = &cx.db;
    // The row and its history in one round trip (an unknown code has none).
    let reads = db.batch(vec![store::dossier::by_code_statement(db, code.as_str())?, store::dossier::events_statement(db, code.as_str())?]).await?;
    let row = reads[0].results::<DossierRow>()?.into_iter().next().ok_or_else(not_found)?;
    let events: Vec<store::dossier::EventRow> = reads[1].results()?;
    json(&row.public(&events)?, None)
}

/// Checks the applicant's proof: the receipt's secret (or one sent by e-mail to the address on
/// file). Attempts are counted before the check, per client and dossier (`LOOKUP_ATTEMPTS`)
/// and per dossier from every client (`LOOKUP_ATTEMPTS_PER_DOSSIER`), so one known code cannot
/// be tried from everywhere; a right secret is forgiven.
pub(super) async fn prove(req: &Request, cx: &Cx<'_>, code: &DossierCode, secret: &str) -> ApiResult<(DossierRow, std::collections::BTreeMap<String, String>)> {
    super::require_secrets(cx.env)?;
    let db = &cx.db;
    let client = super::client(req)?.unwrap_or_else(|| "local".into());
    let keys = [format!("lookup:{client}:{}", code.as_str()), format!("lookup:*:{}", code.as_str())];
    let now = cx.now;
    let since = to_iso_datetime(now - chrono::Duration::minutes(LOOKUP_WINDOW_MINUTES));
    let counts = store::limits::attempts(db, &[&keys[0], &keys[1]], &to_iso_datetime(now), &since).await?;
    if counts[0] > LOOKUP_ATTEMPTS || counts[1] > LOOKUP_ATTEMPTS_PER_DOSSIER {
        return Err(ApiError::TooManyRequests);
    }
    let reads = db
        .batch(vec![
            store::dossier::by_code_statement(db, code.as_str())?,
            store::dossier::private_statement(db, code.as_str())?,
            store::dossier::other_secrets(db, code.as_str())?,
        ])
        .await?;
    let row: DossierRow = reads[0].results()?.into_iter().next().ok_or_else(not_found)?;
    let private: store::dossier::PrivateRow = reads[1].results()?.into_iter().next().ok_or_else(not_found)?;
    let given = sha256_hex(secret.trim());
    let others: Vec<store::dossier::SecretRow> = reads[2].results()?;
    if given != private.secret_hash && !others.iter().any(|o| o.secret_hash == given) {
        return Err(ApiError::Forbidden);
    }
    store::limits::forgive(db, &[&keys[0], &keys[1]]).await?;
    let answers = crate::store::record::from_json(&row.code, "answers", &private.answers)?;
    Ok((row, answers))
}

async fn private_view(cx: &Cx<'_>, row: &DossierRow, answers: std::collections::BTreeMap<String, String>) -> ApiResult<PrivateView> {
    let db = &cx.db;
    let reads = db.batch(vec![store::dossier::events_statement(db, &row.code)?, store::notices::of_dossier(db, &row.code)?]).await?;
    let events: Vec<store::dossier::EventRow> = reads[0].results()?;
    let mut status = row.public(&events)?;
    let flow = row.handling().flow;
    status.timeline = events.iter().map(|e| crate::store::record::event(&row.code, e, flow, Detail::Applicant)).collect::<ApiResult<_>>()?;
    let evaluation = super::rating::evaluation(cx, &row.code).await?;
    let notifications = super::notices::statuses(reads[1].results()?, false);
    Ok(PrivateView { status, answers, supplement: row.supplement()?, apology: row.apology()?, result: row.result()?, evaluation, notifications })
}

/// The applicant's own view, after proof by secret or phone.
pub async fn lookup(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let proof: LookupRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON có secret (mã bí mật trên giấy tiếp nhận).").await?;
    let (row, answers) = prove(req, cx, &code, &proof.secret).await?;
    json(&private_view(cx, &row, answers).await?, None)
}

/// The result file the desk attached, for the applicant: proven like a lookup (a POST, so the
/// secret never sits in a URL), answered as a download.
pub async fn result_file(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let proof: LookupRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON có secret (mã bí mật trên giấy tiếp nhận).").await?;
    let (row, _) = prove(req, cx, &code, &proof.secret).await?;
    let upload = row.result()?.and_then(|r| r.upload).ok_or(ApiError::NotFound("Hồ sơ chưa có tệp kết quả."))?;
    super::upload::serve(cx, &upload, Some(&super::upload::result_name(&row.code))).await
}

/// The applicant answers a supplement request with the missing papers: the dossier goes back
/// where it was asked, and the clock resumes later by the time it waited.
pub async fn answer_supplement(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let answer: SupplementAnswer = read_json(req, MAX_BODY, "Dữ liệu gửi lên phải là JSON có secret và documents.").await?;
    let (row, answers) = prove(req, cx, &code, &answer.secret).await?;
    // Attachments must have been uploaded before they are referenced.
    for a in &answer.documents {
        if super::upload::find(cx, &a.upload).await?.is_none() {
            return Err(ApiError::validation(vec![FieldError { field: "documents".into(), message: "Có tệp đính kèm chưa tải lên xong. Vui lòng tải lại.".into() }]));
        }
    }
    let command = Command::AnswerSupplement { documents: answer.documents, note: answer.note };
    let row = by_applicant(cx, &row, command, "Hồ sơ không ở trạng thái chờ bổ sung.", &origin(req)?).await?;
    json(&private_view(cx, &row, answers).await?, None)
}

/// A change the applicant makes (answer, withdrawal), written with its event and counters.
async fn by_applicant(cx: &Cx<'_>, row: &DossierRow, command: Command, not_now: &'static str, origin: &str) -> ApiResult<DossierRow> {
    let now = cx.now;
    let calendar = store::calendar::calendar(cx.env, now.year() - 1, now.year() + 2).await?;
    let no_signing = |_: &str| String::new();
    let rules = Rules { calendar: &calendar, procedure: None, sign: &no_signing, result_file: None };
    let t = transition::apply(&row.dossier()?, command, Actor::Applicant, now, &rules).map_err(|r| refused(r, Some(not_now)))?;
    committed(cx, &t, origin).await
}

/// Writes a transition and, once it is in, queues its notices for delivery (after the
/// response: the applicant does not wait for the queue).
pub(super) async fn committed(cx: &Cx<'_>, t: &transition::Transition, origin: &str) -> ApiResult<DossierRow> {
    committed_with(cx, t, origin, Vec::new()).await.map(|(row, _)| row)
}

/// `committed`, with `reads` at the end of the same batch: they see what it wrote (their
/// answers are returned in order).
pub(super) async fn committed_with(
    cx: &Cx<'_>,
    t: &transition::Transition,
    origin: &str,
    reads: Vec<worker::D1PreparedStatement>,
) -> ApiResult<(DossierRow, Vec<worker::D1Result>)> {
    match store::dossier::commit_with(&cx.db, t, origin, reads).await? {
        (Some(results), row) => {
            if !t.notices.is_empty() {
                delivery::after_response(cx.ctx, cx.env, &row.code, t.event.version);
            }
            Ok((row, results))
        }
        (None, _) => Err(ApiError::Conflict),
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
pub async fn withdraw(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let proof: LookupRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON có secret (mã bí mật trên giấy tiếp nhận).").await?;
    let (row, answers) = prove(req, cx, &code, &proof.secret).await?;
    let row = by_applicant(cx, &row, Command::Withdraw, "Hồ sơ đã có kết quả hoặc đã kết thúc: không thể rút.", &origin(req)?).await?;
    json(&private_view(cx, &row, answers).await?, None)
}

/// `POST /api/dossiers/{code}/recover`: the applicant lost the secret. A new one goes by e-mail
/// to the address on file, if there is one; the answer is the same either way (it never says
/// whether a dossier has an address). Three a day per dossier, ten an hour per client.
pub async fn recover(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let sent = json(&serde_json::json!({ "message": "Nếu hồ sơ có địa chỉ thư điện tử, một liên kết mới đã được gửi đến địa chỉ đó." }), None)?.with_status(202);
    let Ok(code) = DossierCode::parse(code) else { return Ok(sent) };
    let pepper = super::pepper(cx.env)?;
    let db = &cx.db;
    let now = cx.now;
    let at = to_iso_datetime(now);
    let day = to_iso_datetime(now - chrono::Duration::hours(24));
    let per_code = format!("recover:{}", code.as_str());
    // Per client as well, except the loopback (the local stack's own tools and tests).
    let per_client = super::client(req)?.map(|c| format!("recover-client:{c}"));
    let keys: Vec<&str> = std::iter::once(per_code.as_str()).chain(per_client.as_deref()).collect();
    let counts = store::limits::attempts(db, &keys, &at, &day).await?;
    if counts[0] > 3 || counts.get(1).is_some_and(|n| *n > 10) {
        return Err(ApiError::TooManyRequests);
    }
    let Some(row) = store::dossier::by_code(db, &code).await? else { return Ok(sent) };
    let Some(address) = store::notices::email_of(db, code.as_str()).await? else { return Ok(sent) };
    let secret = sha256_hex(&format!("{pepper}:recover:{}:{}", code.as_str(), super::hex(&super::random_bytes::<16>()?)))[..24].to_owned();
    store::dossier::add_secret(db, code.as_str(), &sha256_hex(&secret), &at).await?;
    let link = format!("{}/ho-so/{}#ma={secret}", origin(req)?, code.as_str());
    let words = motcua_core::notify::recovery_message(code.as_str(), &row.procedure_name, &row.applicant_name, &link, row.lang());
    let unsubscribe = format!("{}/api/dossiers/{}/unsubscribe?token={}", origin(req)?, code.as_str(), delivery::unsubscribe_token(cx.env, code.as_str())?);
    if let delivery::Outcome::Retry(e) | delivery::Outcome::Failed(e) = delivery::email::send(cx.env, &address, &words, &format!("recover-{}-{}", code.as_str(), now.and_utc().timestamp()), &unsubscribe).await {
        worker::console_error!("recovery mail of {}: {e}", code.as_str());
    }
    Ok(sent)
}

/// `POST /api/staff/dossiers/{code}/secret`: reception re-issues the secret after checking the
/// applicant's papers; logged in the history, the old secrets stop working, and the answer is
/// a new slip 01 to print.
pub async fn reissue_secret(req: &mut Request, cx: &Cx<'_>, staff: &Staff, code: &str) -> ApiResult<Response> {
    #[derive(serde::Deserialize)]
    struct Body {
        version: u32,
    }
    let body: Body = read_json(req, 1024, "Dữ liệu gửi lên phải là JSON gồm version.").await?;
    let pepper = super::pepper(cx.env)?;
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let db = &cx.db;
    let now = cx.now;
    // One round trip for the row, the calendar, and what the new slip prints.
    let reads = db
        .batch(vec![
            store::dossier::by_code_statement(db, code.as_str())?,
            store::calendar::decisions(db, now.year() - 1, now.year() + 2)?,
            store::dossier::private_statement(db, code.as_str())?,
            store::catalogue::record_of_dossier(db, code.as_str())?,
        ])
        .await?;
    let row = super::workflow::own_row(&reads[0], staff)?;
    let calendar = store::calendar::from_rows(cx.env, reads[1].results()?)?;
    let no_signing = |_: &str| String::new();
    let rules = Rules { calendar: &calendar, procedure: None, sign: &no_signing, result_file: None };
    let t = transition::apply(&row.dossier()?, Command::ReissueSecret { version: body.version }, Actor::Staff(staff), now, &rules).map_err(|r| refused(r, None))?;
    let secret = sha256_hex(&format!("{pepper}:reissue:{}:{}", code.as_str(), super::hex(&super::random_bytes::<16>()?)))[..24].to_owned();
    let also = store::dossier::replace_secret(db, code.as_str(), &sha256_hex(&secret))?;
    let (written, row) = store::dossier::commit_with(db, &t, &origin(req)?, also).await?;
    if written.is_none() {
        return Err(ApiError::Conflict);
    }
    let answers = crate::store::record::from_json(&row.code, "answers", &super::workflow::answers_of(&reads[2])?)?;
    let published = super::workflow::record_of(&reads[3], &row)?.map(|(p, _)| p.documents).unwrap_or_default();
    json(&receipt(&row, secret, answers, &published, &calendar)?, None)
}
