//! Web Push on this device: the browser's permission, the service worker's subscription
//! (PushManager), sent to the worker for one dossier. Called through `js_sys` rather than
//! typed `web-sys` bindings: five calls do not justify a dozen more binding features.

use js_sys::{Object, Promise, Reflect, Uint8Array, JSON};
use motcua_core::notify::PushSubscription;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{t, tf, Msg};

fn get(target: &JsValue, key: &str) -> Result<JsValue, String> {
    Reflect::get(target, &key.into()).map_err(|_| format!("{key}?"))
}

async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f: js_sys::Function = get(target, method)?.dyn_into().map_err(|_| format!("{method} is not a function"))?;
    let result = f.apply(target, &args.iter().collect::<js_sys::Array>()).map_err(|e| format!("{method}: {e:?}"))?;
    match result.dyn_into::<Promise>() {
        Ok(p) => JsFuture::from(p).await.map_err(|e| js_message(&e)),
        Err(v) => Ok(v),
    }
}

fn js_message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// Decodes base64url (the VAPID key as the worker gives it).
fn from_base64url(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = s.trim_end_matches('=').bytes().map(value).collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, d)| acc | (u32::from(*d) << (18 - 6 * i)));
        out.extend(n.to_be_bytes()[1..chunk.len()].iter());
    }
    Some(out)
}

/// Asks the browser for permission and a push subscription keyed to `server_key` (base64url).
pub async fn subscribe(server_key: &str) -> Result<PushSubscription, String> {
    let window: JsValue = web_sys::window().ok_or("no window")?.into();
    let notification = get(&window, "Notification")?;
    let navigator = get(&window, "navigator")?;
    let workers = get(&navigator, "serviceWorker")?;
    if notification.is_undefined() || workers.is_undefined() {
        return Err(t(Msg::PushUnsupported).into());
    }
    let permission = call(&notification, "requestPermission", &[]).await?;
    if permission.as_string().as_deref() != Some("granted") {
        return Err(t(Msg::PushDenied).into());
    }
    let ready = JsFuture::from(Promise::from(get(&workers, "ready")?)).await.map_err(|e| js_message(&e))?;
    let manager = get(&ready, "pushManager")?;
    let key = from_base64url(server_key).ok_or(t(Msg::PushBadKey))?;
    let options = Object::new();
    Reflect::set(&options, &"userVisibleOnly".into(), &JsValue::TRUE).map_err(|_| "options")?;
    Reflect::set(&options, &"applicationServerKey".into(), &Uint8Array::from(key.as_slice())).map_err(|_| "options")?;
    let subscription = call(&manager, "subscribe", &[options.into()]).await.map_err(|e| tf(Msg::PushFailed, &[&e]))?;
    let json = call(&subscription, "toJSON", &[]).await?;
    let text = JSON::stringify(&json).map_err(|_| "toJSON")?.as_string().unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| format!("subscription: {e}"))
}
