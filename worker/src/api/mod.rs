//! Routing: path → handler, with the method checked per path so a wrong method is a 405
//! (with `Allow`), an unknown path a 404, both in the JSON error body.

mod accounts;
mod agencies;
mod auth;
mod calendar;
mod calendar_admin;
mod catalogue;
mod catalogue_admin;
pub mod digest;
mod dossier;
mod notices;
mod rating;
mod record;
mod staff;
mod stats;
mod template;
pub mod upload;
mod verify;

use motcua_core::{ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use worker::{Context, Env, Request, Response};

use crate::error::{ApiError, ApiResult};

/// The Cron Trigger of the staff's morning digest: 00:00 UTC is 07:00 in Vietnam.
pub const DIGEST_CRON: &str = "0 0 * * *";

pub async fn route(req: &mut Request, env: &Env, ctx: &Context) -> ApiResult<Response> {
    let url = req.url()?;
    // Not trimmed: "/api/procedures/" names an empty code (404), not the search.
    let path = url.path();
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    // The raw method, not `worker::Method`: that enum reads any method it does not know
    // (QUERY, say) as GET. HEAD is a GET whose body the runtime drops (RFC 9110 §9.3.2).
    let method = match req.inner().method() {
        m if m == "HEAD" => "GET".to_owned(),
        m => m,
    };
    let get_only = |method: String| -> ApiResult<()> {
        match method.as_str() {
            "GET" => Ok(()),
            _ => Err(ApiError::MethodNotAllowed { allow: "GET, HEAD" }),
        }
    };
    match segments.as_slice() {
        ["api", "health"] => {
            get_only(method.clone())?;
            json(&serde_json::json!({ "status": "ok" }), None)
        }
        ["api", "procedures"] => {
            get_only(method.clone())?;
            catalogue::search(req, env, &url).await
        }
        ["api", "procedures", id] => {
            get_only(method.clone())?;
            catalogue::procedure(req, env, id).await
        }
        ["api", "procedures", id, "form"] => {
            get_only(method.clone())?;
            catalogue::form(req, env, id).await
        }
        ["api", "procedures", id, "versions"] => {
            get_only(method.clone())?;
            catalogue::history(req, env, &url, id).await
        }
        ["api", "fields"] => {
            get_only(method.clone())?;
            catalogue::fields(req, env).await
        }
        ["api", "agencies"] => {
            get_only(method.clone())?;
            catalogue::agencies(req, env).await
        }
        ["api", "catalogue", "kpis"] => {
            get_only(method.clone())?;
            catalogue::kpis(req, env).await
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
            "POST" => dossier::submit(req, env, ctx).await,
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
        ["api", "dossiers", code, "result-file"] => match method.as_str() {
            "POST" => {
                let code = code.to_string();
                dossier::result_file(req, env, &code).await
            }
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "dossiers", code, "supplement"] => match method.as_str() {
            "POST" => {
                let code = code.to_string();
                dossier::answer_supplement(req, env, ctx, &code).await
            }
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "dossiers", code] => {
            get_only(method.clone())?;
            dossier::status(env, code).await
        }
        ["api", "dossiers", code, "withdraw"] => match method.as_str() {
            "POST" => {
                let code = code.to_string();
                dossier::withdraw(req, env, ctx, &code).await
            }
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "dossiers", code, "recover"] => match method.as_str() {
            "POST" => {
                let code = code.to_string();
                dossier::recover(req, env, &code).await
            }
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "dossiers", code, "subscriptions"] => {
            let code = code.to_string();
            match method.as_str() {
                "POST" => notices::subscribe(req, env, &code).await,
                "DELETE" => notices::unsubscribe(req, env, &code).await,
                _ => Err(ApiError::MethodNotAllowed { allow: "POST, DELETE" }),
            }
        }
        ["api", "dossiers", code, "unsubscribe"] => match method.as_str() {
            "GET" | "POST" => notices::opt_out(env, &url, code).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "GET, HEAD, POST" }),
        },
        ["api", "push", "key"] => {
            get_only(method.clone())?;
            notices::key(env)
        }
        ["api", "dossiers", code, "evaluation"] => match method.as_str() {
            "POST" => {
                let code = code.to_string();
                rating::evaluate(req, env, &code).await
            }
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "surveys"] => match method.as_str() {
            "POST" => rating::survey(req, env).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "stats"] => {
            get_only(method.clone())?;
            stats::stats(env, &url, motcua_core::Lang::negotiate(&req.headers().get("Accept-Language")?.unwrap_or_default())).await
        }
        ["api", "ratings", "summary"] => {
            get_only(method.clone())?;
            rating::summary(env, &url).await
        }
        ["api", "templates", id] => {
            get_only(method.clone())?;
            template::download(env, id).await
        }
        ["api", "keys"] => {
            get_only(method.clone())?;
            verify::keys(env)
        }
        ["api", "verify", code] => {
            get_only(method.clone())?;
            verify::verify(env, &url, code).await
        }
        ["api", "verify", code, "qr.svg"] => {
            get_only(method.clone())?;
            // Only for a genuine link: the QR code of the result slip.
            verify::verify(env, &url, code).await?;
            let sig = url.query_pairs().find(|(k, _)| k == "sig").map(|(_, v)| v.into_owned()).unwrap_or_default();
            dossier::svg_response(&verify::link(&url.origin().ascii_serialization(), code, &sig), 86400)
        }
        ["api", "auth", "login"] => match method.as_str() {
            "POST" => auth::login(req, env, &url).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "auth", "logout"] => match method.as_str() {
            "POST" => auth::logout(req, env, &url).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "auth", "me"] => {
            get_only(method.clone())?;
            auth::me(req, env).await
        }
        ["api", "auth", "password"] => match method.as_str() {
            "POST" => auth::change_password(req, env, &url).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "auth", "totp"] => match method.as_str() {
            "POST" => auth::totp_check(req, env, &url).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "POST" }),
        },
        ["api", "auth", "totp", "enroll.svg"] => {
            get_only(method.clone())?;
            auth::totp_qr(req, env).await
        }
        ["api", "auth", "totp", "enroll"] => match method.as_str() {
            "GET" | "HEAD" => auth::totp_offer(req, env).await,
            "POST" => auth::totp_enroll(req, env, &url).await,
            _ => Err(ApiError::MethodNotAllowed { allow: "GET, HEAD, POST" }),
        },
        ["api", "staff", ..] => staff_route(req, env, ctx, &url, &segments[2..], &method).await,
        _ => Err(ApiError::NotFound("Không có địa chỉ API này.")),
    }
}

