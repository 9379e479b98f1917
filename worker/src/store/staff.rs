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
