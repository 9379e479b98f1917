//! Staff accounts: the local demo accounts (`dev` and `test`), the first admin of a real
//! deployment (`cargo xtask admin`), and the local result-signing key.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use motcua_core::province::Province;
use motcua_core::accounts::{check_new_password, password, roles_to_text, Role, Username};

use crate::tools::{run, wrangler};
use crate::{step, Result};

/// The password of every demo account (README). Local only: `deploy` never creates them.
pub const DEMO_PASSWORD: &str = "motcua-demo-2026";

/// The demo administrators' second factor (RFC 6238), enrolled already: add it to an
/// authenticator app as `DEMO_TOTP_BASE32` (README), or print the current code with
/// `cargo xtask totp`. Local only, like the password.
pub const DEMO_TOTP_SECRET: &[u8; 20] = b"motcua-demo-totp-key";

/// (user name, full name, agency, roles, delegated approval). The agency is the province's
/// first department (`data/province.json`: SNV in Quảng Ninh) or its second (SYT), so another
/// province's file (`--province`) gets the same accounts at its own departments.
pub const DEMO: &[(&str, &str, usize, &[Role], bool)] = &[
    ("tiepnhan", "Nguyễn Thị Tiếp", 0, &[Role::Reception], false),
    ("thamdinh", "Trần Văn Thẩm", 0, &[Role::Specialist], false),
    ("pheduyet", "Lê Văn Duyệt", 0, &[Role::Approver], true),
    ("pheduyet2", "Phạm Thị Phó", 0, &[Role::Approver], false),
    ("traketqua", "Hoàng Thị Trả", 0, &[Role::ResultDesk], false),
    ("lanhdao", "Vũ Văn Lãnh", 0, &[Role::Manager], false),
    ("quantri", "Đỗ Văn Trị", 0, &[Role::Admin], false),
    // The province's administrator: the holiday calendar and the agencies.
    ("quantri.tinh", "Ngô Thị Tỉnh", 0, &[Role::ProvinceAdmin], false),
    // One person holding three roles, at another department.
    ("canbo.syt", "Bùi Thị Y", 1, &[Role::Reception, Role::Specialist, Role::ResultDesk], false),
];

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut out)).map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn insert_sql(username: &str, name: &str, agency: &str, roles: &[Role], delegated: bool, password: &str, totp: Option<&str>) -> Result<String> {
    let hash = password::hash(password, &random::<16>()?);
    let totp = totp.map_or_else(|| "NULL".to_owned(), sql_text);
    Ok(format!(
        "INSERT INTO staff (username, name, agency_code, roles, delegated_approval, password_hash, created_at, totp_secret) \
         VALUES ({}, {}, {}, {}, {}, {}, datetime('now', '+7 hours'), {totp}) \
         ON CONFLICT (username) DO UPDATE SET name = excluded.name, agency_code = excluded.agency_code, \
         roles = excluded.roles, delegated_approval = excluded.delegated_approval, password_hash = excluded.password_hash, active = 1, \
         must_change_password = 0, totp_secret = excluded.totp_secret, totp_last = NULL;\n",
        sql_text(username),
        sql_text(name),
        sql_text(agency),
        sql_text(&roles_to_text(roles)),
        u8::from(delegated),
        sql_text(&hash)
    ))
}

/// Creates (or resets) the demo accounts in the local D1 at `state`.
pub fn seed_demo(root: &Path, state: &Path, province: &Province) -> Result<()> {
    step("Creating the local demo staff accounts (README lists them)");
    let mut sql = String::new();
    let totp = motcua_core::totp::base32(DEMO_TOTP_SECRET);
    let agencies = &province.agencies;
    for (username, name, agency, roles, delegated) in DEMO {
        let agency = &agencies[agency % agencies.len()].code;
        let second = roles.iter().any(|r| r.needs_second_factor()).then_some(totp.as_str());
        sql += &insert_sql(username, name, agency, roles, *delegated, DEMO_PASSWORD, second)?;
    }
    let file = root.join("target/motcua/demo-staff.sql");
    std::fs::write(&file, sql).map_err(|e| e.to_string())?;
    let mut cmd = wrangler(root);
    cmd.args(["d1", "execute", "DB", "--local", "--persist-to"]).arg(state).arg("--file").arg(&file);
    cmd.stdout(std::process::Stdio::null());
    run(&mut cmd)
}

