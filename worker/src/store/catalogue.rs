//! The versioned catalogue (migration 0010): search and pages on a day, versions (publishing
//! them is `publishing.rs`, the agencies `agencies.rs`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use motcua_core::catalogue::version::{diff, in_force, VersionEntry, VersionMeta};
use motcua_core::catalogue::{Agency, Field, OnlineLevel, Procedure, ProcedureCode, ProcedureSummary, SearchPage};
use motcua_core::date::{parse_iso, to_iso};
use motcua_core::form::Section;
use motcua_core::kpi::CatalogueKpis;
use motcua_core::query::{ProcedureQuery, PER_PAGE};
use serde::{Deserialize, Serialize};
use worker::kv::KvStore;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::error::{ApiError, ApiResult};

// The agency's name as it is now (a renamed agency shows its new name everywhere at once).
const SUMMARY_COLUMNS: &str = "p.id, p.code, p.name, p.field_id, p.field_name, p.agency_code, \
     (SELECT a.name FROM agencies a WHERE a.code = p.agency_code) AS agency_name, p.online, p.days_in_person, \
     p.calendar_days, p.delegated, json_extract(p.record, '$.english.name') AS name_en";

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
    name_en: Option<String>,
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
            name_en: r.name_en,
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

fn parse_record(id: &str, record: &str) -> ApiResult<Procedure> {
    serde_json::from_str(record).map_err(|e| ApiError::Internal(format!("procedure {id}: {e}")))
}

/// The rows in force on the day bound as `?1`: core::catalogue::version::in_force in SQL (the
/// latest effective date not after the day, then the highest version), one index range per
/// procedure. Repealed procedures leave search.
const IN_FORCE: &str = "p.repealed = 0 AND p.version = (SELECT v.version FROM procedures v WHERE v.id = p.id \
     AND v.effective_from <= ?1 ORDER BY v.effective_from DESC, v.version DESC LIMIT 1)";

/// The WHERE clause of a search on `day` and its bound values, in `?N` order.
fn filters(query: &ProcedureQuery, day: NaiveDate) -> (String, Vec<JsValue>) {
    let mut clauses = vec![IN_FORCE.to_owned()];
    let mut args: Vec<JsValue> = vec![JsValue::from_str(&to_iso(day))];
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
    (format!("WHERE {}", clauses.join(" AND ")), args)
}

pub async fn search(db: &D1Database, kv: &KvStore, query: &ProcedureQuery, day: NaiveDate) -> ApiResult<SearchPage> {
    let (where_sql, args) = filters(query, day);
    let unfiltered = args.len() == 1;
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
    // One round trip for the page and its total. Unfiltered, the total is the catalogue's, kept
    // with the indicators: no count over rows.
    let (rows, total): (Vec<SummaryRow>, u32) = if unfiltered {
        let reads = db.batch(vec![list, generation(db)]).await?;
        (reads[0].results()?, facets_of(db, kv, &read_generation(&reads[1])?, day).await?.kpis.total)
    } else {
        let count = db.prepare(format!("SELECT COUNT(*) AS total FROM {from} {where_sql}")).bind(&args)?;
        let reads = db.batch(vec![list, count]).await?;
        (reads[0].results()?, reads[1].results::<CountRow>()?.first().map_or(0, |r| r.total))
    };
    Ok(SearchPage { items: rows.into_iter().map(Into::into).collect(), total, page: query.page, per_page: PER_PAGE })
}

#[derive(Deserialize)]
struct VersionRow {
    version: u32,
    effective_from: String,
    decision: String,
    repealed: u8,
}

impl From<VersionRow> for VersionMeta {
    fn from(r: VersionRow) -> Self {
        VersionMeta {
            version: r.version,
            // '' where the loaded catalogue states no date: in force since before the system.
            effective_from: parse_iso(&r.effective_from),
            decision: r.decision,
            repealed: r.repealed != 0,
        }
    }
}