/// `/api/staff/…`: a live session first, then the same-origin check on anything that writes.
async fn staff_route(req: &mut Request, env: &Env, ctx: &Context, url: &worker::Url, rest: &[&str], method: &str) -> ApiResult<Response> {
    let allow = match rest {
        ["catalogue", "preview"] | ["catalogue", "publish"] | ["catalogue", "import"] | ["calendar", _, "preview"]
        | ["calendar", _, "decision"] | ["agencies", _, "rename"] | ["agencies", _, "merge"] | ["templates"] => "POST",
        ["queue"] | ["register"] | ["dossiers", _] | ["dossiers", _, "files", _] | ["ratings", "officers"] | ["ratings", "check"]
        | ["stats", "check"] | ["stats"] | ["catalogue", "procedures", _] | ["calendar", _] => "GET",
        ["dossiers", _, "actions"] | ["dossiers", _, "secret"] | ["accounts", _, "deactivate"] | ["accounts", _, "reset"]
        | ["kiosks", _, "revoke"] | ["catalogue", "procedures", _, "repeal"] => "POST",
        ["accounts"] | ["agencies"] | ["kiosks"] | ["dossiers"] => match method {
            "GET" | "POST" => method,
            _ => return Err(ApiError::MethodNotAllowed { allow: "GET, HEAD, POST" }),
        },
        _ => return Err(ApiError::NotFound("Không có địa chỉ API này.")),
    };
    if method != allow {
        return Err(ApiError::MethodNotAllowed { allow: if allow == "GET" { "GET, HEAD" } else { "POST" } });
    }
    let staff = auth::require(req, env).await?;
    if allow == "POST" {
        auth::same_origin(req, url)?;
    }
    match rest {
        ["queue"] => staff::queue(env, &staff, url).await,
        ["register"] => staff::register(env, &staff, url).await,
        ["accounts"] if method == "GET" => accounts::list(env, &staff).await,
        ["accounts"] => accounts::create(req, env, &staff).await,
        ["templates"] => template::upload(req, env, &staff).await,
        ["agencies"] if method == "GET" => agencies::list(env, &staff).await,
        ["agencies"] => agencies::create(req, env, &staff).await,
        ["agencies", code, "rename"] => {
            let code = code.to_string();
            agencies::rename(req, env, &staff, &code).await
        }
        ["agencies", code, "merge"] => {
            let code = code.to_string();
            agencies::merge(req, env, &staff, &code).await
        }
        ["accounts", username, "deactivate"] => accounts::deactivate(env, &staff, username).await,
        ["accounts", username, "reset"] => {
            let username = username.to_string();
            accounts::reset(req, env, &staff, &username).await
        }
        ["kiosks"] if method == "GET" => rating::kiosks(env, &staff).await,
        ["kiosks"] => rating::enroll(req, env, &staff).await,
        ["kiosks", id, "revoke"] => rating::revoke(env, &staff, id).await,
        ["ratings", "officers"] => rating::officers(env, &staff, url).await,
        ["ratings", "check"] => rating::check(env, &staff).await,
        ["stats", "check"] => stats::check(env, &staff).await,
        ["stats"] => stats::manager(env, &staff, url).await,
        ["catalogue", "preview"] => catalogue_admin::preview(req, env, &staff).await,
        ["catalogue", "publish"] => catalogue_admin::publish(req, env, &staff).await,
        ["catalogue", "import"] => catalogue_admin::import(req, env, &staff).await,
        ["calendar", year] => calendar_admin::get(env, &staff, year).await,
        ["calendar", year, "preview"] => {
            let year = year.to_string();
            calendar_admin::preview(req, env, &staff, &year).await
        }
        ["calendar", year, "decision"] => {
            let year = year.to_string();
            calendar_admin::save(req, env, &staff, &year).await
        }
        ["catalogue", "procedures", id, "repeal"] => {
            let id = id.to_string();
            catalogue_admin::repeal(req, env, &staff, &id).await
        }
        ["catalogue", "procedures", id] => catalogue_admin::procedure(env, &staff, id).await,
        ["dossiers", code] => staff::dossier(env, &staff, code).await,
        ["dossiers", code, "files", id] => staff::file(env, &staff, code, id).await,
        ["dossiers"] if method == "GET" => staff::list(env, &staff, url).await,
        ["dossiers"] => {
            if !staff.has(motcua_core::staff::Role::Reception) {
                return Err(ApiError::NotAllowed("Chỉ bộ phận tiếp nhận được đăng ký hồ sơ trực tiếp."));
            }
            dossier::register_walk_in(req, env, ctx, &staff).await
        }
        ["dossiers", code, "actions"] => {
            let code = code.to_string();
            staff::act(req, env, ctx, &staff, &code).await
        }
        ["dossiers", code, "secret"] => {
            let code = code.to_string();
            dossier::reissue_secret(req, env, &staff, &code).await
        }
        _ => Err(ApiError::NotFound("Không có địa chỉ API này.")),
    }
}

