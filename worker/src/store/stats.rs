use chrono::{NaiveDate, NaiveDateTime};
use motcua_core::date::{to_iso, to_iso_datetime, to_iso_month};
use motcua_core::dossier::DossierStatus;
use motcua_core::stats::{Pending, PeriodParts, StatCounters, STAT_COLUMNS};
use motcua_core::workflow::counters::PendingMove;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::error::ApiResult;

/// The upsert that adds `c` to one day's cell; goes into the batch of the event it counts.
pub fn add(db: &D1Database, day: &str, agency: &str, field: &str, procedure: &str, c: &StatCounters) -> ApiResult<D1PreparedStatement> {
    let names = STAT_COLUMNS.join(", ");
    let params: Vec<String> = (0..STAT_COLUMNS.len()).map(|i| format!("?{}", i + 5)).collect();
    let sums: Vec<String> = STAT_COLUMNS.iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO stat_counters (day, agency_code, field_id, procedure_id, {names}) VALUES (?1, ?2, ?3, ?4, {}) \
         ON CONFLICT (day, agency_code, field_id, procedure_id) DO UPDATE SET {}",
        params.join(", "),
        sums.join(", ")
    );
    let mut binds = vec![JsValue::from_str(day), JsValue::from_str(agency), JsValue::from_str(field), JsValue::from_str(procedure)];
    binds.extend(c.to_columns().into_iter().map(|v| JsValue::from_f64(f64::from(v))));
    Ok(db.prepare(sql).bind(&binds)?)
}

/// Filters of a dashboard query.
pub struct Filter<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub agency: Option<&'a str>,
    pub field: Option<&'a str>,
    pub procedure: Option<&'a str>,
}

impl Filter<'_> {
    /// The cell conditions, numbered after the `binds` already there.
    fn conditions(&self, binds: &mut Vec<JsValue>) -> String {
        let mut sql = String::new();
        for (col, v) in [("agency_code", self.agency), ("field_id", self.field), ("procedure_id", self.procedure)] {
            if let Some(v) = v {
                binds.push(JsValue::from_str(v));
                sql += &format!(" AND {col} = ?{}", binds.len());
            }
        }
        sql
    }
}

/// The dashboard's three tables: the period's total, a row per month, a row per field.
#[derive(Clone, Copy)]
pub enum Group {
    Total,
    Month,
    Field,
}

fn counters(row: &serde_json::Value) -> StatCounters {
    StatCounters::from_columns(STAT_COLUMNS.map(|c| row[c].as_f64().unwrap_or(0.0) as u32))
}

/// Sums over the filter, grouped, as a statement for a read batch (`read_sums` reads its
/// answer): the period's whole months from `stat_months`, the days around them from
/// `stat_counters` (core's `PeriodParts`).
pub fn sums(db: &D1Database, f: &Filter<'_>, group: Group) -> ApiResult<D1PreparedStatement> {
    let parts = PeriodParts::of(f.from, f.to);
    let names = STAT_COLUMNS.join(", ");
    let (by_month, by_day) = match group {
        Group::Total => ("''", "''"),
        Group::Month => ("month", "substr(day, 1, 7)"),
        Group::Field => ("field_id", "field_id"),
    };
    let mut binds = Vec::new();
    let mut selects = Vec::new();
    let mut range = |table: &str, col: &str, key: &str, (a, b): (String, String), binds: &mut Vec<JsValue>| {
        binds.extend([JsValue::from_str(&a), JsValue::from_str(&b)]);
        let (x, y) = (binds.len() - 1, binds.len());
        let cells = f.conditions(binds);
        selects.push(format!("SELECT {key} AS k, {names} FROM {table} WHERE {col} >= ?{x} AND {col} <= ?{y}{cells}"));
    };
    if let Some((first, last)) = parts.months {
        range("stat_months", "month", by_month, (to_iso_month(first), to_iso_month(last)), &mut binds);
    }
    for (a, b) in parts.days.into_iter().flatten() {
        range("stat_counters", "day", by_day, (to_iso(a), to_iso(b)), &mut binds);
    }
    let cols: Vec<String> = STAT_COLUMNS.iter().map(|c| format!("COALESCE(SUM({c}), 0) AS {c}")).collect();
    let rows = selects.join(" UNION ALL ");
    let sql = match group {
        Group::Total => format!("SELECT '' AS k, {} FROM ({rows})", cols.join(", ")),
        Group::Month | Group::Field => format!("SELECT k, {} FROM ({rows}) GROUP BY k ORDER BY k", cols.join(", ")),
    };
    Ok(db.prepare(sql).bind(&binds)?)
}