/// Every version of a procedure, in effective order (one index range).
pub async fn versions(db: &D1Database, id: &str) -> ApiResult<Vec<VersionMeta>> {
    let rows: Vec<VersionRow> = db
        .prepare(
            "SELECT version, effective_from, decision, repealed FROM procedures WHERE id = ?1 \
             ORDER BY effective_from, version",
        )
        .bind(&[JsValue::from_str(id)])?
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The record of one version: the one a dossier was received under.
pub async fn record(db: &D1Database, id: &str, version: u32) -> ApiResult<Option<Procedure>> {
    let row = db
        .prepare("SELECT record FROM procedures WHERE id = ?1 AND version = ?2")
        .bind(&[JsValue::from_str(id), JsValue::from_f64(f64::from(version))])?
        .first::<RecordRow>(None)
        .await?;
    row.map(|r| parse_record(id, &r.record)).transpose()
}

#[derive(Deserialize)]
struct FormRow {
    id: String,
    form: String,
}

fn parse_form(id: &str, form: &str) -> ApiResult<Vec<Section>> {
    serde_json::from_str(form).map_err(|e| ApiError::Internal(format!("form of {id}: {e}")))
}

/// A version's own form pages.
pub async fn form(db: &D1Database, id: &str, version: u32) -> ApiResult<Vec<Section>> {
    let row = db
        .prepare("SELECT id, form FROM procedures WHERE id = ?1 AND version = ?2")
        .bind(&[JsValue::from_str(id), JsValue::from_f64(f64::from(version))])?
        .first::<FormRow>(None)
        .await?;
    row.map_or(Ok(Vec::new()), |r| parse_form(&r.id, &r.form))
}

/// The form pages of every procedure in force on `day` (an import or a merge keeps them).
pub async fn in_force_forms(db: &D1Database, day: NaiveDate) -> ApiResult<BTreeMap<String, Vec<Section>>> {
    let rows: Vec<FormRow> = db
        .prepare(format!("SELECT p.id, p.form FROM procedures p WHERE {IN_FORCE}"))
        .bind(&[JsValue::from_str(&to_iso(day))])?
        .all()
        .await?
        .results()?;
    rows.iter().map(|r| Ok((r.id.clone(), parse_form(&r.id, &r.form)?))).collect()
}

/// The version of a procedure in force on a day, with its record and form pages (a read batch's
/// answer to `in_force`).
#[derive(Deserialize)]
pub struct InForceRow {
    version: u32,
    effective_from: String,
    decision: String,
    repealed: u8,
    record: String,
    form: String,
    agency_name: Option<String>,
    last_sequence: Option<u32>,
}

impl InForceRow {
    /// The last dossier number the procedure's agency gave on the day read (0: none yet).
    pub fn last_sequence(&self) -> u32 {
        self.last_sequence.unwrap_or(0)
    }

    pub fn parse(self, id: &str) -> ApiResult<(VersionMeta, Procedure, Vec<Section>)> {
        let mut p = parse_record(id, &self.record)?;
        if let Some(name) = self.agency_name {
            p.agency_name = name;
        }
        let form = parse_form(id, &self.form)?;
        let meta = VersionRow { version: self.version, effective_from: self.effective_from, decision: self.decision, repealed: self.repealed }.into();
        Ok((meta, p, form))
    }
}

/// The version of `id` in force on `day` (none once repealed), with its record, form, agency's
/// name and the agency's last dossier number of `day`: what a submission reads, as a statement
/// for a read batch.
pub fn version_in_force(db: &D1Database, id: &str, day: NaiveDate) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare(format!(
            "SELECT p.version, p.effective_from, p.decision, p.repealed, p.record, p.form, \
             (SELECT a.name FROM agencies a WHERE a.code = p.agency_code) AS agency_name, \
             (SELECT q.last FROM dossier_sequences q WHERE q.agency_code = p.agency_code AND q.day = ?1) AS last_sequence \
             FROM procedures p WHERE p.id = ?2 AND {IN_FORCE}"
        ))
        .bind(&[JsValue::from_str(&to_iso(day)), JsValue::from_str(id)])?)
}

