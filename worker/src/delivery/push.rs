//! The Web Push channel: a notice encrypted for the browser's subscription and posted to its
//! push service with the deployment's VAPID signature (the cryptography is core's
//! `notify::push`).

use motcua_core::notify::push::{encrypt, from_base64url, Vapid};
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use super::Outcome;
use crate::api::{random_bytes, unhex};
use crate::error::{ApiError, ApiResult};

/// The deployment's VAPID key (`VAPID_PRIVATE_KEY`, 32 bytes hex: a Worker secret).
pub fn vapid(env: &Env) -> ApiResult<Vapid> {
    let text = env.secret("VAPID_PRIVATE_KEY").map(|s| s.to_string()).map_err(|_| ApiError::Internal("VAPID_PRIVATE_KEY is not set".into()))?;
    let bytes = unhex(text.trim()).filter(|b| b.len() == 32).ok_or_else(|| ApiError::Internal("VAPID_PRIVATE_KEY: not 32 bytes of hex".into()))?;
    Vapid::from_bytes(&bytes).map_err(|e| ApiError::Internal(format!("VAPID_PRIVATE_KEY: {e}")))
}

/// Whether an endpoint may be sent to: https, or (dev and test stacks only, `PUSH_LOOPBACK`)
/// a push service on the loopback.
pub fn endpoint_ok(env: &Env, endpoint: &str) -> bool {
    let Ok(url) = worker::Url::parse(endpoint) else { return false };
    let loopback = crate::api::settings(env).is_ok_and(|s| s.push_loopback);
    endpoint.len() <= 1000
        && match url.scheme() {
            "https" => url.host_str().is_some_and(|h| !h.is_empty()),
            "http" => loopback && url.host_str() == Some("127.0.0.1"),
            _ => false,
        }
}

/// Sends `payload` to one subscription. 404/410 from the push service: the subscription is gone.
pub async fn send(env: &Env, endpoint: &str, p256dh: &str, auth: &str, payload: &[u8]) -> Outcome {
    let result = async {
        let (ua, auth) = (from_base64url(p256dh).unwrap_or_default(), from_base64url(auth).unwrap_or_default());
        let (secret, salt) = (random_bytes::<32>().map_err(|e| format!("{e:?}"))?, random_bytes::<16>().map_err(|e| format!("{e:?}"))?);
        let body = encrypt(payload, &ua, &auth, &secret, &salt).map_err(|e| e.to_string())?;
        let url = worker::Url::parse(endpoint).map_err(|e| e.to_string())?;
        let expires = (worker::Date::now().as_millis() / 1000) as i64 + 12 * 3600;
        let subject = crate::api::settings(env).map_err(|e| format!("{e:?}"))?.vapid_subject.clone();
        let authorization = vapid(env).map_err(|e| format!("{e:?}"))?.authorization(&url.origin().ascii_serialization(), expires, &subject);
        let headers = Headers::new();
        for (k, v) in [
            ("Content-Type", "application/octet-stream"),
            ("Content-Encoding", "aes128gcm"),
            ("TTL", "86400"),
            ("Urgency", "normal"),
            ("Authorization", authorization.as_str()),
        ] {
            headers.set(k, v).map_err(|e| e.to_string())?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_headers(headers).with_body(Some(worker::js_sys::Uint8Array::from(body.as_slice()).into()));
        let request = Request::new_with_init(endpoint, &init).map_err(|e| e.to_string())?;
        let response = Fetch::Request(request).send().await.map_err(|e| e.to_string())?;
        Ok::<u16, String>(response.status_code())
    };
    match result.await {
        Ok(200..=202) => Outcome::Sent,
        Ok(404 | 410) => Outcome::Gone,
        Ok(status @ (408 | 425 | 429 | 500..=599)) => Outcome::Retry(format!("push service answered {status}")),
        Ok(status) => Outcome::Failed(format!("push service answered {status}")),
        Err(e) => Outcome::Retry(e),
    }
}
