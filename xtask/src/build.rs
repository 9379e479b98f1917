//! Building the two WASM halves with tools found locally, never downloaded.

use std::path::Path;
use std::process::Command;

use crate::tools::{cargo_bin, path_env, run};
use crate::{step, Result};

pub fn app(root: &Path) -> Result<()> {
    let trunk = || {
        let mut cmd = Command::new(cargo_bin("trunk"));
        cmd.args(["build", "--release", "--offline=true"])
            .current_dir(root.join("app"))
            .env("PATH", path_env(root))
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            // The province whose name, contact line and mark the pages carry (app/build.rs).
            .env("MOTCUA_PROVINCE_FILE", crate::province::file(root));
        cmd
    };
    step("Building the app's public bundle (Trunk, release, wasm-opt -Oz)");
    // First: Trunk empties dist/ before writing it.
    run(trunk().arg("index.html"))?;
    step("Building the app's citizen bundle (submission and tracking) into dist/citizen");
    run(trunk().args(["--dist", "dist/citizen", "--public-url", "/citizen/", "citizen.html"]))?;
    step("Building the app's staff bundle (the department's workspace) into dist/staff");
    run(trunk().args(["--dist", "dist/staff", "--public-url", "/staff/", "staff.html"]))?;
    for (dist, url) in [("app/dist", "/"), ("app/dist/citizen", "/citizen/"), ("app/dist/staff", "/staff/")] {
        externalize_boot(&root.join(dist), url)?;
    }
    name_province(root)?;
    precompress(&root.join("app/dist"))?;
    precompress(&root.join("app/dist/citizen"))?;
    precompress(&root.join("app/dist/staff"))
}

/// The installed app's names carry the run's province (`data/province.json` or `--province`;
/// the pages get it at compile time, app/build.rs).
fn name_province(root: &Path) -> Result<()> {
    let province = crate::province::read(root)?;
    let path = root.join("app/dist/manifest.webmanifest");
    let mut text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    for (slot, value) in [("{province}", &province.name), ("{short_name}", &province.short_name)] {
        if !text.contains(slot) {
            return Err(format!("{}: no {slot} to fill in", path.display()));
        }
        // The value sits in a JSON string: escaped as one.
        let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
        text = text.replace(slot, json.trim_matches('"'));
    }
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Moves the module script Trunk writes into the page into a file of its own, named by its
/// content like Trunk's: the pages then run under a Content-Security-Policy without
/// 'unsafe-inline' (worker/src/security.rs). Any other inline script is refused here.
fn externalize_boot(dist: &Path, public_url: &str) -> Result<()> {
    const OPEN: &str = "<script type=\"module\">";
    const CLOSE: &str = "</script>";
    let page = dist.join("index.html");
    let html = std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
    let start = html.find(OPEN).ok_or_else(|| format!("{}: no boot script from Trunk", page.display()))?;
    let end = start + html[start..].find(CLOSE).ok_or("an unclosed boot script")?;
    let boot = &html[start + OPEN.len()..end];
    // FNV-1a: a name that changes with the content is all that is needed here.
    let hash = boot.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
    let name = format!("boot-{hash:016x}.js");
    std::fs::write(dist.join(&name), boot.trim()).map_err(|e| e.to_string())?;
    let html = format!("{}<script type=\"module\" src=\"{public_url}{name}\"></script>{}", &html[..start], &html[end + CLOSE.len()..]);
    if html.contains("<script>") || html.contains(OPEN) {
        return Err(format!("{}: an inline script is left (the CSP refuses it): move it into a file", page.display()));
    }
    std::fs::write(&page, html).map_err(|e| e.to_string())
}

/// Writes `<file>.br` at brotli's best quality next to each wasm, js and css file; the Worker
/// sends these instead of compressing on the fly (worker/src/assets.rs).
fn precompress(dist: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if ![".wasm", ".js", ".css"].iter().any(|ext| name.ends_with(ext)) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| format!("{name}: {e}"))?;
        std::fs::write(dist.join(format!("{name}.br")), out).map_err(|e| e.to_string())?;
    }
    Ok(())
}

pub fn worker(root: &Path) -> Result<()> {
    step("Building the worker (worker-build, release)");
    run(Command::new(cargo_bin("worker-build"))
        .arg("--release")
        .current_dir(root.join("worker"))
        .env("PATH", path_env(root))
        .env("WASM_BINDGEN_BIN", cargo_bin("wasm-bindgen"))
        .env("WASM_OPT_BIN", root.join("node_modules/.bin/wasm-opt"))
        .env("ESBUILD_BIN", root.join("node_modules/@esbuild/linux-x64/bin/esbuild"))
        .env("XDG_CACHE_HOME", root.join(".cache")))
}

pub fn all(root: &Path) -> Result<()> {
    app(root)?;
    worker(root)
}
