//! The outbox of notices (migration 0015) and the push subscriptions.

use motcua_core::date::to_iso_datetime;
use motcua_core::notify::Notice;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::error::{ApiError, ApiResult};

/// The statements that queue `n` on every channel the dossier has: e-mail when the applicant
/// gave an address and has not opted out, push for each subscription. They read the dossier in
/// the same batch as the event, so a notice exists exactly when its event does.
pub fn queue(db: &D1Database, n: &Notice, version: u32, origin: &str) -> ApiResult<Vec<D1PreparedStatement>> {
    let facts = serde_json::to_string(n).map_err(|e| ApiError::Internal(e.to_string()))?;
    let now = to_iso_datetime(n.at);
    let binds = [
        JsValue::from_str(n.code.as_str()),
        JsValue::from_f64(f64::from(version)),
        JsValue::from_str(n.kind.as_str()),
        JsValue::from_str(&facts),
        JsValue::from_str(origin),
        JsValue::from_str(&now),
    ];
    let columns = "INSERT INTO notices (dossier_code, event_version, kind, channel, target, facts, origin, created_at, updated_at)";
    Ok(vec![
        db.prepare(format!(
            "{columns} SELECT ?1, ?2, ?3, 'email', NULL, ?4, ?5, ?6, ?6 FROM dossiers \
             WHERE code = ?1 AND email_optout = 0 AND COALESCE(json_extract(answers, '$.email'), '') <> ''"
        ))
        .bind(&binds)?,
        db.prepare(format!("{columns} SELECT ?1, ?2, ?3, 'push', CAST(id AS TEXT), ?4, ?5, ?6, ?6 FROM push_subscriptions WHERE dossier_code = ?1"))
            .bind(&binds)?,
    ])
}

