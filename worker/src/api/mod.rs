//! Routing: path → handler, with the method checked per path so a wrong method is a 405
//! (with `Allow`), an unknown path a 404, both in the JSON error body.

mod calendar;
mod catalogue;
mod dossier;
pub mod upload;

use serde::Serialize;
use worker::{Env, Request, Response};

use crate::error::{ApiError, ApiResult};

pub async fn route(req: &mut Request, env: &Env) -> ApiResult<Response> {
    let url = req.url()?;
    // Not trimmed: "/api/procedures/" names an empty code (404), not the search.
    let path = url.path();
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    // The raw method, not `worker::Method`: that enum reads any method it does not know
    // (QUERY, say) as GET.
    let method = req.inner().method();
    let get_only = |method: String| -> ApiResult<()> {
        match method.as_str() {
            "GET" => Ok(()),
            _ => Err(ApiError::MethodNotAllowed { allow: "GET" }),
        }
    };
    match segments.as_slice() {
        ["api", "health"] => {
            get_only(method.clone())?;
            json(&serde_json::json!({ "status": "ok" }), None)
        }
        ["api", "procedures"] => {
            get_only(method.clone())?;
            catalogue::search(env, &url).await
        }
        ["api", "procedures", id] => {
            get_only(method.clone())?;
            catalogue::procedure(env, id).await
        }
        ["api", "fields"] => {
            get_only(method.clone())?;
            catalogue::fields(env).await
        }
        ["api", "agencies"] => {
            get_only(method.clone())?;
            catalogue::agencies(env).await
        }
        ["api", "catalogue", "kpis"] => {
            get_only(method.clone())?;
            catalogue::kpis(env).await
        }
        ["api", "calendar", "due"] => {
            get_only(method.clone())?;
            calendar::due(env, &url).await
        }
        ["api", "calendar", year] => {
            get_only(method.clone())?;
            calendar::year(env, year).await
        }
        ["api", "uploads"] => match method.as_str() {
            "POST" => upload::upload(req, env).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "dossiers"] => match method.as_str() {
            "POST" => dossier::submit(req, env).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "dossiers", code, "qr.svg"] => {
            get_only(method.clone())?;
            dossier::qr(env, &url, code).await
        }
        ["api", "dossiers", code, "lookup"] => match method.as_str() {
            "POST" => {
                let code = code.to_string();
                dossier::lookup(req, env, &code).await
            }
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "dossiers", code] => {
            get_only(method.clone())?;
            dossier::status(env, code).await
        }
        _ => Err(ApiError::NotFound("Không có địa chỉ API này.")),
    }
}

/// A JSON answer; `max_age` lets browsers and the edge reuse public catalogue answers briefly.
pub fn json<T: Serialize>(value: &T, max_age: Option<u32>) -> ApiResult<Response> {
    let mut resp = Response::from_json(value)?;
    let cache = match max_age {
        Some(s) => format!("public, max-age={s}"),
        None => "no-store".to_owned(),
    };
    resp.headers_mut().set("Cache-Control", &cache)?;
    Ok(resp)
}
