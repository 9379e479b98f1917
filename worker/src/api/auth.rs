//! Staff sign-in: Argon2id passwords, sessions in D1 behind an HttpOnly cookie, and the
//! same-origin check every state-changing staff request passes.

use motcua_core::date::to_iso_datetime;
use motcua_core::staff::{password, roles_from_text, LoginRequest, Staff, Username, LOGIN_ATTEMPTS, SESSION_COOKIE, SESSION_HOURS};
use worker::{Env, Request, Response, Url};

use super::{hex, json, now, random_bytes, read_json, sha256_hex};
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::staff::StaffRow;

const WINDOW_MINUTES: i64 = 15;

/// Refuses a state-changing request sent from another site (CSRF). Browsers always send
/// `Origin` on such requests and `Sec-Fetch-Site` when they know it; other clients send
/// neither and cannot carry a victim's cookie anyway.
pub fn same_origin(req: &Request, url: &Url) -> ApiResult<()> {
    let own = url.origin().ascii_serialization();
    let origin = req.headers().get("Origin")?;
    let site = req.headers().get("Sec-Fetch-Site")?;
    let foreign = origin.is_some_and(|o| o != own) || site.is_some_and(|s| s != "same-origin" && s != "none");
    if foreign { Err(ApiError::NotAllowed("Yêu cầu gửi từ trang web khác bị từ chối.")) } else { Ok(()) }
}

fn staff(row: StaffRow) -> ApiResult<Staff> {
    let bad = |what: &str| ApiError::Internal(format!("staff {}: bad {what}", row.username));
    Ok(Staff {
        username: Username::parse(&row.username).map_err(|_| bad("username"))?,
        agency_name: row.agency_name.clone().unwrap_or_else(|| row.agency_code.clone()),
        agency: row.agency_code.clone(),
        roles: roles_from_text(&row.roles).ok_or_else(|| bad("roles"))?,
        delegated_approval: row.delegated_approval != 0,
        name: row.name,
    })
}

fn session_token(req: &Request) -> ApiResult<Option<String>> {
    let cookies = req.headers().get("Cookie")?.unwrap_or_default();
    Ok(cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())))
}

/// The signed-in member of staff, or 401.
pub async fn require(req: &Request, env: &Env) -> ApiResult<Staff> {
    let token = session_token(req)?.ok_or(ApiError::Unauthorized("Vui lòng đăng nhập."))?;
    let row = store::staff::by_session(&env.d1("DB")?, &sha256_hex(&token), &to_iso_datetime(now()?))
        .await?
        .ok_or(ApiError::Unauthorized("Phiên làm việc đã hết hạn hoặc đã đăng xuất. Vui lòng đăng nhập lại."))?;
    staff(row)
}

fn cookie(value: &str, max_age: i64) -> String {
    // Path=/api: the cookie goes with API calls only, never with pages or files.
    format!("{SESSION_COOKIE}={value}; Path=/api; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict")
}

pub async fn login(req: &mut Request, env: &Env, url: &Url) -> ApiResult<Response> {
    same_origin(req, url)?;
    let body: LoginRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm username và password.").await?;
    let db = env.d1("DB")?;
    let name = Username::parse(&body.username).map(|u| u.as_str().to_owned()).unwrap_or_default();
    let client = req.headers().get("CF-Connecting-IP")?.unwrap_or_else(|| "local".into());
    let limit_key = format!("login:{client}:{name}");
    let now = now()?;
    let since = to_iso_datetime(now - chrono::Duration::minutes(WINDOW_MINUTES));
    if store::limits::failures(&db, &limit_key, &since).await? >= LOGIN_ATTEMPTS {
        return Err(ApiError::TooManyRequests);
    }
    let row = if name.is_empty() { None } else { store::staff::by_username(&db, &name).await? };
    let ok = match &row {
        Some(r) => password::verify(&body.password, &r.password_hash),
        None => {
            password::decoy(&body.password);
            false
        }
    };
    let Some(row) = row.filter(|_| ok) else {
        store::limits::record_failure(&db, &limit_key, &to_iso_datetime(now), &since).await?;
        return Err(ApiError::Unauthorized("Tên đăng nhập hoặc mật khẩu không đúng."));
    };
    let token = hex(&random_bytes::<32>()?);
    let expires = now + chrono::Duration::hours(SESSION_HOURS);
    store::staff::open_session(&db, &sha256_hex(&token), row.id, &to_iso_datetime(now), &to_iso_datetime(expires)).await?;
    let mut resp = json(&staff(row)?, None)?;
    resp.headers_mut().set("Set-Cookie", &cookie(&token, SESSION_HOURS * 3600))?;
    Ok(resp)
}

pub async fn logout(req: &mut Request, env: &Env, url: &Url) -> ApiResult<Response> {
    same_origin(req, url)?;
    if let Some(token) = session_token(req)? {
        store::staff::close_session(&env.d1("DB")?, &sha256_hex(&token)).await?;
    }
    let mut resp = Response::empty()?.with_status(204);
    resp.headers_mut().set("Set-Cookie", &cookie("", 0))?;
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

pub async fn me(req: &Request, env: &Env) -> ApiResult<Response> {
    json(&require(req, env).await?, None)
}
