//! Agency administration: the province's administrator lists, creates (with a first admin)
//! and merges agencies; an agency's own admin renames it. A merge
//! moves the procedures in force as new versions under the decision; dossiers already received
//! keep their agency (its code is in their code) and their history.

use motcua_core::catalogue::agency::{moved, Merge, NewAgency, Rename};
use motcua_core::catalogue::import::ImportLine;
use motcua_core::catalogue::version::{diff, VersionMeta};
use motcua_core::date::to_iso_datetime;
use motcua_core::accounts::{password, roles_to_text, Role, Staff};
use worker::{Request, Response};

use super::{Cx, json, random_bytes, read_json};
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::accounts::NewStaff;

fn not_found() -> ApiError {
    ApiError::NotFound("Không có cơ quan với mã này.")
}

pub async fn list(cx: &Cx<'_>) -> ApiResult<Response> {
    json(&store::agencies::agencies_admin(&cx.db).await?, None)
}

/// A new agency with its first admin account (who then creates the agency's other accounts).
pub async fn create(req: &mut Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let new: NewAgency = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm code, name và first_admin.").await?;
    let (code, username) = new.check().map_err(ApiError::validation)?;
    let db = &cx.db;
    let hash = password::hash(&new.first_admin.password, &random_bytes::<16>()?);
    let first = store::accounts::create_statement(
        db,
        &NewStaff {
            username: username.as_str(),
            name: new.first_admin.name.trim(),
            agency: code.as_str(),
            roles: &roles_to_text(&[Role::Admin]),
            delegated_approval: false,
            password_hash: &hash,
            now: &to_iso_datetime(cx.now),
            email: None,
        },
    )?;
    if !store::agencies::create_agency(db, code.as_str(), new.name.trim(), first).await? {
        return Err(ApiError::ConflictWith("Mã cơ quan hoặc tên đăng nhập đã có."));
    }
    let created = store::agencies::agency(db, code.as_str()).await?.ok_or_else(not_found)?;
    Ok(json(&created, None)?.with_status(201))
}

/// Renaming is the agency's own admin's act.
pub async fn rename(req: &mut Request, cx: &Cx<'_>, staff: &Staff, code: &str) -> ApiResult<Response> {
    let rename: Rename = read_json(req, 1024, "Dữ liệu gửi lên phải là JSON gồm name.").await?;
    let name = rename.check().map_err(ApiError::validation)?;
    let db = &cx.db;
    store::agencies::agency(db, code).await?.ok_or_else(not_found)?;
    if staff.agency != code {
        return Err(ApiError::NotAllowed("Chỉ quản trị viên của cơ quan được đổi tên cơ quan."));
    }
    store::agencies::rename_agency(db, code, &name).await?;
    json(&store::agencies::agency(db, code).await?.ok_or_else(not_found)?, None)
}

/// Merges `code` into `merge.into` from the decision's effective day (the province decides).
pub async fn merge(req: &mut Request, cx: &Cx<'_>, staff: &Staff, code: &str) -> ApiResult<Response> {
    let merge: Merge = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm into và decision.").await?;
    let now = cx.now;
    let db = &cx.db;
    let from = store::agencies::agency(db, code).await?.ok_or_else(not_found)?;
    let into = store::agencies::agency(db, &merge.into).await?;
    let errors = merge.check(&from, into.as_ref(), now.date());
    let Some(into) = into.filter(|_| errors.is_empty()) else { return Err(ApiError::validation(errors)) };
    let day = merge.decision.effective_from;
    let current = store::catalogue::in_force_records(db, day).await?;
    let records = moved(&current, &from.code, (&into.code, &into.name));
    let latest = store::publishing::latest_versions(db).await?;
    let mut forms = store::catalogue::in_force_forms(db, day).await?;
    let mut lines = Vec::new();
    let items: Vec<_> = records
        .into_iter()
        .map(|p| {
            let before = current.iter().find(|c| c.id == p.id).expect("moved from the current records");
            lines.push(ImportLine { id: p.id.clone(), name: p.name.clone(), changes: diff(before, &p) });
            let meta = VersionMeta {
                version: latest.get(&p.id).copied().unwrap_or(0) + 1,
                effective_from: Some(day),
                decision: merge.decision.label(),
                repealed: false,
            };
            let form = forms.remove(&p.id).unwrap_or_default();
            (p, meta, form)
        })
        .collect();
    let mark = store::agencies::merge_statement(db, &from.code, &into.code, day)?;
    store::publishing::publish_all(db, &items, &to_iso_datetime(now), staff.username.as_str(), vec![mark]).await?;
    json(&lines, None)
}
