//! Ratings: the applicant's evaluation of a returned dossier (once), walk-in surveys from
//! enrolled kiosks or a receipt's link, the public summary, and the staff reports.

use chrono::Datelike;
use motcua_core::date::{parse_iso_datetime, to_iso_datetime, to_iso_month};
use motcua_core::dossier::{DossierCode, DossierStatus};
use motcua_core::form::FieldError;
use motcua_core::rating::{
    computed_scores, Counters, Evaluation, EvaluationRequest, Kiosk, KioskEnrollment, OfficerResult, OfficerResults, Satisfaction, UnitResult, SurveyRequest, KIOSK_SURVEYS, KIOSK_WINDOW_MINUTES,
    MAX_RATING_COMMENT_CHARS,
};
use motcua_core::accounts::{Role, Staff};
use motcua_core::{ErrorBody, ErrorCode};
use worker::{Request, Response, Url};

use super::Cx;
use crate::store::record::{event, Detail};
use super::{check_answer, date_param, hex, json, random_bytes, read_json, sha256_hex};
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::rating::{Cell, NewEvaluation, NewSurvey};

fn validation(fields: Vec<FieldError>) -> ApiError {
    ApiError::validation(fields)
}

pub async fn evaluation(cx: &Cx<'_>, code: &str) -> ApiResult<Option<Evaluation>> {
    let Some(row) = store::rating::evaluation(&cx.db, code).await? else { return Ok(None) };
    let bad = || ApiError::Internal(format!("evaluation of {code}: bad row"));
    let scores: Vec<u8> = row.scores.split(',').map(|s| s.parse().map_err(|_| bad())).collect::<ApiResult<_>>()?;
    Ok(Some(Evaluation {
        code: code.to_owned(),
        at: parse_iso_datetime(&row.at).ok_or_else(bad)?,
        scores: scores.try_into().map_err(|_| bad())?,
        ease: *Satisfaction::ALL.get(usize::from(row.ease)).ok_or_else(bad)?,
        overall: *Satisfaction::ALL.get(usize::from(row.overall)).ok_or_else(bad)?,
        comment: row.comment,
    }))
}

/// `POST /api/dossiers/{code}/evaluation`.
pub async fn evaluate(req: &mut Request, cx: &Cx<'_>, code: &str) -> ApiResult<Response> {
    let code = DossierCode::parse(code).map_err(|_| ApiError::NotFound("Không tìm thấy hồ sơ với mã này."))?;
    let request: EvaluationRequest = read_json(req, 8 * 1024, "Dữ liệu gửi lên phải là JSON của phiếu đánh giá.").await?;
    let (row, _) = super::dossier::prove(req, cx, &code, &request.secret).await?;
    if row.status != DossierStatus::Returned {
        return Err(ApiError::Unprocessable(ErrorBody::new(
            ErrorCode::InvalidTransition,
            "Chỉ đánh giá được sau khi đã nhận kết quả giải quyết.",
        )));
    }
    let db = &cx.db;
    let flow = row.handling().flow;
    let rows = store::dossier::events(db, &row.code).await?;
    let history = rows.iter().map(|e| event(&row.code, e, flow, Detail::Staff)).collect::<ApiResult<Vec<_>>>()?;
    let procedure = store::catalogue::record(db, &row.procedure_id, row.procedure_version).await?;
    let computed = computed_scores(&history, row.channel == motcua_core::dossier::Channel::Online, procedure.is_some());
    let scores = request.scores(computed).map_err(validation)?;
    let now = cx.now;
    let at = to_iso_datetime(now);
    let m = to_iso_month(now.date());
    let field = procedure.as_ref().map(|p| p.field.clone()).unwrap_or_default();
    let mut officers: Vec<(String, String)> = rows.iter().filter_map(|e| e.actor_username.clone().zip(e.role.clone())).collect();
    officers.sort();
    officers.dedup();
    let comment = request.comment.trim().to_owned();
    let inserted = store::rating::insert_evaluation(
        db,
        &NewEvaluation {
            code: &row.code,
            at: &at,
            cell: Cell { month: &m, agency: &row.agency_code, field: &field, procedure: &row.procedure_id },
            scores: &scores.map(|s| s.to_string()).join(","),
            ease: request.ease.position() as u8,
            overall: request.overall.position() as u8,
            comment: &comment,
            counters: Counters::of_evaluation(&scores, request.ease, request.overall),
            officers,
            satisfied: request.overall != Satisfaction::NotSatisfied,
        },
    )
    .await?;
    if !inserted {
        return Err(ApiError::Unprocessable(ErrorBody::new(ErrorCode::InvalidTransition, "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần.")));
    }
    let evaluation = Evaluation { code: row.code.clone(), at: now, scores, ease: request.ease, overall: request.overall, comment };
    Ok(json(&evaluation, None)?.with_status(201))
}

