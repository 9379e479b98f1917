//! Building the two WASM halves with tools found locally, never downloaded.

use std::path::Path;
use std::process::Command;

use crate::tools::{cargo_bin, path_env, run};
use crate::{step, Result};

pub fn app(root: &Path) -> Result<()> {
    step("Building the app (Trunk, release, wasm-opt -Oz)");
    run(Command::new(cargo_bin("trunk"))
        .args(["build", "--release", "--offline=true"])
        .current_dir(root.join("app"))
        .env("PATH", path_env(root))
        .env("TRUNK_SKIP_VERSION_CHECK", "true"))
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