/// The client's address as Cloudflare reports it; `None` for the loopback (the operator's own
/// machine: the local stack's tools and tests, which `wrangler dev` reports as 127.0.0.1 and
/// which no client on the Internet can be): volume limits do not count those. A test acts as
/// a distinct client by sending its own `CF-Connecting-IP`, which `wrangler dev` keeps.
pub fn client(req: &Request) -> ApiResult<Option<String>> {
    Ok(req.headers().get("CF-Connecting-IP")?.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty() && c != "127.0.0.1" && c != "::1"))
}

/// The pepper of tracking secrets (`TRACKING_PEPPER`, a Worker secret). Without it no secret
/// may be made or checked: the operator reads why in the log, the client gets a 503.
pub fn pepper(env: &Env) -> ApiResult<String> {
    env.secret("TRACKING_PEPPER")
        .map(|s| s.to_string())
        .or_else(|_| env.var("TRACKING_PEPPER").map(|v| v.to_string()))
        .ok()
        .filter(|p| p.len() >= 16)
        .ok_or(ApiError::Unavailable("TRACKING_PEPPER is not set (wrangler secret put TRACKING_PEPPER): private views refused"))
}

/// Private views and the actions behind a secret need the deployment's secrets.
pub fn require_secrets(env: &Env) -> ApiResult<()> {
    pepper(env).map(|_| ())
}

/// Counts an attempt of this client under `kind` and refuses (429) past `limit` in `minutes`
/// (the deployment's setting `var`, else `default`): submissions and uploads per client.
pub async fn volume_limit(req: &Request, env: &Env, kind: &str, var: &str, default: u32, minutes: i64) -> ApiResult<()> {
    let Some(volume) = Volume::of(req, env, kind, (var, default), minutes)? else { return Ok(()) };
    let db = env.d1("DB")?;
    volume.check(&db.batch(vec![volume.statement(&db)?]).await?[0])
}

/// One client's attempt under a volume limit, for a handler that counts it in its own read
/// batch (a submission: one round trip fewer).
pub struct Volume {
    key: String,
    limit: u32,
    now: String,
    since: String,
}

