//! The staff's list of dossiers: search keys, filtered pages, counts that stop at core's cap,
//! and the register read in chunks. Every query starts from an index of migration 0018 or
//! 0007, so a page costs the same at ten thousand dossiers as at a million.

use motcua_core::workflow::phase_as_str;
use motcua_core::workflow::search::{self, DossierFilter, MATCH_CAP, PER_PAGE};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::dossier::{DossierRow, QueueRow};
use crate::error::ApiResult;

/// Writes a dossier's keys (one statement, whatever their number).
pub fn write_keys(db: &D1Database, agency: &str, code: &str, keys: &[String]) -> ApiResult<D1PreparedStatement> {
    let terms = serde_json::to_string(keys).map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
    Ok(db
        .prepare("INSERT OR IGNORE INTO dossier_keys (agency_code, term, code) SELECT ?1, value, ?2 FROM json_each(?3)")
        .bind(&[JsValue::from_str(agency), JsValue::from_str(code), JsValue::from_str(&terms)])?)
}

/// Counts a new dossier on `day` of the register (`register_days`, migration 0019: the date it
/// was received, as core's `to_iso` writes the register's period), in the batch that stores it.
pub fn count_day(db: &D1Database, agency: &str, day: &str) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare("INSERT INTO register_days (agency_code, day, n) VALUES (?1, ?2, 1) ON CONFLICT (agency_code, day) DO UPDATE SET n = n + 1")
        .bind(&[JsValue::from_str(agency), JsValue::from_str(day)])?)
}

/// The WHERE clause of a filter, and its bound values after the agency (`?1`).
///
/// With something typed, the rows come from the keys' primary key (each range a search of its
/// own, joined by UNION ALL so the cap stops the walk: SQLite uses no index for an OR of two
/// ranges) and every other condition is written `+column`, which keeps SQLite from walking a
/// whole index of the agency instead.
fn conditions(f: &DossierFilter, now: &str) -> (String, Vec<JsValue>, Option<String>) {
    let mut values = Vec::new();
    let mut matched_keys = None;
    let ranges = search::ranges(&f.q);
    let typed = !ranges.is_empty();
    let col = |name: &str| if typed { format!("+{name}") } else { name.to_owned() };
    let mut sql = format!("{} = ?1", col("agency_code"));
    if typed {
        let selects: Vec<String> = ranges
            .iter()
            .map(|(from, to)| {
                values.extend([JsValue::from_str(from), JsValue::from_str(to)]);
                let n = values.len() + 1;
                format!("SELECT code FROM dossier_keys WHERE agency_code = ?1 AND term >= ?{} AND term < ?{}", n - 1, n)
            })
            .collect();
        let keys = format!("SELECT code FROM ({}) LIMIT {}", selects.join(" UNION ALL "), MATCH_CAP + 1);
        sql = format!("code IN ({keys}) AND {sql}");
        matched_keys = Some(keys);
    }
    let mut param = |clause: String, v: JsValue| {
        values.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", values.len() + 1)));
    };
    if let Some(s) = f.status {
        param(format!(" AND {} = ?", col("status")), JsValue::from_f64(f64::from(s.code())));
    }
    if let Some(p) = &f.procedure {
        param(format!(" AND {} = ?", col("procedure_id")), JsValue::from_str(p));
    }
    if let Some(p) = f.phase {
        param(format!(" AND {} = ?", col("phase")), JsValue::from_str(phase_as_str(p)));
    }
    if let Some(r) = f.queue {
        param(format!(" AND {} = ?", col("queue")), JsValue::from_str(r.as_str()));
    }
    if f.overdue {
        // core's `workflow::step_overdue`, as a condition.
        param(format!(" AND {q} IS NOT NULL AND {} < ?", col("step_due_at"), q = col("queue")), JsValue::from_str(now));
    }
    // The keys alone answer a count when nothing else filters (they are the agency's own).
    let only_typed = f.status.is_none() && f.procedure.is_none() && f.phase.is_none() && f.queue.is_none() && !f.overdue;
    (sql, values, matched_keys.filter(|_| only_typed))
}

#[derive(Deserialize)]
pub struct Count {
    pub n: u32,
}

