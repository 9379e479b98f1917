use motcua_core::rating::{Counters, COLUMNS};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::error::{ApiError, ApiResult};

/// Where a rating is counted.
pub struct Cell<'a> {
    pub month: &'a str,
    pub agency: &'a str,
    pub field: &'a str,
    pub procedure: &'a str,
}

/// Adds `c` to its cell's counters (one upsert).
fn add(db: &D1Database, cell: &Cell<'_>, c: &Counters) -> ApiResult<D1PreparedStatement> {
    let values = c.to_columns();
    let names = COLUMNS.join(", ");
    let params: Vec<String> = (0..COLUMNS.len()).map(|i| format!("?{}", i + 5)).collect();
    let sums: Vec<String> = COLUMNS.iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO rating_counters (month, agency_code, field_id, procedure_id, {names}) VALUES (?1, ?2, ?3, ?4, {}) \
         ON CONFLICT (month, agency_code, field_id, procedure_id) DO UPDATE SET {}",
        params.join(", "),
        sums.join(", ")
    );
    let mut binds = vec![
        JsValue::from_str(cell.month),
        JsValue::from_str(cell.agency),
        JsValue::from_str(cell.field),
        JsValue::from_str(cell.procedure),
    ];
    binds.extend(values.into_iter().map(|v| JsValue::from_f64(f64::from(v))));
    Ok(db.prepare(sql).bind(&binds)?)
}

pub struct NewEvaluation<'a> {
    pub code: &'a str,
    pub at: &'a str,
    pub cell: Cell<'a>,
    pub scores: &'a str,
    pub ease: u8,
    pub overall: u8,
    pub comment: &'a str,
    pub counters: Counters,
    /// (username, role) of the staff who acted on the dossier.
    pub officers: Vec<(String, String)>,
    pub satisfied: bool,
}

/// The evaluation, its counters and its officers in one batch. `false`: the dossier was
/// evaluated already (nothing is written).
pub async fn insert_evaluation(db: &D1Database, e: &NewEvaluation<'_>) -> ApiResult<bool> {
    let mut batch = vec![db
        .prepare(
            "INSERT INTO evaluations (dossier_code, at, month, agency_code, field_id, procedure_id, scores, ease, overall, comment) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(&[
            JsValue::from_str(e.code),
            JsValue::from_str(e.at),
            JsValue::from_str(e.cell.month),
            JsValue::from_str(e.cell.agency),
            JsValue::from_str(e.cell.field),
            JsValue::from_str(e.cell.procedure),
            JsValue::from_str(e.scores),
            JsValue::from_f64(f64::from(e.ease)),
            JsValue::from_f64(f64::from(e.overall)),
            JsValue::from_str(e.comment),
        ])?];
    batch.push(add(db, &e.cell, &e.counters)?);
    for (officer, role) in &e.officers {
        batch.push(
            db.prepare(
                "INSERT OR IGNORE INTO evaluation_officers (dossier_code, agency_code, month, actor, role, satisfied) \
                 VALUES (?1, ?2, ?3, ?4, ?6, ?5)",
            )
            .bind(&[
                JsValue::from_str(e.code),
                JsValue::from_str(e.cell.agency),
                JsValue::from_str(e.cell.month),
                JsValue::from_str(officer),
                JsValue::from_f64(f64::from(u8::from(e.satisfied))),
                JsValue::from_str(role),
            ])?,
        );
    }
    match db.batch(batch).await {
        Ok(_) => Ok(true),
        Err(err) if super::unique_violation(&err, None) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
pub struct EvaluationRow {
    pub at: String,
    pub scores: String,
    pub ease: u8,
    pub overall: u8,
    pub comment: String,
}

pub async fn evaluation(db: &D1Database, code: &str) -> ApiResult<Option<EvaluationRow>> {
    Ok(db
        .prepare("SELECT at, scores, ease, overall, comment FROM evaluations WHERE dossier_code = ?1")
        .bind(&[JsValue::from_str(code)])?
        .first::<EvaluationRow>(None)
        .await?)
}

pub struct NewSurvey<'a> {
    pub at: &'a str,
    pub cell: Cell<'a>,
    pub kiosk: Option<i64>,
    pub dossier: Option<&'a str>,
    pub answers: [bool; 3],
    pub comment: &'a str,
    pub counters: Counters,
}

