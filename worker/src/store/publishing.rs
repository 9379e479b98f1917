//! Publishing the catalogue (migration 0010): every version a new row with its search entry,
//! written with the generation bump that retires the cached counts; never an update.

use std::collections::BTreeMap;

use motcua_core::catalogue::version::VersionMeta;
use motcua_core::catalogue::Procedure;
use motcua_core::date::to_iso;
use motcua_core::form::Section;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use super::catalogue::bump;
use crate::error::{ApiError, ApiResult};

/// The highest version of every procedure (one pass over the (id, …) index).
pub async fn latest_versions(db: &D1Database) -> ApiResult<BTreeMap<String, u32>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        version: u32,
    }
    let rows: Vec<Row> = db.prepare("SELECT id, MAX(version) AS version FROM procedures GROUP BY id").all().await?.results()?;
    Ok(rows.into_iter().map(|r| (r.id, r.version)).collect())
}

/// A new version: the row, its search entry and the generation bump in one batch. The next
/// version number comes from the caller; if another publication took it first, the unique
/// (id, version) index refuses this one and nothing is written.
pub async fn publish(db: &D1Database, item: Item, published_at: &str, by: &str) -> ApiResult<()> {
    publish_all(db, &[item], published_at, by, Vec::new()).await
}

/// One version to write: the record, what the version is, and its own form pages.
pub type Item = (Procedure, VersionMeta, Vec<Section>);

/// Several versions in one batch (an import, a merge with `also` marking the agency): all are
/// written or none.
pub async fn publish_all(
    db: &D1Database,
    items: &[Item],
    published_at: &str,
    by: &str,
    also: Vec<worker::D1PreparedStatement>,
) -> ApiResult<()> {
    let mut batch = also;
    for (p, meta, form) in items {
        batch.extend(version_statements(db, p, meta, form, published_at, by)?);
    }
    batch.push(bump(db));
    match db.batch(batch).await {
        Ok(_) => Ok(()),
        Err(e) if super::unique_violation(&e, None) => Err(ApiError::ConflictWith("Thủ tục vừa được người khác công bố phiên bản mới. Vui lòng tải lại.")),
        Err(e) => Err(e.into()),
    }
}

fn version_statements(
    db: &D1Database,
    p: &Procedure,
    meta: &VersionMeta,
    form: &[Section],
    published_at: &str,
    by: &str,
) -> ApiResult<[worker::D1PreparedStatement; 2]> {
    let form = serde_json::to_string(form).map_err(|e| ApiError::Internal(e.to_string()))?;
    let s = p.summary();
    let record = serde_json::to_string(p).map_err(|e| ApiError::Internal(e.to_string()))?;
    let opt = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from_str);
    let num = |v: Option<u16>| v.map_or(JsValue::NULL, |d| JsValue::from_f64(f64::from(d)));
    let version = JsValue::from_f64(f64::from(meta.version));
    let insert = db
        .prepare(
            "INSERT INTO procedures (id, version, effective_from, repealed, decision, published_at, published_by, code, name, \
             field_id, field_name, agency_code, agency_name, online, days_in_person, calendar_days, delegated, record, form) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        )
        .bind(&[
            JsValue::from_str(&s.id),
            version.clone(),
            JsValue::from_str(&meta.effective_from.map(to_iso).unwrap_or_default()),
            JsValue::from_f64(f64::from(u8::from(meta.repealed))),
            JsValue::from_str(&meta.decision),
            JsValue::from_str(published_at),
            JsValue::from_str(by),
            opt(s.code.as_ref().map(|c| c.as_str())),
            JsValue::from_str(&s.name),
            JsValue::from_str(&s.field),
            JsValue::from_str(&s.field_name),
            JsValue::from_str(&s.agency),
            JsValue::from_str(&s.agency_name),
            opt(s.online.map(|l| l.as_str())),
            num(s.days_in_person),
            JsValue::from_f64(f64::from(u8::from(s.calendar_days))),
            JsValue::from_f64(f64::from(u8::from(s.delegated))),
            JsValue::from_str(&record),
            JsValue::from_str(&form),
        ])?;
    let [name, code, body] = p.search_columns();
    let fts = db
        .prepare(
            "INSERT INTO procedures_fts (rowid, name, code, body) \
             SELECT rowid, ?1, ?2, ?3 FROM procedures WHERE id = ?4 AND version = ?5",
        )
        .bind(&[JsValue::from_str(&name), JsValue::from_str(&code), JsValue::from_str(&body), JsValue::from_str(&s.id), version])?;
    Ok([insert, fts])
}

