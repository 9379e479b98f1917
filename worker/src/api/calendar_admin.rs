//! Calendar administration (the province's administrator: one calendar serves every agency): a year's government decision (official Tết span,
//! swapped Saturdays, extra days off) read, previewed as the year's working days, and saved.
//! Deadlines already fixed on dossiers keep their dates; new ones count with the saved year.

use motcua_core::calendar::{parse_year, YearDecision};
use motcua_core::form::FieldError;
use motcua_core::accounts::Staff;
use motcua_core::{ErrorBody, ErrorCode};
use worker::{Request, Response};

use super::{Cx, json, read_json};
use crate::error::{ApiError, ApiResult};
use crate::store;

fn year_of(text: &str) -> ApiResult<i32> {
    parse_year(text).map_err(|e| ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, e.to_string())))
}

/// The year's decision as stored, or an empty one (computed defaults apply) to start from.
pub async fn get(cx: &Cx<'_>, year: &str) -> ApiResult<Response> {
    let year = year_of(year)?;
    let stored = store::calendar::decision(&cx.db, year).await?;
    json(&stored.unwrap_or(YearDecision { year, ..Default::default() }), None)
}

async fn read_decision(req: &mut Request, year: i32) -> ApiResult<YearDecision> {
    let d: YearDecision = read_json(req, 64 * 1024, "Dữ liệu gửi lên phải là JSON của quyết định năm (year, source, tet, days_off, working_days).").await?;
    let invalid = |message: String| ApiError::validation(vec![FieldError { field: "decision".into(), message }]);
    if d.year != year {
        return Err(invalid(format!("Quyết định ghi năm {} nhưng đang sửa năm {year}.", d.year)));
    }
    if d.source.trim().is_empty() {
        return Err(ApiError::validation(vec![FieldError {
            field: "source".into(),
            message: "Vui lòng ghi văn bản quyết định (số, ngày, cơ quan ban hành).".into(),
        }]));
    }
    d.validate().map_err(|e| invalid(format!("Quyết định không hợp lệ: {e}.")))?;
    Ok(d)
}

/// The year's working days with the draft in place of the stored decision; nothing saved.
pub async fn preview(req: &mut Request, cx: &Cx<'_>, year: &str) -> ApiResult<Response> {
    let year = year_of(year)?;
    let draft = read_decision(req, year).await?;
    let calendar = store::calendar::calendar_with(cx.env, year - 1, year, Some(draft)).await?;
    let table = calendar.year(year).map_err(|e| ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, e.to_string())))?;
    json(&table, None)
}

pub async fn save(req: &mut Request, cx: &Cx<'_>, staff: &Staff, year: &str) -> ApiResult<Response> {
    let year = year_of(year)?;
    let decision = read_decision(req, year).await?;
    store::calendar::save(&cx.db, &decision, staff.username.as_str()).await?;
    json(&decision, None)
}
