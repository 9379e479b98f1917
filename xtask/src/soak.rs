//! `cargo xtask soak`: reliability measured on a fresh local stack, over the loopback only.
//! 1. 1,000 submissions, 100 in flight: 1,000 distinct codes, all readable, retries answered
//!    with the same code.
//! 2. The same with `wrangler dev` killed and restarted midway: every acknowledged dossier is
//!    there, none twice (clients retry with the same key and body, as the app does).
//! 3. 20 officers accepting the same 200 dossiers at once: each accepted exactly once, its
//!    history with one acceptance, the counters equal to a recount.
//! Each phase has a time bound; a failed check fails the command.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::stack::{self, Stack};
use crate::{build, http, step, tools, Result};

const SUBMISSIONS: usize = 1000;
const IN_FLIGHT: usize = 100;
const OFFICERS: usize = 20;
const CONTESTED: usize = 200;
const PHASE_LIMIT: Duration = Duration::from_secs(600);

pub fn run(root: &Path) -> Result<()> {
    tools::ensure(root)?;
    build::all(root)?;
    let state = root.join("target/motcua/soak-state");
    let _ = std::fs::remove_dir_all(&state);
    stack::prepare(root, &state)?;
    let port = http::free_port();
    let mut server = Some(Stack::start(root, &state, port, true, false)?);
    server.as_mut().expect("started").wait_ready()?;
    let run = format!("{}", std::process::id());
    let mut failures = Vec::new();
    if !submissions(port, &run)? {
        failures.push("submissions");
    }
    if !restart(root, &state, port, &mut server, &run)? {
        failures.push("restart");
    }
    if !officers_race(port, &run)? {
        failures.push("officers");
    }
    drop(server);
    if failures.is_empty() { Ok(()) } else { Err(format!("soak failed: {}", failures.join(", "))) }
}

/// Soak 1: every submission acknowledged once, with its own code, readable, and a retry
/// answered with the same code.
fn submissions(port: u16, run: &str) -> Result<bool> {
    step(&format!("Soak 1: {SUBMISSIONS} submissions, {IN_FLIGHT} in flight"));
    let t = Instant::now();
    let codes = submit_all(port, &format!("a{run}"), |_| {})?;
    let elapsed = t.elapsed();
    let distinct: BTreeSet<&String> = codes.values().collect();
    let readable = count_readable(port, codes.values());
    let retried = (0..100).filter(|i| resubmit(port, &format!("a{run}"), i * 10).as_ref() == Some(&codes[&(i * 10)])).count();
    println!(
        "soak submissions: {} acknowledged, {} distinct codes, {readable} readable, {retried} of 100 retries answered with the same code; {:.1} s ({:.0}/s)",
        codes.len(),
        distinct.len(),
        elapsed.as_secs_f64(),
        codes.len() as f64 / elapsed.as_secs_f64()
    );
    Ok(codes.len() == SUBMISSIONS && distinct.len() == SUBMISSIONS && readable == SUBMISSIONS && retried == 100)

}

/// Soak 2: the same with the stack killed and restarted midway: nothing acknowledged is lost,
/// nothing is stored twice.
fn restart(root: &Path, state: &Path, port: u16, server: &mut Option<Stack>, run: &str) -> Result<bool> {
    step(&format!("Soak 2: {SUBMISSIONS} submissions with wrangler dev killed and restarted midway"));
    let restarted = Arc::new(Mutex::new(None::<Duration>));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let before_kill = AtomicUsize::new(0);
    let t = Instant::now();
    let codes = std::thread::scope(|scope| -> Result<BTreeMap<usize, String>> {
        let ack = acknowledged.clone();
        let tag = format!("b{run}");
        let handle = scope.spawn(move || submit_all(port, &tag, |_| {
            ack.fetch_add(1, Ordering::SeqCst);
        }));
        // Midway: kill the stack (its whole process group) and start it again on the same state.
        stack::wait_for("300 acknowledged submissions", PHASE_LIMIT, || Ok(acknowledged.load(Ordering::SeqCst) >= 300 || handle.is_finished()))?;
        let down = Instant::now();
        before_kill.store(acknowledged.load(Ordering::SeqCst), Ordering::SeqCst);
        drop(server.take());
        let mut again = Stack::start(root, state, port, true, false)?;
        again.wait_ready()?;
        *server = Some(again);
        *restarted.lock().expect("not poisoned") = Some(down.elapsed());
        handle.join().map_err(|_| "a client thread panicked".to_owned())?
    })?;
    let elapsed = t.elapsed();
    let distinct: BTreeSet<&String> = codes.values().collect();
    let present = count_readable(port, codes.values());
    let (rows, keys) = dossier_rows(root, state)?;
    let downtime = restarted.lock().expect("not poisoned").map_or(0.0, |d| d.as_secs_f64());
    println!(
        "soak restart: {} acknowledged ({} before the kill), {} distinct codes, {present} present after the restart (downtime {downtime:.1} s); \
         D1 holds {rows} dossiers for {keys} keys (expected {}); {:.1} s",
        codes.len(),
        before_kill.load(Ordering::SeqCst),
        distinct.len(),
        2 * SUBMISSIONS,
        elapsed.as_secs_f64()
    );
    Ok(codes.len() == SUBMISSIONS && distinct.len() == SUBMISSIONS && present == SUBMISSIONS && rows == keys && rows == 2 * SUBMISSIONS)

}

