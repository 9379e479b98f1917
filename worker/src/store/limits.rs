//! Attempts per key in a fixed time window (tracking lookups, staff logins, submissions and
//! uploads per client). An attempt is counted before the work it guards, in one atomic upsert
//! that answers the new count, so parallel requests cannot all slip under a limit; a success
//! may then be forgiven.

use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::error::ApiResult;

#[derive(Deserialize)]
struct CountRow {
    failures: u32,
}

/// Counts one attempt under `key` and answers the count in the window (`count_of` reads it): a
/// statement, so a handler can put it in its own read batch.
pub fn attempt(db: &D1Database, key: &str, now: &str, since: &str) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare(
            "INSERT INTO rate_limits (key, window_start, failures) VALUES (?1, ?2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN window_start >= ?3 THEN failures + 1 ELSE 1 END, \
               window_start = CASE WHEN window_start >= ?3 THEN window_start ELSE ?2 END \
             RETURNING failures",
        )
        .bind(&[JsValue::from_str(key), JsValue::from_str(now), JsValue::from_str(since)])?)
}

/// Counts one attempt under each key (windows that started before `since` start again) and
/// answers the counts now, in order: one round trip.
pub async fn attempts(db: &D1Database, keys: &[&str], now: &str, since: &str) -> ApiResult<Vec<u32>> {
    let statements = keys.iter().map(|k| attempt(db, k, now, since)).collect::<ApiResult<Vec<_>>>()?;
    let results = db.batch(statements).await?;
    results.iter().map(count_of).collect()
}

/// The count an `attempt` statement answered.
pub fn count_of(result: &worker::D1Result) -> ApiResult<u32> {
    Ok(result.results::<CountRow>()?.first().map_or(0, |c| c.failures))
}

/// Takes back one attempt under each key: it succeeded, only failures should add up.
pub async fn forgive(db: &D1Database, keys: &[&str]) -> ApiResult<()> {
    let statements = keys
        .iter()
        .map(|k| Ok(db.prepare("UPDATE rate_limits SET failures = MAX(failures - 1, 0) WHERE key = ?1").bind(&[JsValue::from_str(k)])?))
        .collect::<ApiResult<Vec<_>>>()?;
    db.batch(statements).await?;
    Ok(())
}

/// Windows that started before `before` count nothing any more: the Cron Trigger deletes them.
pub async fn purge(db: &D1Database, before: &str) -> ApiResult<u32> {
    let r = db.prepare("DELETE FROM rate_limits WHERE window_start < ?1").bind(&[JsValue::from_str(before)])?.run().await?;
    Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0) as u32)
}