pub fn read_sums(result: &D1Result) -> ApiResult<Vec<(String, StatCounters)>> {
    let rows = result.results::<serde_json::Value>()?;
    Ok(rows.iter().map(|r| (r["k"].as_str().unwrap_or_default().to_owned(), counters(r))).collect())
}

#[derive(Deserialize)]
struct PendingRow {
    within: Option<f64>,
    overdue: Option<f64>,
    waiting: Option<f64>,
}

/// Dossiers not yet resolved, now: in the department's hands within their due instant or past
/// it, and waiting for the applicant (core's `DossierStatus::PENDING` and `WAITING`); a
/// statement for a read batch (`read_pending`). Sums the cells of `pending_days` (a row per
/// agency × procedure × due day), and splits today's at the present instant with a count of
/// the held dossiers due earlier today: work in days, not in dossiers. (The partial index is
/// named: SQLite would otherwise walk every held dossier of the status index.)
pub fn pending(db: &D1Database, now: NaiveDateTime, agency: Option<&str>, procedure: Option<&str>) -> ApiResult<D1PreparedStatement> {
    let held_statuses = DossierStatus::sql_list(&DossierStatus::PENDING);
    let mut binds = vec![JsValue::from_str(&to_iso(now.date())), JsValue::from_str(&to_iso_datetime(now))];
    let mut filter = String::new();
    for (col, v) in [("agency_code", agency), ("procedure_id", procedure)] {
        if let Some(v) = v {
            binds.push(JsValue::from_str(v));
            filter += &format!(" AND {col} = ?{}", binds.len());
        }
    }
    let sql = format!(
        "WITH passed AS (SELECT COUNT(*) AS n FROM dossiers INDEXED BY dossiers_held_due WHERE status IN ({held_statuses}) AND due_at >= ?1 AND due_at < ?2{filter}), \
              cells AS (SELECT COALESCE(SUM(CASE WHEN due_day >= ?1 THEN held END), 0) AS later, \
                               COALESCE(SUM(CASE WHEN due_day < ?1 THEN held END), 0) AS earlier, \
                               COALESCE(SUM(waiting), 0) AS waiting FROM pending_days WHERE 1 = 1{filter}) \
         SELECT cells.later - passed.n AS within, cells.earlier + passed.n AS overdue, cells.waiting AS waiting FROM cells, passed"
    );
    Ok(db.prepare(sql).bind(&binds)?)
}

/// The statements that move a dossier of `agency` × `procedure` between pending cells (core's
/// `PendingMove`), for its transition's batch: out of one (deleted once it counts nobody, so
/// the dashboard sums only live days), into another.
pub fn move_pending(db: &D1Database, agency: &str, procedure: &str, m: &PendingMove) -> ApiResult<Vec<D1PreparedStatement>> {
    let mut out = Vec::new();
    for (cell, leaving) in [(m.out_of, true), (m.into, false)] {
        let Some(cell) = cell else { continue };
        let key = [agency, procedure, &to_iso(cell.due_day)].map(JsValue::from_str);
        let step = if leaving { -1.0 } else { 1.0 };
        let (held, waiting) = if cell.waiting { (0.0, step) } else { (step, 0.0) };
        let mut binds = key.to_vec();
        binds.extend([JsValue::from_f64(held), JsValue::from_f64(waiting)]);
        out.push(
            db.prepare(
                "INSERT INTO pending_days (agency_code, procedure_id, due_day, held, waiting) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (agency_code, procedure_id, due_day) DO UPDATE SET held = held + excluded.held, waiting = waiting + excluded.waiting",
            )
            .bind(&binds)?,
        );
        if leaving {
            out.push(
                db.prepare("DELETE FROM pending_days WHERE agency_code = ?1 AND procedure_id = ?2 AND due_day = ?3 AND held = 0 AND waiting = 0")
                    .bind(&key)?,
            );
        }
    }
    Ok(out)
}

