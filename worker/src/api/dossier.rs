//! Online submission and public tracking of dossiers.

use chrono::Datelike;
use motcua_core::calendar::from_unix_millis;
use motcua_core::date::{parse_iso_datetime, to_iso, to_iso_datetime};
use motcua_core::applicant::PhoneNumber;
use motcua_core::dossier::{
    DossierCode, DossierStatus, LookupRequest, PrivateView, PublicStatus, Receipt, SubmitRequest, LOOKUP_ATTEMPTS,
    LOOKUP_WINDOW_MINUTES,
};
use motcua_core::duration::WorkingDuration;
use motcua_core::form::{applicant_section, check_documents, validate, FieldError};
use motcua_core::{ErrorBody, ErrorCode};
use sha2::{Digest, Sha256};
use worker::{Date, Env, Request, Response};

use super::json;
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::dossier::{DossierRow, Inserted, NewDossier};

/// Larger bodies are refused before parsing (answers are short texts; files go elsewhere).
const MAX_BODY: usize = 64 * 1024;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The tracking secret is derived from the client's idempotency key and a server pepper: a
/// retried submission gets the same secret back, and nothing but its hash is stored.
fn secret_for(env: &Env, key: &str) -> String {
    let pepper = env.var("TRACKING_PEPPER").map(|v| v.to_string()).unwrap_or_default();
    hex(&Sha256::digest(format!("{pepper}:{key}").as_bytes()))[..24].to_owned()
}

fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn receipt(row: DossierRow, secret: String) -> ApiResult<Receipt> {
    let bad = |what: &str| ApiError::Internal(format!("dossier {}: bad {what}", row.code));
    Ok(Receipt {
        code: DossierCode::parse(&row.code).map_err(|_| bad("code"))?,
        procedure: row.procedure_id.clone(),
        procedure_name: row.procedure_name.clone(),
        status: DossierStatus::from_code(row.status).ok_or_else(|| bad("status"))?,
        submitted_at: parse_iso_datetime(&row.submitted_at).ok_or_else(|| bad("submitted_at"))?,
        due_at: parse_iso_datetime(&row.due_at).ok_or_else(|| bad("due_at"))?,
        days: row.days,
        secret,
    })
}

fn invalid_body(message: &str) -> ApiError {
    ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidBody, message))
}

pub async fn submit(req: &mut Request, env: &Env) -> ApiResult<Response> {
    let bytes = req.bytes().await.map_err(|_| invalid_body("Không đọc được dữ liệu gửi lên."))?;
    if bytes.len() > MAX_BODY {
        return Err(invalid_body("Dữ liệu gửi lên quá lớn."));
    }
    let request: SubmitRequest = serde_json::from_slice(&bytes)
        .map_err(|_| invalid_body("Dữ liệu gửi lên phải là JSON gồm procedure, idempotency_key và answers."))?;
    if !request.key_ok() {
        return Err(invalid_body("idempotency_key phải gồm 16–64 ký tự chữ, số, - hoặc _."));
    }
    let db = env.d1("DB")?;
    let secret = secret_for(env, &request.idempotency_key);
    // A retry of a submission that was stored: the same dossier, never a second one.
    if let Some(row) = store::dossier::by_idempotency_key(&db, &request.idempotency_key).await? {
        return json(&receipt(row, secret)?, None);
    }
    let procedure = store::catalogue::procedure(&db, &request.procedure)
        .await?
        .ok_or(ApiError::NotFound("Không tìm thấy thủ tục hành chính với mã này."))?;
    let days = procedure
        .online_submission_days()
        .ok_or(ApiError::Unprocessable(ErrorBody::from_code(ErrorCode::NotOnline)))?;
    let mut fields = match validate(&[applicant_section()], &request.answers) {
        Ok(_) => Vec::new(),
        Err(fields) => fields,
    };
    let document_errors = check_documents(&procedure.documents, &request.documents);
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
    let answers = validate(&[applicant_section()], &request.answers).unwrap_or_default();
    let now = from_unix_millis(Date::now().as_millis() as i64).ok_or_else(|| ApiError::Internal("clock".into()))?;
    let calendar = store::calendar::calendar(env, now.year() - 1, now.year() + 2).await?;
    let due = calendar.due_from_reception(now, WorkingDuration::from_days(u32::from(days)));
    let sequence = store::dossier::next_sequence(&db, &procedure.agency, &to_iso(now.date())).await?;
    let code = DossierCode::new(&procedure.agency, now.date(), sequence).map_err(|e| ApiError::Internal(e.to_string()))?;
    let answers_json = serde_json::to_string(&answers).map_err(|e| ApiError::Internal(e.to_string()))?;
    let (submitted_at, due_at) = (to_iso_datetime(now), to_iso_datetime(due));
    let new = NewDossier {
        code: &code,
        procedure_id: &procedure.id,
        procedure_name: &procedure.name,
        status: DossierStatus::New.code(),
        submitted_at: &submitted_at,
        due_at: &due_at,
        days,
        answers_json: &answers_json,
        secret_hash: &secret_hash(&secret),
        idempotency_key: &request.idempotency_key,
        documents_json: &serde_json::to_string(&request.documents).map_err(|e| ApiError::Internal(e.to_string()))?,
    };
    match store::dossier::insert(&db, &new).await? {
        Inserted::Stored => {
            let row = DossierRow {
                code: code.as_str().to_owned(),
                procedure_id: procedure.id.clone(),
                procedure_name: procedure.name.clone(),
                status: DossierStatus::New.code(),
                submitted_at,
                due_at,
                days,
            };
            Ok(json(&receipt(row, secret)?, None)?.with_status(201))
        }
        // A concurrent retry stored it first: answer with that one.
        Inserted::DuplicateKey => match store::dossier::by_idempotency_key(&db, &request.idempotency_key).await? {
            Some(row) => json(&receipt(row, secret)?, None),
            None => Err(ApiError::Internal("duplicate key without a row".into())),
        },
    }
}

