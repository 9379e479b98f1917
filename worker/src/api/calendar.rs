//! Public calendar: the effective working calendar of a year, and due-date estimates.

use chrono::Datelike;
use motcua_core::calendar::{from_unix_millis, parse_year};
use motcua_core::query::DueQuery;
use motcua_core::{ErrorBody, ErrorCode};
use worker::{Date, Response, Url};

use super::Cx;
use super::json;
use crate::error::{ApiError, ApiResult};
use crate::store;

pub async fn year(cx: &Cx<'_>, year: &str) -> ApiResult<Response> {
    let year = parse_year(year).map_err(|e| ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, e.to_string())))?;
    // Compensatory days of late December spill into the next year: read the year before too.
    let calendar = store::calendar::calendar(cx.env, year - 1, year).await?;
    let table = calendar.year(year).map_err(|e| ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, e.to_string())))?;
    json(&table, Some(300))
}

pub async fn due(cx: &Cx<'_>, url: &Url) -> ApiResult<Response> {
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let query = DueQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|e| match e.code {
        ErrorCode::Validation => ApiError::Unprocessable(e),
        _ => ApiError::BadRequest(e),
    })?;
    let from = match query.from {
        Some(t) => t,
        None => from_unix_millis(Date::now().as_millis() as i64).ok_or_else(|| ApiError::Internal("clock".into()))?,
    };
    // A year of working days never needs more than the next two years' decisions.
    let calendar = store::calendar::calendar(cx.env, from.year() - 1, from.year() + 2).await?;
    let estimate = calendar.estimate(from, query.leg);
    // "Now" changes every minute; an explicit instant always gives the same answer.
    json(&estimate, query.from.map(|_| 300))
}
