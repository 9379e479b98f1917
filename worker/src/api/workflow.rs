//! The workflow, as the staff work it: queues, a dossier's record, actions, files, the register.
//! Every handler starts from the session; an account sees its own agency's dossiers only.

use chrono::Datelike;
use motcua_core::date::{parse_iso_datetime, to_iso, to_iso_datetime};
use motcua_core::catalogue::Procedure;
use motcua_core::dossier::DossierCode;
use motcua_core::form::Section;
use motcua_core::accounts::{Role, Staff};
use motcua_core::text::csv_cell;
use motcua_core::workflow::search::{self, BadParameter, DossierFilter, DossierPage, MATCH_CAP, PER_PAGE};
use motcua_core::workflow::views::{Queue, QueueCount, QueueItem, RegisterLine, RegisterPage, StaffDossier};
use motcua_core::workflow::transition::{self, Actor, Command, Refusal, Rules};
use motcua_core::workflow::{self, available, Action, ActionRequest};
use motcua_core::{ErrorBody, ErrorCode};
use worker::{Request, Response, Url};

use super::Cx;
use crate::store::record::{event, instant, Detail};
use super::{json, read_json};
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::dossier::DossierRow;

fn not_found() -> ApiError {
    ApiError::NotFound("Không tìm thấy hồ sơ với mã này.")
}

/// A dossier of the account's agency; another agency's is "not found", not "forbidden", so
/// codes of other agencies cannot be probed.
async fn load(cx: &Cx<'_>, staff: &Staff, code: &str) -> ApiResult<DossierRow> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let row = store::dossier::by_code(&cx.db, &code).await?.ok_or_else(not_found)?;
    if row.agency_code != staff.agency {
        return Err(not_found());
    }
    Ok(row)
}

fn bad_query(message: &str) -> ApiError {
    ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, message))
}

/// The filter of a list from the query string (core's rules), with the message of its bad part.
fn filter(url: &Url) -> ApiResult<DossierFilter> {
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    DossierFilter::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|BadParameter(name)| {
        bad_query(match name {
            "q" => "q dài tối đa 100 ký tự.",
            "status" => "status phải là mã trạng thái từ 1 đến 10.",
            "procedure" => "procedure phải là mã thủ tục.",
            "phase" => "phase phải là receive, appraise, approve hoặc return.",
            "queue" | "role" => "role và queue phải là reception, specialist, approver hoặc result_desk.",
            "overdue" => "overdue phải là 1 hoặc 0.",
            _ => "page phải là số trang từ 1 đến 50.",
        })
    })
}

/// The page of a list whose count is exact (a queue, the register): 1 when not asked.
fn listed_page(v: Option<&str>) -> ApiResult<u32> {
    v.map_or(Ok(1), |v| search::page_number(v, search::LAST_LISTED_PAGE)).map_err(|_| bad_query("page phải là số trang từ 1."))
}

fn queue_items(rows: Vec<store::dossier::QueueRow>, now: chrono::NaiveDateTime) -> ApiResult<Vec<QueueItem>> {
    rows.into_iter()
        .map(|r| {
            let desk = r.queue.as_deref().map(|q| Role::parse(q).ok_or_else(|| crate::store::record::bad(&r.code, "queue"))).transpose()?;
            let due = r.step_due_at.as_deref().map(|d| instant(&r.code, "step_due_at", d)).transpose()?;
            Ok(QueueItem {
                code: DossierCode::parse(&r.code).map_err(|_| crate::store::record::bad(&r.code, "code"))?,
                overdue: workflow::step_overdue(desk, due, now),
                step_due_at: workflow::step_due(desk, due),
                due_at: instant(&r.code, "due_at", &r.due_at)?,
                status: r.status,
                procedure_name: r.procedure_name,
                applicant_name: r.applicant_name,
                channel: r.channel,
            })
        })
        .collect()
}