/// The record a dossier was received under, as a statement for a read batch.
pub fn record_of_dossier(db: &D1Database, code: &str) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare("SELECT p.record, p.form FROM procedures p JOIN dossiers d ON p.id = d.procedure_id AND p.version = d.procedure_version WHERE d.code = ?1")
        .bind(&[JsValue::from_str(code)])?)
}

/// A read batch's answer to `record_of_dossier`.
#[derive(Deserialize)]
pub struct RecordFormRow {
    record: String,
    form: String,
}

impl RecordFormRow {
    pub fn parse(&self, id: &str) -> ApiResult<(Procedure, Vec<Section>)> {
        Ok((parse_record(id, &self.record)?, parse_form(id, &self.form)?))
    }
}

/// The version in force on `day` and its record (for a repealed procedure, the repeal and the
/// last record in force).
pub async fn procedure_at(db: &D1Database, id: &str, day: NaiveDate) -> ApiResult<Option<(VersionMeta, Procedure)>> {
    let all = versions(db, id).await?;
    let Some(meta) = in_force(&all, day).cloned() else { return Ok(None) };
    let mut p = record(db, id, meta.version).await?.ok_or_else(|| ApiError::Internal(format!("procedure {id} v{}", meta.version)))?;
    if let Some(a) = super::agencies::agency(db, &p.agency).await? {
        p.agency_name = a.name;
    }
    Ok(Some((meta, p)))
}

/// The public history on `day`: every version that has taken effect, newest first, each with
/// what it changed against the one before (a version replaced the same day it took effect is
/// listed too: it was public for a while).
/// Also answers the version in force with its record (the page needs both: one query).
pub async fn history(db: &D1Database, id: &str, day: NaiveDate) -> ApiResult<(Vec<VersionEntry>, Option<(VersionMeta, Procedure)>)> {
    let rows: Vec<VersionRecordRow> = db
        .prepare(
            "SELECT version, effective_from, decision, repealed, record, \
             (SELECT a.name FROM agencies a WHERE a.code = procedures.agency_code) AS agency_name \
             FROM procedures WHERE id = ?1 AND effective_from <= ?2 ORDER BY effective_from, version",
        )
        .bind(&[JsValue::from_str(id), JsValue::from_str(&to_iso(day))])?
        .all()
        .await?
        .results()?;
    let mut entries: Vec<VersionEntry> = Vec::new();
    let mut records: Vec<Procedure> = Vec::new();
    let mut agency_names: Vec<Option<String>> = Vec::new();
    for row in rows {
        let p = parse_record(id, &row.record)?;
        agency_names.push(row.agency_name);
        let changes = records.last().map(|before| diff(before, &p)).unwrap_or_default();
        entries.push(VersionEntry {
            meta: VersionRow { version: row.version, effective_from: row.effective_from, decision: row.decision, repealed: row.repealed }
                .into(),
            changes,
        });
        records.push(p);
    }
    let metas: Vec<VersionMeta> = entries.iter().map(|e| e.meta.clone()).collect();
    // The version in force shows its agency's name of today (the stored records keep the name
    // they were published with, which the history's changes compare).
    let current = in_force(&metas, day).and_then(|m| {
        let i = metas.iter().position(|x| x.version == m.version)?;
        let mut p = records.swap_remove(i);
        if let Some(name) = agency_names.swap_remove(i) {
            p.agency_name = name;
        }
        Some((m.clone(), p))
    });
    entries.reverse();
    Ok((entries, current))
}

#[derive(Deserialize)]
struct VersionRecordRow {
    version: u32,
    effective_from: String,
    decision: String,
    repealed: u8,
    record: String,
    agency_name: Option<String>,
}

