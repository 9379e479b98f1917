use motcua_core::calendar::{Calendar, YearDecision};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
pub struct DecisionRow {
    body: String,
}

/// The calendar with the deployment's office hours and cut-off (wrangler vars `OFFICE_HOURS`,
/// `RECEPTION_CUTOFF`) and the decisions of `first..=last` (a primary-key range read).
pub async fn calendar(env: &Env, first: i32, last: i32) -> ApiResult<Calendar> {
    calendar_with(env, first, last, None).await
}

/// The same, with `draft` in place of its year's stored decision: an admin's preview.
pub async fn calendar_with(env: &Env, first: i32, last: i32, draft: Option<YearDecision>) -> ApiResult<Calendar> {
    let db = env.d1("DB")?;
    let rows: Vec<DecisionRow> = decisions(&db, first, last)?.all().await?.results()?;
    let mut calendar = rows.iter().map(|r| parse(&r.body)).collect::<ApiResult<Vec<_>>>()?;
    if let Some(d) = draft {
        calendar.retain(|x| x.year != d.year);
        calendar.push(d);
    }
    of(env, calendar)
}

/// The decisions of `first..=last` (a primary-key range), as a statement for a read batch.
pub fn decisions(db: &D1Database, first: i32, last: i32) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare("SELECT body FROM calendar_decisions WHERE year BETWEEN ?1 AND ?2")
        .bind(&[JsValue::from_f64(first as f64), JsValue::from_f64(last as f64)])?)
}

/// The calendar of the decisions a read batch answered (`decisions`).
pub fn from_rows(env: &Env, rows: Vec<DecisionRow>) -> ApiResult<Calendar> {
    of(env, rows.iter().map(|r| parse(&r.body)).collect::<ApiResult<Vec<_>>>()?)
}

fn of(env: &Env, decisions: Vec<YearDecision>) -> ApiResult<Calendar> {
    let settings = crate::api::settings(env)?;
    Ok(Calendar::new(settings.office_hours.clone(), settings.reception_cutoff, decisions))
}

fn parse(body: &str) -> ApiResult<YearDecision> {
    serde_json::from_str(body).map_err(|e| ApiError::Internal(format!("calendar decision: {e}")))
}

/// The stored decision of one year, if the government published one.
pub async fn decision(db: &D1Database, year: i32) -> ApiResult<Option<YearDecision>> {
    let row = db
        .prepare("SELECT body FROM calendar_decisions WHERE year = ?1")
        .bind(&[JsValue::from_f64(f64::from(year))])?
        .first::<DecisionRow>(None)
        .await?;
    row.map(|r| parse(&r.body)).transpose()
}

/// Replaces a year's decision (an admin's edit, kept across reloads of data/calendar.json).
pub async fn save(db: &D1Database, decision: &YearDecision, by: &str) -> ApiResult<()> {
    let body = serde_json::to_string(decision).map_err(|e| ApiError::Internal(e.to_string()))?;
    db.prepare("INSERT OR REPLACE INTO calendar_decisions (year, body, edited_by) VALUES (?1, ?2, ?3)")
        .bind(&[JsValue::from_f64(f64::from(decision.year)), JsValue::from_str(&body), JsValue::from_str(by)])?
        .run()
        .await?;
    Ok(())
}
