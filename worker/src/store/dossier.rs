use motcua_core::date::{to_iso, to_iso_datetime};
use motcua_core::workflow::Phase;
use motcua_core::catalogue::Flow;
use motcua_core::dossier::{Channel, DossierCode, DossierStatus};
use motcua_core::notify::Notice;
use motcua_core::workflow::phase_as_str;
use motcua_core::workflow::transition::{EventRecord, Transition};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::error::{ApiError, ApiResult};

/// A dossier as stored, without the applicant's answers and secret.
#[derive(Deserialize, Clone)]
pub struct DossierRow {
    pub code: String,
    pub agency_code: String,
    pub procedure_id: String,
    pub procedure_name: String,
    #[serde(deserialize_with = "super::status")]
    pub status: DossierStatus,
    pub channel: Channel,
    pub submitted_at: String,
    pub due_at: String,
    pub days: u16,
    pub version: u32,
    pub phase: Phase,
    pub flow: Flow,
    pub delegated: u8,
    pub queue: Option<String>,
    pub step_due_at: Option<String>,
    pub phase_dues: String,
    pub received_at: Option<String>,
    pub counted_from: Option<String>,
    pub paused_at: Option<String>,
    pub supplement: Option<String>,
    pub apology: Option<String>,
    pub result: Option<String>,
    pub applicant_name: String,
    pub documents: String,
    pub field_id: String,
    /// The catalogue version the dossier was received under.
    pub procedure_version: u32,
    /// JSON array of the required documents handed in on paper at the desk.
    pub papers: String,
    /// JSON of the clock's inputs (core::workflow::timing::Clock); NULL on dossiers stored
    /// before terms had units.
    pub clock: Option<String>,
    /// `vi` or `en`: the applicant's language (core's `Lang`).
    pub lang: String,
}

/// A flow as stored (the same words as its JSON).
pub fn flow_as_str(f: Flow) -> &'static str {
    match f {
        Flow::ThreeStep => "three_step",
        Flow::FourStep => "four_step",
    }
}

pub(crate) const ROW_COLUMNS: &str = "code, agency_code, procedure_id, procedure_name, status, channel, submitted_at, due_at, days, \
    version, phase, flow, delegated, queue, step_due_at, phase_dues, received_at, counted_from, paused_at, supplement, \
    apology, result, applicant_name, documents, field_id, procedure_version, papers, clock, lang";

fn opt(v: &Option<String>) -> JsValue {
    v.as_deref().map_or(JsValue::NULL, JsValue::from_str)
}

/// The columns a transition changes (the others are fixed when the dossier is stored).
const CHANGING: [&str; 15] = [
    "status", "due_at", "version", "phase", "queue", "step_due_at", "phase_dues", "received_at", "counted_from", "paused_at",
    "supplement", "apology", "result", "documents", "clock",
];

impl DossierRow {
    /// Every stored column with its value, by name: inserts and updates are written from this
    /// one list, never by position.
    fn columns(&self) -> Vec<(&'static str, JsValue)> {
        let text = |v: &str| JsValue::from_str(v);
        let number = |n: f64| JsValue::from_f64(n);
        vec![
            ("code", text(&self.code)),
            ("agency_code", text(&self.agency_code)),
            ("procedure_id", text(&self.procedure_id)),
            ("procedure_name", text(&self.procedure_name)),
            ("status", number(f64::from(self.status.code()))),
            ("channel", text(self.channel.as_str())),
            ("submitted_at", text(&self.submitted_at)),
            ("due_at", text(&self.due_at)),
            ("days", number(f64::from(self.days))),
            ("version", number(f64::from(self.version))),
            ("phase", text(phase_as_str(self.phase))),
            ("flow", text(flow_as_str(self.flow))),
            ("delegated", number(f64::from(self.delegated))),
            ("queue", opt(&self.queue)),
            ("step_due_at", opt(&self.step_due_at)),
            ("phase_dues", text(&self.phase_dues)),
            ("received_at", opt(&self.received_at)),
            ("counted_from", opt(&self.counted_from)),
            ("paused_at", opt(&self.paused_at)),
            ("supplement", opt(&self.supplement)),
            ("apology", opt(&self.apology)),
            ("result", opt(&self.result)),
            ("applicant_name", text(&self.applicant_name)),
            ("documents", text(&self.documents)),
            ("field_id", text(&self.field_id)),
            ("procedure_version", number(f64::from(self.procedure_version))),
            ("papers", text(&self.papers)),
            ("clock", opt(&self.clock)),
            ("lang", text(&self.lang)),
        ]
    }
}

