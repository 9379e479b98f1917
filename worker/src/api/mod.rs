//! Routing: core's route table (`motcua_core::routes`, the operations of `openapi.yaml`) finds
//! the operation, or answers 405 (with `Allow`) or 404 in the JSON error body; staff routes get
//! their session here; `handle` has one arm per operation.

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
mod stats;
mod template;
pub mod upload;
mod verify;
mod workflow;

use motcua_core::routes::{self, Access, Found, Op};
use motcua_core::settings::Settings;
use motcua_core::accounts::Capability;
use motcua_core::{ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use worker::{Context, D1PreparedStatement, Env, Request, Response};

use crate::error::{ApiError, ApiResult};

/// The Cron Trigger of the staff's morning digest: 00:00 UTC is 07:00 in Vietnam.
pub const DIGEST_CRON: &str = "0 0 * * *";

pub async fn route(req: &mut Request, env: &Env, ctx: &Context) -> ApiResult<Response> {
    // Checked before anything else: a bad setting stops every request, not just those using it.
    let cx = Cx { settings: settings(env)?, db: env.d1("DB")?, now: now()?, env, ctx };
    let url = req.url()?;
    // The raw method, not `worker::Method`: that enum reads any method it does not know
    // (QUERY, say) as GET.
    let method = req.inner().method();
    let (route, params) = match routes::find(&method, url.path()) {
        Found::Route(route, params) => (route, params),
        Found::WrongMethod(allow) => return Err(ApiError::MethodNotAllowed { allow }),
        Found::NotFound => return Err(ApiError::NotFound("Không có địa chỉ API này.")),
    };
    // A live session first, then the same-origin check on anything that writes.
    let staff = match route.access() {
        Access::Public => None,
        Access::Staff(capability) => {
            let (staff, early) = auth::require_reading(req, &cx, |s| read_ahead(route.op, &cx, s, &url, &params)).await?;
            if route.method != routes::Method::Get {
                auth::same_origin(req, &url)?;
            }
            if !staff.may(capability) {
                return Err(ApiError::NotAllowed(refusal(capability)));
            }
            Some((staff, early))
        }
    };
    let (staff, early) = staff.map_or((None, None), |(s, e)| (Some(s), e));
    let call = Call { req, url: &url, staff: staff.as_ref(), early };
    handle(route.op, &params, &cx, call).await
}

/// Why an account without `capability` is refused (403), in the staff's language.
fn refusal(capability: Capability) -> &'static str {
    match capability {
        Capability::ReadDossiers => "Tài khoản của bạn không có quyền xem hồ sơ.",
        Capability::ActOnDossiers => "Tài khoản của bạn không xử lý hồ sơ.",
        Capability::RegisterWalkIn => "Chỉ bộ phận tiếp nhận được đăng ký hồ sơ trực tiếp.",
        Capability::ReadProgress => "Chỉ lãnh đạo (quản lý) xem được tiến độ và đánh giá theo cán bộ.",
        Capability::CheckFigures => "Chỉ quản lý hoặc quản trị viên được đối chiếu số liệu.",
        Capability::AdministerAgency => "Chỉ quản trị viên của cơ quan được quản lý tài khoản, danh mục, mẫu đơn, máy khảo sát và tên cơ quan.",
        Capability::ListAgencies => "Chỉ quản trị viên xem được danh sách cơ quan.",
        Capability::AdministerProvince => "Chỉ quản trị cấp tỉnh được quản lý lịch nghỉ và tạo, hợp nhất cơ quan.",
    }
}

/// What a handler may be given besides its `Cx`: the request, its URL and, on staff routes, the
/// signed-in account.
struct Call<'a> {
    req: &'a mut Request,
    url: &'a worker::Url,
    staff: Option<&'a motcua_core::accounts::Staff>,
    /// What `read_ahead` gave, read with the session's check (when it could be).
    early: Option<Vec<worker::D1Result>>,
}

/// What a staff route reads, made for an account so that it can go with the session's check
/// in one round trip (`auth::require_reading`); `None`: the route reads nothing ahead.
fn read_ahead(op: Op, cx: &Cx<'_>, staff: &motcua_core::accounts::Staff, url: &worker::Url, p: &[&str]) -> Option<ApiResult<Vec<D1PreparedStatement>>> {
    match op {
        Op::StaffQueue => Some(workflow::queue_reads(cx, staff, url)),
        Op::SearchDossiers => Some(workflow::list_reads(cx, staff, url)),
        Op::StaffDossier => Some(workflow::dossier_reads(cx, p.first().copied().unwrap_or_default())),
        _ => None,
    }
}