/// The receipt's QR code: an SVG of the tracking page's address, to scan from the paper slip.
pub async fn qr(env: &Env, url: &worker::Url, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    store::dossier::by_code(&env.d1("DB")?, &code).await?.ok_or_else(not_found)?;
    let target = format!("{}/ho-so/{}", url.origin().ascii_serialization(), code.as_str());
    let qr = qrcode::QrCode::new(target.as_bytes()).map_err(|e| ApiError::Internal(format!("qr: {e}")))?;
    let svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
    let mut resp = Response::ok(svg)?;
    resp.headers_mut().set("Content-Type", "image/svg+xml")?;
    // A dossier's code and address never change.
    resp.headers_mut().set("Cache-Control", "public, max-age=86400")?;
    Ok(resp)
}

fn public(row: DossierRow) -> ApiResult<PublicStatus> {
    let r = receipt(row, String::new())?;
    Ok(PublicStatus {
        code: r.code,
        procedure: r.procedure,
        procedure_name: r.procedure_name,
        status: r.status,
        status_label: r.status.label_vi().to_owned(),
        submitted_at: r.submitted_at,
        due_at: r.due_at,
    })
}

fn not_found() -> ApiError {
    ApiError::NotFound("Không tìm thấy hồ sơ với mã này.")
}

pub async fn status(env: &Env, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let row = store::dossier::by_code(&env.d1("DB")?, &code).await?.ok_or_else(not_found)?;
    json(&public(row)?, None)
}

/// The applicant's own view, after proof by secret or phone. Wrong proofs are counted per
/// client and dossier; past `LOOKUP_ATTEMPTS` in the window every lookup is refused with 429.
pub async fn lookup(req: &mut Request, env: &Env, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let bytes = req.bytes().await.map_err(|_| invalid_body("Không đọc được dữ liệu gửi lên."))?;
    if bytes.len() > 4096 {
        return Err(invalid_body("Dữ liệu gửi lên quá lớn."));
    }
    let proof: LookupRequest =
        serde_json::from_slice(&bytes).map_err(|_| invalid_body("Dữ liệu gửi lên phải là JSON có secret hoặc phone."))?;
    if proof.secret.is_none() && proof.phone.is_none() {
        return Err(invalid_body("Cần mã bí mật (secret) hoặc số điện thoại (phone)."));
    }
    let db = env.d1("DB")?;
    let client = req.headers().get("CF-Connecting-IP")?.unwrap_or_else(|| "local".into());
    let limit_key = format!("lookup:{client}:{}", code.as_str());
    let now = from_unix_millis(Date::now().as_millis() as i64).ok_or_else(|| ApiError::Internal("clock".into()))?;
    let since = to_iso_datetime(now - chrono::Duration::minutes(LOOKUP_WINDOW_MINUTES));
    if store::dossier::failures(&db, &limit_key, &since).await? >= LOOKUP_ATTEMPTS {
        return Err(ApiError::TooManyRequests);
    }
    let row = store::dossier::by_code(&db, &code).await?.ok_or_else(not_found)?;
    let (answers_json, stored_hash) = store::dossier::private(&db, &code).await?.ok_or_else(not_found)?;
    let answers: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&answers_json).map_err(|e| ApiError::Internal(format!("answers of {}: {e}", code.as_str())))?;
    let by_secret = proof.secret.as_deref().is_some_and(|s| secret_hash(s.trim()) == stored_hash);
    let by_phone = match (proof.phone.as_deref().map(PhoneNumber::parse), answers.get("phone").map(|p| PhoneNumber::parse(p))) {
        (Some(Ok(given)), Some(Ok(stored))) => given == stored,
        _ => false,
    };
    if !(by_secret || by_phone) {
        store::dossier::record_failure(&db, &limit_key, &to_iso_datetime(now), &since).await?;
        return Err(ApiError::Forbidden);
    }
    json(&PrivateView { status: public(row)?, answers }, None)
}