#[derive(Deserialize)]
struct SequenceRow {
    last: u32,
}

/// A number of the agency's day reserved at once (one atomic upsert, so two callers never get
/// the same one), past `lost` (the number a submission's try just lost to a concurrent one);
/// `None`, reserving nothing, once a dossier holds the submission's idempotency key (a
/// concurrent retry of the same submission stored it).
pub async fn next_sequence(db: &D1Database, agency: &str, day: &str, lost: u32, key: &str) -> ApiResult<Option<u32>> {
    let row = db
        .prepare(
            "INSERT INTO dossier_sequences (agency_code, day, last) \
             SELECT ?1, ?2, ?3 + 1 WHERE NOT EXISTS (SELECT 1 FROM dossiers WHERE idempotency_key = ?4) \
             ON CONFLICT (agency_code, day) DO UPDATE SET last = max(last, ?3) + 1 RETURNING last",
        )
        .bind(&[JsValue::from_str(agency), JsValue::from_str(day), JsValue::from_f64(f64::from(lost)), JsValue::from_str(key)])?
        .first::<SequenceRow>(None)
        .await?;
    Ok(row.map(|r| r.last))
}

/// The agency's day moves on to the dossier's number, in the dossier's own batch: a number is
/// spent by a stored dossier (or by a reservation whose request then failed), so the day's
/// register has no gaps but those.
fn take_sequence(db: &D1Database, code: &DossierCode, agency: &str, day: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(
            "INSERT INTO dossier_sequences (agency_code, day, last) VALUES (?1, ?2, ?3) \
             ON CONFLICT (agency_code, day) DO UPDATE SET last = max(last, excluded.last)",
        )
        .bind(&[JsValue::from_str(agency), JsValue::from_str(day), JsValue::from_f64(f64::from(code.sequence()))])?)
}

/// The dossier of an idempotency key and the fingerprint of the body it came with, as a
/// statement for a read batch.
pub fn by_key_statement(db: &D1Database, key: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db.prepare("SELECT code, agency_code, request_hash FROM dossiers WHERE idempotency_key = ?1").bind(&[JsValue::from_str(key)])?)
}

/// A dossier found by its idempotency key.
#[derive(Deserialize)]
pub struct KeyedRow {
    pub code: String,
    pub agency_code: String,
    pub request_hash: Option<String>,
}

/// A dossier by its code, as a statement for a read batch.
pub fn by_code_statement(db: &D1Database, code: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db.prepare(format!("SELECT {ROW_COLUMNS} FROM dossiers WHERE code = ?1")).bind(&[JsValue::from_str(code)])?)
}

pub async fn by_code(db: &D1Database, code: &DossierCode) -> ApiResult<Option<DossierRow>> {
    Ok(db
        .prepare(format!("SELECT {ROW_COLUMNS} FROM dossiers WHERE code = ?1"))
        .bind(&[JsValue::from_str(code.as_str())])?
        .first::<DossierRow>(None)
        .await?)
}

/// Outcome of an insert: stored; another request with the same idempotency key won; or a
/// concurrent submission took the dossier's number (nothing was written: retry with another).
pub enum Inserted {
    Stored,
    DuplicateKey,
    CodeTaken,
}

/// One line of the history, as written.
pub struct NewEvent {
    pub at: String,
    pub action: &'static str,
    pub phase: &'static str,
    pub from_status: Option<u8>,
    pub to_status: u8,
    pub actor: Option<String>,
    pub actor_username: Option<String>,
    pub role: Option<&'static str>,
    pub comment: Option<String>,
    /// JSON of core's `EventFacts`; NULL when there are none.
    pub facts: Option<String>,
    pub step_due: Option<String>,
    pub timeliness: Option<String>,
}

