use motcua_core::stats::{StatCounters, STAT_COLUMNS};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

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
    pub from: &'a str,
    pub to: &'a str,
    pub agency: Option<&'a str>,
    pub field: Option<&'a str>,
    pub procedure: Option<&'a str>,
}

impl Filter<'_> {
    fn clause(&self) -> (String, Vec<JsValue>) {
        let mut sql = "day >= ?1 AND day <= ?2".to_owned();
        let mut binds = vec![JsValue::from_str(self.from), JsValue::from_str(self.to)];
        for (col, v) in [("agency_code", self.agency), ("field_id", self.field), ("procedure_id", self.procedure)] {
            if let Some(v) = v {
                binds.push(JsValue::from_str(v));
                sql += &format!(" AND {col} = ?{}", binds.len());
            }
        }
        (sql, binds)
    }
}

fn counters(row: &serde_json::Value) -> StatCounters {
    StatCounters::from_columns(STAT_COLUMNS.map(|c| row[c].as_f64().unwrap_or(0.0) as u32))
}

/// Sums over the filter, grouped by `group` (an SQL expression) when given.
pub async fn sums(db: &D1Database, f: &Filter<'_>, group: Option<&str>) -> ApiResult<Vec<(String, StatCounters)>> {
    let (clause, binds) = f.clause();
    let cols: Vec<String> = STAT_COLUMNS.iter().map(|c| format!("COALESCE(SUM({c}), 0) AS {c}")).collect();
    let sql = match group {
        Some(g) => format!("SELECT {g} AS k, {} FROM stat_counters WHERE {clause} GROUP BY k ORDER BY k", cols.join(", ")),
        None => format!("SELECT '' AS k, {} FROM stat_counters WHERE {clause}", cols.join(", ")),
    };
    let rows = db.prepare(sql).bind(&binds)?.all().await?.results::<serde_json::Value>()?;
    Ok(rows.iter().map(|r| (r["k"].as_str().unwrap_or_default().to_owned(), counters(r))).collect())
}

#[derive(Deserialize)]
struct Pending {
    within: Option<f64>,
    overdue: Option<f64>,
}

/// Dossiers received and not yet resolved, now: within their due instant, and past it.
pub async fn pending(db: &D1Database, now: &str, agency: Option<&str>, procedure: Option<&str>) -> ApiResult<(u32, u32)> {
    let mut sql = "SELECT SUM(due_at >= ?1) AS within, SUM(due_at < ?1) AS overdue FROM dossiers WHERE status IN (2, 4, 5)".to_owned();
    let mut binds = vec![JsValue::from_str(now)];
    for (col, v) in [("agency_code", agency), ("procedure_id", procedure)] {
        if let Some(v) = v {
            binds.push(JsValue::from_str(v));
            sql += &format!(" AND {col} = ?{}", binds.len());
        }
    }
    let row = db.prepare(sql).bind(&binds)?.first::<Pending>(None).await?;
    Ok(row.map_or((0, 0), |r| (r.within.unwrap_or(0.0) as u32, r.overdue.unwrap_or(0.0) as u32)))
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

/// Every event that counts, with its dossier's cell: the raw history the check recounts.
pub async fn counted_events(db: &D1Database) -> ApiResult<Vec<CountedEvent>> {
    Ok(db
        .prepare(
            "SELECT substr(e.at, 1, 10) AS day, d.agency_code, d.field_id, d.procedure_id, e.action, e.timeliness \
             FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code \
             WHERE e.action IN ('accept', 'register_walk_in', 'record_result', 'refuse')",
        )
        .all()
        .await?
        .results::<CountedEvent>()?)
}

/// Every stored cell, keyed "day|agency|field|procedure".
pub async fn cells(db: &D1Database) -> ApiResult<Vec<(String, StatCounters)>> {
    let rows = db
        .prepare(format!("SELECT day, agency_code, field_id, procedure_id, {} FROM stat_counters", STAT_COLUMNS.join(", ")))
        .all()
        .await?
        .results::<serde_json::Value>()?;
    Ok(rows
        .iter()
        .map(|r| {
            let k = ["day", "agency_code", "field_id", "procedure_id"].map(|c| r[c].as_str().unwrap_or_default().to_owned()).join("|");
            (k, counters(r))
        })
        .collect())
}
