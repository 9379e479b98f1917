//! Failed attempts per key in a time window (tracking lookups, staff logins).

use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::error::ApiResult;

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
