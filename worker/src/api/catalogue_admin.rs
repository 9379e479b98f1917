//! Catalogue administration (admins only): preview, publish and repeal procedure versions under
//! decisions. Nothing is edited in place; an admin acts on the procedures of their own agency.

use chrono::NaiveDate;
use motcua_core::catalogue::import::{plan, read_rows, ImportRequest, TsvRow, TSV_COLUMNS};
use motcua_core::catalogue::version::{diff_with_forms, in_force, prepare, scheduled_after, Editable, Preview, Publication, Repeal, VersionMeta};
use motcua_core::catalogue::Procedure;
use motcua_core::date::to_iso_datetime;
use motcua_core::form::FieldError;
use motcua_core::accounts::Staff;
use worker::{Request, Response};

use super::Cx;
use super::catalogue::not_found;
use super::{json, read_json};
use crate::error::{ApiError, ApiResult};
use crate::store;

// A whole record with its documents and internal process stays well under this.
const MAX_BODY: usize = 256 * 1024;

fn own_agency(staff: &Staff, agency: &str) -> ApiResult<()> {
    if staff.agency == agency { Ok(()) } else { Err(ApiError::NotAllowed("Thủ tục này thuộc cơ quan khác.")) }
}

pub async fn procedure(cx: &Cx<'_>, id: &str) -> ApiResult<Response> {
    let db = &cx.db;
    let versions = store::catalogue::versions(db, id).await?;
    let last = versions.last().ok_or_else(not_found)?;
    let latest = store::catalogue::record(db, id, last.version).await?.ok_or_else(not_found)?;
    let form = store::catalogue::form(db, id, last.version).await?;
    json(&Editable { versions, latest, form }, None)
}

/// The draft as it will be published and what it changes: the checks of a publication without
/// the write.
async fn check(cx: &Cx<'_>, staff: &Staff, publication: &Publication, today: NaiveDate) -> ApiResult<(Preview, Vec<VersionMeta>)> {
    let db = &cx.db;
    let mut p = prepare(publication, today).map_err(ApiError::validation)?;
    for doc in &p.documents {
        if let Some(id) = doc.template.as_deref().and_then(|t| t.strip_prefix("/api/templates/")) {
            if !super::template::exists(cx, id).await? {
                return Err(ApiError::validation(vec![FieldError {
                    field: "documents".into(),
                    message: format!("Mẫu đơn của “{}” chưa được tải lên. Vui lòng tải lại.", doc.name),
                }]));
            }
        }
    }
    let agency_error = |message: &str| ApiError::validation(vec![FieldError { field: "agency".into(), message: message.into() }]);
    match store::agencies::agency(db, &p.agency).await? {
        None => return Err(agency_error("Không có cơ quan với mã này.")),
        Some(a) if a.merged_on.is_some_and(|on| on <= publication.decision.effective_from) => {
            return Err(agency_error("Cơ quan này đã được hợp nhất vào cơ quan khác từ trước ngày có hiệu lực."))
        }
        Some(a) => p.agency_name = a.name,
    }
    own_agency(staff, &p.agency)?;
    let versions = store::catalogue::versions(db, &p.id).await?;
    let amends = in_force(&versions, publication.decision.effective_from).cloned();
    let (changes, form) = match &amends {
        Some(meta) => {
            let before = store::catalogue::record(db, &p.id, meta.version).await?.ok_or_else(not_found)?;
            own_agency(staff, &before.agency)?;
            let before_form = store::catalogue::form(db, &p.id, meta.version).await?;
            let form = publication.form.clone().unwrap_or_else(|| before_form.clone());
            (if meta.repealed { Vec::new() } else { diff_with_forms((&before, &before_form), (&p, &form)) }, form)
        }
        None => (Vec::new(), publication.form.clone().unwrap_or_default()),
    };
    let replaced_by = scheduled_after(&versions, publication.decision.effective_from).cloned();
    Ok((Preview { procedure: p, amends, changes, replaced_by, form }, versions))
}

pub async fn preview(req: &mut Request, cx: &Cx<'_>, staff: &Staff) -> ApiResult<Response> {
    let publication: Publication = read_json(req, MAX_BODY, "Dữ liệu gửi lên phải là JSON gồm procedure và decision.").await?;
    let (preview, _) = check(cx, staff, &publication, cx.now.date()).await?;
    json(&preview, None)
}

fn next_version(versions: &[VersionMeta]) -> u32 {
    versions.iter().map(|v| v.version).max().unwrap_or(0) + 1
}

pub async fn publish(req: &mut Request, cx: &Cx<'_>, staff: &Staff) -> ApiResult<Response> {
    let publication: Publication = read_json(req, MAX_BODY, "Dữ liệu gửi lên phải là JSON gồm procedure và decision.").await?;
    let db = &cx.db;
    let now = cx.now;
    let (preview, versions) = check(cx, staff, &publication, now.date()).await?;
    if preview.amends.as_ref().is_some_and(|m| !m.repealed) && preview.changes.is_empty() {
        return Err(ApiError::validation(vec![FieldError {
            field: "procedure".into(),
            message: "Bản dự thảo không thay đổi gì so với phiên bản đang có hiệu lực vào ngày đó.".into(),
        }]));
    }
    let meta = VersionMeta {
        version: next_version(&versions),
        effective_from: Some(publication.decision.effective_from),
        decision: publication.decision.label(),
        repealed: false,
    };
    store::publishing::publish(db, (preview.procedure, meta.clone(), preview.form), &to_iso_datetime(now), staff.username.as_str()).await?;
    json(&meta, None)
}

