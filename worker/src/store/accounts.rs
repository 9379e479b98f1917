//! Staff accounts, their sessions and second factors.

use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::error::ApiResult;

/// An account as stored.
#[derive(Deserialize)]
pub struct StaffRow {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub agency_code: String,
    pub agency_name: Option<String>,
    pub roles: String,
    pub delegated_approval: i64,
    pub password_hash: String,
    pub must_change_password: i64,
    pub totp_secret: Option<String>,
    pub totp_last: Option<f64>,
    /// The session's sign-in step still to do, and its times (`by_session` only).
    #[serde(default)]
    pub pending: Option<String>,
    #[serde(default)]
    pub opened_at: Option<String>,
    #[serde(default)]
    pub last_seen: Option<String>,
}

const COLUMNS: &str = "st.id, st.username, st.name, st.agency_code, a.name AS agency_name, st.roles, st.delegated_approval, \
    st.password_hash, st.must_change_password, st.totp_secret, st.totp_last";

pub async fn by_username(db: &D1Database, username: &str) -> ApiResult<Option<StaffRow>> {
    Ok(db
        .prepare(format!(
            "SELECT {COLUMNS} FROM staff st LEFT JOIN agencies a ON a.code = st.agency_code WHERE st.username = ?1 AND st.active = 1"
        ))
        .bind(&[JsValue::from_str(username)])?
        .first::<StaffRow>(None)
        .await?)
}

/// The account behind a session token, with the session's times and pending step (whether it
/// is still alive is core's rule: `SessionTimes::alive`).
pub async fn by_session(db: &D1Database, token_hash: &str) -> ApiResult<Option<StaffRow>> {
    Ok(by_session_statement(db, token_hash)?.first::<StaffRow>(None).await?)
}

/// `by_session` as a statement for a read batch (its answer: at most one `StaffRow`).
pub fn by_session_statement(db: &D1Database, token_hash: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(format!(
            "SELECT {COLUMNS}, s.pending, s.created_at AS opened_at, COALESCE(s.last_seen, s.created_at) AS last_seen \
             FROM sessions s JOIN staff st ON st.id = s.staff_id LEFT JOIN agencies a ON a.code = st.agency_code \
             WHERE s.token_hash = ?1 AND st.active = 1"
        ))
        .bind(&[JsValue::from_str(token_hash)])?)
}

/// Writes down a session's use (a live one: the caller checked).
pub async fn touch_session(db: &D1Database, token_hash: &str, now: &str) -> ApiResult<()> {
    db.prepare("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1").bind(&[JsValue::from_str(token_hash), JsValue::from_str(now)])?.run().await?;
    Ok(())
}

pub async fn open_session(db: &D1Database, token_hash: &str, staff_id: i64, now: &str, expires: &str, pending: Option<&str>) -> ApiResult<()> {
    // Expired sessions of the account go at the same time: the table never grows unbounded.
    let clean = db
        .prepare("DELETE FROM sessions WHERE staff_id = ?1 AND expires_at <= ?2")
        .bind(&[JsValue::from_f64(staff_id as f64), JsValue::from_str(now)])?;
    let open = db
        .prepare("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at, last_seen, pending) VALUES (?1, ?2, ?3, ?4, ?3, ?5)")
        .bind(&[
            JsValue::from_str(token_hash),
            JsValue::from_f64(staff_id as f64),
            JsValue::from_str(now),
            JsValue::from_str(expires),
            pending.map_or(JsValue::NULL, JsValue::from_str),
        ])?;
    db.batch(vec![clean, open]).await?;
    Ok(())
}

pub async fn close_session(db: &D1Database, token_hash: &str) -> ApiResult<()> {
    db.prepare("DELETE FROM sessions WHERE token_hash = ?1").bind(&[JsValue::from_str(token_hash)])?.run().await?;
    Ok(())
}

/// The session moves to its next sign-in step (`None`: done).
pub async fn set_pending(db: &D1Database, token_hash: &str, pending: Option<&str>) -> ApiResult<()> {
    db.prepare("UPDATE sessions SET pending = ?2 WHERE token_hash = ?1")
        .bind(&[JsValue::from_str(token_hash), pending.map_or(JsValue::NULL, JsValue::from_str)])?
        .run()
        .await?;
    Ok(())
}