/// A notice row as stored.
#[derive(Deserialize, Clone)]
pub struct NoticeRow {
    pub id: f64,
    pub dossier_code: String,
    pub event_version: u32,
    pub kind: String,
    pub channel: String,
    pub target: Option<String>,
    pub status: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub facts: String,
    pub origin: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, dossier_code, event_version, kind, channel, target, status, attempts, last_error, facts, origin, updated_at";

/// The notices of one event still to deliver.
pub async fn queued(db: &D1Database, code: &str, version: u32) -> ApiResult<Vec<NoticeRow>> {
    Ok(db
        .prepare(format!("SELECT {COLUMNS} FROM notices WHERE dossier_code = ?1 AND event_version = ?2 AND status = 'queued' ORDER BY id"))
        .bind(&[JsValue::from_str(code), JsValue::from_f64(f64::from(version))])?
        .all()
        .await?
        .results::<NoticeRow>()?)
}

/// Every notice of a dossier, oldest first (the staff page, the applicant's view), as a
/// statement for a read batch.
pub fn of_dossier(db: &D1Database, code: &str) -> ApiResult<D1PreparedStatement> {
    Ok(db.prepare(format!("SELECT {COLUMNS} FROM notices WHERE dossier_code = ?1 ORDER BY id")).bind(&[JsValue::from_str(code)])?)
}

/// Records a delivery attempt: `status` sent, failed or still queued (to be retried).
pub async fn record(db: &D1Database, id: f64, status: &str, attempts: u32, error: Option<&str>, now: &str) -> ApiResult<()> {
    db.prepare("UPDATE notices SET status = ?2, attempts = ?3, last_error = ?4, updated_at = ?5 WHERE id = ?1")
        .bind(&[
            JsValue::from_f64(id),
            JsValue::from_str(status),
            JsValue::from_f64(f64::from(attempts)),
            error.map_or(JsValue::NULL, JsValue::from_str),
            JsValue::from_str(now),
        ])?
        .run()
        .await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct Pending {
    pub dossier_code: String,
    pub event_version: u32,
}

/// Events whose notices are still queued since before `before`: their queue message was lost
/// (a restart) or is overdue; the sweep sends them again.
pub async fn stale(db: &D1Database, before: &str) -> ApiResult<Vec<Pending>> {
    Ok(db
        .prepare("SELECT DISTINCT dossier_code, event_version FROM notices WHERE status = 'queued' AND updated_at < ?1 LIMIT 200")
        .bind(&[JsValue::from_str(before)])?
        .all()
        .await?
        .results::<Pending>()?)
}

/// What delivery needs of the dossier: the applicant's e-mail address (if any, and not opted out).
pub async fn email_of(db: &D1Database, code: &str) -> ApiResult<Option<String>> {
    #[derive(Deserialize)]
    struct Row {
        email: Option<String>,
    }
    let row = db
        .prepare("SELECT json_extract(answers, '$.email') AS email FROM dossiers WHERE code = ?1 AND email_optout = 0")
        .bind(&[JsValue::from_str(code)])?
        .first::<Row>(None)
        .await?;
    Ok(row.and_then(|r| r.email).filter(|e| !e.trim().is_empty()))
}

pub async fn opt_out(db: &D1Database, code: &str) -> ApiResult<()> {
    db.prepare("UPDATE dossiers SET email_optout = 1 WHERE code = ?1").bind(&[JsValue::from_str(code)])?.run().await?;
    Ok(())
}

/// A push subscription as stored.
#[derive(Deserialize, Clone)]
pub struct SubscriptionRow {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

pub async fn subscription(db: &D1Database, id: &str) -> ApiResult<Option<SubscriptionRow>> {
    let id: f64 = id.parse().map_err(|_| ApiError::Internal(format!("push target {id:?}")))?;
    Ok(db
        .prepare("SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = ?1")
        .bind(&[JsValue::from_f64(id)])?
        .first::<SubscriptionRow>(None)
        .await?)
}

/// Adds (or renews the keys of) a subscription of `code`.
pub async fn subscribe(db: &D1Database, code: &str, endpoint: &str, p256dh: &str, auth: &str, now: &str) -> ApiResult<()> {
    db.prepare(
        "INSERT INTO push_subscriptions (dossier_code, endpoint, p256dh, auth, created_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (dossier_code, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth",
    )
    .bind(&[JsValue::from_str(code), JsValue::from_str(endpoint), JsValue::from_str(p256dh), JsValue::from_str(auth), JsValue::from_str(now)])?
    .run()
    .await?;
    Ok(())
}

/// Removes a subscription; `true` when there was one.
pub async fn unsubscribe(db: &D1Database, code: &str, endpoint: &str) -> ApiResult<bool> {
    let r = db
        .prepare("DELETE FROM push_subscriptions WHERE dossier_code = ?1 AND endpoint = ?2")
        .bind(&[JsValue::from_str(code), JsValue::from_str(endpoint)])?
        .run()
        .await?;
    Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
}

/// The push service said the subscription is gone (404/410): forget it.
pub async fn forget(db: &D1Database, id: f64) -> ApiResult<()> {
    db.prepare("DELETE FROM push_subscriptions WHERE id = ?1").bind(&[JsValue::from_f64(id)])?.run().await?;
    Ok(())
}

/// Active staff with an e-mail address, for the morning digest.
#[derive(Deserialize)]
pub struct Recipient {
    pub username: String,
    pub name: String,
    pub agency_code: String,
    pub roles: String,
    pub email: String,
}

pub async fn digest_recipients(db: &D1Database) -> ApiResult<Vec<Recipient>> {
    Ok(db
        .prepare("SELECT username, name, agency_code, roles, email FROM staff WHERE active = 1 AND COALESCE(email, '') <> ''")
        .all()
        .await?
        .results::<Recipient>()?)
}

#[derive(Deserialize)]
pub struct DueRow {
    pub code: String,
    pub procedure_name: String,
    pub step_due_at: String,
}

/// An agency's dossiers waiting in `queues` with a step due before `until`.
pub async fn due_in_queues(db: &D1Database, agency: &str, queues: &[&str], until: &str) -> ApiResult<Vec<DueRow>> {
    let list: Vec<String> = queues.iter().map(|q| format!("'{q}'")).collect();
    Ok(db
        .prepare(format!(
            "SELECT code, procedure_name, step_due_at FROM dossiers WHERE agency_code = ?1 AND queue IN ({}) AND step_due_at < ?2 \
             ORDER BY step_due_at LIMIT 200",
            list.join(", ")
        ))
        .bind(&[JsValue::from_str(agency), JsValue::from_str(until)])?
        .all()
        .await?
        .results::<DueRow>()?)
}
