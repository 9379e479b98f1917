use motcua_core::calendar::{Calendar, YearDecision};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct DecisionRow {
    body: String,
}

/// The calendar with the decisions of `first..=last` (a primary-key range read).
pub async fn calendar(db: &D1Database, first: i32, last: i32) -> ApiResult<Calendar> {
    let rows: Vec<DecisionRow> = db
        .prepare("SELECT body FROM calendar_decisions WHERE year BETWEEN ?1 AND ?2")
        .bind(&[JsValue::from_f64(first as f64), JsValue::from_f64(last as f64)])?
        .all()
        .await?
        .results()?;
    let decisions = rows
        .into_iter()
        .map(|r| serde_json::from_str::<YearDecision>(&r.body).map_err(|e| ApiError::Internal(format!("calendar decision: {e}"))))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Calendar::with_decisions(decisions))
}
