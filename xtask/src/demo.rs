//! `cargo xtask demo-data --dossiers N`: a realistic history of N dossiers over the last two
//! years, driven through core's rules (calendar, phase shares, state machine, counters), written
//! straight into the local D1's SQLite file in one transaction (a million rows of SQL through
//! `wrangler d1 execute` would take hours).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use motcua_core::calendar::{Calendar, Phase, Term, Timeliness};
use motcua_core::catalogue::{Flow, Procedure};
use motcua_core::date::{to_iso, to_iso_datetime};
use motcua_core::dossier::{DossierCode, DossierStatus};
use motcua_core::duration::WorkingDuration;
use motcua_core::stats::{StatCounters, STAT_COLUMNS};
use motcua_core::workflow::timing::Timing;
use motcua_core::workflow::{phase_as_str, phase_marks, Action, State};
use rusqlite::{params, Connection};

use crate::{calendar, catalogue, step, Result};

/// The SQLite file miniflare keeps for the D1 binding under `state`.
fn database_file(state: &Path) -> Result<PathBuf> {
    let dir = state.join("v3/d1/miniflare-D1DatabaseObject");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e} (run the migrations first)", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sqlite") && p.file_stem().is_some_and(|s| s != "metadata"))
        .collect();
    files.sort();
    files.into_iter().next().ok_or_else(|| format!("no D1 database under {}", dir.display()))
}

/// A small deterministic generator: the same N gives the same history.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