/// The desk whose queue is asked (the account's first by default), the desks the account may
/// read, and the page.
fn queue_asked(staff: &Staff, url: &Url) -> ApiResult<(Role, Vec<Role>, u32)> {
    let asked = url.query_pairs().find(|(k, _)| k == "role").map(|(_, v)| v.into_owned());
    let readable: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| r.has_queue() && (staff.has(*r) || staff.has(Role::Manager)))
        .collect();
    let role = match asked {
        Some(r) => {
            let role = Role::parse(&r).filter(|r| r.has_queue()).ok_or_else(|| bad_query("role phải là reception, specialist, approver hoặc result_desk."))?;
            if !readable.contains(&role) {
                return Err(ApiError::NotAllowed("Tài khoản của bạn không xem được hàng đợi này."));
            }
            role
        }
        None => *readable.first().ok_or(ApiError::NotAllowed("Tài khoản của bạn không có hàng đợi hồ sơ."))?,
    };
    // A queue's count is exact, so every page of it can be asked for (not only a search's 50).
    let page = listed_page(url.query_pairs().find(|(k, _)| k == "page").map(|(_, v)| v).as_deref())?;
    Ok((role, readable, page))
}

/// What the queue reads: every desk's counts and the asked desk's page.
pub fn queue_reads(cx: &Cx<'_>, staff: &Staff, url: &Url) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    let (role, _, page) = queue_asked(staff, url)?;
    queue_statements(cx, staff, role, page)
}

fn queue_statements(cx: &Cx<'_>, staff: &Staff, role: Role, page: u32) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    let db = &cx.db;
    let now = to_iso_datetime(cx.now);
    let wanted = DossierFilter { queue: Some(role), page, ..Default::default() };
    let [rows, _] = store::search::page(db, &staff.agency, &wanted, &now)?;
    Ok(vec![store::dossier::queue_counts(db, &staff.agency, &now)?, rows])
}

/// `GET /api/staff/queue`; `early`: `queue_reads`' answers, read with the session's check.
pub async fn queue(cx: &Cx<'_>, staff: &Staff, url: &Url, early: Option<Vec<worker::D1Result>>) -> ApiResult<Response> {
    let (role, readable, page) = queue_asked(staff, url)?;
    let reads = match early {
        Some(reads) => reads,
        None => cx.db.batch(queue_statements(cx, staff, role, page)?).await?,
    };
    let counts: Vec<store::dossier::CountRow> = reads[0].results()?;
    let items = queue_items(reads[1].results()?, cx.now)?;
    let counts = readable
        .iter()
        .map(|role| {
            let c = counts.iter().find(|c| c.queue == role.as_str());
            QueueCount { role: *role, total: c.map_or(0, |c| queue_total(&staff.agency, c)), overdue: c.map_or(0, |c| c.overdue) }
        })
        .collect();
    json(&Queue { role, counts, items, page, per_page: PER_PAGE }, None)
}

/// A desk's kept size; one that drifted below zero (the check route lists it) shows as none, and
/// is said in the log rather than failing the officer's queue.
fn queue_total(agency: &str, c: &store::dossier::CountRow) -> u32 {
    u32::try_from(c.total).unwrap_or_else(|_| {
        worker::console_error!("queue size of {agency}/{} is {} (drifted from the dossiers; GET /api/staff/stats/check lists it)", c.queue, c.total);
        0
    })
}

/// `GET /api/staff/dossiers`: the agency's dossiers matching what was typed and the filters,
/// a page at a time. Reading a desk's queue needs that desk's role (or the manager's).
pub async fn list(cx: &Cx<'_>, staff: &Staff, url: &Url, early: Option<Vec<worker::D1Result>>) -> ApiResult<Response> {
    let f = listed(staff, url)?;
    let reads = match early {
        Some(reads) => reads,
        None => cx.db.batch(store::search::page(&cx.db, &staff.agency, &f, &to_iso_datetime(cx.now))?.into()).await?,
    };
    let at = cx.now;
    let (rows, matched) = store::search::read_page(&reads)?;
    json(
        &DossierPage {
            items: queue_items(rows, at)?,
            total: matched.min(MATCH_CAP),
            more: matched > MATCH_CAP,
            page: f.page,
            per_page: PER_PAGE,
        },
        None,
    )
}

/// What the staff page of a dossier shows besides its row: its answers, history and notices,
/// and its version's record and form. Read with the row, or (history, notices) in the very
/// batch that wrote an action: the page answers from what was written, without reading again.
struct PageParts {
    answers_json: String,
    events: Vec<store::dossier::EventRow>,
    notices: Vec<store::notices::NoticeRow>,
    known: Option<(Procedure, Vec<Section>)>,
}

/// The dossier's row of the account's agency from a read batch's answer (another agency's is
/// "not found", and nothing else read with it is used).
pub(super) fn own_row(result: &worker::D1Result, staff: &Staff) -> ApiResult<DossierRow> {
    result.results::<DossierRow>()?.into_iter().next().filter(|r| r.agency_code == staff.agency).ok_or_else(not_found)
}

