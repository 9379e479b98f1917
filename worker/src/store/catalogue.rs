use motcua_core::catalogue::{Agency, Field, OnlineLevel, Procedure, ProcedureCode, ProcedureSummary, SearchPage};
use motcua_core::kpi::CatalogueKpis;
use motcua_core::query::{ProcedureQuery, PER_PAGE};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::error::{ApiError, ApiResult};

const SUMMARY_COLUMNS: &str = "p.id, p.code, p.name, p.field_id, p.field_name, p.agency_code, \
     p.agency_name, p.online, p.days_in_person, p.calendar_days, p.delegated";

#[derive(Deserialize)]
struct SummaryRow {
    id: String,
    code: Option<ProcedureCode>,
    name: String,
    field_id: String,
    field_name: String,
    agency_code: String,
    agency_name: String,
    online: Option<OnlineLevel>,
    days_in_person: Option<u16>,
    calendar_days: u8,
    delegated: u8,
}

impl From<SummaryRow> for ProcedureSummary {
    fn from(r: SummaryRow) -> Self {
        ProcedureSummary {
            id: r.id,
            code: r.code,
            name: r.name,
            field: r.field_id,
            field_name: r.field_name,
            agency: r.agency_code,
            agency_name: r.agency_name,
            online: r.online,
            days_in_person: r.days_in_person,
            calendar_days: r.calendar_days != 0,
            delegated: r.delegated != 0,
        }
    }
}

#[derive(Deserialize)]
struct CountRow {
    total: u32,
}

#[derive(Deserialize)]
struct RecordRow {
    record: String,
}

#[derive(Deserialize)]
struct ValueRow {
    value: String,
}

/// The WHERE clause of a search and its bound values, in `?N` order.
fn filters(query: &ProcedureQuery) -> (String, Vec<JsValue>) {
    let mut clauses = Vec::new();
    let mut args: Vec<JsValue> = Vec::new();
    let bind = |v: &str, args: &mut Vec<JsValue>| {
        args.push(JsValue::from_str(v));
        format!("?{}", args.len())
    };
    if let Some(fts) = query.fts() {
        clauses.push(format!("procedures_fts MATCH {}", bind(&fts.as_str(), &mut args)));
    }
    if let Some(field) = &query.field {
        clauses.push(format!("p.field_id = {}", bind(field, &mut args)));
    }
    if let Some(agency) = &query.agency {
        clauses.push(format!("p.agency_code = {}", bind(agency, &mut args)));
    }
    if let Some(level) = query.level {
        let placeholders: Vec<String> = level.levels().iter().map(|l| bind(l.as_str(), &mut args)).collect();
        clauses.push(format!("p.online IN ({})", placeholders.join(", ")));
    }
    if let Some(d) = query.delegated {
        clauses.push(format!("p.delegated = {}", u8::from(d)));
    }
    let sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    (sql, args)
}

pub async fn search(db: &D1Database, query: &ProcedureQuery) -> ApiResult<SearchPage> {
    let (where_sql, args) = filters(query);
    let from = "procedures_fts JOIN procedures p ON p.rowid = procedures_fts.rowid";
    // With text: records whose name holds every word first (one more FTS lookup, evaluated
    // once), then bm25 with the name weighing most. Without text, a stable order by key.
    let (from, order, list_args) = match query.fts() {
        Some(fts) => {
            // Tiers: the words as a phrase in the name, then all words in the name, then the
            // rest; within a tier bm25 (each tier one FTS lookup, evaluated once).
            let mut list_args = args.clone();
            list_args.push(JsValue::from_str(&fts.phrase_in_column("name")));
            list_args.push(JsValue::from_str(&fts.in_column("name")));
            let n = list_args.len();
            let order = format!(
                "p.rowid NOT IN (SELECT rowid FROM procedures_fts WHERE procedures_fts MATCH ?{}), \
                 p.rowid NOT IN (SELECT rowid FROM procedures_fts WHERE procedures_fts MATCH ?{n}), \
                 bm25(procedures_fts, 10.0, 8.0, 1.0), p.id",
                n - 1
            );
            (from, order, list_args)
        }
        None => ("procedures p", "p.id".to_owned(), args.clone()),
    };
    let list = db
        .prepare(format!(
            "SELECT {SUMMARY_COLUMNS} FROM {from} {where_sql} ORDER BY {order} LIMIT {PER_PAGE} OFFSET {}",
            query.offset()
        ))
        .bind(&list_args)?;
    let count = db.prepare(format!("SELECT COUNT(*) AS total FROM {from} {where_sql}")).bind(&args)?;
    let rows: Vec<SummaryRow> = list.all().await?.results()?;
    // Unfiltered, the total is the catalogue's, kept with the indicators: no count over rows.
    let total = if where_sql.is_empty() {
        kpis(db).await?.total
    } else {
        count.first::<CountRow>(None).await?.map_or(0, |r| r.total)
    };
    Ok(SearchPage { items: rows.into_iter().map(Into::into).collect(), total, page: query.page, per_page: PER_PAGE })
}

pub async fn procedure(db: &D1Database, id: &str) -> ApiResult<Option<Procedure>> {
    let row = db
        .prepare("SELECT record FROM procedures WHERE id = ?1")
        .bind(&[JsValue::from_str(id)])?
        .first::<RecordRow>(None)
        .await?;
    row.map(|r| serde_json::from_str(&r.record).map_err(|e| ApiError::Internal(format!("procedure {id}: {e}"))))
        .transpose()
}

#[derive(Deserialize)]
struct FieldRow {
    id: String,
    name: String,
    procedures: u32,
}

pub async fn fields(db: &D1Database) -> ApiResult<Vec<Field>> {
    let rows: Vec<FieldRow> = db.prepare("SELECT id, name, procedures FROM fields ORDER BY name").all().await?.results()?;
    Ok(rows.into_iter().map(|r| Field { id: r.id, name: r.name, procedures: r.procedures }).collect())
}

#[derive(Deserialize)]
struct AgencyRow {
    code: String,
    name: String,
    procedures: u32,
}

pub async fn agencies(db: &D1Database) -> ApiResult<Vec<Agency>> {
    let rows: Vec<AgencyRow> = db.prepare("SELECT code, name, procedures FROM agencies ORDER BY name").all().await?.results()?;
    Ok(rows.into_iter().map(|r| Agency { code: r.code, name: r.name, procedures: r.procedures }).collect())
}

/// Computed by core when the catalogue is loaded; an empty catalogue has empty indicators.
pub async fn kpis(db: &D1Database) -> ApiResult<CatalogueKpis> {
    let row = db
        .prepare("SELECT value FROM aggregates WHERE key = 'catalogue_kpis'")
        .first::<ValueRow>(None)
        .await?;
    match row {
        Some(r) => serde_json::from_str(&r.value).map_err(|e| ApiError::Internal(format!("catalogue_kpis: {e}"))),
        None => Ok(CatalogueKpis::from_counts(Default::default(), 0)),
    }
}