impl NewEvent {
    pub fn of(e: &EventRecord) -> ApiResult<NewEvent> {
        Ok(NewEvent {
            at: to_iso_datetime(e.at),
            action: e.action.as_str(),
            phase: phase_as_str(e.phase),
            from_status: e.from.map(|s| s.code()),
            to_status: e.to.code(),
            actor: e.officer.as_ref().map(|o| o.name.clone()),
            actor_username: e.officer.as_ref().map(|o| o.username.clone()),
            role: e.officer.as_ref().map(|o| o.desk.as_str()),
            comment: e.comment.clone(),
            facts: (!e.facts.is_empty()).then(|| serde_json::to_string(&e.facts)).transpose().map_err(|e| ApiError::Internal(e.to_string()))?,
            step_due: e.step_due.map(to_iso_datetime),
            timeliness: e.timeliness.map(|t| serde_json::to_string(&t)).transpose().map_err(|e| ApiError::Internal(e.to_string()))?,
        })
    }
}

fn event_statement(db: &D1Database, code: &str, version: u32, e: &NewEvent) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(
            "INSERT INTO dossier_events (dossier_code, version, at, status, action, phase, from_status, actor, role, note, step_due, timeliness, actor_username, facts) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .bind(&[
            JsValue::from_str(code),
            JsValue::from_f64(f64::from(version)),
            JsValue::from_str(&e.at),
            JsValue::from_f64(f64::from(e.to_status)),
            JsValue::from_str(e.action),
            JsValue::from_str(e.phase),
            e.from_status.map_or(JsValue::NULL, |s| JsValue::from_f64(f64::from(s))),
            opt(&e.actor),
            e.role.map_or(JsValue::NULL, JsValue::from_str),
            opt(&e.comment),
            opt(&e.step_due),
            opt(&e.timeliness),
            opt(&e.actor_username),
            opt(&e.facts),
        ])?)
}

/// What a transition writes besides the dossier: its history line, the counters it adds to
/// (statistics of the day; the officer's and desk's hand-over) and the notices it owes, on
/// every channel the applicant has (links point to `origin`).
fn written_with(db: &D1Database, t: &Transition, origin: &str) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    let d = &t.dossier;
    let mut out = vec![event_statement(db, d.code.as_str(), t.event.version, &NewEvent::of(&t.event)?)?];
    let day = to_iso(t.event.at.date());
    if !t.counters.is_zero() {
        out.push(super::stats::add(db, &day, &d.agency, &d.field, &d.procedure, &t.counters)?);
    }
    out.extend(super::stats::move_pending(db, &d.agency, &d.procedure, &t.pending)?);
    if let Some(h) = &t.handover {
        out.push(super::stats::add_handover(db, &day, &d.agency, &h.username, h.desk.as_str(), &h.timeliness)?);
    }
    for n in Notice::of(t) {
        out.extend(super::notices::queue(db, &n, t.event.version, origin)?);
    }
    // Files a dossier names are kept for good (unattached uploads go after a day).
    let named: Vec<&str> = d.documents.iter().map(|a| a.upload.as_str()).chain(d.result.as_ref().and_then(|r| r.upload.as_deref())).collect();
    out.extend(super::files::attach(db, &named)?);
    Ok(out)
}

/// A new dossier with its first history event and counters, in one D1 batch (one transaction).
/// `keys` are its search keys (core's `workflow::search::keys`).
pub async fn insert(
    db: &D1Database,
    t: &Transition,
    (answers_json, keys): (&str, &[String]),
    secret_hash: &str,
    (idempotency_key, request_hash): (&str, &str),
    origin: &str,
) -> ApiResult<(Inserted, DossierRow)> {
    let d = DossierRow::of(&t.dossier)?;
    let mut columns = d.columns();
    columns.extend([
        ("answers", JsValue::from_str(answers_json)),
        ("secret_hash", JsValue::from_str(secret_hash)),
        ("idempotency_key", JsValue::from_str(idempotency_key)),
        ("request_hash", JsValue::from_str(request_hash)),
    ]);
    let (names, values): (Vec<&str>, Vec<JsValue>) = columns.into_iter().unzip();
    let places: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
    let dossier = db.prepare(format!("INSERT INTO dossiers ({}) VALUES ({})", names.join(", "), places.join(", "))).bind(&values)?;
    let day = to_iso(t.dossier.submitted_at.date());
    let mut batch = vec![
        take_sequence(db, &t.dossier.code, &d.agency_code, &day)?,
        dossier,
        super::search::write_keys(db, &d.agency_code, &d.code, keys)?,
        super::search::count_day(db, &d.agency_code, &day)?,
    ];
    batch.extend(written_with(db, t, origin)?);
    match db.batch(batch).await {
        Ok(_) => Ok((Inserted::Stored, d)),
        Err(e) if super::unique_violation(&e, Some("idempotency_key")) => Ok((Inserted::DuplicateKey, d)),
        Err(e) if super::unique_violation(&e, Some("dossiers.code")) => Ok((Inserted::CodeTaken, d)),
        Err(e) => Err(e.into()),
    }
}

