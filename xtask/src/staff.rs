//! Staff accounts: the local demo accounts (`dev` and `test`), the first admin of a real
//! deployment (`cargo xtask admin`), and the local result-signing key.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use motcua_core::staff::{check_new_password, password, roles_to_text, Role, Username};

use crate::tools::{run, wrangler};
use crate::{step, Result};

/// The password of every demo account (README). Local only: `deploy` never creates them.
pub const DEMO_PASSWORD: &str = "motcua-demo-2026";

/// (user name, full name, agency, roles, delegated approval)
pub const DEMO: &[(&str, &str, &str, &[Role], bool)] = &[
    ("tiepnhan", "Nguyễn Thị Tiếp", "SNV", &[Role::Reception], false),
    ("thamdinh", "Trần Văn Thẩm", "SNV", &[Role::Specialist], false),
    ("pheduyet", "Lê Văn Duyệt", "SNV", &[Role::Approver], true),
    ("pheduyet2", "Phạm Thị Phó", "SNV", &[Role::Approver], false),
    ("traketqua", "Hoàng Thị Trả", "SNV", &[Role::ResultDesk], false),
    ("lanhdao", "Vũ Văn Lãnh", "SNV", &[Role::Manager], false),
    ("quantri", "Đỗ Văn Trị", "SNV", &[Role::Admin], false),
    // One person holding three roles, at another department.
    ("canbo.syt", "Bùi Thị Y", "SYT", &[Role::Reception, Role::Specialist, Role::ResultDesk], false),
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

fn insert_sql(username: &str, name: &str, agency: &str, roles: &[Role], delegated: bool, password: &str) -> Result<String> {
    let hash = password::hash(password, &random::<16>()?);
    Ok(format!(
        "INSERT INTO staff (username, name, agency_code, roles, delegated_approval, password_hash, created_at) \
         VALUES ({}, {}, {}, {}, {}, {}, datetime('now', '+7 hours')) \
         ON CONFLICT (username) DO UPDATE SET name = excluded.name, agency_code = excluded.agency_code, \
         roles = excluded.roles, delegated_approval = excluded.delegated_approval, password_hash = excluded.password_hash, active = 1;\n",
        sql_text(username),
        sql_text(name),
        sql_text(agency),
        sql_text(&roles_to_text(roles)),
        u8::from(delegated),
        sql_text(&hash)
    ))
}

/// Creates (or resets) the demo accounts in the local D1 at `state`.
pub fn seed_demo(root: &Path, state: &Path) -> Result<()> {
    step("Creating the local demo staff accounts (README lists them)");
    let mut sql = String::new();
    for (username, name, agency, roles, delegated) in DEMO {
        sql += &insert_sql(username, name, agency, roles, *delegated, DEMO_PASSWORD)?;
    }
    let file = root.join("target/motcua/demo-staff.sql");
    std::fs::write(&file, sql).map_err(|e| e.to_string())?;
    let mut cmd = wrangler(root);
    cmd.args(["d1", "execute", "DB", "--local", "--persist-to"]).arg(state).arg("--file").arg(&file);
    cmd.stdout(std::process::Stdio::null());
    run(&mut cmd)
}

/// The local secrets of `wrangler dev` (worker/.dev.vars, never committed), each made once per
/// clone: the result-signing key (Ed25519) and the VAPID key of push notices (P-256; 32 random
/// bytes are a valid key but for a chance of 2^-32, which the worker would report).
pub fn ensure_dev_vars(root: &Path) -> Result<()> {
    let path = root.join("worker/.dev.vars");
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut made = Vec::new();
    for key in ["RESULT_SIGNING_KEY", "VAPID_PRIVATE_KEY"] {
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
    let sql = insert_sql(username.as_str(), name, agency, &[Role::Admin], false, password)?;
    let mut cmd: Command = wrangler(root);
    cmd.env_remove("CI").args(["d1", "execute", "DB", "--remote", "--command", &sql]);
    run(&mut cmd)
}