/// The local secrets of `wrangler dev` (worker/.dev.vars, never committed), each made once per
/// clone: the tracking secrets' pepper, the result-signing key (Ed25519) and the VAPID key of
/// push notices (P-256; 32 random bytes are a valid key but for a chance of 2^-32, which the
/// worker would report).
pub fn ensure_dev_vars(root: &Path) -> Result<()> {
    let path = root.join("worker/.dev.vars");
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut made = Vec::new();
    for key in ["TRACKING_PEPPER", "RESULT_SIGNING_KEY", "VAPID_PRIVATE_KEY"] {
        if !text.lines().any(|l| l.starts_with(&format!("{key}="))) {
            text += &format!("{key}={}\n", hex(&random::<32>()?));
            made.push(key);
        }
    }
    if !made.is_empty() {
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("    made local keys in worker/.dev.vars: {}", made.join(", "));
    }
    Ok(())
}

/// `cargo xtask admin <username> <agency> "<full name>"`: the first admin of a real
/// deployment, with the password read from standard input. Nothing else creates accounts
/// remotely.
pub fn create_admin(root: &Path, args: &[String]) -> Result<()> {
    let [username, agency, name] = args else {
        return Err("usage: cargo xtask admin <username> <agency code> \"<full name>\" (password on stdin)".into());
    };
    let username = Username::parse(username).map_err(|e| e.to_string())?;
    eprintln!("Password for {} (at least 15 characters), then Enter:", username.as_str());
    let mut password = String::new();
    std::io::stdin().read_line(&mut password).map_err(|e| e.to_string())?;
    let password = password.trim_end_matches(['\r', '\n']);
    check_new_password(password)?;
    // The first account runs both the province (calendar, agencies) and its own agency; it
    // sets up its second factor at its first sign-in.
    let sql = insert_sql(username.as_str(), name, agency, &[Role::Admin, Role::ProvinceAdmin], false, password, None)?;
    let mut cmd: Command = wrangler(root);
    cmd.env_remove("CI").args(["d1", "execute", "DB", "--remote", "--command", &sql]);
    run(&mut cmd)
}

/// `cargo xtask totp`: the demo administrators' current code, for signing in locally without
/// an authenticator app (each code is good once; the next comes within 30 seconds).
pub fn print_totp() -> Result<()> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs();
    let left = motcua_core::totp::STEP - now % motcua_core::totp::STEP;
    println!("{}  (quantri, quantri.tinh; {left} s left; secret {})", motcua_core::totp::code_at(DEMO_TOTP_SECRET, now), motcua_core::totp::base32(DEMO_TOTP_SECRET));
    Ok(())
}

/// The secrets a deployment cannot run without: private views and result signatures. Listed
/// by wrangler (which asks for the Cloudflare login); `deploy` stops when one is missing.
pub fn check_deploy_secrets(root: &Path) -> Result<()> {
    let mut cmd = wrangler(root);
    cmd.env_remove("CI").args(["secret", "list", "--format", "json"]);
    let out = cmd.output().map_err(|e| format!("wrangler secret list: {e}"))?;
    if !out.status.success() {
        return Err(format!("wrangler secret list failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let listed = String::from_utf8_lossy(&out.stdout);
    let missing: Vec<&str> =
        ["TRACKING_PEPPER", "RESULT_SIGNING_KEY", "VAPID_PRIVATE_KEY"].into_iter().filter(|k| !listed.contains(&format!("\"{k}\""))).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "refusing to deploy without these Worker secrets: {}.\nSet each with `npx wrangler secret put <NAME>` in worker/ \
         (TRACKING_PEPPER: 32+ random characters; RESULT_SIGNING_KEY and VAPID_PRIVATE_KEY: 32 random bytes as hex, \
         e.g. `openssl rand -hex 32`), then deploy again.",
        missing.join(", ")
    ))
}
