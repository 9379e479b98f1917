use motcua_core::calendar::{Calendar, OfficeHours, YearDecision};
use motcua_core::date::parse_clock;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::Env;

use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct DecisionRow {
    body: String,
}

/// The calendar with the deployment's office hours and cut-off (wrangler vars `OFFICE_HOURS`,
/// `RECEPTION_CUTOFF`) and the decisions of `first..=last` (a primary-key range read).
pub async fn calendar(env: &Env, first: i32, last: i32) -> ApiResult<Calendar> {
    let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
    let hours = match var("OFFICE_HOURS").trim() {
        "" => OfficeHours::default(),
        text => OfficeHours::parse(text).map_err(|e| ApiError::Internal(format!("OFFICE_HOURS: {e}")))?,
    };
    let cutoff = match var("RECEPTION_CUTOFF").trim() {
        "" => None,
        text => Some(parse_clock(text).ok_or_else(|| ApiError::Internal(format!("RECEPTION_CUTOFF: {text:?}")))?),
    };
    let db = env.d1("DB")?;
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
    Ok(Calendar::new(hours, cutoff, decisions))
}