/// Writes a transition: the dossier's new state (only over the version it was read at), its
/// event and counters, in one batch, with `also` at its end (a re-issued secret, or reads that
/// see what the batch wrote): `also`'s answers, or `None` when another transition took that
/// number first (nothing is written then).
pub async fn commit_with(
    db: &D1Database,
    t: &Transition,
    origin: &str,
    also: Vec<worker::D1PreparedStatement>,
) -> ApiResult<(Option<Vec<worker::D1Result>>, DossierRow)> {
    let asked = also.len();
    let d = DossierRow::of(&t.dossier)?;
    // What a transition may change, by name; the row is written only over the version it read.
    let (names, mut values): (Vec<&str>, Vec<JsValue>) = d.columns().into_iter().filter(|(name, _)| CHANGING.contains(name)).unzip();
    let sets: Vec<String> = names.iter().enumerate().map(|(i, name)| format!("{name} = ?{}", i + 3)).collect();
    let mut bound = vec![JsValue::from_str(&d.code), JsValue::from_f64(f64::from(d.version - 1))];
    bound.append(&mut values);
    let update = db.prepare(format!("UPDATE dossiers SET {} WHERE code = ?1 AND version = ?2", sets.join(", "))).bind(&bound)?;
    // The event first: its unique (dossier, version) refuses a second writer of this version.
    let mut batch = written_with(db, t, origin)?;
    batch.insert(1, update);
    batch.extend(also);
    match db.batch(batch).await {
        Ok(mut results) => {
            let tail = results.split_off(results.len() - asked);
            Ok((Some(tail), d))
        }
        Err(e) if super::unique_violation(&e, None) => Ok((None, d)),
        Err(e) => Err(e.into()),
    }
}

/// A history line as stored.
#[derive(Deserialize)]
pub struct EventRow {
    pub version: u32,
    pub at: String,
    #[serde(deserialize_with = "super::status")]
    pub status: DossierStatus,
    pub action: String,
    pub phase: Phase,
    #[serde(deserialize_with = "super::status_or_none")]
    pub from_status: Option<DossierStatus>,
    pub actor: Option<String>,
    pub role: Option<String>,
    pub note: Option<String>,
    pub step_due: Option<String>,
    pub timeliness: Option<String>,
    pub actor_username: Option<String>,
    pub facts: Option<String>,
}

/// A dossier's history, as a statement for a read batch.
pub fn events_statement(db: &D1Database, code: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(
            "SELECT version, at, status, action, phase, from_status, actor, role, note, step_due, timeliness, actor_username, facts \
             FROM dossier_events WHERE dossier_code = ?1 ORDER BY version",
        )
        .bind(&[JsValue::from_str(code)])?)
}

/// Secrets sent by e-mail besides the receipt's, as a statement for a read batch.
pub fn other_secrets(db: &D1Database, code: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db.prepare("SELECT secret_hash FROM dossier_secrets WHERE dossier_code = ?1").bind(&[JsValue::from_str(code)])?)
}

#[derive(Deserialize)]
pub struct SecretRow {
    pub secret_hash: String,
}

/// Adds a secret (sent by e-mail to the address on file): the receipt's stays valid.
pub async fn add_secret(db: &D1Database, code: &str, secret_hash: &str, now: &str) -> ApiResult<()> {
    db.prepare("INSERT OR IGNORE INTO dossier_secrets (dossier_code, secret_hash, created_at) VALUES (?1, ?2, ?3)")
        .bind(&[JsValue::from_str(code), JsValue::from_str(secret_hash), JsValue::from_str(now)])?
        .run()
        .await?;
    Ok(())
}