pub(super) fn answers_of(result: &worker::D1Result) -> ApiResult<String> {
    Ok(result.results::<store::dossier::PrivateRow>()?.into_iter().next().ok_or_else(not_found)?.answers)
}

pub(super) fn record_of(result: &worker::D1Result, row: &DossierRow) -> ApiResult<Option<(Procedure, Vec<Section>)>> {
    result.results::<store::catalogue::RecordFormRow>()?.first().map(|r| r.parse(&row.procedure_id)).transpose()
}

/// The staff page of a dossier.
fn view(staff: &Staff, row: &DossierRow, parts: PageParts) -> ApiResult<StaffDossier> {
    let PageParts { answers_json, events, notices, known } = parts;
    let (procedure, form) = match known {
        Some((p, f)) => (Some(p), f),
        None => (None, Vec::new()),
    };
    let handling = row.handling();
    let state = row.state();
    let timing = row.timing()?;
    Ok(StaffDossier {
        code: row.code()?,
        procedure: row.procedure_id.clone(),
        procedure_name: row.procedure_name.clone(),
        agency: row.agency_code.clone(),
        channel: row.channel,
        status: state.status,
        status_label: state.status.label_vi().to_owned(),
        phase: state.phase,
        flow: handling.flow,
        delegated: handling.delegated,
        version: row.version,
        submitted_at: instant(&row.code, "submitted_at", &row.submitted_at)?,
        received_at: row.received_at.as_deref().and_then(parse_iso_datetime),
        counted_from: timing.counted_from,
        due_at: timing.due_at,
        step_due_at: row.step_due_at.as_deref().and_then(parse_iso_datetime),
        days: row.days,
        term: timing.term(row.days),
        phase_dues: timing.phase_dues,
        answers: crate::store::record::from_json(&row.code, "answers", &answers_json)?,
        documents: row.documents()?,
        papers: row.papers()?,
        required_documents: procedure.map(|p| p.documents).unwrap_or_default(),
        form,
        history: events.iter().map(|e| event(&row.code, e, handling.flow, Detail::Staff)).collect::<ApiResult<_>>()?,
        actions: available(staff, state, handling),
        supplement: row.supplement()?,
        apology: row.apology()?,
        result: row.result()?,
        notifications: super::notices::statuses(notices, true),
    })
}

/// The list's filter, if the account may use it.
fn listed(staff: &Staff, url: &Url) -> ApiResult<DossierFilter> {
    let f = filter(url)?;
    if let Some(role) = f.queue {
        if !(staff.has(role) || staff.has(Role::Manager)) {
            return Err(ApiError::NotAllowed("Tài khoản của bạn không xem được hàng đợi này."));
        }
    }
    Ok(f)
}

/// What the list reads: the page and the count of matches.
pub fn list_reads(cx: &Cx<'_>, staff: &Staff, url: &Url) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    let f = listed(staff, url)?;
    Ok(store::search::page(&cx.db, &staff.agency, &f, &to_iso_datetime(cx.now))?.into())
}

/// What a dossier's staff page reads: its row and all the page shows (whose agency it is is
/// checked on the row, before anything read is used).
pub fn dossier_reads(cx: &Cx<'_>, code: &str) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let db = &cx.db;
    let code = code.as_str();
    Ok(vec![
        store::dossier::by_code_statement(db, code)?,
        store::dossier::private_statement(db, code)?,
        store::dossier::events_statement(db, code)?,
        store::notices::of_dossier(db, code)?,
        store::catalogue::record_of_dossier(db, code)?,
    ])
}

/// `GET /api/staff/dossiers/{code}`: the row and all its page shows, in one round trip
/// (`early`: `dossier_reads`' answers, read with the session's check).
pub async fn dossier(cx: &Cx<'_>, staff: &Staff, code: &str, early: Option<Vec<worker::D1Result>>) -> ApiResult<Response> {
    let reads = match early {
        Some(reads) => reads,
        None => cx.db.batch(dossier_reads(cx, code)?).await?,
    };
    let row = own_row(&reads[0], staff)?;
    let parts = PageParts { answers_json: answers_of(&reads[1])?, events: reads[2].results()?, notices: reads[3].results()?, known: record_of(&reads[4], &row)? };
    json(&view(staff, &row, parts)?, None)
}