/// `POST /api/surveys`: from an enrolled kiosk (`X-Kiosk-Token`), rate-limited per kiosk, or
/// from a receipt's link (dossier code and secret), once per dossier. Nothing else counts.
pub async fn survey(req: &mut Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let s: SurveyRequest = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON của phiếu khảo sát.").await?;
    let comment = s.comment.trim();
    if comment.chars().count() > MAX_RATING_COMMENT_CHARS {
        return Err(validation(vec![FieldError { field: "comment".into(), message: "Góp ý tối đa 1000 ký tự.".into() }]));
    }
    let db = &cx.db;
    let now = cx.now;
    let at = to_iso_datetime(now);
    let m = to_iso_month(now.date());
    let token = req.headers().get("X-Kiosk-Token")?;
    let (agency, field, procedure, kiosk, dossier) = match (token, &s.dossier) {
        (Some(token), _) => {
            let kiosk = store::rating::kiosk(db, &sha256_hex(token.trim()))
                .await?
                .ok_or(ApiError::NotAllowed("Máy khảo sát này chưa được đăng ký hoặc đã bị thu hồi. Vui lòng báo quản trị viên."))?;
            let key = format!("kiosk:{}", kiosk.id);
            let since = to_iso_datetime(now - chrono::Duration::minutes(KIOSK_WINDOW_MINUTES));
            if store::limits::attempts(db, &[&key], &at, &since).await?[0] > KIOSK_SURVEYS {
                return Err(ApiError::TooManyRequests);
            }
            (kiosk.agency_code, String::new(), String::new(), Some(kiosk.id), None)
        }
        (None, Some(code)) => {
            let code = DossierCode::parse(code).map_err(|_| ApiError::NotFound("Không tìm thấy hồ sơ với mã này."))?;
            let secret = s.secret.as_deref().ok_or_else(|| ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidBody, "Phiếu khảo sát theo hồ sơ cần mã bí mật (secret).")))?;
            let (row, _) = super::dossier::prove(req, cx, &code, secret).await?;
            let field = store::catalogue::record(db, &row.procedure_id, row.procedure_version).await?.map(|p| p.field).unwrap_or_default();
            (row.agency_code.clone(), field, row.procedure_id.clone(), None, Some(row.code.clone()))
        }
        (None, None) => {
            return Err(ApiError::NotAllowed(
                "Phiếu khảo sát chỉ nhận từ máy khảo sát tại Trung tâm hoặc từ đường dẫn trên giấy tiếp nhận hồ sơ.",
            ))
        }
    };
    let inserted = store::rating::insert_survey(
        db,
        &NewSurvey {
            at: &at,
            cell: Cell { month: &m, agency: &agency, field: &field, procedure: &procedure },
            kiosk,
            dossier: dossier.as_deref(),
            answers: [s.simplified, s.fast, s.good],
            comment,
            counters: Counters::of_survey(&s),
        },
    )
    .await?;
    if !inserted {
        return Err(ApiError::Unprocessable(ErrorBody::new(ErrorCode::InvalidTransition, "Hồ sơ này đã gửi phiếu khảo sát.")));
    }
    Ok(json(&serde_json::json!({ "status": "ok" }), None)?.with_status(201))
}

/// The months a `from`/`to` query covers (default: this month).
fn period(url: &Url, today: chrono::NaiveDate) -> ApiResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    let first = today.with_day(1).expect("day 1");
    let (from, to) = (date_param(url, "from", first)?, date_param(url, "to", today)?);
    if to < from {
        return Err(ApiError::Unprocessable(ErrorBody::new(ErrorCode::InvalidQuery, "Đến ngày phải sau từ ngày.")));
    }
    let start = from.with_day(1).expect("day 1");
    let next = if to.month() == 12 {
        chrono::NaiveDate::from_ymd_opt(to.year() + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(to.year(), to.month() + 1, 1)
    };
    let end = next.and_then(|n| n.pred_opt()).ok_or_else(|| ApiError::BadRequest(ErrorBody::from_code(ErrorCode::InvalidQuery)))?;
    Ok((start, end))
}

/// `GET /api/ratings/summary?from=&to=&field=&procedure=`: whole months, from the counters.
pub async fn summary(cx: &Cx<'_>, url: &Url) -> ApiResult<Response> {
    let (from, to) = period(url, cx.now.date())?;
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned()).filter(|v| !v.is_empty());
    let (field, procedure) = (param("field"), param("procedure"));
    for v in [&field, &procedure].into_iter().flatten() {
        // Characters, as the schema's maxLength counts them (not UTF-8 bytes).
        if v.chars().count() > 64 {
            return Err(ApiError::BadRequest(ErrorBody::new(ErrorCode::InvalidQuery, "Mã lĩnh vực hoặc thủ tục quá dài.")));
        }
    }
    let counters = store::rating::sum(&cx.db, &to_iso_month(from), &to_iso_month(to), field.as_deref(), procedure.as_deref()).await?;
    // Not cached: a survey just sent must show at once (the counters make this cheap).
    json(&counters.summary(from, to), None)
}