/// A new password: the forced change is done, and the account's other sessions end.
pub async fn set_password(db: &D1Database, staff_id: i64, hash: &str, keep_session: &str) -> ApiResult<()> {
    let id = JsValue::from_f64(staff_id as f64);
    db.batch(vec![
        db.prepare("UPDATE staff SET password_hash = ?2, must_change_password = 0 WHERE id = ?1").bind(&[id.clone(), JsValue::from_str(hash)])?,
        db.prepare("DELETE FROM sessions WHERE staff_id = ?1 AND token_hash <> ?2").bind(&[id, JsValue::from_str(keep_session)])?,
    ])
    .await?;
    Ok(())
}

/// An admin's reset: a temporary password to change at the next sign-in, the second factor
/// to set up again, every session ended.
pub async fn reset_password(db: &D1Database, staff_id: i64, hash: &str) -> ApiResult<()> {
    let id = JsValue::from_f64(staff_id as f64);
    db.batch(vec![
        db.prepare("UPDATE staff SET password_hash = ?2, must_change_password = 1, totp_secret = NULL, totp_last = NULL WHERE id = ?1")
            .bind(&[id.clone(), JsValue::from_str(hash)])?,
        db.prepare("DELETE FROM sessions WHERE staff_id = ?1").bind(&[id])?,
    ])
    .await?;
    Ok(())
}

/// The second factor's secret (base32), set once the first code from it was right.
pub async fn set_totp(db: &D1Database, staff_id: i64, secret: &str, step: u64) -> ApiResult<()> {
    db.prepare("UPDATE staff SET totp_secret = ?2, totp_last = ?3 WHERE id = ?1")
        .bind(&[JsValue::from_f64(staff_id as f64), JsValue::from_str(secret), JsValue::from_f64(step as f64)])?
        .run()
        .await?;
    Ok(())
}

/// A code was used: the same one cannot serve twice. `false` when another request used it
/// (or a later one) first.
pub async fn use_totp_step(db: &D1Database, staff_id: i64, step: u64) -> ApiResult<bool> {
    let r = db
        .prepare("UPDATE staff SET totp_last = ?2 WHERE id = ?1 AND (totp_last IS NULL OR totp_last < ?2)")
        .bind(&[JsValue::from_f64(staff_id as f64), JsValue::from_f64(step as f64)])?
        .run()
        .await?;
    Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0) == 1)
}

#[derive(Deserialize)]
pub struct AccountRow {
    pub username: String,
    pub name: String,
    pub roles: String,
    pub delegated_approval: i64,
    pub active: i64,
    pub email: Option<String>,
}

pub async fn accounts(db: &D1Database, agency: &str) -> ApiResult<Vec<AccountRow>> {
    Ok(db
        .prepare("SELECT username, name, roles, delegated_approval, active, email FROM staff WHERE agency_code = ?1 ORDER BY username LIMIT 500")
        .bind(&[JsValue::from_str(agency)])?
        .all()
        .await?
        .results::<AccountRow>()?)
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub name: &'a str,
    pub agency: &'a str,
    pub roles: &'a str,
    pub delegated_approval: bool,
    pub password_hash: &'a str,
    pub now: &'a str,
    pub email: Option<&'a str>,
}

/// `false` when the user name is taken.
pub async fn create(db: &D1Database, s: &NewStaff<'_>) -> ApiResult<bool> {
    let result = create_statement(db, s)?.run().await;
    match result {
        Ok(_) => Ok(true),
        Err(e) if super::unique_violation(&e, None) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The insert of an account, for a batch with something else (a new agency and its admin).
pub fn create_statement(db: &D1Database, s: &NewStaff<'_>) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(
            "INSERT INTO staff (username, name, agency_code, roles, delegated_approval, password_hash, created_at, email) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(&[
            JsValue::from_str(s.username),
            JsValue::from_str(s.name),
            JsValue::from_str(s.agency),
            JsValue::from_str(s.roles),
            JsValue::from_f64(f64::from(u8::from(s.delegated_approval))),
            JsValue::from_str(s.password_hash),
            JsValue::from_str(s.now),
            s.email.map_or(JsValue::NULL, JsValue::from_str),
        ])?)
}

/// Deactivates an account and ends all its sessions at once, in one batch.
pub async fn deactivate(db: &D1Database, staff_id: i64) -> ApiResult<()> {
    let id = JsValue::from_f64(staff_id as f64);
    let off = db.prepare("UPDATE staff SET active = 0 WHERE id = ?1").bind(&[id.clone()])?;
    let end = db.prepare("DELETE FROM sessions WHERE staff_id = ?1").bind(&[id])?;
    db.batch(vec![off, end]).await?;
    Ok(())
}

