//! Routing: path → handler, with the method checked per path so a wrong method is a 405
//! (with `Allow`), an unknown path a 404, both in the JSON error body.

mod catalogue;

use serde::Serialize;
use worker::{Env, Method, Request, Response};

use crate::error::{ApiError, ApiResult};

pub async fn route(req: &Request, env: &Env) -> ApiResult<Response> {
    let url = req.url()?;
    let segments: Vec<&str> = url.path().trim_matches('/').split('/').collect();
    let get_only = |method: Method| -> ApiResult<()> {
        match method {
            Method::Get => Ok(()),
            _ => Err(ApiError::MethodNotAllowed { allow: "GET" }),
        }
    };
    match segments.as_slice() {
        ["api", "health"] => {
            get_only(req.method())?;
            json(&serde_json::json!({ "status": "ok" }), None)
        }
        ["api", "procedures"] => {
            get_only(req.method())?;
            catalogue::search(env, &url).await
        }
        ["api", "procedures", id] => {
            get_only(req.method())?;
            catalogue::procedure(env, id).await
        }
        ["api", "fields"] => {
            get_only(req.method())?;
            catalogue::fields(env).await
        }
        ["api", "agencies"] => {
            get_only(req.method())?;
            catalogue::agencies(env).await
        }
        ["api", "catalogue", "kpis"] => {
            get_only(req.method())?;
            catalogue::kpis(env).await
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