/// `POST /api/staff/kiosks` (admins): enrolls a survey kiosk of the admin's agency.
pub async fn enroll(req: &mut Request, cx: &Cx<'_>, staff: &Staff) -> ApiResult<Response> {
    #[derive(serde::Deserialize)]
    struct NewKiosk {
        name: String,
    }
    let k: NewKiosk = read_json(req, 1024, "Dữ liệu gửi lên phải là JSON có name.").await?;
    let name = k.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(validation(vec![FieldError { field: "name".into(), message: "Đặt tên cho máy khảo sát (tối đa 100 ký tự).".into() }]));
    }
    let token = hex(&random_bytes::<24>()?);
    let id = store::rating::enroll_kiosk(&cx.db, &sha256_hex(&token), name, &staff.agency, &to_iso_datetime(cx.now)).await?;
    Ok(json(&KioskEnrollment { id, name: name.to_owned(), token }, None)?.with_status(201))
}

/// `GET /api/staff/kiosks` (admins): the agency's kiosks, revoked ones included.
pub async fn kiosks(cx: &Cx<'_>, staff: &Staff) -> ApiResult<Response> {
    let rows = store::rating::kiosks(&cx.db, &staff.agency).await?;
    let list: Vec<Kiosk> =
        rows.into_iter().map(|r| Kiosk { id: r.id, name: r.name, created_at: r.created_at, active: r.active != 0 }).collect();
    json(&list, None)
}

/// `POST /api/staff/kiosks/{id}/revoke` (admins): a lost or retired kiosk's token stops working.
pub async fn revoke(cx: &Cx<'_>, staff: &Staff, id: &str) -> ApiResult<Response> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound("Không có máy khảo sát này."))?;
    if !store::rating::revoke_kiosk(&cx.db, &staff.agency, id).await? {
        return Err(ApiError::NotFound("Không có máy khảo sát này."));
    }
    let mut resp = Response::empty()?.with_status(204);
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

/// `GET /api/staff/ratings/officers?from=&to=` (managers): per officer and per unit of the
/// agency.
pub async fn officers(cx: &Cx<'_>, staff: &Staff, url: &Url) -> ApiResult<Response> {
    let (from, to) = period(url, cx.now.date())?;
    let db = &cx.db;
    let (from, to) = (to_iso_month(from), to_iso_month(to));
    let split = |d: String| d.split(',').map(str::to_owned).collect::<Vec<_>>();
    let officers = store::rating::officers(db, &staff.agency, &from, &to, false)
        .await?
        .into_iter()
        .map(|r| OfficerResult { username: r.key, name: r.name, evaluations: r.evaluations, satisfied: r.satisfied, dossiers: split(r.dossiers) })
        .collect();
    let units = store::rating::officers(db, &staff.agency, &from, &to, true)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(UnitResult { role: Role::parse(&r.key)?, evaluations: r.evaluations, satisfied: r.satisfied, dossiers: split(r.dossiers) })
        })
        .collect();
    json(&OfficerResults { officers, units }, None)
}

/// `GET /api/staff/ratings/check` (admins, managers): recounts every counter from the raw
/// evaluations and surveys and lists any cell that differs.
pub async fn check(cx: &Cx<'_>) -> ApiResult<Response> {
    let (evaluations, surveys, stored) = store::rating::raw(&cx.db).await?;
    let mut recount: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    let mut add = |key: String, c: Counters| {
        let cols = c.to_columns();
        let entry = recount.entry(key).or_insert_with(|| vec![0; cols.len()]);
        for (a, b) in entry.iter_mut().zip(cols) {
            *a += b;
        }
    };
    for e in &evaluations {
        let scores: Vec<u8> = e.scores.split(',').filter_map(|s| s.parse().ok()).collect();
        let (Ok(scores), Some(ease), Some(overall)) =
            (<[u8; 9]>::try_from(scores), Satisfaction::ALL.get(usize::from(e.ease)), Satisfaction::ALL.get(usize::from(e.overall)))
        else {
            return Err(ApiError::Internal("evaluation row: bad scores".into()));
        };
        add(format!("{}|{}|{}|{}", e.month, e.agency_code, e.field_id, e.procedure_id), Counters::of_evaluation(&scores, *ease, *overall));
    }
    for s in &surveys {
        let req = SurveyRequest { simplified: s.simplified != 0, fast: s.fast != 0, good: s.good != 0, comment: String::new(), dossier: None, secret: None };
        add(format!("{}|{}|{}|{}", s.month, s.agency_code, s.field_id, s.procedure_id), Counters::of_survey(&req));
    }
    let stored: std::collections::BTreeMap<String, Vec<u32>> = stored.into_iter().map(|(k, c)| (k, c.to_columns())).collect();
    check_answer(&recount, &stored)
}