/// The monthly sums as stored, and as a recount of the daily counters gives them (the check's
/// two statements, read in one batch; `read_month_cells`).
pub fn month_cells(db: &D1Database) -> [D1PreparedStatement; 2] {
    let names = STAT_COLUMNS.join(", ");
    let sums: Vec<String> = STAT_COLUMNS.iter().map(|c| format!("SUM({c}) AS {c}")).collect();
    [
        db.prepare(format!("SELECT month, agency_code, field_id, procedure_id, {names} FROM stat_months")),
        db.prepare(format!(
            "SELECT substr(day, 1, 7) AS month, agency_code, field_id, procedure_id, {} FROM stat_counters GROUP BY 1, 2, 3, 4",
            sums.join(", ")
        )),
    ]
}

/// What a `month_cells` statement answered, keyed "month|" then "YYYY-MM|agency|field|procedure"
/// → the counters' columns (a cell of zeros counts nothing, as a missing one: left out).
pub fn read_month_cells(result: &D1Result) -> ApiResult<Vec<(String, Vec<i64>)>> {
    let rows = result.results::<serde_json::Value>()?;
    Ok(rows
        .iter()
        .map(|r| {
            let k = ["month", "agency_code", "field_id", "procedure_id"].map(|c| r[c].as_str().unwrap_or_default().to_owned()).join("|");
            (format!("month|{k}"), STAT_COLUMNS.iter().map(|c| r[*c].as_f64().unwrap_or(0.0) as i64).collect::<Vec<i64>>())
        })
        .filter(|(_, v)| v.iter().any(|n| *n != 0))
        .collect())
}

/// The pending cells as stored, and as a recount of the dossiers gives them (the check's two
/// statements, read in one batch): rows of agency, procedure, due day, held and waiting.
pub fn pending_cells(db: &D1Database) -> [D1PreparedStatement; 2] {
    [db.prepare("SELECT agency_code, procedure_id, due_day, held, waiting FROM pending_days"), db.prepare(motcua_core::stats::pending_recount_sql())]
}

#[derive(Deserialize)]
struct PendingCellRow {
    agency_code: String,
    procedure_id: String,
    due_day: String,
    held: i64,
    waiting: i64,
}

/// What a `pending_cells` statement answered, keyed "pending|agency|procedure|day" → [held, waiting].
pub fn read_pending_cells(result: &D1Result) -> ApiResult<Vec<(String, Vec<i64>)>> {
    Ok(result
        .results::<PendingCellRow>()?
        .into_iter()
        .map(|r| (format!("pending|{}|{}|{}", r.agency_code, r.procedure_id, r.due_day), vec![r.held, r.waiting]))
        .collect())
}

pub fn read_pending(result: &D1Result) -> ApiResult<Pending> {
    let row = result.results::<PendingRow>()?.into_iter().next();
    // Below zero only if the kept cells drifted from the dossiers: shown as none, and said in
    // the log (the check route lists the cells).
    let n = |v: Option<f64>| {
        let v = v.unwrap_or(0.0);
        if v < 0.0 {
            worker::console_error!("pending_days below the dossiers it counts ({v}): see GET /api/staff/stats/check");
        }
        v.max(0.0) as u32
    };
    Ok(row.map_or_else(Pending::default, |r| Pending { within: n(r.within), overdue: n(r.overdue), waiting: n(r.waiting) }))
}

#[derive(Deserialize)]
pub struct CountedEvent {
    pub day: String,
    pub agency_code: String,
    pub field_id: String,
    pub procedure_id: String,
    pub action: String,
    pub timeliness: Option<String>,
}

/// Every event that counts, with its dossier's cell: the raw history the check recounts
/// (`read_counted_events`).
pub fn counted_events(db: &D1Database) -> D1PreparedStatement {
    let counted: Vec<String> = StatCounters::COUNTED.iter().map(|a| format!("'{}'", a.as_str())).collect();
    db.prepare(format!(
        "SELECT substr(e.at, 1, 10) AS day, d.agency_code, d.field_id, d.procedure_id, e.action, e.timeliness \
         FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code WHERE e.action IN ({})",
        counted.join(", ")
    ))
}

