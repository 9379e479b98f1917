use motcua_core::dossier::DossierCode;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::error::{ApiError, ApiResult};

/// A dossier as stored, without the applicant's answers.
#[derive(Deserialize)]
pub struct DossierRow {
    pub code: String,
    pub procedure_id: String,
    pub procedure_name: String,
    pub status: u8,
    pub submitted_at: String,
    pub due_at: String,
    pub days: u16,
}

const ROW_COLUMNS: &str = "code, procedure_id, procedure_name, status, submitted_at, due_at, days";

pub struct NewDossier<'a> {
    pub code: &'a DossierCode,
    pub procedure_id: &'a str,
    pub procedure_name: &'a str,
    pub status: u8,
    pub submitted_at: &'a str,
    pub due_at: &'a str,
    pub days: u16,
    pub answers_json: &'a str,
    pub secret_hash: &'a str,
    pub idempotency_key: &'a str,
    pub documents_json: &'a str,
}

#[derive(Deserialize)]
struct SequenceRow {
    last: u32,
}

/// The next number of the agency's day: one atomic upsert, so concurrent submissions never
/// get the same one.
pub async fn next_sequence(db: &D1Database, agency: &str, day: &str) -> ApiResult<u32> {
    let row = db
        .prepare(
            "INSERT INTO dossier_sequences (agency_code, day, last) VALUES (?1, ?2, 1) \
             ON CONFLICT (agency_code, day) DO UPDATE SET last = last + 1 RETURNING last",
        )
        .bind(&[JsValue::from_str(agency), JsValue::from_str(day)])?
        .first::<SequenceRow>(None)
        .await?;
    row.map(|r| r.last).ok_or_else(|| ApiError::Internal("sequence upsert returned nothing".into()))
}

pub async fn by_idempotency_key(db: &D1Database, key: &str) -> ApiResult<Option<DossierRow>> {
    Ok(db
        .prepare(format!("SELECT {ROW_COLUMNS} FROM dossiers WHERE idempotency_key = ?1"))
        .bind(&[JsValue::from_str(key)])?
        .first::<DossierRow>(None)
        .await?)
}

pub async fn by_code(db: &D1Database, code: &DossierCode) -> ApiResult<Option<DossierRow>> {
    Ok(db
        .prepare(format!("SELECT {ROW_COLUMNS} FROM dossiers WHERE code = ?1"))
        .bind(&[JsValue::from_str(code.as_str())])?
        .first::<DossierRow>(None)
        .await?)
}

/// Outcome of an insert: stored, or another request with the same idempotency key won.
pub enum Inserted {
    Stored,
    DuplicateKey,
}

/// The dossier and its first history event in one D1 batch (one transaction).
pub async fn insert(db: &D1Database, d: &NewDossier<'_>) -> ApiResult<Inserted> {
    let dossier = db
        .prepare(
            "INSERT INTO dossiers (code, agency_code, procedure_id, procedure_name, status, channel, submitted_at, due_at, days, answers, secret_hash, idempotency_key, documents) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'online', ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )
        .bind(&[
            JsValue::from_str(d.code.as_str()),
            JsValue::from_str(d.code.agency()),
            JsValue::from_str(d.procedure_id),
            JsValue::from_str(d.procedure_name),
            JsValue::from_f64(f64::from(d.status)),
            JsValue::from_str(d.submitted_at),
            JsValue::from_str(d.due_at),
            JsValue::from_f64(f64::from(d.days)),
            JsValue::from_str(d.answers_json),
            JsValue::from_str(d.secret_hash),
            JsValue::from_str(d.idempotency_key),
            JsValue::from_str(d.documents_json),
        ])?;
    let event = db
        .prepare("INSERT INTO dossier_events (dossier_code, at, status, note) VALUES (?1, ?2, ?3, 'Nộp trực tuyến')")
        .bind(&[JsValue::from_str(d.code.as_str()), JsValue::from_str(d.submitted_at), JsValue::from_f64(f64::from(d.status))])?;
    match db.batch(vec![dossier, event]).await {
        Ok(_) => Ok(Inserted::Stored),
        Err(e) if e.to_string().contains("idempotency_key") => Ok(Inserted::DuplicateKey),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct PrivateRow {
    answers: String,
    secret_hash: String,
}

/// The stored answers and secret hash of a dossier.
pub async fn private(db: &D1Database, code: &DossierCode) -> ApiResult<Option<(String, String)>> {
    let row = db
        .prepare("SELECT answers, secret_hash FROM dossiers WHERE code = ?1")
        .bind(&[JsValue::from_str(code.as_str())])?
        .first::<PrivateRow>(None)
        .await?;
    Ok(row.map(|r| (r.answers, r.secret_hash)))
}

#[derive(Deserialize)]
struct FailuresRow {
    failures: u32,
}

/// Failures of `key` in the window that started at or after `since`.
pub async fn failures(db: &D1Database, key: &str, since: &str) -> ApiResult<u32> {
    let row = db
        .prepare("SELECT failures FROM rate_limits WHERE key = ?1 AND window_start >= ?2")
        .bind(&[JsValue::from_str(key), JsValue::from_str(since)])?
        .first::<FailuresRow>(None)
        .await?;
    Ok(row.map_or(0, |r| r.failures))
}

/// Counts one failure: a new window when the last one is older than `since`.
pub async fn record_failure(db: &D1Database, key: &str, now: &str, since: &str) -> ApiResult<()> {
    db.prepare(
        "INSERT INTO rate_limits (key, window_start, failures) VALUES (?1, ?2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN window_start >= ?3 THEN failures + 1 ELSE 1 END, \
           window_start = CASE WHEN window_start >= ?3 THEN window_start ELSE ?2 END",
    )
    .bind(&[JsValue::from_str(key), JsValue::from_str(now), JsValue::from_str(since)])?
    .run()
    .await?;
    Ok(())
}
