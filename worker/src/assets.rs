//! Static files of the app. The large ones (wasm, js, css) are sent as the brotli files made
//! at build time at the best quality (`<file>.br`, by xtask), not compressed on the fly at a
//! lower one: the first load of the public pages has a 150 KB budget.

use worker::{EncodeBody, Env, Headers, Request, Response, ResponseBuilder, Result};

fn content_type(path: &str) -> Option<&'static str> {
    [(".wasm", "application/wasm"), (".js", "text/javascript; charset=utf-8"), (".css", "text/css; charset=utf-8")]
        .into_iter()
        .find(|(ext, _)| path.ends_with(ext))
        .map(|(_, ct)| ct)
}

// Cloudflare rewrites Accept-Encoding on the way in; the client's own header is kept in
// `request.cf.clientAcceptEncoding` (absent locally, where the header is used).
fn client_accepts_br(req: &Request) -> Result<bool> {
    use worker::js_sys::Reflect;
    let original = Reflect::get(req.inner(), &"cf".into())
        .ok()
        .filter(|cf| cf.is_object())
        .and_then(|cf| Reflect::get(&cf, &"clientAcceptEncoding".into()).ok())
        .and_then(|v| v.as_string());
    let header = match original {
        Some(h) => Some(h),
        None => req.headers().get("Accept-Encoding")?,
    };
    Ok(header.is_some_and(|v| v.contains("br")))
}

/// The bundle a page belongs to, when it is not the public one: the citizen bundle
/// (app/citizen.html, built into /citizen/) or the staff bundle (app/staff.html, /staff/).
fn bundle(path: &str) -> Option<&'static str> {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/ho-so") || under("/khao-sat") || under("/danh-gia") || under("/thong-ke") || path.starts_with("/nop-ho-so/") || path.starts_with("/xac-minh/") {
        Some("/citizen/")
    } else if under("/can-bo") {
        Some("/staff/")
    } else {
        None
    }
}

/// A page the app has (its routers, by prefix): other paths still get the app, which shows
/// its not-found page, but with a 404 status so links and crawlers know.
fn known_page(path: &str) -> bool {
    let one_segment_under = |prefix: &str| path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    path == "/" || path == "/thu-tuc" || one_segment_under("/thu-tuc/") || bundle(path).is_some()
}

/// Trunk (and xtask, for the boot script) name files by their content (`name-<16 hex>.ext`):
/// those never change and are cached for good; others (sw.js, register-sw.js) briefly.
fn content_named(path: &str) -> bool {
    let stem = path.rsplit('/').next().unwrap_or_default().split('.').next().unwrap_or_default();
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub async fn serve(req: Request, env: &Env) -> Result<Response> {
    let assets = env.assets("ASSETS")?;
    let path = req.path();
    if let Some(index) = bundle(&path) {
        let mut url = req.url()?;
        url.set_path(index);
        url.set_query(None);
        return assets.fetch(url.to_string(), None).await;
    }
    let accepts_br = client_accepts_br(&req)?;
    if let (true, Some(ct)) = (accepts_br, content_type(&path)) {
        let mut url = req.url()?;
        url.set_path(&format!("{path}.br"));
        let mut pre = assets.fetch(url.to_string(), None).await?;
        // A missing file falls back to index.html (single-page app): only a real .br counts.
        let is_html = pre.headers().get("Content-Type")?.is_some_and(|t| t.starts_with("text/html"));
        if pre.status_code() == 200 && !is_html {
            let body = pre.bytes().await?;
            let headers = Headers::new();
            headers.set("Content-Type", ct)?;
            headers.set("Content-Encoding", "br")?;
            headers.set("Vary", "Accept-Encoding")?;
            headers.set("Cache-Control", if content_named(&path) { "public, max-age=31536000, immutable" } else { "public, max-age=300" })?;
            return Ok(ResponseBuilder::new().with_headers(headers).with_encode_body(EncodeBody::Manual).fixed(body));
        }
    }
    let known = known_page(&path);
    let resp = assets.fetch_request(req).await?;
    let spa_fallback = resp.headers().get("Content-Type")?.is_some_and(|t| t.starts_with("text/html"));
    if !spa_fallback || resp.status_code() != 200 {
        return Ok(resp);
    }
    if !known {
        return Ok(resp.with_status(404));
    }
    match preloads(&path) {
        Some(link) => {
            let headers = Headers::new();
            for (name, value) in resp.headers().entries() {
                headers.append(&name, &value)?;
            }
            headers.set("Link", &link)?;
            Ok(resp.with_headers(headers))
        }
        None => Ok(resp),
    }
}

/// The API reads a public page starts with, announced with the page (`Link: rel=preload`):
/// the phone fetches them while it still downloads and compiles the app, instead of after.
/// The URLs are the ones `app/src/api.rs` asks for, or the preload goes unused.
fn preloads(path: &str) -> Option<String> {
    let link = |urls: &[&str]| urls.iter().map(|u| format!("<{u}>; rel=preload; as=fetch; crossorigin=anonymous")).collect::<Vec<_>>().join(", ");
    if path == "/" {
        return Some(link(&["/api/fields", "/api/catalogue/kpis"]));
    }
    // Only an id that can name a procedure (nothing to escape in the header).
    let id = path.strip_prefix("/thu-tuc/").filter(|id| motcua_core::catalogue::procedure_id_ok(id))?;
    Some(link(&[&format!("/api/procedures/{id}")]))
}
