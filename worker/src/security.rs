//! The headers every response carries. The pages load their three bundles from this origin
//! only — no inline script (xtask moves Trunk's boot script into a file), WebAssembly allowed —
//! and no page may frame them; the API's answers (JSON, SVG, the versions' HTML) may load
//! nothing at all. Tracking links carry secrets: no referrer leaves the site.

use worker::{Headers, Response, Result};

/// The app's pages, their scripts and the service worker (whose own CSP governs its fetches).
const APP_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";
/// Everything under `/api`: nothing it answers runs or loads anything.
const API_CSP: &str = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Which policy a response gets.
#[derive(Clone, Copy)]
pub enum Surface {
    App,
    Api,
}

/// `resp` with the security headers added (a file's own stricter CSP, as `serve` sets for
/// uploads, is kept). `https`: the deployment is reached over TLS, so browsers are told to
/// never use plain HTTP again (not on the local stack, which is plain HTTP).
pub fn harden(resp: Response, surface: Surface, https: bool) -> Result<Response> {
    // Headers of a response fetched from the assets binding are immutable: copy them.
    let headers = Headers::new();
    for (name, value) in resp.headers().entries() {
        headers.append(&name, &value)?;
    }
    if !headers.has("Content-Security-Policy")? {
        headers.set("Content-Security-Policy", match surface {
            Surface::App => APP_CSP,
            Surface::Api => API_CSP,
        })?;
    }
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()")?;
    headers.set("X-Frame-Options", "DENY")?;
    headers.set("Cross-Origin-Opener-Policy", "same-origin")?;
    if https {
        headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")?;
    }
    Ok(resp.with_headers(headers))
}