/// `false`: this dossier's survey was sent already.
pub async fn insert_survey(db: &D1Database, s: &NewSurvey<'_>) -> ApiResult<bool> {
    let insert = db
        .prepare(
            "INSERT INTO surveys (at, month, agency_code, field_id, procedure_id, kiosk_id, dossier_code, simplified, fast, good, comment) \
             VALUES (?1, ?2, ?3, ?10, ?11, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(&[
            JsValue::from_str(s.at),
            JsValue::from_str(s.cell.month),
            JsValue::from_str(s.cell.agency),
            s.kiosk.map_or(JsValue::NULL, |k| JsValue::from_f64(k as f64)),
            s.dossier.map_or(JsValue::NULL, JsValue::from_str),
            JsValue::from_f64(f64::from(u8::from(s.answers[0]))),
            JsValue::from_f64(f64::from(u8::from(s.answers[1]))),
            JsValue::from_f64(f64::from(u8::from(s.answers[2]))),
            JsValue::from_str(s.comment),
            JsValue::from_str(s.cell.field),
            JsValue::from_str(s.cell.procedure),
        ])?;
    match db.batch(vec![insert, add(db, &s.cell, &s.counters)?]).await {
        Ok(_) => Ok(true),
        Err(err) if super::unique_violation(&err, None) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// The counters of months `[from, to]`, optionally of one field or procedure, summed.
pub async fn sum(db: &D1Database, from: &str, to: &str, field: Option<&str>, procedure: Option<&str>) -> ApiResult<Counters> {
    read_sum(&sum_statement(db, from, to, field, procedure)?.all().await?)
}

/// `sum` as a statement for a read batch (`read_sum` reads its answer).
pub fn sum_statement(db: &D1Database, from: &str, to: &str, field: Option<&str>, procedure: Option<&str>) -> ApiResult<D1PreparedStatement> {
    let sums: Vec<String> = COLUMNS.iter().map(|c| format!("COALESCE(SUM({c}), 0) AS {c}")).collect();
    let mut sql = format!("SELECT {} FROM rating_counters WHERE month >= ?1 AND month <= ?2", sums.join(", "));
    let mut binds = vec![JsValue::from_str(from), JsValue::from_str(to)];
    if let Some(f) = field {
        binds.push(JsValue::from_str(f));
        sql += &format!(" AND field_id = ?{}", binds.len());
    }
    if let Some(p) = procedure {
        binds.push(JsValue::from_str(p));
        sql += &format!(" AND procedure_id = ?{}", binds.len());
    }
    Ok(db.prepare(sql).bind(&binds)?)
}

pub fn read_sum(result: &worker::D1Result) -> ApiResult<Counters> {
    counters_of(result.results::<serde_json::Value>()?.first())
}

fn counters_of(row: Option<&serde_json::Value>) -> ApiResult<Counters> {
    let Some(row) = row else { return Ok(Counters::default()) };
    let values: Vec<u32> = COLUMNS.iter().map(|c| row[*c].as_f64().unwrap_or(0.0) as u32).collect();
    Counters::from_columns(&values).ok_or_else(|| ApiError::Internal("rating counters: bad row".into()))
}

#[derive(Deserialize)]
pub struct KioskRow {
    pub id: i64,
    pub agency_code: String,
}

pub async fn kiosk(db: &D1Database, token_hash: &str) -> ApiResult<Option<KioskRow>> {
    Ok(db
        .prepare("SELECT id, agency_code FROM kiosks WHERE token_hash = ?1 AND active = 1")
        .bind(&[JsValue::from_str(token_hash)])?
        .first::<KioskRow>(None)
        .await?)
}

#[derive(Deserialize)]
struct Id {
    id: i64,
}

#[derive(Deserialize)]
pub struct KioskListRow {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub active: i64,
}

pub async fn kiosks(db: &D1Database, agency: &str) -> ApiResult<Vec<KioskListRow>> {
    Ok(db
        .prepare("SELECT id, name, created_at, active FROM kiosks WHERE agency_code = ?1 ORDER BY id DESC LIMIT 200")
        .bind(&[JsValue::from_str(agency)])?
        .all()
        .await?
        .results::<KioskListRow>()?)
}

/// Revokes a kiosk of `agency`: its token is refused from now on. `false` when it has none
/// with this id.
pub async fn revoke_kiosk(db: &D1Database, agency: &str, id: i64) -> ApiResult<bool> {
    let r = db
        .prepare("UPDATE kiosks SET active = 0 WHERE id = ?1 AND agency_code = ?2")
        .bind(&[JsValue::from_f64(id as f64), JsValue::from_str(agency)])?
        .run()
        .await?;
    Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0) == 1)
}