/// What every handler works with, made once per request by the router: the deployment's
/// bindings, its database, its settings (read and checked once per isolate), the request's
/// instant — one clock for every rule a request applies, so a dossier's receipt, due date and
/// history agree to the millisecond — and the context that keeps work going after the answer.
pub struct Cx<'a> {
    pub env: &'a Env,
    pub db: worker::D1Database,
    pub settings: std::rc::Rc<Settings>,
    /// Vietnam's local time (UTC+7) when the request arrived.
    pub now: chrono::NaiveDateTime,
    pub ctx: &'a Context,
}

/// One arm per operation of the route table: the compiler checks none is left out.
async fn handle(op: Op, p: &[&str], cx: &Cx<'_>, c: Call<'_>) -> ApiResult<Response> {
    let (req, url, early) = (c.req, c.url, c.early);
    // The account on a staff route: the router signed it in before the handler runs.
    let staff = || c.staff.ok_or_else(|| ApiError::Internal(format!("{} ran without a session", op.id())));
    let p0 = p.first().copied().unwrap_or_default();
    match op {
        Op::Health => json(&serde_json::json!({ "status": "ok" }), None),
        Op::SearchProcedures => catalogue::search(req, cx, url).await,
        Op::GetProcedure => catalogue::procedure(req, cx, p0).await,
        Op::ProcedureForm => catalogue::form(req, cx, p0).await,
        Op::ProcedureVersions => catalogue::history(req, cx, url, p0).await,
        Op::ListFields => catalogue::fields(req, cx).await,
        Op::ListAgencies => catalogue::agencies(req, cx).await,
        Op::CatalogueKpis => catalogue::kpis(req, cx).await,
        Op::CalendarDue => calendar::due(cx, url).await,
        Op::CalendarYear => calendar::year(cx, p0).await,
        Op::Upload => upload::upload(req, cx).await,
        Op::SubmitDossier => dossier::submit(req, cx).await,
        Op::DossierQr => dossier::qr(cx, url, p0).await,
        Op::DossierLookup => dossier::lookup(req, cx, p0).await,
        Op::DossierResultFile => dossier::result_file(req, cx, p0).await,
        Op::AnswerSupplement => dossier::answer_supplement(req, cx, p0).await,
        Op::DossierStatus => dossier::status(cx, p0).await,
        Op::WithdrawDossier => dossier::withdraw(req, cx, p0).await,
        Op::RecoverSecret => dossier::recover(req, cx, p0).await,
        Op::SubscribePush => notices::subscribe(req, cx, p0).await,
        Op::UnsubscribePush => notices::unsubscribe(req, cx, p0).await,
        Op::EmailOptOut | Op::EmailOptOutOneClick => notices::opt_out(cx, url, p0).await,
        Op::PushKey => notices::key(cx),
        Op::EvaluateDossier => rating::evaluate(req, cx, p0).await,
        Op::Survey => rating::survey(req, cx).await,
        Op::Stats => stats::stats(cx, url, motcua_core::Lang::negotiate(&req.headers().get("Accept-Language")?.unwrap_or_default())).await,
        Op::RatingSummary => rating::summary(cx, url).await,
        Op::GetTemplate => template::download(cx, p0).await,
        Op::Keys => verify::keys(cx),
        Op::VerifyResult => verify::verify(cx, url, p0).await,
        Op::VerifyQr => {
            // Only for a genuine link: the QR code of the result slip.
            verify::verify(cx, url, p0).await?;
            let sig = url.query_pairs().find(|(k, _)| k == "sig").map(|(_, v)| v.into_owned()).unwrap_or_default();
            dossier::svg_response(&verify::link(&url.origin().ascii_serialization(), p0, &sig), 86400)
        }
        Op::Login => auth::login(req, cx, url).await,
        Op::Logout => auth::logout(req, cx, url).await,
        Op::Me => auth::me(req, cx).await,
        Op::ChangePassword => auth::change_password(req, cx, url).await,
        Op::Totp => auth::totp_check(req, cx, url).await,
        Op::TotpQr => auth::totp_qr(req, cx).await,
        Op::TotpOffer => auth::totp_offer(req, cx).await,
        Op::TotpEnroll => auth::totp_enroll(req, cx, url).await,
        Op::StaffQueue => workflow::queue(cx, staff()?, url, early).await,
        Op::StaffRegister => workflow::register(cx, staff()?, url).await,
        Op::ListAccounts => accounts::list(cx, staff()?).await,
        Op::CreateAccount => accounts::create(req, cx, staff()?).await,
        Op::UploadTemplate => template::upload(req, cx).await,
        Op::ListAgenciesAdmin => agencies::list(cx).await,
        Op::CreateAgency => agencies::create(req, cx).await,
        Op::RenameAgency => agencies::rename(req, cx, staff()?, p0).await,
        Op::MergeAgency => agencies::merge(req, cx, staff()?, p0).await,
        Op::DeactivateAccount => accounts::deactivate(cx, staff()?, p0).await,
        Op::ResetPassword => accounts::reset(req, cx, staff()?, p0).await,
        Op::ListKiosks => rating::kiosks(cx, staff()?).await,
        Op::EnrollKiosk => rating::enroll(req, cx, staff()?).await,
        Op::RevokeKiosk => rating::revoke(cx, staff()?, p0).await,
        Op::RatingOfficers => rating::officers(cx, staff()?, url).await,
        Op::RatingCheck => rating::check(cx).await,
        Op::StatsCheck => stats::check(cx).await,
        Op::ManagerStats => stats::manager(cx, staff()?, url).await,
        Op::PreviewPublication => catalogue_admin::preview(req, cx, staff()?).await,
        Op::PublishProcedure => catalogue_admin::publish(req, cx, staff()?).await,
        Op::ImportCatalogue => catalogue_admin::import(req, cx, staff()?).await,
        Op::CalendarDecision => calendar_admin::get(cx, p0).await,
        Op::PreviewCalendar => calendar_admin::preview(req, cx, p0).await,
        Op::SaveCalendar => calendar_admin::save(req, cx, staff()?, p0).await,
        Op::RepealProcedure => catalogue_admin::repeal(req, cx, staff()?, p0).await,
        Op::EditableProcedure => catalogue_admin::procedure(cx, p0).await,
        Op::StaffDossier => workflow::dossier(cx, staff()?, p0, early).await,
        Op::StaffFile => workflow::file(cx, staff()?, p0, p.get(1).copied().unwrap_or_default()).await,
        Op::SearchDossiers => workflow::list(cx, staff()?, url, early).await,
        Op::RegisterWalkIn => dossier::register_walk_in(req, cx, staff()?).await,
        Op::StaffAction => workflow::act(req, cx, staff()?, p0).await,
        Op::ReissueSecret => dossier::reissue_secret(req, cx, staff()?, p0).await,
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

thread_local! {
    /// The settings of this isolate's deployment: read and checked at its first request.
    static SETTINGS: std::cell::OnceCell<Result<std::rc::Rc<Settings>, motcua_core::settings::SettingError>> = const { std::cell::OnceCell::new() };
}

/// The deployment's settings (core's `Settings`, from wrangler.toml's `[vars]`), read once per
/// isolate. A bad value is logged by name and every request is refused (503) until it is fixed:
/// nothing runs on a setting half understood.
pub fn settings(env: &Env) -> ApiResult<std::rc::Rc<Settings>> {
    SETTINGS.with(|cell| {
        cell.get_or_init(|| Settings::read(|name| env.var(name).ok().map(|v| v.to_string())).map(std::rc::Rc::new)).clone().map_err(|e| {
            worker::console_error!("setting {} cannot be used: {:?}", e.name, e.value);
            ApiError::Unavailable("a setting of wrangler.toml [vars] cannot be used (see the log)")
        })
    })
}

/// Counts an attempt of this client under `kind` and refuses (429) past `limit` in `minutes`
/// (a setting): submissions and uploads per client.
pub async fn volume_limit(req: &Request, cx: &Cx<'_>, kind: &str, limit: u32, minutes: i64) -> ApiResult<()> {
    let Some(volume) = Volume::of(req, kind, limit, minutes, cx.now)? else { return Ok(()) };
    let db = &cx.db;
    volume.check(&db.batch(vec![volume.statement(db)?]).await?[0])
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
    pub fn of(req: &Request, kind: &str, limit: u32, minutes: i64, now: chrono::NaiveDateTime) -> ApiResult<Option<Volume>> {
        let Some(client) = client(req)? else { return Ok(None) };
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