/// One page of the filter, and the count of matches up to `MATCH_CAP + 1`, as two statements
/// for a read batch. A desk's queue keeps its due order; everything else is newest first.
pub fn page(db: &D1Database, agency: &str, f: &DossierFilter, now: &str) -> ApiResult<[D1PreparedStatement; 2]> {
    let (clause, values, keys) = conditions(f, now);
    let mut bound = vec![JsValue::from_str(agency)];
    bound.extend(values);
    let order = if f.queue.is_some() && f.q.trim().is_empty() { "step_due_at, code" } else { "submitted_at DESC, code DESC" };
    let rows = db
        .prepare(format!(
            "SELECT code, queue, procedure_name, status, channel, step_due_at, due_at, applicant_name FROM dossiers \
             WHERE {clause} ORDER BY {order} LIMIT {PER_PAGE} OFFSET {}",
            f.offset()
        ))
        .bind(&bound)?;
    // Counted from the keys when only something typed filters: no dossier row is read for it.
    let count = match keys {
        Some(keys) => format!("SELECT COUNT(DISTINCT code) AS n FROM ({keys})"),
        None => format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM dossiers WHERE {clause} LIMIT {})", MATCH_CAP + 1),
    };
    let count = db.prepare(count).bind(&bound)?;
    Ok([rows, count])
}

/// Reads the results of `page`.
pub fn read_page(results: &[worker::D1Result]) -> ApiResult<(Vec<QueueRow>, u32)> {
    let rows = results[0].results::<QueueRow>()?;
    let n = results[1].results::<Count>()?.first().map_or(0, |c| c.n);
    Ok((rows, n))
}

/// How many dossiers of the agency were received on the days `[from, to)`: the register's count,
/// a sum over at most a year of days (`register_days`), however many dossiers those days hold.
pub fn register_count(db: &D1Database, agency: &str, from: &str, to: &str) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare("SELECT COALESCE(SUM(n), 0) AS n FROM register_days WHERE agency_code = ?1 AND day >= ?2 AND day < ?3")
        .bind(&[JsValue::from_str(agency), JsValue::from_str(from), JsValue::from_str(to)])?)
}

/// Up to `limit` register lines received in `[from, to)` after `after` (received instant and
/// code of the last line read): pages on screen and the chunks of the CSV export alike.
pub fn register_lines(
    db: &D1Database,
    agency: &str,
    (from, to): (&str, &str),
    after: Option<(&str, &str)>,
    (limit, offset): (u32, u32),
) -> ApiResult<D1PreparedStatement> {
    let columns = super::dossier::ROW_COLUMNS;
    let mut values = vec![JsValue::from_str(agency), JsValue::from_str(from), JsValue::from_str(to)];
    let after_clause = match after {
        Some((at, code)) => {
            values.extend([JsValue::from_str(at), JsValue::from_str(code)]);
            " AND (submitted_at, code) > (?4, ?5)"
        }
        None => "",
    };
    Ok(db
        .prepare(format!(
            "SELECT {columns} FROM dossiers WHERE agency_code = ?1 AND submitted_at >= ?2 AND submitted_at < ?3{after_clause} \
             ORDER BY submitted_at, code LIMIT {limit} OFFSET {offset}"
        ))
        .bind(&values)?)
}

pub async fn register_chunk(db: &D1Database, agency: &str, period: (&str, &str), after: Option<(&str, &str)>, limit: u32) -> ApiResult<Vec<DossierRow>> {
    Ok(register_lines(db, agency, period, after, (limit, 0))?.all().await?.results::<DossierRow>()?)
}

#[derive(Deserialize)]
struct Unkeyed {
    code: String,
    agency_code: String,
    applicant_name: String,
    answers: String,
}

/// The sweep's share: keys for up to `limit` dossiers stored before migration 0018. Returns
/// how many were keyed.
pub async fn key_older(db: &D1Database, limit: u32) -> ApiResult<usize> {
    let rows = db
        .prepare(format!("SELECT code, agency_code, applicant_name, answers FROM dossiers WHERE keyed = 0 LIMIT {limit}"))
        .all()
        .await?
        .results::<Unkeyed>()?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut batch = Vec::with_capacity(rows.len() * 2);
    for r in &rows {
        // A row whose code cannot be read gets no keys but is marked, so no sweep retries it.
        if let Ok(code) = motcua_core::dossier::DossierCode::parse(&r.code) {
            let answers = serde_json::from_str(&r.answers).unwrap_or_default();
            batch.push(write_keys(db, &r.agency_code, &r.code, &search::keys(&code, &r.applicant_name, &answers))?);
        }
        batch.push(db.prepare("UPDATE dossiers SET keyed = 1 WHERE code = ?1").bind(&[JsValue::from_str(&r.code)])?);
    }
    db.batch(batch).await?;
    Ok(rows.len())
}