pub fn read_counted_events(result: &D1Result) -> ApiResult<Vec<CountedEvent>> {
    Ok(result.results::<CountedEvent>()?)
}

/// Every stored cell (`read_cells`).
pub fn cells(db: &D1Database) -> D1PreparedStatement {
    db.prepare(format!("SELECT day, agency_code, field_id, procedure_id, {} FROM stat_counters", STAT_COLUMNS.join(", ")))
}

/// What `cells` answered, keyed "day|agency|field|procedure".
pub fn read_cells(result: &D1Result) -> ApiResult<Vec<(String, StatCounters)>> {
    let rows = result.results::<serde_json::Value>()?;
    Ok(rows
        .iter()
        .map(|r| {
            let k = ["day", "agency_code", "field_id", "procedure_id"].map(|c| r[c].as_str().unwrap_or_default().to_owned()).join("|");
            (k, counters(r))
        })
        .collect())
}

/// The upsert that counts one measured hand-over for its officer and desk.
pub fn add_handover(db: &D1Database, day: &str, agency: &str, actor: &str, role: &str, t: &motcua_core::calendar::Timeliness) -> ApiResult<D1PreparedStatement> {
    use motcua_core::calendar::Timeliness;
    let col = match t {
        Timeliness::Early { .. } => "early",
        Timeliness::OnTime => "on_time",
        Timeliness::Late { .. } => "late",
    };
    Ok(db
        .prepare(format!(
            "INSERT INTO officer_counters (day, agency_code, actor, role, {col}) VALUES (?1, ?2, ?3, ?4, 1) \
             ON CONFLICT (agency_code, day, actor, role) DO UPDATE SET {col} = {col} + 1"
        ))
        .bind(&[JsValue::from_str(day), JsValue::from_str(agency), JsValue::from_str(actor), JsValue::from_str(role)])?)
}

#[derive(Deserialize)]
pub struct HandoverRow {
    pub key: String,
    pub name: Option<String>,
    pub early: u32,
    pub on_time: u32,
    pub late: u32,
}

/// Hand-overs of the agency over `[from, to]`, per officer (`by_role` false) or per desk.
pub async fn handovers(db: &D1Database, agency: &str, from: &str, to: &str, by_role: bool) -> ApiResult<Vec<HandoverRow>> {
    let key = if by_role { "o.role" } else { "o.actor" };
    let name = if by_role { "NULL" } else { "MAX(s.name)" };
    Ok(db
        .prepare(format!(
            "SELECT {key} AS key, {name} AS name, SUM(o.early) AS early, SUM(o.on_time) AS on_time, SUM(o.late) AS late \
             FROM officer_counters o LEFT JOIN staff s ON s.username = o.actor \
             WHERE o.agency_code = ?1 AND o.day >= ?2 AND o.day <= ?3 GROUP BY {key} ORDER BY {key}"
        ))
        .bind(&[JsValue::from_str(agency), JsValue::from_str(from), JsValue::from_str(to)])?
        .all()
        .await?
        .results::<HandoverRow>()?)
}

#[derive(Deserialize)]
pub struct OverdueRow {
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    #[serde(deserialize_with = "super::status")]
    pub status: motcua_core::dossier::DossierStatus,
    pub due_at: String,
}

/// The agency's dossiers in progress past their due instant, most overdue first.
pub async fn overdue(db: &D1Database, agency: &str, now: &str) -> ApiResult<Vec<OverdueRow>> {
    Ok(db
        .prepare(format!(
            "SELECT code, procedure_name, applicant_name, status, due_at FROM dossiers \
             WHERE status IN ({}) AND agency_code = ?1 AND due_at < ?2 ORDER BY due_at LIMIT 200",
            DossierStatus::sql_list(&DossierStatus::PENDING)
        ))
        .bind(&[JsValue::from_str(agency), JsValue::from_str(now)])?
        .all()
        .await?
        .results::<OverdueRow>()?)
}