fn validation(fields: Vec<motcua_core::form::FieldError>) -> ApiError {
    ApiError::validation(fields)
}

fn field_error(field: &str, message: &str) -> ApiError {
    validation(vec![motcua_core::form::FieldError { field: field.into(), message: message.into() }])
}

/// One workflow action. Order of refusals: not this agency (404), a stale version (409: the
/// dossier moved on since it was read), not this account's role (403), not possible at this
/// step (422), bad details (422) — the rules are core's (`workflow::transition::apply`).
pub async fn act(req: &mut Request, cx: &Cx<'_>, staff: &Staff, code: &str) -> ApiResult<Response> {
    let request: ActionRequest = read_json(req, 16 * 1024, "Dữ liệu gửi lên phải là JSON gồm action và version.").await?;
    if !Action::STAFF.contains(&request.action) {
        return Err(super::dossier::refused(Refusal::NotStaffAction, None));
    }
    // One round trip for what the action reads: the dossier, its version's record and form,
    // the calendar's decisions, and the answers its page shows afterwards.
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let db = &cx.db;
    let now = cx.now;
    let reads = db
        .batch(vec![
            store::dossier::by_code_statement(db, code.as_str())?,
            store::catalogue::record_of_dossier(db, code.as_str())?,
            store::calendar::decisions(db, now.year() - 1, now.year() + 2)?,
            store::dossier::private_statement(db, code.as_str())?,
        ])
        .await?;
    let row = own_row(&reads[0], staff)?;
    let known = record_of(&reads[1], &row)?;
    let calendar = store::calendar::from_rows(cx.env, reads[2].results()?)?;
    // The result file's digest as stored: the signature covers the file.
    let result_file = match (request.action, &request.result_upload) {
        (Action::RecordResult, Some(id)) => Some(
            store::files::find(db, id)
                .await?
                .filter(|_| motcua_core::form::Upload::id_ok(id))
                .ok_or_else(|| field_error("result_upload", "Tệp kết quả chưa tải lên xong. Vui lòng tải lại."))?
                .sha256,
        ),
        _ => None,
    };
    let sign = super::verify::signer(cx)?;
    let rules = Rules { calendar: &calendar, procedure: known.as_ref().map(|(p, _)| p), sign: &sign, result_file: result_file.as_deref() };
    let t = transition::apply(&row.dossier()?, Command::Staff(request), Actor::Staff(staff), now, &rules)
        .map_err(|r| super::dossier::refused(r, None))?;
    // The history and notices as the action's own batch leaves them.
    let after = vec![store::dossier::events_statement(db, code.as_str())?, store::notices::of_dossier(db, code.as_str())?];
    let (row, written) = super::dossier::committed_with(cx, &t, &super::dossier::origin(req)?, after).await?;
    let parts = PageParts { answers_json: answers_of(&reads[3])?, events: written[0].results()?, notices: written[1].results()?, known };
    json(&view(staff, &row, parts)?, None)
}

/// An attachment or result file of a dossier of the account's agency.
pub async fn file(cx: &Cx<'_>, staff: &Staff, code: &str, id: &str) -> ApiResult<Response> {
    let row = load(cx, staff, code).await?;
    let documents = row.documents()?;
    let name = match documents.iter().find(|d| d.upload == id) {
        Some(d) => d.name.clone(),
        None if row.result()?.and_then(|r| r.upload).is_some_and(|u| u == id) => Some(super::upload::result_name(&row.code)),
        None => return Err(ApiError::NotFound("Hồ sơ không có tệp này.")),
    };
    super::upload::serve(cx, id, name.as_ref()).await
}