pub async fn enroll_kiosk(db: &D1Database, token_hash: &str, name: &str, agency: &str, now: &str) -> ApiResult<i64> {
    let row = db
        .prepare("INSERT INTO kiosks (token_hash, name, agency_code, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id")
        .bind(&[JsValue::from_str(token_hash), JsValue::from_str(name), JsValue::from_str(agency), JsValue::from_str(now)])?
        .first::<Id>(None)
        .await?;
    row.map(|r| r.id).ok_or_else(|| ApiError::Internal("kiosk insert returned nothing".into()))
}

#[derive(Deserialize)]
pub struct OfficerRow {
    /// The officer's username, or the role (unit) when grouped by unit.
    pub key: String,
    pub name: Option<String>,
    pub evaluations: u32,
    pub satisfied: u32,
    pub dossiers: String,
}

/// Per officer (`by_unit` false) or per unit, i.e. desk role (`by_unit` true), of the agency
/// over months `[from, to]`: the evaluated dossiers they acted on, how many were rated
/// satisfied, and the dossiers behind the numbers.
pub async fn officers(db: &D1Database, agency: &str, from: &str, to: &str, by_unit: bool) -> ApiResult<Vec<OfficerRow>> {
    let key = if by_unit { "o.role" } else { "o.actor" };
    let name = if by_unit { "NULL" } else { "MAX(s.name)" };
    Ok(db
        .prepare(format!(
            "SELECT {key} AS key, {name} AS name, COUNT(DISTINCT o.dossier_code) AS evaluations, \
             COUNT(DISTINCT CASE WHEN o.satisfied = 1 THEN o.dossier_code END) AS satisfied, \
             GROUP_CONCAT(DISTINCT o.dossier_code) AS dossiers \
             FROM evaluation_officers o LEFT JOIN staff s ON s.username = o.actor \
             WHERE o.agency_code = ?1 AND o.month >= ?2 AND o.month <= ?3 GROUP BY {key} ORDER BY {key}"
        ))
        .bind(&[JsValue::from_str(agency), JsValue::from_str(from), JsValue::from_str(to)])?
        .all()
        .await?
        .results::<OfficerRow>()?)
}

#[derive(Deserialize)]
pub struct RawEvaluation {
    pub month: String,
    pub agency_code: String,
    pub field_id: String,
    pub procedure_id: String,
    pub scores: String,
    pub ease: u8,
    pub overall: u8,
}

#[derive(Deserialize)]
pub struct RawSurvey {
    pub month: String,
    pub agency_code: String,
    pub field_id: String,
    pub procedure_id: String,
    pub simplified: u8,
    pub fast: u8,
    pub good: u8,
}

/// Every raw row, for the consistency check (a deliberate full read: the check is the one
/// place that recounts).
pub async fn raw(db: &D1Database) -> ApiResult<(Vec<RawEvaluation>, Vec<RawSurvey>, Vec<(String, Counters)>)> {
    let evaluations = db
        .prepare("SELECT month, agency_code, field_id, procedure_id, scores, ease, overall FROM evaluations")
        .all()
        .await?
        .results::<RawEvaluation>()?;
    let surveys = db
        .prepare(
            "SELECT month, agency_code, field_id, procedure_id, simplified, fast, good FROM surveys",
        )
        .all()
        .await?
        .results::<RawSurvey>()?;
    let names = COLUMNS.join(", ");
    let rows = db
        .prepare(format!("SELECT month, agency_code, field_id, procedure_id, {names} FROM rating_counters"))
        .all()
        .await?
        .results::<serde_json::Value>()?;
    let counters = rows
        .iter()
        .map(|r| {
            let key = format!(
                "{}|{}|{}|{}",
                r["month"].as_str().unwrap_or_default(),
                r["agency_code"].as_str().unwrap_or_default(),
                r["field_id"].as_str().unwrap_or_default(),
                r["procedure_id"].as_str().unwrap_or_default()
            );
            Ok((key, counters_of(Some(r))?))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok((evaluations, surveys, counters))
}
