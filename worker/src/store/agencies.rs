//! The province's agencies: created with their first admin, renamed, merged (migration 0012).
//! Each change bumps the catalogue generation: pages show the new names at once.

use chrono::NaiveDate;
use motcua_core::catalogue::agency::AgencyAdmin;
use motcua_core::date::{parse_iso, to_iso};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use super::catalogue::bump;
use crate::error::ApiResult;

#[derive(Deserialize)]
struct AgencyAdminRow {
    code: String,
    name: String,
    merged_into: Option<String>,
    merged_on: Option<String>,
}

impl From<AgencyAdminRow> for AgencyAdmin {
    fn from(r: AgencyAdminRow) -> Self {
        AgencyAdmin { code: r.code, name: r.name, merged_into: r.merged_into, merged_on: r.merged_on.as_deref().and_then(parse_iso) }
    }
}

/// An agency by code, with its merge if it has one.
pub async fn agency(db: &D1Database, code: &str) -> ApiResult<Option<AgencyAdmin>> {
    let row = db
        .prepare("SELECT code, name, merged_into, merged_on FROM agencies WHERE code = ?1")
        .bind(&[JsValue::from_str(code)])?
        .first::<AgencyAdminRow>(None)
        .await?;
    Ok(row.map(Into::into))
}

pub async fn agencies_admin(db: &D1Database) -> ApiResult<Vec<AgencyAdmin>> {
    let rows: Vec<AgencyAdminRow> =
        db.prepare("SELECT code, name, merged_into, merged_on FROM agencies ORDER BY code").all().await?.results()?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A new agency and its first account in one batch; `false` when the code or the user name
/// is taken (then neither is written).
pub async fn create_agency(db: &D1Database, code: &str, name: &str, first_admin: worker::D1PreparedStatement) -> ApiResult<bool> {
    let agency = db
        .prepare("INSERT INTO agencies (code, name) VALUES (?1, ?2)")
        .bind(&[JsValue::from_str(code), JsValue::from_str(name)])?;
    match db.batch(vec![agency, first_admin, bump(db)]).await {
        Ok(_) => Ok(true),
        Err(e) if super::unique_violation(&e, None) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Renames an agency: pages and search show the new name at once (they read it from here);
/// records already published keep the name they were published with.
pub async fn rename_agency(db: &D1Database, code: &str, name: &str) -> ApiResult<()> {
    let rename = db
        .prepare("UPDATE agencies SET name = ?2 WHERE code = ?1")
        .bind(&[JsValue::from_str(code), JsValue::from_str(name)])?;
    db.batch(vec![rename, bump(db)]).await?;
    Ok(())
}

/// The statement marking `from` as merged into `into` from `on` (for `publish_all`'s batch).
pub fn merge_statement(db: &D1Database, from: &str, into: &str, on: NaiveDate) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare("UPDATE agencies SET merged_into = ?2, merged_on = ?3 WHERE code = ?1 AND merged_into IS NULL")
        .bind(&[JsValue::from_str(from), JsValue::from_str(into), JsValue::from_str(&to_iso(on))])?)
}

