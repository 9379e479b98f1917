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
            .env("TRUNK_SKIP_VERSION_CHECK", "true");
        cmd
    };
    step("Building the app's public bundle (Trunk, release, wasm-opt -Oz)");
    // First: Trunk empties dist/ before writing it.
    run(trunk().arg("index.html"))?;
    step("Building the app's citizen bundle (submission and tracking) into dist/citizen");
    run(trunk().args(["--dist", "dist/citizen", "--public-url", "/citizen/", "citizen.html"]))?;
    step("Building the app's staff bundle (the department's workspace) into dist/staff");
    run(trunk().args(["--dist", "dist/staff", "--public-url", "/staff/", "staff.html"]))?;
    precompress(&root.join("app/dist"))?;
    precompress(&root.join("app/dist/citizen"))?;
    precompress(&root.join("app/dist/staff"))
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
