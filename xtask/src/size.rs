//! What a phone downloads to open each bundle's first page: the page and every script, style
//! and WASM file it references, as brotli. Shared by `cargo xtask bench` (which fails over the
//! budget) and `cargo xtask test` (which reports it on every run).

use crate::{http, Result};

/// The public pages' first load, both languages included (issue #16).
pub const PUBLIC_BUDGET_KB: f64 = 125.0;

/// The first page of each bundle, as a phone opens it.
pub const BUNDLES: [(&str, &str); 3] = [("public", "/"), ("citizen", "/ho-so"), ("staff", "/can-bo")];

pub struct Asset {
    pub path: String,
    /// Bytes transferred with `Accept-Encoding: br`.
    pub served: usize,
    /// Bytes at brotli quality 11, as a CDN serving precompressed files would send.
    pub best: usize,
}

pub fn kb(parts: &[Asset], of: fn(&Asset) -> usize) -> f64 {
    parts.iter().map(of).sum::<usize>() as f64 / 1024.0
}

fn brotli_best(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map(|_| out.len()).unwrap_or(bytes.len())
}

/// Sizes of the page at `page` and every asset it references.
pub fn first_load(port: u16, page: &str) -> Result<Vec<Asset>> {
    let br = ["Accept-Encoding: br"];
    let html = http::get(port, page, &[]).map_err(|e| e.to_string())?;
    if html.status != 200 {
        return Err(format!("{page}: status {}", html.status));
    }
    let html = String::from_utf8_lossy(&html.body).into_owned();
    let mut paths = vec![page.to_owned()];
    for attr in ["href=\"", "src=\""] {
        for piece in html.split(attr).skip(1) {
            let path = piece.split('"').next().unwrap_or_default();
            if path.starts_with('/') && [".js", ".wasm", ".css"].iter().any(|ext| path.ends_with(ext)) && !paths.iter().any(|p| p == path) {
                paths.push(path.to_owned());
            }
        }
    }
    // A page that names no WASM would weigh nothing and pass any budget.
    if !paths.iter().any(|p| p.ends_with(".wasm")) {
        return Err(format!("{page}: no .wasm referenced"));
    }
    let mut parts = Vec::new();
    for p in paths {
        let served = http::get(port, &p, &br).map_err(|e| format!("{p}: {e}"))?.body.len();
        let plain = http::get(port, &p, &[]).map_err(|e| format!("{p}: {e}"))?.body;
        parts.push(Asset { best: brotli_best(&plain), path: p, served });
    }
    Ok(parts)
}

/// Prints each bundle's first load; the public one's against its budget. Returns that figure.
pub fn report(port: u16, detail: bool) -> Result<f64> {
    let mut public = 0.0;
    for (bundle, page) in BUNDLES {
        let parts = first_load(port, page)?;
        if detail {
            println!("    {:>9} {:>9}  path", "served", "br q11");
            for p in &parts {
                println!("    {:>8}B {:>8}B  {}", p.served, p.best, p.path);
            }
        }
        let served = kb(&parts, |a| a.served);
        let budget = if bundle == "public" { format!(" (budget {PUBLIC_BUDGET_KB:.0} KB)") } else { String::new() };
        println!("first load {bundle:<8} {page:<7} {served:.1} KB brotli as served, {:.1} KB at brotli quality 11{budget}", kb(&parts, |a| a.best));
        if bundle == "public" {
            public = served;
        }
    }
    Ok(public)
}