/// The statements that make `secret_hash` the dossier's only secret (the desk re-issued one):
/// for the batch of the event that logs it.
pub fn replace_secret(db: &D1Database, code: &str, secret_hash: &str) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    Ok(vec![
        db.prepare("UPDATE dossiers SET secret_hash = ?2 WHERE code = ?1").bind(&[JsValue::from_str(code), JsValue::from_str(secret_hash)])?,
        db.prepare("DELETE FROM dossier_secrets WHERE dossier_code = ?1").bind(&[JsValue::from_str(code)])?,
    ])
}

/// A dossier's answers and secret hash, as a statement for a read batch.
pub fn private_statement(db: &D1Database, code: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db.prepare("SELECT answers, secret_hash FROM dossiers WHERE code = ?1").bind(&[JsValue::from_str(code)])?)
}

pub async fn events(db: &D1Database, code: &str) -> ApiResult<Vec<EventRow>> {
    Ok(db
        .prepare(
            "SELECT version, at, status, action, phase, from_status, actor, role, note, step_due, timeliness, actor_username, facts \
             FROM dossier_events WHERE dossier_code = ?1 ORDER BY version",
        )
        .bind(&[JsValue::from_str(code)])?
        .all()
        .await?
        .results::<EventRow>()?)
}

/// A line of a queue.
#[derive(Deserialize)]
pub struct QueueRow {
    pub code: String,
    /// The desk it waits at; none when finished, or waiting for the applicant.
    pub queue: Option<String>,
    pub procedure_name: String,
    #[serde(deserialize_with = "super::status")]
    pub status: DossierStatus,
    pub channel: Channel,
    pub step_due_at: Option<String>,
    pub due_at: String,
    pub applicant_name: String,
}

#[derive(Deserialize)]
pub struct CountRow {
    pub queue: String,
    /// Kept by triggers: below zero only if it drifted from the dossiers (see `queue_total`).
    pub total: i64,
    pub overdue: u32,
}

/// Per queue of the agency: how many dossiers wait (`queue_sizes`, kept by triggers), and how
/// many of them are past their step's due instant (core's `workflow::step_overdue`), counted in
/// the queue index over the overdue ones only; as a statement for a read batch.
pub fn queue_counts(db: &D1Database, agency: &str, now: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(
            "SELECT q.queue, q.n AS total, (SELECT COUNT(*) FROM dossiers d WHERE d.agency_code = q.agency_code AND d.queue = q.queue \
             AND d.step_due_at < ?2) AS overdue FROM queue_sizes q WHERE q.agency_code = ?1",
        )
        .bind(&[JsValue::from_str(agency), JsValue::from_str(now)])?)
}

/// The queues' sizes as stored, and as a recount of the dossiers gives them (the check's two
/// statements): rows of agency, queue and size.
pub fn queue_cells(db: &D1Database) -> [worker::D1PreparedStatement; 2] {
    [
        db.prepare("SELECT agency_code, queue, n FROM queue_sizes"),
        db.prepare("SELECT agency_code, queue, COUNT(*) AS n FROM dossiers WHERE queue IS NOT NULL GROUP BY 1, 2"),
    ]
}

#[derive(Deserialize)]
struct QueueCellRow {
    agency_code: String,
    queue: String,
    n: i64,
}

/// What a `queue_cells` statement answered, keyed "queue|agency|desk" → [size] (a desk at zero
/// holds nothing, as a missing one: left out).
pub fn read_queue_cells(result: &worker::D1Result) -> ApiResult<Vec<(String, Vec<i64>)>> {
    Ok(result
        .results::<QueueCellRow>()?
        .into_iter()
        .filter(|r| r.n != 0)
        .map(|r| (format!("queue|{}|{}", r.agency_code, r.queue), vec![r.n]))
        .collect())
}

#[derive(Deserialize)]
pub struct PrivateRow {
    pub answers: String,
    pub secret_hash: String,
}

/// The stored answers and secret hash of a dossier.
pub async fn private(db: &D1Database, code: &DossierCode) -> ApiResult<Option<(String, String)>> {
    let row = db
        .prepare("SELECT answers, secret_hash FROM dossiers WHERE code = ?1")
        .bind(&[JsValue::from_str(code.as_str())])?
        .first::<PrivateRow>(None)
        .await?;
    Ok(row.map(|r| (r.answers, r.secret_hash)))
}

