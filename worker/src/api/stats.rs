//! Public statistics: `GET /api/stats` (JSON or CSV) from the daily counters, and the check
//! that recounts them from the raw history.

use chrono::Datelike;
use motcua_core::date::{to_iso, to_iso_datetime, to_iso_month};
use motcua_core::stats::{ManagerStats, OnTimeRow, OverdueDossier, StatCounters, StatRow, Stats};
use motcua_core::accounts::{Role, Staff};
use motcua_core::text::csv_cell;
use motcua_core::workflow::Action;
use motcua_core::{ErrorBody, ErrorCode, Lang};
use worker::{Response, Url};

use super::{Cx, check_answer, date_param, json};
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::stats::{Filter, Group};

fn bad(message: &str) -> ApiError {
    ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, message))
}

/// `lang`: the sentence, periods and month labels in the asked language; names stay official.
pub async fn stats(cx: &Cx<'_>, url: &Url, lang: Lang) -> ApiResult<Response> {
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned()).filter(|v| !v.is_empty());
    let today = cx.now.date();
    // Dates are strict (an empty one is an error); the filters take "" as "all".
    let (from, to) = (date_param(url, "from", today.with_day(1).expect("day 1"))?, date_param(url, "to", today)?);
    if to < from || (to - from).num_days() > 3700 {
        return Err(ApiError::Unprocessable(ErrorBody::new(ErrorCode::InvalidQuery, "Khoảng ngày không hợp lệ: đến ngày phải sau từ ngày, tối đa 10 năm.")));
    }
    let (agency, field, procedure) = (param("agency"), param("field"), param("procedure"));
    for v in [&agency, &field, &procedure].into_iter().flatten() {
        // Characters, as the schema's maxLength counts them (not UTF-8 bytes).
        if v.chars().count() > 64 {
            return Err(bad("Mã cơ quan, lĩnh vực hoặc thủ tục quá dài."));
        }
    }
    let csv = match url.query_pairs().find(|(k, _)| k == "format").map(|(_, v)| v.into_owned()).as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(bad("format phải là json hoặc csv.")),
    };
    let db = &cx.db;
    let filter = Filter { from, to, agency: agency.as_deref(), field: field.as_deref(), procedure: procedure.as_deref() };
    // Everything the dashboard reads, in one round trip.
    let reads = db
        .batch(vec![
            store::stats::sums(db, &filter, Group::Total)?,
            store::stats::sums(db, &filter, Group::Month)?,
            store::stats::sums(db, &filter, Group::Field)?,
            store::stats::pending(db, cx.now, agency.as_deref(), procedure.as_deref())?,
            store::rating::sum_statement(db, &to_iso_month(from), &to_iso_month(to), field.as_deref(), procedure.as_deref())?,
            store::catalogue::generation(db),
        ])
        .await?;
    let totals = store::stats::read_sums(&reads[0])?.into_iter().next().map(|(_, c)| c).unwrap_or_default();
    let by_month = store::stats::read_sums(&reads[1])?
        .into_iter()
        .map(|(k, counters)| {
            let number = |r: std::ops::Range<usize>| k.get(r).and_then(|v| v.parse().ok()).unwrap_or(0);
            let label = motcua_core::stats::month_label(number(0..4) as i32, number(5..7), lang);
            StatRow { key: k, label, counters }
        })
        .collect();
    let generation = store::catalogue::read_generation(&reads[5])?;
    let facets = store::catalogue::facets_of(db, &cx.env.kv("KV")?, &generation, cx.now.date()).await?;
    let names = &facets.fields;
    let by_field = store::stats::read_sums(&reads[2])?
        .into_iter()
        .map(|(k, counters)| {
            let label = names.iter().find(|f| f.id == k).map_or_else(|| k.clone(), |f| f.name.clone());
            StatRow { key: k, label, counters }
        })
        .collect();
    let pending = store::stats::read_pending(&reads[3])?;
    let who = agency.as_ref().map(|code| facets.agencies.iter().find(|a| &a.code == code).map_or_else(|| code.clone(), |a| a.name.clone()));
    let ratings = store::rating::read_sum(&reads[4])?;
    let satisfied = ratings.summary(from, to).satisfied_permille;
    let catalogue = facets.kpis;
    let stats = Stats::new((from, to), (who.as_deref(), lang), totals, pending, by_month, by_field, satisfied, catalogue);
    if csv { csv_response(&stats) } else { json(&stats, None) }
}

