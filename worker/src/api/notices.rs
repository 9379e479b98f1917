//! Notifications to applicants: the VAPID key, push subscriptions of a dossier, the e-mail
//! unsubscribe link, and the notices listed on the staff page and the applicant's view.

use motcua_core::date::parse_iso_datetime;
use motcua_core::dossier::DossierCode;
use motcua_core::form::FieldError;
use motcua_core::notify::push::keys_ok;
use motcua_core::notify::{PushKey, SubscriptionRequest};
use motcua_core::workflow::transition::{NoticeKind, NotificationStatus};
use worker::{Request, Response, Url};

use super::{Cx, json, read_json};
use crate::delivery::{push, unsubscribe_token};
use crate::error::{ApiError, ApiResult};
use crate::store;

pub fn key(cx: &Cx<'_>) -> ApiResult<Response> {
    json(&PushKey { public_key: push::vapid(cx.env)?.public_key() }, Some(3600))
}

/// The subscription of a request, proved by the receipt's secret and checked: an https
/// endpoint (the loopback too on the dev and test stacks), usable keys.
async fn proved(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<(DossierCode, SubscriptionRequest)> {
    let code = DossierCode::parse(code).map_err(|_| ApiError::NotFound("Không tìm thấy hồ sơ với mã này."))?;
    let body: SubscriptionRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm secret và subscription.").await?;
    super::dossier::prove(req, cx, &code, &body.secret).await?;
    let s = &body.subscription;
    let mut fields = Vec::new();
    if !push::endpoint_ok(cx.env, &s.endpoint) {
        fields.push(FieldError { field: "subscription.endpoint".into(), message: "Địa chỉ nhận thông báo phải là https.".into() });
    }
    if !keys_ok(&s.keys.p256dh, &s.keys.auth) {
        fields.push(FieldError { field: "subscription.keys".into(), message: "Khóa của trình duyệt không hợp lệ.".into() });
    }
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    Ok((code, body))
}

/// `POST /api/dossiers/{code}/subscriptions`: notify this browser of the dossier's changes.
pub async fn subscribe(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let (code, body) = proved(req, cx, code).await?;
    let s = body.subscription;
    let at = motcua_core::date::to_iso_datetime(cx.now);
    store::notices::subscribe(&cx.db, code.as_str(), &s.endpoint, &s.keys.p256dh, &s.keys.auth, &at).await?;
    Ok(json(&serde_json::json!({ "subscribed": true }), None)?.with_status(201))
}

/// `DELETE /api/dossiers/{code}/subscriptions`: stop notifying this browser.
pub async fn unsubscribe(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let (code, body) = proved(req, cx, code).await?;
    if !store::notices::unsubscribe(&cx.db, code.as_str(), &body.subscription.endpoint).await? {
        return Err(ApiError::NotFound("Trình duyệt này chưa đăng ký nhận thông báo của hồ sơ."));
    }
    Ok(Response::empty()?.with_status(204))
}

/// `GET|POST /api/dossiers/{code}/unsubscribe?token=`: the link in every e-mail (POST: the
/// one-click of RFC 8058). Answers a short page in Vietnamese.
pub async fn opt_out(cx: &Cx<'_>, url: &Url, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| ApiError::NotFound("Không tìm thấy hồ sơ với mã này."))?;
    let token = url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()).unwrap_or_default();
    if token != unsubscribe_token(cx.env, code.as_str())? {
        return Err(ApiError::NotFound("Liên kết ngừng nhận thư không đúng hoặc đã hết hiệu lực."));
    }
    store::notices::opt_out(&cx.db, code.as_str()).await?;
    let page = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Đã ngừng nhận thư</title></head><body style=\"font-family:Arial,sans-serif;max-width:600px;margin:2em auto;padding:0 1em\">\
         <h1>Đã ngừng nhận thư</h1><p>Bạn sẽ không nhận thư điện tử về hồ sơ {} nữa. Bạn vẫn theo dõi hồ sơ trên trang \
         <a href=\"/ho-so/{}\">Theo dõi hồ sơ</a>.</p></body></html>",
        code.as_str(),
        code.as_str()
    );
    let mut resp = Response::from_html(page)?;
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

/// The notices of a dossier as read (store::notices::of_dossier); `staff` also sees why a
/// delivery failed.
pub fn statuses(rows: Vec<store::notices::NoticeRow>, staff: bool) -> Vec<NotificationStatus> {
    rows.into_iter()
        .filter_map(|r| {
            Some(NotificationStatus {
                kind: NoticeKind::parse(&r.kind)?,
                channel: r.channel,
                status: r.status,
                at: parse_iso_datetime(&r.updated_at)?,
                attempts: r.attempts,
                error: r.last_error.filter(|_| staff),
            })
        })
        .collect()
}
