//! Public catalogue: search, one procedure and its history, fields, agencies, indicators, all
//! as in force on the day.

use chrono::NaiveDate;
use motcua_core::catalogue::version::{ProcedurePage, VersionEntry, VersionMeta};
use motcua_core::catalogue::Procedure;
use motcua_core::date::to_vi;
use motcua_core::{ErrorBody, ErrorCode};
use motcua_core::query::ProcedureQuery;
use worker::{Request, Response, Url};

use super::{Cx, json};
use crate::error::{ApiError, ApiResult};
use crate::store;

// Catalogue answers change only on publication or at midnight; a minute of staleness in a
// browser is the price of not asking again on every page.
const MAX_AGE: u32 = 60;

const TEST_CLOCK_COOKIE: &str = "motcua_test_clock=";

/// The day whose catalogue is shown: today, or — only where the `TEST_CLOCK` var is "on" (the
/// test stack, never a deployment) — the day in the `motcua_test_clock` cookie, so a browser
/// test can look at tomorrow's catalogue without moving anyone else's clock.
pub fn day(req: &Request, cx: &Cx<'_>) -> ApiResult<NaiveDate> {
    let today = cx.now.date();
    if !test_clock(cx) {
        return Ok(today);
    }
    let cookies = req.headers().get("Cookie")?.unwrap_or_default();
    let set = cookies
        .split(';')
        .filter_map(|c| c.trim().strip_prefix(TEST_CLOCK_COOKIE))
        .find_map(motcua_core::date::parse_iso);
    Ok(set.unwrap_or(today))
}

fn test_clock(cx: &Cx<'_>) -> bool {
    cx.settings.test_clock
}

/// Under a test clock nothing may be cached: the same URL answers differently per cookie.
fn max_age(cx: &Cx<'_>) -> Option<u32> {
    (!test_clock(cx)).then_some(MAX_AGE)
}

pub async fn search(req: &Request, cx: &Cx<'_>, url: &Url) -> ApiResult<Response> {
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let query = ProcedureQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let page = store::catalogue::search(&cx.db, &cx.env.kv("KV")?, &query, day(req, cx)?).await?;
    json(&page, max_age(cx))
}

/// The procedure page: the record in force with its version (which says whether, and by which
/// decision, the procedure was repealed).
pub async fn procedure(req: &Request, cx: &Cx<'_>, id: &str) -> ApiResult<Response> {
    let db = &cx.db;
    // One query gives the history and the version in force with its record and its agency's
    // name today.
    let (history, current) = store::catalogue::history(db, id, day(req, cx)?).await?;
    let Some((version, procedure)) = current else { return Err(not_found()) };
    let procedure = Procedure { versions_html: Some(history_html(&history)), ..procedure };
    json(&ProcedurePage { procedure, version }, max_age(cx))
}

/// The procedure's own form pages in force on the day (the submission form asks them after
/// the applicant section).
pub async fn form(req: &Request, cx: &Cx<'_>, id: &str) -> ApiResult<Response> {
    let db = &cx.db;
    let Some((version, _)) = store::catalogue::procedure_at(db, id, day(req, cx)?).await? else { return Err(not_found()) };
    json(&store::catalogue::form(db, id, version.version).await?, max_age(cx))
}

pub fn not_found() -> ApiError {
    ApiError::NotFound("Không tìm thấy thủ tục hành chính với mã này.")
}

/// Versions that have taken effect, newest first, each with its field-by-field changes; with
/// `format=html`, the procedure page's block drawn from them.
pub async fn history(req: &Request, cx: &Cx<'_>, url: &Url, id: &str) -> ApiResult<Response> {
    let html = match url.query_pairs().find(|(k, _)| k == "format").map(|(_, v)| v.into_owned()).as_deref() {
        None | Some("json") => false,
        Some("html") => true,
        Some(_) => return Err(ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, "format phải là json hoặc html."))),
    };
    let (entries, _) = store::catalogue::history(&cx.db, id, day(req, cx)?).await?;
    if entries.is_empty() {
        return Err(not_found());
    }
    if !html {
        return json(&entries, max_age(cx));
    }
    let mut resp = Response::from_html(history_html(&entries))?;
    let cache = max_age(cx).map_or_else(|| "no-store".to_owned(), |s| format!("public, max-age={s}"));
    resp.headers_mut().set("Cache-Control", &cache)?;
    Ok(resp)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn since(meta: &VersionMeta) -> String {
    meta.effective_from.map_or_else(|| "danh mục ban đầu".to_owned(), |d| format!("hiệu lực từ {}", to_vi(d)))
}

/// The block under the procedure's title: a repeal notice when the version in force repeals
/// it, then the version in force, opening onto every version with what it changed. Every text
/// is escaped: records come from admins and imported files.
fn history_html(entries: &[VersionEntry]) -> String {
    let mut out = String::new();
    let Some(current) = entries.first().map(|e| &e.meta) else { return out };
    if current.repealed {
        out += &format!(
            "<p class=\"repealed\" role=\"status\">Thủ tục này đã bị bãi bỏ{} theo {}. Không còn tiếp nhận hồ sơ.</p>",
            current.effective_from.map(|d| format!(" từ ngày {}", to_vi(d))).unwrap_or_default(),
            escape(&current.decision)
        );
    }
    out += &format!(
        "<details class=\"versions\"><summary>Phiên bản {} đang áp dụng · {} · {} · xem {} phiên bản</summary><ol>",
        current.version,
        escape(&since(current)),
        escape(&current.decision),
        entries.len()
    );
    for e in entries {
        let what = if e.meta.repealed { " · bãi bỏ" } else { "" };
        out += &format!(
            "<li><p><strong>Phiên bản {}</strong> · {} · {}{what}</p>",
            e.meta.version,
            escape(&since(&e.meta)),
            escape(&e.meta.decision)
        );
        if !e.changes.is_empty() {
            out += "<table class=\"changes\"><thead><tr><th>Nội dung</th><th>Trước</th><th>Sau</th></tr></thead><tbody>";
            for c in &e.changes {
                out += &format!(
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
                    escape(&c.label),
                    escape(c.before.as_deref().unwrap_or("(trống)")),
                    escape(c.after.as_deref().unwrap_or("(trống)"))
                );
            }
            out += "</tbody></table>";
        }
        out += "</li>";
    }
    out += "</ol></details>";
    out
}

pub async fn fields(req: &Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let facets = store::catalogue::facets(&cx.db, &cx.env.kv("KV")?, day(req, cx)?).await?;
    json(&facets.fields, max_age(cx))
}

pub async fn agencies(req: &Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let facets = store::catalogue::facets(&cx.db, &cx.env.kv("KV")?, day(req, cx)?).await?;
    json(&facets.agencies, max_age(cx))
}

pub async fn kpis(req: &Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let facets = store::catalogue::facets(&cx.db, &cx.env.kv("KV")?, day(req, cx)?).await?;
    json(&facets.kpis, max_age(cx))
}