/// Soak 3: officers racing on the same dossiers: each accepted exactly once, the others
/// refused with 409, and the counters equal to a recount.
fn officers_race(port: u16, run: &str) -> Result<bool> {
    step(&format!("Soak 3: {OFFICERS} officers accepting the same {CONTESTED} dossiers at once"));
    let contested: Vec<String> = submit_all_n(port, &format!("c{run}"), CONTESTED, |_| {})?.into_values().collect();
    let officers = officers(port, run)?;
    let t = Instant::now();
    let outcomes: Vec<(String, u16)> = std::thread::scope(|scope| {
        let handles: Vec<_> = officers
            .iter()
            .enumerate()
            .map(|(i, cookie)| {
                let contested = &contested;
                scope.spawn(move || {
                    // Each officer walks the list from another place: every dossier is raced.
                    (0..contested.len())
                        .map(|j| {
                            let code = &contested[(i * 37 + j) % contested.len()];
                            let path = format!("/api/staff/dossiers/{code}/actions");
                            let status = http::post_json_with(port, &path, r#"{"action":"accept","version":1}"#, &[&format!("Cookie: {cookie}")])
                                .map_or(0, |r| r.status);
                            (code.clone(), status)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    let elapsed = t.elapsed();
    let mut accepted: BTreeMap<&str, usize> = BTreeMap::new();
    let mut refused: BTreeMap<u16, usize> = BTreeMap::new();
    for (code, status) in &outcomes {
        if *status == 200 {
            *accepted.entry(code.as_str()).or_default() += 1;
        } else {
            *refused.entry(*status).or_default() += 1;
        }
    }
    let once = contested.iter().filter(|c| accepted.get(c.as_str()) == Some(&1)).count();
    let manager = sign_in(port, "lanhdao", None)?;
    let histories = contested.iter().filter(|c| accepts_in_history(port, &manager, c) == Some(1)).count();
    let recount = http::get(port, "/api/staff/stats/check", &[&format!("Cookie: {manager}")]).map_err(|e| e.to_string())?;
    let differences = serde_json::from_slice::<serde_json::Value>(&recount.body).ok().and_then(|v| v["differences"].as_array().map(Vec::len));
    println!(
        "soak officers: {} attempts by {OFFICERS} officers: {once} of {CONTESTED} dossiers accepted exactly once, refused {refused:?}, \
         {histories} histories with one acceptance, counters vs a recount: {} differences; {:.1} s",
        outcomes.len(),
        differences.map_or_else(|| "unknown".to_owned(), |d| d.to_string()),
        elapsed.as_secs_f64()
    );
    Ok(once == CONTESTED && histories == CONTESTED && differences == Some(0) && refused.keys().all(|s| *s == 409))
}

fn body(tag: &str, i: usize) -> String {
    let answers = r#"{"full_name":"Lê Văn Bền","birth_date":"1990-01-02","cccd":"022090000001","phone":"0987654321","address":"Hạ Long","delivery":"centre"}"#;
    format!(r#"{{"procedure":"1.014199","idempotency_key":"soak-{tag}-{i:06}-key","answers":{answers}}}"#)
}

/// One submission, retried with the same key and body until it is acknowledged (a refused
/// connection, a 5xx while the stack restarts) or the phase's bound passes.
fn submit_one(port: u16, tag: &str, i: usize, deadline: Instant) -> Option<String> {
    while Instant::now() < deadline {
        if let Ok(r) = http::post_json(port, "/api/dossiers", &body(tag, i)) {
            if r.status == 200 || r.status == 201 {
                let v: serde_json::Value = serde_json::from_slice(&r.body).ok()?;
                return v["code"].as_str().map(str::to_owned);
            }
            // Status 0: the connection closed before a status line (the stack going down).
            if r.status != 0 && r.status < 500 {
                eprintln!("    submission {tag}-{i}: {} {}", r.status, String::from_utf8_lossy(&r.body));
                return None;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn resubmit(port: u16, tag: &str, i: usize) -> Option<String> {
    submit_one(port, tag, i, Instant::now() + Duration::from_secs(30))
}

fn submit_all(port: u16, tag: &str, on_ack: impl Fn(usize) + Sync) -> Result<BTreeMap<usize, String>> {
    submit_all_n(port, tag, SUBMISSIONS, on_ack)
}

/// `n` submissions from `IN_FLIGHT` clients at once; the code of each acknowledged one.
fn submit_all_n(port: u16, tag: &str, n: usize, on_ack: impl Fn(usize) + Sync) -> Result<BTreeMap<usize, String>> {
    let next = AtomicUsize::new(0);
    let codes = Mutex::new(BTreeMap::new());
    let deadline = Instant::now() + PHASE_LIMIT;
    std::thread::scope(|scope| {
        for _ in 0..IN_FLIGHT.min(n) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n {
                    break;
                }
                if let Some(code) = submit_one(port, tag, i, deadline) {
                    codes.lock().expect("not poisoned").insert(i, code);
                    on_ack(i);
                }
            });
        }
    });
    let codes = codes.into_inner().map_err(|e| e.to_string())?;
    if Instant::now() > deadline {
        return Err(format!("submissions not done within {} s", PHASE_LIMIT.as_secs()));
    }
    Ok(codes)
}

fn count_readable<'a>(port: u16, codes: impl Iterator<Item = &'a String>) -> usize {
    let codes: Vec<&String> = codes.collect();
    let readable = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for chunk in codes.chunks(codes.len().div_ceil(10).max(1)) {
            let readable = &readable;
            scope.spawn(move || {
                let n = chunk.iter().filter(|c| http::get(port, &format!("/api/dossiers/{c}"), &[]).is_ok_and(|r| r.status == 200)).count();
                readable.fetch_add(n, Ordering::SeqCst);
            });
        }
    });
    readable.into_inner()
}

/// Rows and distinct idempotency keys in the dossiers table, read from the local D1 file.
fn dossier_rows(root: &Path, state: &Path) -> Result<(usize, usize)> {
    let mut cmd = tools::wrangler(root);
    cmd.args(["d1", "execute", "DB", "--local", "--json", "--persist-to"])
        .arg(state)
        .args(["--command", "SELECT COUNT(*) AS n, COUNT(DISTINCT idempotency_key) AS k FROM dossiers"]);
    let out = cmd.output().map_err(|e| format!("wrangler d1 execute: {e}"))?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("wrangler's JSON: {e}"))?;
    let row = &v[0]["results"][0];
    Ok((row["n"].as_u64().unwrap_or(0) as usize, row["k"].as_u64().unwrap_or(0) as usize))
}

/// A session cookie of `username` (demo password), past the second factor for an admin.
fn sign_in(port: u16, username: &str, password: Option<&str>) -> Result<String> {
    let password = password.unwrap_or(crate::staff::DEMO_PASSWORD);
    let login = serde_json::json!({ "username": username, "password": password }).to_string();
    let r = http::post_json(port, "/api/auth/login", &login).map_err(|e| e.to_string())?;
    let cookie = r.cookie.clone().filter(|_| r.status == 200).ok_or_else(|| format!("sign-in of {username}: {}", r.status))?;
    let v: serde_json::Value = serde_json::from_slice(&r.body).map_err(|e| e.to_string())?;
    if v["pending"] == "totp" {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs();
        let code = motcua_core::totp::code_at(crate::staff::DEMO_TOTP_SECRET, now);
        let body = format!(r#"{{"code":"{code}"}}"#);
        let t = http::post_json_with(port, "/api/auth/totp", &body, &[&format!("Cookie: {cookie}")]).map_err(|e| e.to_string())?;
        if t.status != 200 {
            return Err(format!("second factor of {username}: {}", t.status));
        }
    }
    Ok(cookie)
}

/// `OFFICERS` reception accounts made by the demo admin, each signed in.
fn officers(port: u16, run: &str) -> Result<Vec<String>> {
    let admin = sign_in(port, "quantri", None)?;
    (0..OFFICERS)
        .map(|i| {
            let username = format!("soak.{run}.{i}");
            let password = "mat-khau-cua-can-bo-soak";
            let body = serde_json::json!({ "username": username, "name": format!("Cán bộ {i}"), "roles": ["reception"], "password": password });
            let r = http::post_json_with(port, "/api/staff/accounts", &body.to_string(), &[&format!("Cookie: {admin}")]).map_err(|e| e.to_string())?;
            if r.status != 201 {
                return Err(format!("account {username}: {} {}", r.status, String::from_utf8_lossy(&r.body)));
            }
            sign_in(port, &username, Some(password))
        })
        .collect()
}

fn accepts_in_history(port: u16, cookie: &str, code: &str) -> Option<usize> {
    let r = http::get(port, &format!("/api/staff/dossiers/{code}"), &[&format!("Cookie: {cookie}")]).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&r.body).ok()?;
    Some(v["history"].as_array()?.iter().filter(|e| e["action"] == "accept").count())
}
