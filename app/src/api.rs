//! The one typed client of the worker's API, built on core's types. Every call answers
//! `Result<T, ErrorBody>` so pages show the server's Vietnamese message as is.

use gloo_net::http::{Request, RequestBuilder, Response};
use motcua_core::calendar::{DueEstimate, Leg, YearCalendar, YearDecision};
use motcua_core::form::{Section, Upload};
use motcua_core::dossier::{Receipt, SubmitRequest};
use motcua_core::tracking::{LookupRequest, PrivateView, PublicStatus};
use motcua_core::catalogue::agency::{AgencyAdmin, Merge, NewAgency, Rename};
use motcua_core::catalogue::template::Template;
use motcua_core::catalogue::import::{ImportLine, ImportReport, ImportRequest};
use motcua_core::catalogue::version::{Editable, Preview, Publication, Repeal, VersionMeta};
use motcua_core::catalogue::{Agency, Field, Procedure, SearchPage};
use motcua_core::kpi::CatalogueKpis;
use motcua_core::query::ProcedureQuery;
use motcua_core::stats::{ManagerStats, Stats};
use motcua_core::rating::{Evaluation, EvaluationRequest, KioskEnrollment, OfficerResults, RatingSummary, SurveyRequest};
use motcua_core::accounts::{Account, LoginRequest, NewAccount, Role, Staff};
use motcua_core::workflow::search::{DossierFilter, DossierPage};
use motcua_core::workflow::views::{Queue, RegisterPage, StaffDossier, SupplementAnswer};
use motcua_core::workflow::{ActionRequest, Verification};
use motcua_core::{ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;

use crate::i18n::lang;
use crate::json::decode;

// The network and error handling once, not once per answer type: only the final parse is
// generic (each generic copy of the whole future costs kilobytes of WASM).
async fn answer_text(sent: Result<Response, gloo_net::Error>) -> Result<String, ErrorBody> {
    let resp = sent.map_err(|_| local_error(ErrorCode::Network))?;
    let text = resp.text().await.map_err(|_| local_error(ErrorCode::Network))?;
    if resp.ok() {
        return Ok(text);
    }
    // Two constant calls, not one with a variable code: each then keeps only its own message,
    // and the public bundle does not carry every message of the API.
    Err(decode::<ErrorBody>(&text).unwrap_or_else(|| {
        if resp.status() == 404 { local_error(ErrorCode::NotFound) } else { local_error(ErrorCode::Internal) }
    }))
}

/// The API's messages in the page's language, not the browser's own `Accept-Language` (an
/// English-set phone reading the Vietnamese pages gets Vietnamese messages).
fn get(url: &str) -> RequestBuilder {
    Request::get(url).header("Accept-Language", lang().tag())
}

fn post(url: &str) -> RequestBuilder {
    Request::post(url).header("Accept-Language", lang().tag())
}

/// An error found here, not by the server: its message in the page's language.
#[inline(always)]
fn local_error(code: ErrorCode) -> ErrorBody {
    ErrorBody::new(code, code.message(lang()))
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ErrorBody> {
    decode(text).ok_or_else(|| local_error(ErrorCode::Internal))
}

async fn send<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ErrorBody> {
    parse(&answer_text(request.send().await).await?)
}

pub async fn search_procedures(query: &ProcedureQuery) -> Result<SearchPage, ErrorBody> {
    let pairs = query.to_pairs();
    send(get("/api/procedures").query(pairs.iter().map(|(k, v)| (*k, v.as_str())))).await
}

/// The record in force, with the page's block on its versions (HTML the worker renders).
pub async fn get_procedure(id: &str) -> Result<Procedure, ErrorBody> {
    let id = String::from(js_sys::encode_uri_component(id));
    send(get(&format!("/api/procedures/{id}"))).await
}

/// The procedure's own form pages (asked after the applicant section).
pub async fn procedure_form(id: &str) -> Result<Vec<Section>, ErrorBody> {
    let id = String::from(js_sys::encode_uri_component(id));
    send(get(&format!("/api/procedures/{id}/form"))).await
}

pub async fn list_fields() -> Result<Vec<Field>, ErrorBody> {
    send(get("/api/fields")).await
}

pub async fn list_agencies() -> Result<Vec<Agency>, ErrorBody> {
    send(get("/api/agencies")).await
}

/// When a dossier submitted now, with a time of `leg`, would be due.
pub async fn calendar_due(leg: Leg) -> Result<DueEstimate, ErrorBody> {
    let (days, unit) = match leg {
        Leg::Working { minutes } => {
            let m = minutes.minutes();
            (format!("{}.{:02}", m / 480, m % 480 * 100 / 480), "working")
        }
        Leg::Calendar { days } => (days.to_string(), "calendar"),
    };
    send(get("/api/calendar/due").query([("days", days), ("unit", unit.to_owned())])).await
}

pub async fn catalogue_kpis() -> Result<CatalogueKpis, ErrorBody> {
    send(get("/api/catalogue/kpis")).await
}

async fn post_json<T: DeserializeOwned, B: serde::Serialize>(path: &str, body: &B) -> Result<T, ErrorBody> {
    let request = post(path).json(body).map_err(|_| local_error(ErrorCode::Internal))?;
    parse(&answer_text(request.send().await).await?)
}

fn code_path(code: &str) -> String {
    String::from(js_sys::encode_uri_component(code))
}

/// Uploads one attachment as its raw bytes; the server recognises its type by content.
/// A file's bytes as the body of a POST (the worker recognises the type by content).
async fn post_file<T: DeserializeOwned>(path: &str, file: &web_sys::File) -> Result<T, ErrorBody> {
    let request = post(path)
        .header("Content-Type", "application/octet-stream")
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|_| local_error(ErrorCode::Internal))?;
    parse(&answer_text(request.send().await).await?)
}

/// The result file of a dossier, for the holder of its secret: its bytes and media type.
pub async fn dossier_result_file(code: &str, secret: &str) -> Result<(Vec<u8>, String), ErrorBody> {
    let request = post(&format!("/api/dossiers/{}/result-file", code_path(code)))
        .json(&LookupRequest { secret: secret.to_owned() })
        .map_err(|_| local_error(ErrorCode::Internal))?;
    let resp = request.send().await.map_err(|_| local_error(ErrorCode::Network))?;
    if !resp.ok() {
        return Err(answer_text(Ok(resp)).await.err().unwrap_or_else(|| local_error(ErrorCode::Internal)));
    }
    let kind = resp.headers().get("Content-Type").unwrap_or_default();
    let bytes = resp.binary().await.map_err(|_| local_error(ErrorCode::Network))?;
    Ok((bytes, kind))
}

pub async fn upload(file: &web_sys::File) -> Result<Upload, ErrorBody> {
    post_file("/api/uploads", file).await
}

/// A form template (PDF, Word, Excel) for a procedure's documents; admins only.
pub async fn upload_template(file: &web_sys::File) -> Result<Template, ErrorBody> {
    post_file("/api/staff/templates", file).await
}

pub async fn submit_dossier(request: &SubmitRequest) -> Result<Receipt, ErrorBody> {
    post_json("/api/dossiers", request).await
}

pub async fn dossier_status(code: &str) -> Result<PublicStatus, ErrorBody> {
    send(get(&format!("/api/dossiers/{}", code_path(code)))).await
}

pub async fn dossier_lookup(code: &str, proof: &LookupRequest) -> Result<PrivateView, ErrorBody> {
    post_json(&format!("/api/dossiers/{}/lookup", code_path(code)), proof).await
}

pub async fn answer_supplement(code: &str, answer: &SupplementAnswer) -> Result<PrivateView, ErrorBody> {
    post_json(&format!("/api/dossiers/{}/supplement", code_path(code)), answer).await
}

/// Whether a result record with this signature is genuine (`Err` with `not_genuine` if not).
pub async fn verify_result(code: &str, sig: &str) -> Result<Verification, ErrorBody> {
    send(get(&format!("/api/verify/{}", code_path(code))).query([("sig", sig)])).await
}

/// The VAPID key browsers subscribe with.
pub async fn push_key() -> Result<motcua_core::notify::PushKey, ErrorBody> {
    send(get("/api/push/key")).await
}

/// Asks for the dossier's notices on this device's push subscription.
pub async fn subscribe_push(code: &str, request: &motcua_core::notify::SubscriptionRequest) -> Result<serde_json::Value, ErrorBody> {
    post_json(&format!("/api/dossiers/{}/subscriptions", code_path(code)), request).await
}

/// Asks for a new secret by e-mail; the answer's message is the same whether one was sent.
pub async fn recover_secret(code: &str) -> Result<String, ErrorBody> {
    #[derive(serde::Deserialize)]
    struct Sent {
        message: String,
    }
    let sent: Sent = post_json(&format!("/api/dossiers/{}/recover", code_path(code)), &serde_json::json!({})).await?;
    Ok(sent.message)
}

pub async fn withdraw_dossier(code: &str, proof: &LookupRequest) -> Result<PrivateView, ErrorBody> {
    post_json(&format!("/api/dossiers/{}/withdraw", code_path(code)), proof).await
}

pub async fn evaluate_dossier(code: &str, request: &EvaluationRequest) -> Result<Evaluation, ErrorBody> {
    post_json(&format!("/api/dossiers/{}/evaluation", code_path(code)), request).await
}

/// A walk-in survey: from this kiosk (its token) or from a receipt's link.
pub async fn survey(request: &SurveyRequest, kiosk_token: Option<&str>) -> Result<(), ErrorBody> {
    let mut builder = post("/api/surveys");
    if let Some(t) = kiosk_token {
        builder = builder.header("X-Kiosk-Token", t);
    }
    let request = builder.json(request).map_err(|_| local_error(ErrorCode::Internal))?;
    answer_text(request.send().await).await.map(|_| ())
}

pub async fn stats(from: &str, to: &str, agency: &str, field: &str, procedure: &str) -> Result<Stats, ErrorBody> {
    let query = [("from", from), ("to", to), ("agency", agency), ("field", field), ("procedure", procedure)];
    send(get("/api/stats").query(query)).await
}

pub async fn manager_stats() -> Result<ManagerStats, ErrorBody> {
    send(get("/api/staff/stats")).await
}

pub async fn rating_summary(from: &str, to: &str, field: &str, procedure: &str) -> Result<RatingSummary, ErrorBody> {
    send(get("/api/ratings/summary").query([("from", from), ("to", to), ("field", field), ("procedure", procedure)])).await
}

// Staff: the session cookie goes with these same-origin calls on its own (HttpOnly, never
// readable here).

pub async fn login(request: &LoginRequest) -> Result<Staff, ErrorBody> {
    post_json("/api/auth/login", request).await
}

pub async fn change_password(request: &motcua_core::accounts::PasswordChange) -> Result<Staff, ErrorBody> {
    post_json("/api/auth/password", request).await
}

pub async fn totp_offer() -> Result<motcua_core::accounts::TotpEnrollment, ErrorBody> {
    send(get("/api/auth/totp/enroll")).await
}

pub async fn totp_enroll(request: &motcua_core::accounts::TotpCode) -> Result<Staff, ErrorBody> {
    post_json("/api/auth/totp/enroll", request).await
}

pub async fn totp(request: &motcua_core::accounts::TotpCode) -> Result<Staff, ErrorBody> {
    post_json("/api/auth/totp", request).await
}

/// An admin's reset of another account's password (changed at its next sign-in).
pub async fn reset_password(username: &str, request: &motcua_core::accounts::PasswordReset) -> Result<(), ErrorBody> {
    answer_text(
        post(&format!("/api/staff/accounts/{}/reset", code_path(username)))
            .json(request)
            .map_err(|_| local_error(ErrorCode::Internal))?
            .send()
            .await,
    )
    .await
    .map(|_| ())
}

pub async fn list_kiosks() -> Result<Vec<motcua_core::rating::Kiosk>, ErrorBody> {
    send(get("/api/staff/kiosks")).await
}

pub async fn revoke_kiosk(id: i64) -> Result<(), ErrorBody> {
    answer_text(post(&format!("/api/staff/kiosks/{id}/revoke")).send().await).await.map(|_| ())
}

pub async fn logout() -> Result<(), ErrorBody> {
    answer_text(post("/api/auth/logout").send().await).await.map(|_| ())
}

pub async fn me() -> Result<Staff, ErrorBody> {
    send(get("/api/auth/me")).await
}

pub async fn staff_queue(role: Option<Role>, page: u32) -> Result<Queue, ErrorBody> {
    let page = page.to_string();
    let mut query = vec![("page", page.as_str())];
    if let Some(r) = role {
        query.push(("role", r.as_str()));
    }
    send(get("/api/staff/queue").query(query)).await
}

/// The staff's search: the agency's dossiers matching `filter`, a page at a time.
pub async fn search_dossiers(filter: &DossierFilter) -> Result<DossierPage, ErrorBody> {
    let query = filter.to_query();
    send(get("/api/staff/dossiers").query(query.iter().map(|(k, v)| (*k, v.as_str())))).await
}

pub async fn staff_dossier(code: &str) -> Result<StaffDossier, ErrorBody> {
    send(get(&format!("/api/staff/dossiers/{}", code_path(code)))).await
}

pub async fn staff_action(code: &str, request: &ActionRequest) -> Result<StaffDossier, ErrorBody> {
    post_json(&format!("/api/staff/dossiers/{}/actions", code_path(code)), request).await
}

/// Reception's re-issue of a lost secret: a new receipt to print.
pub async fn reissue_secret(code: &str, version: u32) -> Result<Receipt, ErrorBody> {
    post_json(&format!("/api/staff/dossiers/{}/secret", code_path(code)), &serde_json::json!({ "version": version })).await
}

pub async fn register_walk_in(request: &SubmitRequest) -> Result<Receipt, ErrorBody> {
    post_json("/api/staff/dossiers", request).await
}

pub async fn staff_register(from: &str, to: &str, page: u32) -> Result<RegisterPage, ErrorBody> {
    send(get("/api/staff/register").query([("from", from), ("to", to), ("page", &page.to_string())])).await
}

pub async fn enroll_kiosk(name: &str) -> Result<KioskEnrollment, ErrorBody> {
    post_json("/api/staff/kiosks", &serde_json::json!({ "name": name })).await
}

pub async fn rating_officers(from: &str, to: &str) -> Result<OfficerResults, ErrorBody> {
    send(get("/api/staff/ratings/officers").query([("from", from), ("to", to)])).await
}

pub async fn list_accounts() -> Result<Vec<Account>, ErrorBody> {
    send(get("/api/staff/accounts")).await
}

pub async fn create_account(account: &NewAccount) -> Result<Account, ErrorBody> {
    post_json("/api/staff/accounts", account).await
}

pub async fn deactivate_account(username: &str) -> Result<(), ErrorBody> {
    let path = format!("/api/staff/accounts/{}/deactivate", code_path(username));
    answer_text(post(&path).send().await).await.map(|_| ())
}

/// Catalogue administration: every version of a procedure and the latest record.
pub async fn editable_procedure(id: &str) -> Result<Editable, ErrorBody> {
    send(get(&format!("/api/staff/catalogue/procedures/{}", code_path(id)))).await
}

pub async fn preview_publication(publication: &Publication) -> Result<Preview, ErrorBody> {
    post_json("/api/staff/catalogue/preview", publication).await
}

pub async fn publish_procedure(publication: &Publication) -> Result<VersionMeta, ErrorBody> {
    post_json("/api/staff/catalogue/publish", publication).await
}

/// Agency administration.
pub async fn list_agencies_admin() -> Result<Vec<AgencyAdmin>, ErrorBody> {
    send(get("/api/staff/agencies")).await
}

pub async fn create_agency(agency: &NewAgency) -> Result<AgencyAdmin, ErrorBody> {
    post_json("/api/staff/agencies", agency).await
}

pub async fn rename_agency(code: &str, rename: &Rename) -> Result<AgencyAdmin, ErrorBody> {
    post_json(&format!("/api/staff/agencies/{}/rename", code_path(code)), rename).await
}

pub async fn merge_agency(code: &str, merge: &Merge) -> Result<Vec<ImportLine>, ErrorBody> {
    post_json(&format!("/api/staff/agencies/{}/merge", code_path(code)), merge).await
}

/// Calendar administration: a year's decision (an empty one where none was published).
pub async fn calendar_decision(year: i32) -> Result<YearDecision, ErrorBody> {
    send(get(&format!("/api/staff/calendar/{year}"))).await
}

pub async fn preview_calendar(year: i32, decision: &YearDecision) -> Result<YearCalendar, ErrorBody> {
    post_json(&format!("/api/staff/calendar/{year}/preview"), decision).await
}

pub async fn save_calendar(year: i32, decision: &YearDecision) -> Result<YearDecision, ErrorBody> {
    post_json(&format!("/api/staff/calendar/{year}/decision"), decision).await
}

pub async fn import_catalogue(request: &ImportRequest) -> Result<ImportReport, ErrorBody> {
    post_json("/api/staff/catalogue/import", request).await
}

pub async fn repeal_procedure(id: &str, repeal: &Repeal) -> Result<VersionMeta, ErrorBody> {
    post_json(&format!("/api/staff/catalogue/procedures/{}/repeal", code_path(id)), repeal).await
}

/// `/thu-tuc?…` for a query: the one place app URLs for searches are written.
pub fn search_href(query: &ProcedureQuery) -> String {
    let pairs: Vec<String> = query
        .to_pairs()
        .into_iter()
        .map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(&v))))
        .collect();
    if pairs.is_empty() { "/thu-tuc".into() } else { format!("/thu-tuc?{}", pairs.join("&")) }
}