/// Every table of the dashboard as CSV rows, one table per value of the first column.
fn csv_response(s: &Stats) -> ApiResult<Response> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "bang", "ma", "ten", "tiep_nhan_truc_tuyen", "tiep_nhan_truc_tiep", "giai_quyet_truoc_han", "giai_quyet_dung_han",
        "giai_quyet_qua_han", "tu_choi", "rut_ho_so",
    ];
    let fail = |e: csv::Error| ApiError::Internal(format!("csv: {e}"));
    w.write_record(header).map_err(fail)?;
    let total = StatRow { key: format!("{}..{}", to_iso(s.from), to_iso(s.to)), label: "Tổng".into(), counters: s.totals };
    let tables = [("tong", std::slice::from_ref(&total)), ("thang", &s.by_month[..]), ("linh_vuc", &s.by_field[..])];
    for (table, rows) in tables {
        for r in rows {
            let mut record = vec![table.to_owned(), csv_cell(&r.key).into_owned(), csv_cell(&r.label).into_owned()];
            record.extend(r.counters.to_columns().iter().map(u32::to_string));
            w.write_record(&record).map_err(fail)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| ApiError::Internal(format!("csv: {e}")))?;
    let mut resp = Response::from_bytes(bytes)?;
    resp.headers_mut().set("Content-Type", "text/csv; charset=utf-8")?;
    resp.headers_mut().set("Content-Disposition", &format!("attachment; filename=\"thong-ke-{}-{}.csv\"", to_iso(s.from), to_iso(s.to)))?;
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

/// `GET /api/staff/stats/check` (admins, managers): the counters against a recount of the raw
/// history, cell by cell, the monthly sums against the daily counters, and the dashboard's
/// pending cells and the desks' queue sizes against a recount of the dossiers — all read in one batch, so
/// writes meanwhile cannot make them differ.
pub async fn check(cx: &Cx<'_>) -> ApiResult<Response> {
    let db = &cx.db;
    let [pending_stored, pending_recount] = store::stats::pending_cells(db);
    let [months_stored, months_recount] = store::stats::month_cells(db);
    let [queues_stored, queues_recount] = store::dossier::queue_cells(db);
    let reads = db
        .batch(vec![
            store::stats::counted_events(db),
            store::stats::cells(db),
            pending_stored,
            pending_recount,
            months_stored,
            months_recount,
            queues_stored,
            queues_recount,
        ])
        .await?;
    // Cells as columns: a stat cell of all zeros counts nothing, as a missing one.
    let columns = |c: &StatCounters| c.to_columns().iter().map(|v| i64::from(*v)).collect::<Vec<_>>();
    let mut recount: std::collections::BTreeMap<String, StatCounters> = Default::default();
    for e in store::stats::read_counted_events(&reads[0])? {
        let action = Action::parse(&e.action).ok_or_else(|| ApiError::Internal(format!("event action {}", e.action)))?;
        let t = e.timeliness.as_deref().and_then(|t| serde_json::from_str(t).ok());
        recount.entry([e.day, e.agency_code, e.field_id, e.procedure_id].join("|")).or_default().add(&StatCounters::of_event(action, t));
    }
    let mut recount: std::collections::BTreeMap<String, Vec<i64>> =
        recount.iter().filter(|(_, c)| !c.is_zero()).map(|(k, c)| (k.clone(), columns(c))).collect();
    let mut stored: std::collections::BTreeMap<String, Vec<i64>> =
        store::stats::read_cells(&reads[1])?.iter().filter(|(_, c)| !c.is_zero()).map(|(k, c)| (k.clone(), columns(c))).collect();
    // A pending cell left at zero is a difference: it should have been deleted.
    stored.extend(store::stats::read_pending_cells(&reads[2])?);
    recount.extend(store::stats::read_pending_cells(&reads[3])?);
    stored.extend(store::stats::read_month_cells(&reads[4])?);
    recount.extend(store::stats::read_month_cells(&reads[5])?);
    stored.extend(store::dossier::read_queue_cells(&reads[6])?);
    recount.extend(store::dossier::read_queue_cells(&reads[7])?);
    check_answer(&recount, &stored)
}

/// `GET /api/staff/stats?from=&to=` (managers): on-time rates per desk and per officer, and the
/// agency's overdue dossiers.
pub async fn manager(cx: &Cx<'_>, staff: &Staff, url: &Url) -> ApiResult<Response> {
    let today = cx.now.date();
    let (from, to) = (date_param(url, "from", today.with_day(1).expect("day 1"))?, date_param(url, "to", today)?);
    if to < from {
        return Err(ApiError::Unprocessable(ErrorBody::new(ErrorCode::InvalidQuery, "Đến ngày phải sau từ ngày.")));
    }
    let db = &cx.db;
    let (f, t) = (to_iso(from), to_iso(to));
    let row = |r: store::stats::HandoverRow, label: String| OnTimeRow::new(r.key, label, r.early, r.on_time, r.late);
    let units = store::stats::handovers(db, &staff.agency, &f, &t, true)
        .await?
        .into_iter()
        .map(|r| {
            let label = Role::parse(&r.key).map_or_else(|| r.key.clone(), |role| role.label_vi().to_owned());
            row(r, label)
        })
        .collect();
    let officers = store::stats::handovers(db, &staff.agency, &f, &t, false)
        .await?
        .into_iter()
        .map(|r| {
            let label = r.name.clone().unwrap_or_else(|| r.key.clone());
            row(r, label)
        })
        .collect();
    let overdue = store::stats::overdue(db, &staff.agency, &to_iso_datetime(cx.now))
        .await?
        .into_iter()
        .map(|r| {
            Ok(OverdueDossier {
                due_at: motcua_core::date::parse_iso_datetime(&r.due_at).ok_or_else(|| ApiError::Internal(format!("{}: due_at", r.code)))?,
                status_label: r.status.label_vi().to_owned(),
                code: r.code,
                procedure_name: r.procedure_name,
                applicant_name: r.applicant_name,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    json(&ManagerStats { from, to, units, officers, overdue }, None)
}
