//! `cargo xtask demo-data --dossiers N`: a realistic history of N dossiers over the last two
//! years, driven through core's transitions (`workflow::transition`: the same clock, history,
//! counters and hand-overs as the worker writes), written
//! straight into the local D1's SQLite file in one transaction (a million rows of SQL through
//! `wrangler d1 execute` would take hours).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use motcua_core::calendar::{Calendar, Term, Timeliness};
use motcua_core::workflow::Phase;
use motcua_core::catalogue::{Flow, Procedure};
use motcua_core::date::{to_iso, to_iso_datetime};
use motcua_core::dossier::{DossierCode, DossierStatus};
use motcua_core::duration::WorkingDuration;
use motcua_core::accounts::{Staff, Username};
use motcua_core::stats::{StatCounters, STAT_COLUMNS};
use motcua_core::workflow::transition::{self, Actor, Command, Reception, Rules, Transition};
use motcua_core::workflow::{holder, phase_as_str, Action, ActionRequest};
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

/// A Vietnamese full name from common family, middle and given names: searches at scale find
/// a realistic share of namesakes ("Nguyễn Văn An" is about one dossier in five thousand).
fn demo_name(rng: &mut Rng) -> String {
    const FAMILY: [&str; 16] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
    const MIDDLE: [&str; 8] = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang"];
    const GIVEN: [&str; 40] = [
        "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam",
        "Nga", "Ngân", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến", "Đạt", "Cường", "Dung", "Hòa", "Kiên",
        "Lộc", "Minh", "Nhung", "Thắng", "Vy",
    ];
    let pick = |rng: &mut Rng, list: &[&'static str]| list[rng.below(list.len() as u64) as usize];
    format!("{} {} {}", pick(rng, &FAMILY), pick(rng, &MIDDLE), pick(rng, &GIVEN))
}

/// What the history adds up to beyond the rows: the statistics counters per day × agency ×
/// field × procedure, the officers' hand-overs, the register's count per day and the day's
/// last sequence number — each as the worker keeps it, written once at the end.
#[derive(Default)]
struct Tallies {
    counters: HashMap<(String, String, String, String), StatCounters>,
    officers: HashMap<(String, String, String, String), [u32; 3]>,
    register: HashMap<(String, String), u32>,
    sequences: HashMap<(String, String), u32>,
    /// Dossiers moved in or out of each pending cell (agency, procedure, due day, waiting).
    pending: HashMap<(String, String, String, bool), i64>,
}

impl Tallies {
    /// Starts from the sequences already used, so codes continue after earlier runs.
    fn read(tx: &rusqlite::Transaction) -> Result<Tallies> {
        let mut t = Tallies::default();
        let mut existing = tx.prepare("SELECT agency_code, day, last FROM dossier_sequences").map_err(|e| e.to_string())?;
        let rows = existing
            .query_map([], |r| Ok(((r.get::<_, String>(0)?, r.get::<_, String>(1)?), r.get::<_, u32>(2)?)))
            .map_err(|e| e.to_string())?;
        t.sequences.extend(rows.flatten());
        Ok(t)
    }

    /// The next dossier code of `agency` on the day of `at`.
    fn next_code(&mut self, agency: &str, at: chrono::NaiveDateTime) -> Result<DossierCode> {
        let day = to_iso(at.date());
        *self.register.entry((agency.to_owned(), day.clone())).or_insert(0) += 1;
        let seq = self.sequences.entry((agency.to_owned(), day)).or_insert(0);
        *seq += 1;
        DossierCode::new(agency, at.date(), *seq).map_err(|e| e.to_string())
    }

    fn add(&mut self, p: &Procedure, t: &Transition) {
        for (cell, step) in [(t.pending.out_of, -1), (t.pending.into, 1)] {
            if let Some(c) = cell {
                *self.pending.entry((p.agency.clone(), p.id.clone(), to_iso(c.due_day), c.waiting)).or_insert(0) += step;
            }
        }
        let day = to_iso(t.event.at.date());
        if !t.counters.is_zero() {
            self.counters.entry((day.clone(), p.agency.clone(), p.field.clone(), p.id.clone())).or_default().add(&t.counters);
        }
        if let Some(h) = &t.handover {
            let cell = self.officers.entry((day, p.agency.clone(), h.username.clone(), h.desk.as_str().to_owned())).or_default();
            cell[match h.timeliness {
                Timeliness::Early { .. } => 0,
                Timeliness::OnTime => 1,
                Timeliness::Late { .. } => 2,
            }] += 1;
        }
    }

    fn write(&self, tx: &rusqlite::Transaction) -> Result<()> {
        let names = STAT_COLUMNS.join(", ");
        let sums: Vec<String> = STAT_COLUMNS.iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
        let sql = format!(
            "INSERT INTO stat_counters (day, agency_code, field_id, procedure_id, {names}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
             ON CONFLICT (day, agency_code, field_id, procedure_id) DO UPDATE SET {}",
            sums.join(", ")
        );
        let mut upsert = tx.prepare(&sql).map_err(|e| e.to_string())?;
        for ((day, agency, field, procedure), c) in &self.counters {
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
        for ((agency, day), last) in &self.sequences {
            seq.execute(params![agency, day, last]).map_err(|e| e.to_string())?;
        }
        let mut handovers = tx
            .prepare(
                "INSERT INTO officer_counters (day, agency_code, actor, role, early, on_time, late) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (agency_code, day, actor, role) DO UPDATE SET early = early + excluded.early, \
                 on_time = on_time + excluded.on_time, late = late + excluded.late",
            )
            .map_err(|e| e.to_string())?;
        for ((day, agency, actor, desk), [early, on_time, late]) in &self.officers {
            handovers.execute(params![day, agency, actor, desk, early, on_time, late]).map_err(|e| e.to_string())?;
        }
        let mut days = tx
            .prepare(
                "INSERT INTO register_days (agency_code, day, n) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (agency_code, day) DO UPDATE SET n = n + excluded.n",
            )
            .map_err(|e| e.to_string())?;
        for ((agency, day), n) in &self.register {
            days.execute(params![agency, day, n]).map_err(|e| e.to_string())?;
        }
        let mut pending = tx
            .prepare(
                "INSERT INTO pending_days (agency_code, procedure_id, due_day, held, waiting) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (agency_code, procedure_id, due_day) DO UPDATE SET held = held + excluded.held, waiting = waiting + excluded.waiting",
            )
            .map_err(|e| e.to_string())?;
        for ((agency, procedure, day, waiting), n) in self.pending.iter().filter(|(_, n)| **n != 0) {
            let (held, waiting) = if *waiting { (0, *n) } else { (*n, 0) };
            pending.execute(params![agency, procedure, day, held, waiting]).map_err(|e| e.to_string())?;
        }
        tx.execute("DELETE FROM pending_days WHERE held = 0 AND waiting = 0", []).map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// The demo accounts (xtask/src/staff.rs) of the province's first department act on its
/// dossiers; one officer stands for each other department.
fn staff_of(first: &str, agency: &str, phase: Phase) -> Staff {
    let (username, name) = match (agency == first, phase) {
        (true, Phase::Receive) => ("tiepnhan", "Nguyễn Thị Tiếp"),
        (true, Phase::Appraise) => ("thamdinh", "Trần Văn Thẩm"),
        (true, Phase::Approve) => ("pheduyet", "Lê Văn Duyệt"),
        (true, Phase::Return) => ("traketqua", "Hoàng Thị Trả"),
        (false, Phase::Approve) => ("lanhdao.demo", "Lãnh đạo sở"),
        _ => ("canbo.syt", "Bùi Thị Y"),
    };
    Staff {
        username: Username::parse(username).expect("a demo user name"),
        name: name.to_owned(),
        agency: agency.to_owned(),
        agency_name: String::new(),
        roles: vec![holder(phase)],
        delegated_approval: true,
        pending: None,
    }
}

/// One dossier's life through core's transitions, from its reception: mostly resolved early,
/// some on time or late, a few refused, the most recent still in progress.
struct Life<'a> {
    rules: &'a Rules<'a>,
    first_agency: &'a str,
    today: chrono::NaiveDate,
}

impl Life<'_> {
    fn live(&self, rng: &mut Rng, n: u64, received: Transition, p: &Procedure, online: bool) -> Result<Vec<Transition>> {
        let calendar = self.rules.calendar;
        let submitted = received.dossier.submitted_at;
        // The working time the term gives, whatever its units: handling is paced on it.
        let total = calendar.elapsed(received.dossier.timing.counted_from, received.dossier.timing.due_at);
        let fate = rng.below(100);
        let in_progress = received.dossier.timing.due_at.date() > self.today && fate < 60;
        let lateness = match fate {
            0..=1 => 1.15,
            2..=9 => 0.999,
            _ => 0.4 + rng.below(50) as f64 / 100.0,
        };
        let done_minutes = (f64::from(total.minutes()) * lateness) as u32;
        // Reception the same or the next working day for online dossiers.
        let mut plan: Vec<(Action, f64)> = Vec::new();
        if online {
            plan.push((Action::Accept, 0.02));
        }
        if fate >= 96 {
            plan.push((Action::Refuse, 0.3));
        } else if !in_progress {
            plan.push((Action::PassOn, 0.7));
            if p.flow.unwrap_or(Flow::FourStep) == Flow::FourStep {
                plan.push((Action::Approve, 0.15));
            }
            plan.extend([(Action::RecordResult, 0.1), (Action::Return, 0.03)]);
        }
        let mut history = vec![received];
        let mut clock = submitted;
        for (action, share) in plan {
            let d = history.last().expect("received").dossier.clone();
            clock = calendar.due(clock, WorkingDuration::from_minutes((f64::from(done_minutes) * share) as u32));
            let request = ActionRequest {
                action,
                version: d.version,
                comment: if action == Action::Refuse { "Hồ sơ không đủ điều kiện".into() } else { String::new() },
                missing: vec![],
                new_due: None,
                result_number: format!("{}/KQ", n + 1),
                result_date: Some(clock.date()),
                result_upload: None,
                by_post: false,
            };
            let officer = staff_of(self.first_agency, &p.agency, d.state.phase);
            let t = transition::apply(&d, Command::Staff(request), Actor::Staff(&officer), clock, self.rules)
                .map_err(|r| format!("{}: demo step {action:?} refused: {r:?}", d.code.as_str()))?;
            history.push(t);
        }
        Ok(history)
    }
}

const INSERT_DOSSIER: &str = "INSERT INTO dossiers (code, agency_code, procedure_id, procedure_name, status, channel, submitted_at, due_at, days, \
     answers, secret_hash, idempotency_key, documents, version, phase, flow, delegated, queue, step_due_at, phase_dues, \
     received_at, counted_from, applicant_name, field_id, clock, result) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, '[]', ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)";

const INSERT_EVENT: &str = "INSERT INTO dossier_events (dossier_code, version, at, status, action, phase, from_status, actor, role, note, step_due, \
     timeliness, actor_username, facts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?13, ?10, ?11, ?12, ?14)";

/// The dossier as it ends, under a demo secret and idempotency key (`n`-th of run `run`).
fn write_dossier(stmt: &mut rusqlite::Statement, d: &transition::Dossier, answers: &std::collections::BTreeMap<String, String>, n: u64, run: u64) -> Result<()> {
    stmt.execute(params![
        d.code.as_str(),
        d.agency,
        d.procedure,
        d.procedure_name,
        d.state.status.code(),
        d.channel.as_str(),
        to_iso_datetime(d.submitted_at),
        to_iso_datetime(d.timing.due_at),
        d.days,
        json(answers)?,
        format!("{:064x}", n),
        format!("demo-{run}-{n:09}"),
        d.version,
        phase_as_str(d.state.phase),
        if d.handling.flow == Flow::ThreeStep { "three_step" } else { "four_step" },
        u8::from(d.handling.delegated),
        motcua_core::workflow::queue(d.state).map(|r| r.as_str()),
        d.timing.phase_due(d.state.phase).map(to_iso_datetime),
        json(&d.timing.phase_dues)?,
        d.received_at.map(to_iso_datetime),
        to_iso_datetime(d.timing.counted_from),
        d.applicant_name,
        d.field,
        json(&d.timing.clock)?,
        d.result.as_ref().map(json).transpose()?,
    ])
    .map_err(|e| format!("{}: {e}", d.code.as_str()))?;
    Ok(())
}

/// A transition's history line, as the worker stores it.
fn write_event(stmt: &mut rusqlite::Statement, code: &DossierCode, t: &Transition) -> Result<()> {
    let e = &t.event;
    stmt.execute(params![
        code.as_str(),
        e.version,
        to_iso_datetime(e.at),
        e.to.code(),
        e.action.as_str(),
        phase_as_str(e.phase),
        e.from.map(DossierStatus::code),
        e.officer.as_ref().map(|o| o.name.clone()),
        e.officer.as_ref().map(|o| o.desk.as_str()),
        e.step_due.map(to_iso_datetime),
        e.timeliness.map(|t| serde_json::to_string(&t).expect("serialises")),
        e.officer.as_ref().map(|o| o.username.clone()),
        e.comment,
        (!e.facts.is_empty()).then(|| serde_json::to_string(&e.facts).expect("serialises")),
    ])
    .map_err(|e| e.to_string())?;
    Ok(())
}

/// A stored JSON column.
fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| e.to_string())
}

