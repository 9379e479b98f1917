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
}

const COLUMNS: &str = "st.id, st.username, st.name, st.agency_code, a.name AS agency_name, st.roles, st.delegated_approval, st.password_hash";

pub async fn by_username(db: &D1Database, username: &str) -> ApiResult<Option<StaffRow>> {
    Ok(db
        .prepare(format!(
            "SELECT {COLUMNS} FROM staff st LEFT JOIN agencies a ON a.code = st.agency_code WHERE st.username = ?1 AND st.active = 1"
        ))
        .bind(&[JsValue::from_str(username)])?
        .first::<StaffRow>(None)
        .await?)
}

/// The account behind a live session: unexpired, and the account still active.
pub async fn by_session(db: &D1Database, token_hash: &str, now: &str) -> ApiResult<Option<StaffRow>> {
    Ok(db
        .prepare(format!(
            "SELECT {COLUMNS} FROM sessions s JOIN staff st ON st.id = s.staff_id \
             LEFT JOIN agencies a ON a.code = st.agency_code \
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND st.active = 1"
        ))
        .bind(&[JsValue::from_str(token_hash), JsValue::from_str(now)])?
        .first::<StaffRow>(None)
        .await?)
}

pub async fn open_session(db: &D1Database, token_hash: &str, staff_id: i64, now: &str, expires: &str) -> ApiResult<()> {
    // Expired sessions of the account go at the same time: the table never grows unbounded.
    let clean = db
        .prepare("DELETE FROM sessions WHERE staff_id = ?1 AND expires_at <= ?2")
        .bind(&[JsValue::from_f64(staff_id as f64), JsValue::from_str(now)])?;
    let open = db
        .prepare("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[JsValue::from_str(token_hash), JsValue::from_f64(staff_id as f64), JsValue::from_str(now), JsValue::from_str(expires)])?;
    db.batch(vec![clean, open]).await?;
    Ok(())
}

pub async fn close_session(db: &D1Database, token_hash: &str) -> ApiResult<()> {
    db.prepare("DELETE FROM sessions WHERE token_hash = ?1").bind(&[JsValue::from_str(token_hash)])?.run().await?;
    Ok(())
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
        Err(e) if e.to_string().contains("UNIQUE") => Ok(false),
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

/// Deactivates an account of `agency` and ends all its sessions at once, in one batch.
/// `false` when there is no such account in that agency.
pub async fn deactivate(db: &D1Database, agency: &str, username: &str) -> ApiResult<bool> {
    let exists = db
        .prepare("SELECT id FROM staff WHERE username = ?1 AND agency_code = ?2")
        .bind(&[JsValue::from_str(username), JsValue::from_str(agency)])?
        .first::<IdRow>(None)
        .await?;
    let Some(IdRow { id }) = exists else { return Ok(false) };
    let off = db.prepare("UPDATE staff SET active = 0 WHERE id = ?1").bind(&[JsValue::from_f64(id as f64)])?;
    let end = db.prepare("DELETE FROM sessions WHERE staff_id = ?1").bind(&[JsValue::from_f64(id as f64)])?;
    db.batch(vec![off, end]).await?;
    Ok(true)
}

#[derive(Deserialize)]
struct IdRow {
    id: i64,
}
