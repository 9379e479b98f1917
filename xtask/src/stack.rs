//! The local stack: D1 migrated and loaded, then `wrangler dev` (workerd) serving app + API.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use motcua_core::province::Province;

use crate::tools::{run, wrangler};
use crate::{calendar, catalogue, http, step, Result};

/// Applies the migrations and loads the catalogue into the local D1 kept in `state`.
/// Loading replaces the catalogue wholesale, so running it again changes nothing.
pub fn prepare(root: &Path, state: &Path) -> Result<()> {
    prepare_for(root, state, &crate::province::read(root)?)
}

/// `prepare` for a given province (the tests run a second one beside the run's).
pub fn prepare_for(root: &Path, state: &Path, province: &Province) -> Result<()> {
    step("Applying D1 migrations (local)");
    run(wrangler(root).args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"]).arg(state))?;
    load_data_for(root, state, province)?;
    crate::staff::seed_demo(root, state, province)?;
    crate::staff::ensure_dev_vars(root)
}

/// Loads `data/catalogue.json`, `data/forms.json` and `data/calendar.json`, replacing what was
/// there. The catalogue's procedures go to the run's province's departments.
pub fn load_data(root: &Path, state: &Path) -> Result<()> {
    load_data_for(root, state, &crate::province::read(root)?)
}

fn load_data_for(root: &Path, state: &Path, province: &Province) -> Result<()> {
    step(&format!("Loading the catalogue (for {}) and the calendar decisions (data/) into local D1", province.name));
    let mut cat = catalogue::read(&root.join("data/catalogue.json"))?;
    catalogue::assign(&mut cat, province)?;
    let forms = catalogue::read_forms(&root.join("data/forms.json"), &cat)?;
    let cal = calendar::read(&root.join("data/calendar.json"))?;
    let sql = root.join("target/motcua/data.sql");
    std::fs::create_dir_all(sql.parent().expect("has a parent")).map_err(|e| e.to_string())?;
    std::fs::write(&sql, catalogue::to_sql(&cat, &forms) + &calendar::to_sql(&cal)).map_err(|e| e.to_string())?;
    let mut cmd = wrangler(root);
    cmd.args(["d1", "execute", "DB", "--local", "--persist-to"]).arg(state).arg("--file").arg(&sql);
    // wrangler prints every statement's meta: keep the terminal for what matters.
    cmd.stdout(std::process::Stdio::null());
    run(&mut cmd)?;
    eprintln!("    {} procedures ({} with their own form pages), {} calendar decisions loaded", cat.procedures.len(), forms.len(), cal.decisions.len());
    Ok(())
}

pub struct Stack {
    child: Child,
    pub port: u16,
    own_group: bool,
}

impl Stack {
    /// Starts `wrangler dev`. With `own_group` (tests) it gets its own process group, killed
    /// whole on drop; otherwise (dev) it stays in the terminal's group so Ctrl-C reaches it.
    /// `test_clock` lets a browser show the catalogue of another day (the worker's
    /// `catalogue::day`): the test stack only, never `dev` or a deployment.
    pub fn start(root: &Path, state: &Path, port: u16, own_group: bool, test_clock: bool) -> Result<Stack> {
        let inspector = http::free_port();
        let mut cmd = wrangler(root);
        cmd.args(["dev", "--local", "--ip", "127.0.0.1", "--port", &port.to_string(), "--persist-to"])
            .arg(state)
            .args(["--inspector-port", &inspector.to_string(), "--show-interactive-dev-session=false"]);
        // Push services on the loopback (a test's, a developer's): never on a deployment.
        cmd.args(["--var", "PUSH_LOOPBACK:on"]);
        if test_clock {
            // Retries of notices a second apart, so a test sees one within its bounds.
            cmd.args(["--var", "TEST_CLOCK:on", "--var", "NOTICE_RETRY_SECONDS:1"]);
            // Low per-client limits, so a test reaches them quickly as a client of its own
            // (CF-Connecting-IP); the loopback itself, every other test, is never counted.
            cmd.args(["--var", "SUBMIT_LIMIT_PER_HOUR:30", "--var", "UPLOAD_LIMIT_PER_HOUR:30"]);
        }
        if own_group {
            cmd.process_group(0);
        }
        let child = cmd.spawn().map_err(|e| format!("wrangler dev: {e}"))?;
        if own_group {
            on_interrupt_kill(child.id());
        }
        Ok(Stack { child, port, own_group })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Polls the health route until it answers (workerd takes a few seconds to start).
    pub fn wait_ready(&mut self) -> Result<()> {
        wait_for("wrangler dev", Duration::from_secs(120), || {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("wrangler dev exited early ({status})"));
            }
            Ok(http::get(self.port, "/api/health", &[]).is_ok_and(|r| r.status == 200))
        })
    }

    pub fn wait(mut self) -> Result<()> {
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if status.success() { Ok(()) } else { Err(format!("wrangler dev exited ({status})")) }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        kill(&mut self.child, self.own_group);
    }
}

static GROUPS: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());

/// Makes Ctrl-C (or a CI timeout's SIGTERM) also end the process group led by `pid`: groups of
/// their own do not get the terminal's signal, and workerd would keep the port.
pub fn on_interrupt_kill(pid: u32) {
    static HANDLER: std::sync::Once = std::sync::Once::new();
    GROUPS.lock().expect("not poisoned").push(pid);
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            for pid in GROUPS.lock().map(|g| g.clone()).unwrap_or_default() {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).stderr(std::process::Stdio::null()).status();
            }
            std::process::exit(130);
        });
    });
}

/// Ends a child and, for a group leader, every process of its group (workerd children hold
/// the port otherwise).
pub fn kill(child: &mut Child, group: bool) {
    let target = if group { format!("-{}", child.id()) } else { child.id().to_string() };
    let quiet = |sig: &str| {
        // The group may be gone already: nothing to report then.
        let _ = Command::new("kill").args([sig, "--", &target]).stderr(std::process::Stdio::null()).status();
    };
    quiet("-TERM");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    quiet("-KILL");
    let _ = child.wait();
}

/// Polls `ready` until it says yes, fails, or `limit` passes.
pub fn wait_for(what: &str, limit: Duration, mut ready: impl FnMut() -> Result<bool>) -> Result<()> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if ready()? {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!("{what} was not ready within {}s", limit.as_secs()))
}
