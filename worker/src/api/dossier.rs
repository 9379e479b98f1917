//! Online submission and public tracking of dossiers.

use chrono::Datelike;
use motcua_core::calendar::from_unix_millis;
use motcua_core::date::{parse_iso_datetime, to_iso, to_iso_datetime};
use motcua_core::dossier::{DossierCode, DossierStatus, PublicStatus, Receipt, SubmitRequest};
use motcua_core::duration::WorkingDuration;
use motcua_core::form::{applicant_section, validate};
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
    let days = match (procedure.online, procedure.days_online, procedure.calendar_days) {
        (Some(level), Some(days), false) if level.accepts_online_submission() => days,
        _ => return Err(ApiError::Unprocessable(ErrorBody::from_code(ErrorCode::NotOnline))),
    };
    let answers = validate(&[applicant_section()], &request.answers).map_err(|fields| {
        ApiError::Unprocessable(ErrorBody { fields, ..ErrorBody::from_code(ErrorCode::Validation) })
    })?;
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

pub async fn status(env: &Env, code: &str) -> ApiResult<Response> {
    let not_found = || ApiError::NotFound("Không tìm thấy hồ sơ với mã này.");
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let row = store::dossier::by_code(&env.d1("DB")?, &code).await?.ok_or_else(not_found)?;
    let r = receipt(row, String::new())?;
    json(
        &PublicStatus {
            code: r.code,
            procedure: r.procedure,
            procedure_name: r.procedure_name,
            status: r.status,
            status_label: r.status.label_vi().to_owned(),
            submitted_at: r.submitted_at,
            due_at: r.due_at,
        },
        None,
    )
}
