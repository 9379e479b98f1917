//! `cargo xtask <command>`: the project's orchestration, in Rust so it runs wherever cargo does.
//!
//! dev        install what is missing, build both halves, migrate and load local D1, serve :8787
//!            (`--province <file>`, here and for build/serve/demo-data: another province's
//!            name, departments and local database on the same code)
//! build      install what is missing and build both halves (release)
//! serve      like dev, without installing or building: serve the last build
//!            (`--test-clock`: as the test stack, a cookie may set the catalogue's day)
//! test       core unit tests, API and browser tests against a fresh local stack, schemathesis
//! soak       1,000 submissions (100 in flight), the same across a restart, 20 officers racing
//! bench      first-load size, Lighthouse scores, search throughput against the health route
//! catalogue  regenerate data/catalogue.json from ../shared/reference (maintainers);
//!            `--report`: which procedures take online dossiers, and why the others do not
//! deploy     build and `wrangler deploy` to Cloudflare (needs an account)
//! demo-data  add --dossiers N generated dossiers (two years of history) to the dev database
//! admin      create the first admin account of a deployment (password on stdin)
//! totp       the demo administrators' current second-factor code (local sign-in)

mod bench;
mod build;
mod calendar;
mod catalogue;
mod demo;
mod http;
mod province;
mod size;
mod soak;
mod stack;
mod staff;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub type Result<T> = std::result::Result<T, String>;

/// Announces a long step, so a person watching knows what the wait is for.
pub fn step(what: &str) {
    eprintln!("\n==> {what}");
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

const DEV_PORT: u16 = 8787;

fn dev(root: &Path) -> Result<()> {
    tools::ensure(root)?;
    build::all(root)?;
    serve(root, false)
}

/// The last build, on the local D1 of `dev` (migrated, catalogue and demo accounts loaded);
/// `serve --test-clock` as the test stack runs it, to run one test file against it by hand.
fn serve(root: &Path, test_clock: bool) -> Result<()> {
    let state = province::dev_state(root);
    stack::prepare(root, &state)?;
    step(&format!("Serving app + API on http://127.0.0.1:{DEV_PORT} (Ctrl-C stops)"));
    let mut server = stack::Stack::start(root, &state, DEV_PORT, false, test_clock)?;
    server.wait_ready()?;
    println!("\nmotcua is running: http://127.0.0.1:{DEV_PORT}\n");
    server.wait()
}

fn deploy(root: &Path) -> Result<()> {
    tools::ensure(root)?;
    step("Checking the deployment's Worker secrets (wrangler asks for your Cloudflare login)");
    staff::check_deploy_secrets(root)?;
    build::all(root)?;
    step("Applying D1 migrations remotely and deploying (wrangler asks for your Cloudflare login)");
    // Without CI=true wrangler may ask before applying migrations to the real database.
    tools::run(tools::wrangler(root).env_remove("CI").args(["d1", "migrations", "apply", "DB", "--remote"]))?;
    tools::run(tools::wrangler(root).env_remove("CI").arg("deploy"))?;
    // The version that served between the migration and the deploy changed dossiers without
    // moving their pending cells: count them again, now that only this version writes.
    step("Counting the dossiers in progress again for the dashboard (pending_days)");
    let recount = format!(
        "DELETE FROM pending_days; INSERT INTO pending_days (agency_code, procedure_id, due_day, held, waiting) {}",
        motcua_core::stats::pending_recount_sql()
    );
    tools::run(tools::wrangler(root).env_remove("CI").args(["d1", "execute", "DB", "--remote", "--command", &recount]))
}

/// `cargo xtask demo-data --dossiers N`: into `.state/dev` (migrated and loaded first), for
/// `cargo xtask serve` to show.
fn demo_data(root: &Path, args: &[String]) -> Result<()> {
    let n = match args {
        [flag, n] if flag == "--dossiers" => n.replace('_', "").parse::<u64>().map_err(|_| format!("not a count: {n}"))?,
        _ => return Err("usage: cargo xtask demo-data --dossiers N".into()),
    };
    tools::ensure(root)?;
    let state = province::dev_state(root);
    stack::prepare(root, &state)?;
    demo::generate(root, &state, n)
}

fn regenerate_catalogue(root: &Path, args: &[String]) -> Result<()> {
    if args.first().map(String::as_str) == Some("--report") {
        let cat = catalogue::read(&root.join("data/catalogue.json"))?;
        print!("{}", catalogue::report(&cat, &catalogue::read_times(&root.join("data/times.json"))?));
        return Ok(());
    }
    let reference = root.join("../shared/reference");
    let mut cat = catalogue::build_from_reference(&reference, &province::shipped(root)?)?;
    catalogue::add_documents(&mut cat, &root.join("data/documents.json"))?;
    catalogue::add_times(&mut cat, &root.join("data/times.json"))?;
    catalogue::add_english(&mut cat, &root.join("data/english.json"))?;
    let out = root.join("data/catalogue.json");
    let json = serde_json::to_string_pretty(&cat).map_err(|e| e.to_string())? + "\n";
    std::fs::write(&out, json).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("{} procedures written to {}", cat.procedures.len(), out.display());
    Ok(())
}

fn main() -> ExitCode {
    let root = root();
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let command = if args.is_empty() { String::new() } else { args.remove(0) };
    let result = province::choose(&mut args).and_then(|()| match command.as_str() {
        "dev" => dev(&root),
        "serve" => serve(&root, args.first().map(String::as_str) == Some("--test-clock")),
        "build" => tools::ensure(&root).and_then(|_| build::all(&root)),
        "test" => test::run(&root),
        "bench" => bench::run(&root),
        "soak" => soak::run(&root),
        "catalogue" => regenerate_catalogue(&root, &args),
        "deploy" => deploy(&root),
        "demo-data" => demo_data(&root, &args),
        "admin" => staff::create_admin(&root, &args),
        "totp" => staff::print_totp(),
        _ => Err("usage: cargo xtask <dev|build|serve|test|bench|soak|catalogue|deploy|admin|demo-data|totp> [--province <file>]".into()),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask {command}: {e}");
            ExitCode::FAILURE
        }
    }
}
