//! Staff sign-in: Argon2id passwords, sessions in D1 behind an HttpOnly cookie, the steps a
//! session may still owe (a forced password change, an administrator's second factor), and
//! the same-origin check every state-changing staff request passes.

use motcua_core::date::{parse_iso_datetime, to_iso_datetime};
use motcua_core::accounts::{
    check_new_password, password, roles_from_text, LoginRequest, PasswordChange, Pending, SessionTimes, Staff, TotpCode, TotpEnrollment,
    Username, LOGIN_ATTEMPTS, LOGIN_CLIENT_ATTEMPTS, SESSION_COOKIE, SESSION_HOURS,
};
use motcua_core::form::FieldError;
use motcua_core::{totp, ErrorBody, ErrorCode};
use sha2::{Digest, Sha256};
use worker::{D1PreparedStatement, D1Result, Request, Response, Url};

use super::{Cx, client, hex, json, random_bytes, read_json, sha256_hex};
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::accounts::StaffRow;

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

fn staff(row: &StaffRow) -> ApiResult<Staff> {
    let bad = |what: &str| ApiError::Internal(format!("staff {}: bad {what}", row.username));
    Ok(Staff {
        username: Username::parse(&row.username).map_err(|_| bad("username"))?,
        agency_name: row.agency_name.clone().unwrap_or_else(|| row.agency_code.clone()),
        agency: row.agency_code.clone(),
        roles: roles_from_text(&row.roles).ok_or_else(|| bad("roles"))?,
        delegated_approval: row.delegated_approval != 0,
        name: row.name.clone(),
        pending: row.pending.as_deref().and_then(Pending::parse),
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

/// A live session, whatever step of the sign-in it is at: its token and its account.
struct Session {
    token: String,
    row: StaffRow,
    staff: Staff,
}

async fn session(req: &Request, cx: &Cx<'_>) -> ApiResult<Session> {
    let token = session_token(req)?.ok_or(ApiError::Unauthorized("Vui lòng đăng nhập."))?;
    let token_hash = sha256_hex(&token);
    let row = store::accounts::by_session(&cx.db, &token_hash).await?;
    let (row, staff) = live(cx, &token_hash, row).await?;
    Ok(Session { token, row, staff })
}

/// The account of the session row read for `token_hash`, while the session is alive (its use
/// written down now and then).
async fn live(cx: &Cx<'_>, token_hash: &str, row: Option<StaffRow>) -> ApiResult<(StaffRow, Staff)> {
    let ended = || ApiError::Unauthorized("Phiên làm việc đã hết hạn hoặc đã đăng xuất. Vui lòng đăng nhập lại.");
    let db = &cx.db;
    let row = row.ok_or_else(ended)?;
    let time = |t: &Option<String>| t.as_deref().and_then(parse_iso_datetime);
    let (Some(opened), Some(last_used)) = (time(&row.opened_at), time(&row.last_seen)) else {
        return Err(ApiError::Internal(format!("session of {}: bad times", row.username)));
    };
    let times = SessionTimes { opened, last_used };
    let now = cx.now;
    if !times.alive(now) {
        return Err(ended());
    }
    if times.worth_touching(now) {
        store::accounts::touch_session(db, token_hash, &to_iso_datetime(now)).await?;
    }
    let staff = staff(&row)?;
    Ok((row, staff))
}

/// The signed-in member of staff, or 401 — also while a sign-in step is still owed: such a
/// session may do that step and nothing else.
fn signed_in(staff: Staff) -> ApiResult<Staff> {
    if staff.pending.is_some() {
        return Err(ApiError::Unauthorized("Vui lòng hoàn tất bước đăng nhập còn lại (đổi mật khẩu hoặc mã xác thực)."));
    }
    Ok(staff)
}

thread_local! {
    /// Per isolate: the account each session token (by its hash) belonged to when last checked.
    /// Only a guess of what a request will read, made with the session's own check; trusted for
    /// nothing (see `require_reading`).
    static LAST_SEEN: std::cell::RefCell<std::collections::HashMap<String, Staff>> = Default::default();
}

/// Tokens an isolate remembers before it starts afresh.
const REMEMBERED: usize = 4096;

fn remember(token_hash: &str, staff: Option<&Staff>) {
    LAST_SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        match staff {
            Some(s) => {
                if seen.len() >= REMEMBERED {
                    seen.clear();
                }
                seen.insert(token_hash.to_owned(), s.clone());
            }
            None => {
                seen.remove(token_hash);
            }
        }
    });
}

/// The signed-in member of staff, with what `reads` gives for them read in the same round
/// trip as the session's check when this isolate has seen the token before: the reads are made
/// for the account the token had then, and their answers are used only when the check finds
/// that very account (a signed-out session, a moved or changed account: answers dropped, and
/// the handler reads for itself). `None` from `reads`: the route reads nothing ahead.
pub async fn require_reading(
    req: &Request,
    cx: &Cx<'_>,
    reads: impl Fn(&Staff) -> Option<ApiResult<Vec<D1PreparedStatement>>>,
) -> ApiResult<(Staff, Option<Vec<D1Result>>)> {
    let token = session_token(req)?.ok_or(ApiError::Unauthorized("Vui lòng đăng nhập."))?;
    let token_hash = sha256_hex(&token);
    let guess = LAST_SEEN.with(|seen| seen.borrow().get(&token_hash).cloned());
    let ahead = guess.as_ref().and_then(|g| reads(g)).and_then(Result::ok).unwrap_or_default();
    let read_ahead = !ahead.is_empty();
    let mut batch = vec![store::accounts::by_session_statement(&cx.db, &token_hash)?];
    batch.extend(ahead);
    let mut results = match cx.db.batch(batch).await {
        Ok(results) => results,
        // A read made for the guess failed (and took the check down with it): the check alone,
        // and the handler reads for itself.
        Err(e) if read_ahead => {
            worker::console_error!("read ahead failed: {e}");
            cx.db.batch(vec![store::accounts::by_session_statement(&cx.db, &token_hash)?]).await?
        }
        Err(e) => return Err(e.into()),
    };
    let row = results[0].results::<StaffRow>()?.into_iter().next();
    let staff = match live(cx, &token_hash, row).await {
        Ok((_, staff)) => staff,
        Err(e) => {
            remember(&token_hash, None);
            return Err(e);
        }
    };
    remember(&token_hash, Some(&staff));
    let staff = signed_in(staff)?;
    let early = (results.len() > 1 && guess.as_ref() == Some(&staff)).then(|| results.split_off(1));
    Ok((staff, early))
}

/// A session at `step`, or 401.
async fn at_step(req: &Request, cx: &Cx<'_>, steps: &[Option<Pending>]) -> ApiResult<Session> {
    let s = session(req, cx).await?;
    if steps.contains(&s.staff.pending) {
        Ok(s)
    } else {
        Err(ApiError::Unauthorized("Bước đăng nhập này không áp dụng cho phiên hiện tại. Vui lòng đăng nhập lại."))
    }
}

fn cookie(value: &str, max_age: i64) -> String {
    // Path=/api: the cookie goes with API calls only, never with pages or files.
    format!("{SESSION_COOKIE}={value}; Path=/api; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict")
}

fn limit_keys(req: &Request, name: &str) -> ApiResult<[String; 2]> {
    let client = client(req)?.unwrap_or_else(|| "local".into());
    Ok([format!("login-user:{name}"), format!("login-client:{client}")])
}

/// Counts the attempt under the user name (any client) and the client (any user name) before
/// any hashing: a parallel burst is counted whole, and refused past either limit.
async fn count_attempt(db: &worker::D1Database, keys: &[String; 2], now: chrono::NaiveDateTime) -> ApiResult<()> {
    let since = to_iso_datetime(now - chrono::Duration::minutes(WINDOW_MINUTES));
    let counts = store::limits::attempts(db, &[&keys[0], &keys[1]], &to_iso_datetime(now), &since).await?;
    if counts[0] > LOGIN_ATTEMPTS || counts[1] > LOGIN_CLIENT_ATTEMPTS { Err(ApiError::TooManyRequests) } else { Ok(()) }
}

pub async fn login(req: &mut Request, cx: &Cx<'_>, url: &Url) -> ApiResult<Response> {
    same_origin(req, url)?;
    let body: LoginRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm username và password.").await?;
    let db = &cx.db;
    let name = Username::parse(&body.username).map(|u| u.as_str().to_owned()).unwrap_or_default();
    let keys = limit_keys(req, &name)?;
    count_attempt(db, &keys, cx.now).await?;
    let row = if name.is_empty() { None } else { store::accounts::by_username(db, &name).await? };
    // The same Argon2 work whether the name exists or not, and for an over-long password.
    let ok = match &row {
        Some(r) => password::verify(&body.password, &r.password_hash),
        None => {
            password::decoy(&body.password);
            false
        }
    };
    let Some(mut row) = row.filter(|_| ok) else {
        return Err(ApiError::Unauthorized("Tên đăng nhập hoặc mật khẩu không đúng."));
    };
    store::limits::forgive(db, &[&keys[0], &keys[1]]).await?;
    let roles = roles_from_text(&row.roles).unwrap_or_default();
    let pending = Pending::next(row.must_change_password != 0, &roles, row.totp_secret.is_some());
    let token = hex(&random_bytes::<32>()?);
    let now = cx.now;
    let expires = now + chrono::Duration::hours(SESSION_HOURS);
    let token_hash = sha256_hex(&token);
    store::accounts::open_session(db, &token_hash, row.id, &to_iso_datetime(now), &to_iso_datetime(expires), pending.map(Pending::as_str))
        .await?;
    row.pending = pending.map(|p| p.as_str().to_owned());
    let staff = staff(&row)?;
    remember(&token_hash, Some(&staff));
    let mut resp = json(&staff, None)?;
    resp.headers_mut().set("Set-Cookie", &cookie(&token, SESSION_HOURS * 3600))?;
    Ok(resp)
}

fn field_error(field: &str, message: &str) -> ApiError {
    ApiError::Unprocessable(ErrorBody {
        fields: vec![FieldError { field: field.into(), message: message.into() }],
        ..ErrorBody::from_code(ErrorCode::Validation)
    })
}

/// Moves the session on to `next` once a step is done, and answers the account with it.
async fn advance(db: &worker::D1Database, mut s: Session, next: Option<Pending>) -> ApiResult<Response> {
    store::accounts::set_pending(db, &sha256_hex(&s.token), next.map(Pending::as_str)).await?;
    s.staff.pending = next;
    json(&s.staff, None)
}

/// `POST /api/auth/password`: the account's own change, forced or chosen. The current password
/// is asked again (a session left open is not enough); the account's other sessions end.
pub async fn change_password(req: &mut Request, cx: &Cx<'_>, url: &Url) -> ApiResult<Response> {
    same_origin(req, url)?;
    let s = at_step(req, cx, &[None, Some(Pending::ChangePassword)]).await?;
    let body: PasswordChange = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm current và new.").await?;
    let db = &cx.db;
    let keys = limit_keys(req, s.staff.username.as_str())?;
    count_attempt(db, &keys, cx.now).await?;
    if !password::verify(&body.current, &s.row.password_hash) {
        return Err(field_error("current", "Mật khẩu hiện tại không đúng."));
    }
    store::limits::forgive(db, &[&keys[0], &keys[1]]).await?;
    check_new_password(&body.new).map_err(|m| field_error("new", m))?;
    if body.new == body.current {
        return Err(field_error("new", "Mật khẩu mới phải khác mật khẩu hiện tại."));
    }
    let hash = password::hash(&body.new, &random_bytes::<16>()?);
    store::accounts::set_password(db, s.row.id, &hash, &sha256_hex(&s.token)).await?;
    if s.staff.pending.is_none() {
        return json(&s.staff, None);
    }
    // The password was the first step: the second factor may still be owed.
    let next = Pending::next(false, &s.staff.roles, s.row.totp_secret.is_some());
    advance(db, s, next).await
}

/// The secret offered to an administrator setting up the second factor: derived from the
/// session's token (which only the browser holds), so asking again shows the same one and
/// nothing is stored until the first code from it is right.
fn enrollment_secret(token: &str) -> [u8; 20] {
    let digest = Sha256::new().chain_update(b"motcua-totp-enrollment:").chain_update(token.as_bytes()).finalize();
    let mut secret = [0u8; 20];
    secret.copy_from_slice(&digest[..20]);
    secret
}

fn unix_seconds() -> u64 {
    (worker::Date::now().as_millis() / 1000) as u64
}

/// `GET /api/auth/totp/enroll`: the secret to add to an authenticator app.
pub async fn totp_offer(req: &Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let s = at_step(req, cx, &[Some(Pending::EnrollTotp)]).await?;
    let secret = enrollment_secret(&s.token);
    let issuer = cx.settings.totp_issuer.clone();
    let offer = TotpEnrollment { secret: totp::base32(&secret), uri: totp::uri(&issuer, s.staff.username.as_str(), &secret) };
    let mut resp = json(&offer, None)?;
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

/// `GET /api/auth/totp/enroll.svg`: the same secret as a QR code for the app's camera.
pub async fn totp_qr(req: &Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let s = at_step(req, cx, &[Some(Pending::EnrollTotp)]).await?;
    let secret = enrollment_secret(&s.token);
    let issuer = cx.settings.totp_issuer.clone();
    let mut resp = super::dossier::svg_response(&totp::uri(&issuer, s.staff.username.as_str(), &secret), 0)?;
    resp.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(resp)
}

/// `POST /api/auth/totp/enroll`: the first code from the offered secret; right, the secret is
/// the account's from now on and the sign-in is complete.
pub async fn totp_enroll(req: &mut Request, cx: &Cx<'_>, url: &Url) -> ApiResult<Response> {
    same_origin(req, url)?;
    let s = at_step(req, cx, &[Some(Pending::EnrollTotp)]).await?;
    let body: TotpCode = read_json(req, 1024, "Dữ liệu gửi lên phải là JSON gồm code.").await?;
    let db = &cx.db;
    let keys = [format!("totp:{}", s.staff.username.as_str()), limit_keys(req, "")?[1].clone()];
    count_attempt(db, &keys, cx.now).await?;
    let secret = enrollment_secret(&s.token);
    let Some(step) = totp::verify(&secret, &body.code, unix_seconds(), None) else {
        return Err(field_error("code", "Mã xác thực không đúng. Kiểm tra giờ trên điện thoại và nhập mã đang hiện."));
    };
    store::limits::forgive(db, &[&keys[0], &keys[1]]).await?;
    store::accounts::set_totp(db, s.row.id, &totp::base32(&secret), step).await?;
    advance(db, s, None).await
}

/// `POST /api/auth/totp`: the administrator's code at each sign-in; each code is good once.
pub async fn totp_check(req: &mut Request, cx: &Cx<'_>, url: &Url) -> ApiResult<Response> {
    same_origin(req, url)?;
    let s = at_step(req, cx, &[Some(Pending::Totp)]).await?;
    let body: TotpCode = read_json(req, 1024, "Dữ liệu gửi lên phải là JSON gồm code.").await?;
    let db = &cx.db;
    let keys = [format!("totp:{}", s.staff.username.as_str()), limit_keys(req, "")?[1].clone()];
    count_attempt(db, &keys, cx.now).await?;
    let secret = s
        .row
        .totp_secret
        .as_deref()
        .and_then(totp::from_base32)
        .ok_or_else(|| ApiError::Internal(format!("staff {}: bad totp secret", s.row.username)))?;
    let last = s.row.totp_last.map(|l| l as u64);
    let used = match totp::verify(&secret, &body.code, unix_seconds(), last) {
        Some(step) => store::accounts::use_totp_step(db, s.row.id, step).await?,
        None => false,
    };
    if !used {
        return Err(field_error("code", "Mã xác thực không đúng hoặc đã dùng. Vui lòng nhập mã đang hiện."));
    }
    store::limits::forgive(db, &[&keys[0], &keys[1]]).await?;
    advance(db, s, None).await
}

pub async fn logout(req: &mut Request, cx: &Cx<'_>, url: &Url) -> ApiResult<Response> {
    same_origin(req, url)?;
    if let Some(token) = session_token(req)? {
        let token_hash = sha256_hex(&token);
        store::accounts::close_session(&cx.db, &token_hash).await?;
        remember(&token_hash, None);
    }
    let mut resp = Response::empty()?.with_status(204);
    resp.headers_mut().set("Set-Cookie", &cookie("", 0))?;
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

/// `GET /api/auth/me`: the account, with the sign-in step it still owes if any.
pub async fn me(req: &Request, cx: &Cx<'_>) -> ApiResult<Response> {
    json(&session(req, cx).await?.staff, None)
}