/// Adds `n` dossiers to the local D1 in `state`. Counters (statistics) are added too, so the
/// dashboards agree with the rows.
pub fn generate(root: &Path, state: &Path, n: u64) -> Result<()> {
    step(&format!("Generating {n} demo dossiers over two years into the local D1"));
    let mut cat = catalogue::read(&root.join("data/catalogue.json"))?;
    let province = crate::province::read(root)?;
    catalogue::assign(&mut cat, &province)?;
    let calendar = Calendar::with_decisions(calendar::read(&root.join("data/calendar.json"))?.decisions);
    let procedures: Vec<(&Procedure, Term)> = cat
        .procedures
        .iter()
        .filter_map(|p| p.online_term().or_else(|| p.term(false)).filter(|t| t.days() > 0).map(|t| (p, t)))
        .collect();
    let mut conn = Connection::open(database_file(state)?).map_err(|e| e.to_string())?;
    conn.pragma_update(None, "synchronous", "OFF").map_err(|e| e.to_string())?;
    let tx = conn.transaction().map_err(|e| e.to_string())?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let today = motcua_core::calendar::from_unix_millis(now.as_millis() as i64).ok_or("clock")?.date();
    let start = today - chrono::Duration::days(730);
    let mut rng = Rng(n ^ 0x6d6f74637561);
    let mut tallies = Tallies::read(&tx)?;
    let mut insert_dossier = tx.prepare(INSERT_DOSSIER).map_err(|e| e.to_string())?;
    let mut insert_key = tx.prepare("INSERT OR IGNORE INTO dossier_keys (agency_code, term, code) VALUES (?1, ?2, ?3)").map_err(|e| e.to_string())?;
    let mut insert_event = tx.prepare(INSERT_EVENT).map_err(|e| e.to_string())?;
    let sign = |_: &str| "demo".to_owned();
    let rules = Rules { calendar: &calendar, procedure: None, sign: &sign, result_file: None };
    let life = Life { rules: &rules, first_agency: &province.agencies[0].code, today };
    for i in 0..n {
        let (p, term) = &procedures[rng.below(procedures.len() as u64) as usize];
        let online = p.online.is_some_and(|l| l.accepts_online_submission()) && rng.below(10) < 7;
        let day = start + chrono::Duration::days(rng.below(730) as i64);
        let submitted = day.and_hms_opt(7 + rng.below(10) as u32, rng.below(60) as u32, 0).expect("a time");
        let code = tallies.next_code(&p.agency, submitted)?;
        let name = demo_name(&mut rng);
        let desk = staff_of(life.first_agency, &p.agency, Phase::Receive);
        let facts = Reception { code: code.clone(), procedure: p, procedure_version: 1, term: term.clone(), applicant_name: name.clone(), documents: vec![], papers: vec![], lang: motcua_core::Lang::Vi };
        let received = transition::receive(facts, (!online).then_some(&desk), submitted, &calendar);
        let history = life.live(&mut rng, i, received, p, online)?;
        let d = &history.last().expect("received").dossier;
        let phone = format!("09120{:05}", i % 100_000);
        let answers = [("full_name", name.as_str()), ("phone", phone.as_str()), ("delivery", "centre")];
        let answers: std::collections::BTreeMap<String, String> = answers.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        write_dossier(&mut insert_dossier, d, &answers, i, now.as_secs())?;
        for key in motcua_core::workflow::search::keys(&d.code, &d.applicant_name, &answers) {
            insert_key.execute(params![d.agency, key, d.code.as_str()]).map_err(|e| e.to_string())?;
        }
        for t in &history {
            write_event(&mut insert_event, &code, t)?;
            tallies.add(p, t);
        }
        if (i + 1) % 100_000 == 0 {
            eprintln!("    {} dossiers", i + 1);
        }
    }
    drop((insert_dossier, insert_key, insert_event));
    tallies.write(&tx)?;
    tx.commit().map_err(|e| e.to_string())?;
    eprintln!("    {n} dossiers written");
    Ok(())
}