struct Event {
    at: chrono::NaiveDateTime,
    action: Action,
    phase: Phase,
    from: Option<DossierStatus>,
    to: DossierStatus,
    actor: Option<(&'static str, &'static str, &'static str)>,
    timeliness: Option<Timeliness>,
    step_due: Option<chrono::NaiveDateTime>,
}

/// Adds `n` dossiers to the local D1 in `state`. Counters (statistics) are added too, so the
/// dashboards agree with the rows.
pub fn generate(root: &Path, state: &Path, n: u64) -> Result<()> {
    step(&format!("Generating {n} demo dossiers over two years into the local D1"));
    let cat = catalogue::read(&root.join("data/catalogue.json"))?;
    let cal = calendar::read(&root.join("data/calendar.json"))?;
    let calendar = Calendar::with_decisions(cal.decisions);
    let procedures: Vec<(&Procedure, Term)> = cat
        .procedures
        .iter()
        .filter_map(|p| p.online_term().or_else(|| p.term(false)).filter(|t| t.days() > 0).map(|t| (p, t)))
        .collect();
    let mut conn = Connection::open(database_file(state)?).map_err(|e| e.to_string())?;
    conn.pragma_update(None, "synchronous", "OFF").map_err(|e| e.to_string())?;
    let tx = conn.transaction().map_err(|e| e.to_string())?;
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    let today = motcua_core::calendar::from_unix_millis(now_ms).ok_or("clock")?.date();
    let start = today - chrono::Duration::days(730);
    let mut rng = Rng(n ^ 0x6d6f74637561);
    let mut sequences: HashMap<(String, String), u32> = HashMap::new();
    {
        let mut existing = tx.prepare("SELECT agency_code, day, last FROM dossier_sequences").map_err(|e| e.to_string())?;
        let rows = existing
            .query_map([], |r| Ok(((r.get::<_, String>(0)?, r.get::<_, String>(1)?), r.get::<_, u32>(2)?)))
            .map_err(|e| e.to_string())?;
        for row in rows.flatten() {
            sequences.insert(row.0, row.1);
        }
    }
    let mut counters: HashMap<(String, String, String, String), StatCounters> = HashMap::new();
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let mut insert_dossier = tx
        .prepare(
            "INSERT INTO dossiers (code, agency_code, procedure_id, procedure_name, status, channel, submitted_at, due_at, days, \
             answers, secret_hash, idempotency_key, documents, version, phase, flow, delegated, queue, step_due_at, phase_dues, \
             received_at, counted_from, applicant_name, field_id, clock) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, '[]', ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        )
        .map_err(|e| e.to_string())?;
    let mut insert_event = tx
        .prepare(
            "INSERT INTO dossier_events (dossier_code, version, at, status, action, phase, from_status, actor, role, note, step_due, \
             timeliness, actor_username) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10, ?11, ?12)",
        )
        .map_err(|e| e.to_string())?;
    let staff_of = |agency: &str, phase: Phase| -> (&'static str, &'static str, &'static str) {
        match (agency, phase) {
            ("SNV", Phase::Receive) => ("tiepnhan", "Nguyễn Thị Tiếp", "reception"),
            ("SNV", Phase::Appraise) => ("thamdinh", "Trần Văn Thẩm", "specialist"),
            ("SNV", Phase::Approve) => ("pheduyet", "Lê Văn Duyệt", "approver"),
            ("SNV", Phase::Return) => ("traketqua", "Hoàng Thị Trả", "result_desk"),
            (_, Phase::Approve) => ("lanhdao.demo", "Lãnh đạo sở", "approver"),
            (_, Phase::Receive) => ("canbo.syt", "Bùi Thị Y", "reception"),
            (_, Phase::Appraise) => ("canbo.syt", "Bùi Thị Y", "specialist"),
            (_, Phase::Return) => ("canbo.syt", "Bùi Thị Y", "result_desk"),
        }
    };
    for i in 0..n {
        let (p, term) = &procedures[rng.below(procedures.len() as u64) as usize];
        let flow = p.flow.unwrap_or(Flow::FourStep);
        let online = p.online.is_some_and(|l| l.accepts_online_submission()) && rng.below(10) < 7;
        let day = start + chrono::Duration::days(rng.below(730) as i64);
        let submitted = day.and_hms_opt(7 + rng.below(10) as u32, rng.below(60) as u32, 0).expect("a time");
        // Reception the same or the next working day for online dossiers, at once at the desk.
        let received = if online { calendar.due(submitted, WorkingDuration::from_hours(rng.below(8) as u32 + 1)) } else { submitted };
        let timing = Timing::start(&calendar, received, term.clone(), phase_marks(p, term, flow));
        // The working time the term gives, whatever its units: handling is paced on it.
        let total = calendar.elapsed(timing.counted_from, timing.due_at);
        let day_key = to_iso(submitted.date());
        let seq = sequences.entry((p.agency.clone(), day_key.clone())).or_insert(0);
        *seq += 1;
        let code = DossierCode::new(&p.agency, submitted.date(), *seq).map_err(|e| e.to_string())?;
        let mut events = Vec::new();
        let first = if online { Action::Submit } else { Action::RegisterWalkIn };
        let mut state = if online { State::new(DossierStatus::New, Phase::Receive) } else { State::new(DossierStatus::Received, Phase::Appraise) };
        events.push(Event {
            at: submitted,
            action: first,
            phase: if online { Phase::Receive } else { Phase::Appraise },
            from: None,
            to: state.status,
            actor: (!online).then(|| staff_of(&p.agency, Phase::Receive)),
            timeliness: (!online).then_some(Timeliness::OnTime),
            step_due: None,
        });
        // How this one ends: mostly resolved early, some on time or late, a few refused, and
        // the most recent still in progress.
        let fate = rng.below(100);
        let in_progress = timing.due_at.date() > today && fate < 60;
        let lateness = match fate {
            0..=1 => 1.15,
            2..=9 => 0.999,
            _ => 0.4 + rng.below(50) as f64 / 100.0,
        };
        let done_minutes = (f64::from(total.minutes()) * lateness) as u32;
        let mut clock = timing.counted_from;
        let mut step = |action: Action, phase: Phase, share: f64, state: &mut State, events: &mut Vec<Event>| {
            clock = calendar.due(clock, WorkingDuration::from_minutes((f64::from(done_minutes) * share) as u32));
            let due = timing.phase_due(phase);
            let to = motcua_core::workflow::next(action, *state, flow).expect("a valid demo step");
            events.push(Event {
                at: clock,
                action,
                phase: state.phase,
                from: Some(state.status),
                to: to.status,
                actor: Some(staff_of(&p.agency, state.phase)),
                timeliness: due.map(|d| calendar.classify(clock, d)),
                step_due: due,
            });
            *state = to;
        };
        if online {
            step(Action::Accept, Phase::Receive, 0.02, &mut state, &mut events);
        }
        if fate >= 96 {
            step(Action::Refuse, Phase::Appraise, 0.3, &mut state, &mut events);
        } else if !in_progress {
            step(Action::PassOn, Phase::Appraise, 0.7, &mut state, &mut events);
            if flow == Flow::FourStep {
                step(Action::Approve, Phase::Approve, 0.15, &mut state, &mut events);
            }
            step(Action::RecordResult, Phase::Return, 0.1, &mut state, &mut events);
            step(Action::Return, Phase::Return, 0.03, &mut state, &mut events);
        }
        let phase_dues = serde_json::to_string(&timing.phase_dues).map_err(|e| e.to_string())?;
        let queue = motcua_core::workflow::queue(state).map(|r| r.as_str());
        let name = format!("Người dân thử nghiệm {i}");
        insert_dossier
            .execute(params![
                code.as_str(),
                p.agency,
                p.id,
                p.name,
                state.status.code(),
                if online { "online" } else { "walk_in" },
                to_iso_datetime(submitted),
                to_iso_datetime(timing.due_at),
                term.days(),
                format!(r#"{{"full_name":"{name}","phone":"0912000000","delivery":"centre"}}"#),
                format!("{:064x}", i),
                format!("demo-{run}-{i:09}"),
                events.len() as u32,
                phase_as_str(state.phase),
                if flow == Flow::ThreeStep { "three_step" } else { "four_step" },
                u8::from(p.delegated),
                queue,
                timing.phase_due(state.phase).map(to_iso_datetime),
                phase_dues,
                to_iso_datetime(received),
                to_iso_datetime(timing.counted_from),
                name,
                p.field,
                serde_json::to_string(&timing.clock).map_err(|e| e.to_string())?,
            ])
            .map_err(|e| format!("{}: {e}", code.as_str()))?;
        for (v, e) in events.iter().enumerate() {
            let t = e.timeliness.map(|t| serde_json::to_string(&t).expect("serialises"));
            insert_event
                .execute(params![
                    code.as_str(),
                    v as u32 + 1,
                    to_iso_datetime(e.at),
                    e.to.code(),
                    e.action.as_str(),
                    phase_as_str(e.phase),
                    e.from.map(DossierStatus::code),
                    e.actor.map(|a| a.1),
                    e.actor.map(|a| a.2),
                    e.step_due.map(to_iso_datetime),
                    t,
                    e.actor.map(|a| a.0),
                ])
                .map_err(|e| e.to_string())?;
            let c = StatCounters::of_event(e.action, e.timeliness);
            if !c.is_zero() {
                counters.entry((to_iso(e.at.date()), p.agency.clone(), p.field.clone(), p.id.clone())).or_default().add(&c);
            }
        }
        if (i + 1) % 100_000 == 0 {
            eprintln!("    {} dossiers", i + 1);
        }
    }
    drop(insert_dossier);
    drop(insert_event);
    let names = STAT_COLUMNS.join(", ");
    let sums: Vec<String> = STAT_COLUMNS.iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO stat_counters (day, agency_code, field_id, procedure_id, {names}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
         ON CONFLICT (day, agency_code, field_id, procedure_id) DO UPDATE SET {}",
        sums.join(", ")
    );
    {
        let mut upsert = tx.prepare(&sql).map_err(|e| e.to_string())?;
        for ((day, agency, field, procedure), c) in &counters {
            let v = c.to_columns();
            upsert
                .execute(params![day, agency, field, procedure, v[0], v[1], v[2], v[3], v[4], v[5], v[6]])
                .map_err(|e| e.to_string())?;
        }
        let mut seq = tx
            .prepare(
                "INSERT INTO dossier_sequences (agency_code, day, last) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (agency_code, day) DO UPDATE SET last = max(last, excluded.last)",
            )
            .map_err(|e| e.to_string())?;
        for ((agency, day), last) in &sequences {
            seq.execute(params![agency, day, last]).map_err(|e| e.to_string())?;
        }
    }
    tx.commit().map_err(|e| e.to_string())?;
    eprintln!("    {n} dossiers written");
    Ok(())
}