/// Slip 06: the agency's dossiers received between `from` and `to` (inclusive dates;
/// default: today), a page at a time on screen (`?page=`), whole as CSV.
pub async fn register(cx: &Cx<'_>, staff: &Staff, url: &Url) -> ApiResult<Response> {
    let today = cx.now.date();
    let (from, to) = (super::date_param(url, "from", today)?, super::date_param(url, "to", today)?);
    if to < from || (to - from).num_days() > 366 {
        return Err(ApiError::Unprocessable(ErrorBody::new(ErrorCode::InvalidQuery, "Khoảng ngày không hợp lệ: đến ngày phải sau từ ngày, tối đa một năm.")));
    }
    let period = (to_iso(from), to_iso(to + chrono::Duration::days(1)));
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    match param("format").as_deref() {
        None | Some("json") => {}
        // The CSV streams after the handler returns: it takes a database handle of its own.
        Some("csv") => return register_csv(cx.env.d1("DB")?, staff.agency.clone(), period, (from, to)),
        Some(_) => return Err(bad_query("format phải là json hoặc csv.")),
    }
    let page = listed_page(param("page").as_deref())?;
    let per_page = RegisterPage::PER_PAGE;
    let db = &cx.db;
    let (p_from, p_to) = (period.0.as_str(), period.1.as_str());
    let reads = db
        .batch(vec![
            store::search::register_count(db, &staff.agency, p_from, p_to)?,
            store::search::register_lines(db, &staff.agency, (p_from, p_to), None, (per_page, (page - 1) * per_page))?,
        ])
        .await?;
    let total = reads[0].results::<store::search::Count>()?.first().map_or(0, |c| c.n);
    let items = reads[1].results::<DossierRow>()?.iter().map(register_line).collect::<ApiResult<Vec<_>>>()?;
    json(&RegisterPage { items, total, page, per_page }, None)
}

fn register_line(r: &DossierRow) -> ApiResult<RegisterLine> {
    Ok(RegisterLine {
        code: r.code()?,
        procedure_name: r.procedure_name.clone(),
        applicant_name: r.applicant_name.clone(),
        channel: r.channel,
        status: r.status,
        submitted_at: instant(&r.code, "submitted_at", &r.submitted_at)?,
        due_at: instant(&r.code, "due_at", &r.due_at)?,
        result_number: r.result()?.map(|x| x.number),
    })
}

/// Lines read per round trip of the CSV export.
const CSV_CHUNK: u32 = 500;

/// The register as CSV, one line per dossier (slip 06 for a spreadsheet), the whole period:
/// streamed in chunks read after the last line sent, so no period is too long to export and
/// the worker never holds more than one chunk.
fn register_csv(db: worker::D1Database, agency: String, period: (String, String), (from, to): (chrono::NaiveDate, chrono::NaiveDate)) -> ApiResult<Response> {
    struct Cursor {
        db: worker::D1Database,
        agency: String,
        period: (String, String),
        after: Option<(String, String)>,
        numbered: usize,
        done: bool,
    }
    let start = Cursor { db, agency, period, after: None, numbered: 0, done: false };
    let chunks = futures_util::stream::try_unfold(start, |mut c| async move {
        if c.done {
            return Ok::<_, worker::Error>(None);
        }
        let after = c.after.as_ref().map(|(at, code)| (at.as_str(), code.as_str()));
        let rows = store::search::register_chunk(&c.db, &c.agency, (&c.period.0, &c.period.1), after, CSV_CHUNK)
            .await
            .map_err(|e| worker::Error::RustError(format!("register chunk: {e:?}")))?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| worker::Error::RustError(format!("csv: {e}"));
        if c.numbered == 0 {
            w.write_record(["stt", "ma_ho_so", "nguoi_nop", "thu_tuc", "hinh_thuc", "tiep_nhan", "hen_tra", "trang_thai", "so_ket_qua"]).map_err(fail)?;
        }
        for r in &rows {
            let l = register_line(r).map_err(|e| worker::Error::RustError(format!("register line: {e:?}")))?;
            c.numbered += 1;
            w.write_record([
                c.numbered.to_string(),
                l.code.as_str().to_owned(),
                csv_cell(&l.applicant_name).into_owned(),
                csv_cell(&l.procedure_name).into_owned(),
                l.channel.label_vi().to_owned(),
                to_iso_datetime(l.submitted_at),
                to_iso_datetime(l.due_at),
                l.status.label_vi().to_owned(),
                csv_cell(l.result_number.as_deref().unwrap_or_default()).into_owned(),
            ])
            .map_err(fail)?;
        }
        c.done = rows.len() < CSV_CHUNK as usize;
        c.after = rows.last().map(|r| (r.submitted_at.clone(), r.code.clone()));
        let bytes = w.into_inner().map_err(|e| worker::Error::RustError(format!("csv: {e}")))?;
        Ok(Some((bytes, c)))
    });
    let mut resp = Response::from_stream(chunks)?;
    resp.headers_mut().set("Content-Type", "text/csv; charset=utf-8")?;
    resp.headers_mut().set("Content-Disposition", &format!("attachment; filename=\"so-theo-doi-{}-{}.csv\"", to_iso(from), to_iso(to)))?;
    resp.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(resp)
}