/// Counts over the catalogue in force on a day: fields, agencies, indicators.
#[derive(Serialize, Deserialize)]
pub struct Facets {
    pub fields: Vec<Field>,
    pub agencies: Vec<Agency>,
    pub kpis: CatalogueKpis,
}

#[derive(Deserialize)]
struct AgencyRow {
    code: String,
    name: String,
}

/// The catalogue's generation (what `facets_of` keys its copies by), as a statement for a read
/// batch (`read_generation`).
pub fn generation(db: &D1Database) -> D1PreparedStatement {
    db.prepare("SELECT value FROM aggregates WHERE key = 'catalogue_generation'")
}

pub fn read_generation(result: &worker::D1Result) -> ApiResult<String> {
    Ok(result.results::<ValueRow>()?.into_iter().next().map(|r| r.value).unwrap_or_default())
}

pub async fn facets(db: &D1Database, kv: &KvStore, day: NaiveDate) -> ApiResult<Facets> {
    let generation = read_generation(&generation(db).all().await?)?;
    facets_of(db, kv, &generation, day).await
}

/// The counts need every record in force, so they are computed once per day and catalogue
/// generation and kept in KV; a publication bumps the generation, which retires every copy.
pub async fn facets_of(db: &D1Database, kv: &KvStore, generation: &str, day: NaiveDate) -> ApiResult<Facets> {
    let key = format!("catalogue/{generation}/{}/facets", to_iso(day));
    if let Some(f) = kv.get(&key).json::<Facets>().await? {
        return Ok(f);
    }
    let procedures = in_force_records(db, day).await?;
    let mut fields: BTreeMap<&str, Field> = BTreeMap::new();
    let mut per_agency: BTreeMap<&str, u32> = BTreeMap::new();
    for p in &procedures {
        fields.entry(&p.field).or_insert_with(|| Field { id: p.field.clone(), name: p.field_name.clone(), procedures: 0 }).procedures += 1;
        *per_agency.entry(&p.agency).or_default() += 1;
    }
    let agencies: Vec<AgencyRow> = db
        .prepare("SELECT code, name FROM agencies WHERE merged_on IS NULL OR merged_on > ?1 ORDER BY name")
        .bind(&[JsValue::from_str(&to_iso(day))])?
        .all()
        .await?
        .results()?;
    let mut fields: Vec<Field> = fields.into_values().collect();
    fields.sort_by(|a, b| a.name.cmp(&b.name));
    let facets = Facets {
        agencies: agencies
            .into_iter()
            .map(|a| Agency { procedures: per_agency.get(a.code.as_str()).copied().unwrap_or(0), code: a.code, name: a.name })
            .collect(),
        fields,
        kpis: CatalogueKpis::from_procedures(&procedures),
    };
    let text = serde_json::to_string(&facets).map_err(|e| ApiError::Internal(e.to_string()))?;
    kv.put(&key, text)?.expiration_ttl(2 * 86400).execute().await?;
    Ok(facets)
}

/// Every record in force on `day` (repealed ones left out): the counts and an import compare
/// against them. A scan of the catalogue, for work done once per day or by an admin.
pub async fn in_force_records(db: &D1Database, day: NaiveDate) -> ApiResult<Vec<Procedure>> {
    let rows: Vec<RecordRow> = db
        .prepare(format!("SELECT p.record FROM procedures p WHERE {IN_FORCE}"))
        .bind(&[JsValue::from_str(&to_iso(day))])?
        .all()
        .await?
        .results()?;
    rows.iter().map(|r| parse_record("in force", &r.record)).collect()
}

/// The catalogue generation goes up with every change of the catalogue or an agency: the
/// cached counts and facets of the day are read again.
pub(super) fn bump(db: &D1Database) -> worker::D1PreparedStatement {
    db.prepare("UPDATE aggregates SET value = CAST(value AS INTEGER) + 1 WHERE key = 'catalogue_generation'")
}