impl Volume {
    /// `None` for a request without a client address (a test's direct call).
    pub fn of(req: &Request, env: &Env, kind: &str, (var, default): (&str, u32), minutes: i64) -> ApiResult<Option<Volume>> {
        let Some(client) = client(req)? else { return Ok(None) };
        let limit = env.var(var).ok().and_then(|v| v.to_string().parse().ok()).unwrap_or(default);
        let now = now()?;
        let iso = motcua_core::date::to_iso_datetime;
        Ok(Some(Volume { key: format!("{kind}:{client}"), limit, now: iso(now), since: iso(now - chrono::Duration::minutes(minutes)) }))
    }

    pub fn statement(&self, db: &worker::D1Database) -> ApiResult<worker::D1PreparedStatement> {
        crate::store::limits::attempt(db, &self.key, &self.now, &self.since)
    }

    /// 429 past the limit, from what `statement` answered.
    pub fn check(&self, answered: &worker::D1Result) -> ApiResult<()> {
        if crate::store::limits::count_of(answered)? > self.limit { Err(ApiError::TooManyRequests) } else { Ok(()) }
    }
}

/// Now, in Vietnam's local time (UTC+7), the time every rule counts in.
pub fn now() -> ApiResult<chrono::NaiveDateTime> {
    motcua_core::calendar::from_unix_millis(worker::Date::now().as_millis() as i64).ok_or_else(|| ApiError::Internal("clock".into()))
}

/// The most a JSON body may weigh, whatever the route.
pub const JSON_LIMIT: usize = 64 * 1024;

/// Reads a body of at most `max` bytes. A larger one is refused (413) as soon as it shows —
/// declared by Content-Length, or arriving in chunks without one — never after buffering it.
pub async fn read_capped(req: &mut Request, max: usize, too_large: ApiError) -> ApiResult<Vec<u8>> {
    use futures_util::StreamExt;
    if req.headers().get("Content-Length")?.and_then(|l| l.trim().parse::<u64>().ok()).is_some_and(|n| n > max as u64) {
        return Err(too_large);
    }
    let Ok(mut stream) = req.stream() else { return Ok(Vec::new()) };
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidBody, "Không đọc được dữ liệu gửi lên.")))?;
        if body.len() + chunk.len() > max {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a JSON body of at most `max` bytes (never over `JSON_LIMIT`); `message` says what was
/// expected.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request, max: usize, message: &str) -> ApiResult<T> {
    let bytes = read_capped(req, max.min(JSON_LIMIT), ApiError::BodyTooLarge("Dữ liệu gửi lên quá lớn.")).await?;
    serde_json::from_slice(&bytes).map_err(|_| ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidBody, message)))
}

/// A `YYYY-MM-DD` query parameter, `default` when absent; an empty or malformed one is a 400
/// naming it.
pub fn date_param(url: &worker::Url, name: &str, default: chrono::NaiveDate) -> ApiResult<chrono::NaiveDate> {
    match url.query_pairs().find(|(k, _)| k == name) {
        None => Ok(default),
        Some((_, v)) => motcua_core::date::parse_iso(&v).ok_or_else(|| {
            ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, format!("{name} phải là ngày dạng YYYY-MM-DD.")))
        }),
    }
}

/// The answer of a counters check: every cell of the recount against the stored one (a cell
/// missing on one side counts as zero there).
pub fn check_answer<T: PartialEq + Default>(
    recount: &std::collections::BTreeMap<String, T>,
    stored: &std::collections::BTreeMap<String, T>,
) -> ApiResult<Response> {
    let keys: std::collections::BTreeSet<&String> = recount.keys().chain(stored.keys()).collect();
    let zero = T::default();
    let differences: Vec<&String> =
        keys.iter().copied().filter(|k| recount.get(*k).unwrap_or(&zero) != stored.get(*k).unwrap_or(&zero)).collect();
    json(&serde_json::json!({ "consistent": differences.is_empty(), "cells": keys.len(), "differences": differences }), None)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Bytes from the runtime's cryptographic generator (`crypto.getRandomValues`).
pub fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    use worker::js_sys::{global, Function, Reflect, Uint8Array};
    use worker::wasm_bindgen::JsCast;
    let fail = |_| ApiError::Internal("crypto.getRandomValues unavailable".into());
    let crypto = Reflect::get(&global(), &"crypto".into()).map_err(fail)?;
    let get: Function = Reflect::get(&crypto, &"getRandomValues".into()).map_err(fail)?.dyn_into().map_err(fail)?;
    let array = Uint8Array::new_with_length(N as u32);
    get.call1(&crypto, &array).map_err(fail)?;
    let mut out = [0u8; N];
    array.copy_to(&mut out);
    Ok(out)
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