pub async fn repeal(req: &mut Request, cx: &Cx<'_>, staff: &Staff, id: &str) -> ApiResult<Response> {
    let repeal: Repeal = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm decision.").await?;
    let now = cx.now;
    let errors = repeal.decision.check(now.date());
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let db = &cx.db;
    let versions = store::catalogue::versions(db, id).await?;
    let current = in_force(&versions, repeal.decision.effective_from).ok_or_else(not_found)?;
    if current.repealed {
        return Err(ApiError::validation(vec![FieldError {
            field: "decision_number".into(),
            message: format!("Thủ tục đã bị bãi bỏ theo {}.", current.decision),
        }]));
    }
    let record = store::catalogue::record(db, id, current.version).await?.ok_or_else(not_found)?;
    own_agency(staff, &record.agency)?;
    let meta = VersionMeta {
        version: next_version(&versions),
        effective_from: Some(repeal.decision.effective_from),
        decision: repeal.decision.label(),
        repealed: true,
    };
    let form = store::catalogue::form(db, id, current.version).await?;
    store::publishing::publish(db, (record, meta.clone(), form), &to_iso_datetime(now), staff.username.as_str()).await?;
    json(&meta, None)
}

// procedures.tsv of the whole reference is about 200 KB, the catalogue JSON about 300 KB.
const MAX_IMPORT: usize = 2 * 1024 * 1024;

fn file_error(message: String) -> FieldError {
    FieldError { field: "file".into(), message }
}

/// The procedures a file states: the repository's catalogue JSON (whole records), or the TSV of
/// procedures.tsv (rows mapped onto the records in force).
fn read_file(file: &str, current: &[Procedure], own: (&str, &str)) -> (Vec<Procedure>, Vec<FieldError>) {
    if file.trim_start().starts_with('{') {
        #[derive(serde::Deserialize)]
        struct CatalogueFile {
            procedures: Vec<Procedure>,
        }
        return match serde_json::from_str::<CatalogueFile>(file) {
            Ok(f) => (f.procedures, Vec::new()),
            Err(e) => (Vec::new(), vec![file_error(format!("Tệp JSON không đúng định dạng danh mục (data/catalogue.json): {e}."))]),
        };
    }
    let mut reader = csv::ReaderBuilder::new().delimiter(b'\t').quoting(false).from_reader(file.as_bytes());
    let header_ok = reader.headers().is_ok_and(|h| h.iter().eq(TSV_COLUMNS.iter().copied()));
    if !header_ok {
        return (Vec::new(), vec![file_error(format!("Tệp TSV phải có đúng các cột: {}.", TSV_COLUMNS.join(", ")))]);
    }
    let mut rows: Vec<TsvRow> = Vec::new();
    let mut errors = Vec::new();
    for (i, row) in reader.deserialize::<TsvRow>().enumerate() {
        match row {
            Ok(r) => rows.push(r),
            Err(e) => errors.push(FieldError { field: format!("dòng {}", i + 2), message: format!("Không đọc được dòng: {e}.") }),
        }
    }
    let (procedures, mut more) = read_rows(&rows, current, own);
    errors.append(&mut more);
    (procedures, errors)
}

/// Imports a catalogue file under one decision. A dry run answers what would be added,
/// amended and repealed and writes nothing; a real run writes every version in one batch, or
/// nothing if any row is in error.
pub async fn import(req: &mut Request, cx: &Cx<'_>, staff: &Staff) -> ApiResult<Response> {
    let request: ImportRequest =
        read_json(req, MAX_IMPORT, "Dữ liệu gửi lên phải là JSON gồm file, decision và dry_run (tệp tối đa 2 MB).").await?;
    let db = &cx.db;
    let now = cx.now;
    let current = store::catalogue::in_force_records(db, request.decision.effective_from).await?;
    let own = (staff.agency.as_str(), staff.agency_name.as_str());
    let (mut incoming, file_errors) = read_file(&request.file, &current, own);
    for p in incoming.iter_mut().filter(|p| p.agency == staff.agency) {
        p.agency_name = staff.agency_name.clone();
    }
    let (mut report, writes) = plan(incoming, &current, &request, &staff.agency, now.date());
    report.errors.splice(0..0, file_errors);
    if request.dry_run {
        return json(&report, None);
    }
    if !report.errors.is_empty() {
        return Err(ApiError::validation(report.errors));
    }
    if !writes.is_empty() {
        let latest = store::publishing::latest_versions(db).await?;
        // Files carry records only: each version keeps the form pages of the one it replaces.
        let mut forms = store::catalogue::in_force_forms(db, request.decision.effective_from).await?;
        let items: Vec<store::publishing::Item> = writes
            .into_iter()
            .map(|(p, repealed)| {
                let meta = VersionMeta {
                    version: latest.get(&p.id).copied().unwrap_or(0) + 1,
                    effective_from: Some(request.decision.effective_from),
                    decision: request.decision.label(),
                    repealed,
                };
                let form = forms.remove(&p.id).unwrap_or_default();
                (p, meta, form)
            })
            .collect();
        store::publishing::publish_all(db, &items, &to_iso_datetime(now), staff.username.as_str(), Vec::new()).await?;
        report.written = true;
    }
    json(&report, None)
}
