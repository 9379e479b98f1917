//! Times in days as the Civil Code counts them (issue #17): the due-date estimate by unit, a
//! merit procedure in days from online submission through the workflow, a chain of the
//! commune's working days and the department's days, and a change of unit in a new version
//! that old dossiers do not follow.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use motcua_core::calendar::{DueEstimate, Leg, Term, Timeliness, YearCalendar};
use motcua_core::catalogue::version::ProcedurePage;
use motcua_core::dossier::{DossierStatus, Receipt};
use motcua_core::tracking::PrivateView;
use motcua_core::workflow::views::StaffDossier;
use motcua_tests::{get, get_query, post_bytes, post_json, today_and_tomorrow, Session};
use serde_json::json;

/// NĐ 131/2021 Điều 43: the department alone, 12 days.
const IN_DAYS: &str = "1.010808";
/// NĐ 131/2021 Điều 30: the commune's 5 working days, then the department's 12 days.
const CHAINED: &str = "1.010804";
/// NĐ 131/2021 Điều 44: 12 days; its unit is changed by an admin below (no other test uses it).
const RECOUNTED: &str = "1.010809";

fn key(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("days-{}-{nanos}-{}", tag.replace('.', "_"), std::process::id())
}

fn due(pairs: &[(&str, &str)]) -> DueEstimate {
    let a = get_query("/api/calendar/due", pairs);
    assert_eq!(a.status, 200, "{pairs:?}: {}", a.body);
    a.json()
}

fn at(s: &str) -> NaiveDateTime {
    motcua_core::date::parse_iso_datetime(s).unwrap()
}

/// Periods worked out by hand from the Civil Code (arts. 147–148) and the published calendar.
#[test]
fn the_estimate_counts_days_as_the_civil_code_does() {
    // Friday 4 Dec 2026: the period starts Saturday; its twelfth day is Wednesday 16 Dec.
    let e = due(&[("days", "12"), ("unit", "calendar"), ("from", "2026-12-04T09:00")]);
    assert_eq!(e.due, at("2026-12-16T17:00"));
    assert_eq!(e.leg, Leg::Calendar { days: 12 });
    // The twelfth day after Monday 2 Feb 2026 is the first day of Tết (14–22 Feb): Monday 23.
    assert_eq!(due(&[("days", "12"), ("unit", "calendar"), ("from", "2026-02-02T10:00")]).due, at("2026-02-23T17:00"));
    // The same twelve as working days end later, and working is the default unit.
    let working = due(&[("days", "12"), ("from", "2026-12-04T09:00")]);
    assert_eq!(working.leg, Leg::working_days(12));
    assert!(working.due > e.due);
    // New Year's Day 2027 ends the period: the next working day, in a year no decision has
    // fixed yet, which the answer says.
    let e = due(&[("days", "9"), ("unit", "calendar"), ("from", "2026-12-23T10:00")]);
    assert_eq!(e.due, at("2027-01-04T17:00"));
    assert_eq!(e.provisional_year, Some(2027));
    assert_eq!(due(&[("days", "12"), ("unit", "calendar"), ("from", "2026-12-04T09:00")]).provisional_year, None);
    for bad in [&[("days", "12"), ("unit", "weeks")][..], &[("days", "366"), ("unit", "calendar")]] {
        assert_eq!(get_query("/api/calendar/due", bad).status, 400, "{bad:?}");
    }
    // Well formed, but a day in calendar time is whole.
    assert_eq!(get_query("/api/calendar/due", &[("days", "0,5"), ("unit", "calendar")]).status, 422);
}

/// Every day of `year` as the calendar API publishes it.
fn working_days(year: i32) -> Vec<(NaiveDate, bool)> {
    let y: YearCalendar = get(&format!("/api/calendar/{year}")).json();
    y.days.into_iter().map(|d| (d.date, d.working)).collect()
}

fn is_working(day: NaiveDate) -> bool {
    working_days(day.year()).into_iter().find(|(d, _)| *d == day).expect("a day of the year").1
}

/// Art. 148 checked against the published calendar, not recomputed: a period of `days` counted
/// from the day of `counted_from` ends at 17:00 of a working day, no earlier than its last day,
/// and every day between that last day and the end is a day off.
fn ends_as_the_code_says(counted_from: NaiveDateTime, days: u16, end: NaiveDateTime) {
    let last = counted_from.date() + Duration::days(i64::from(days));
    assert_eq!(end.time(), chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap(), "{end}: the close of office");
    assert!(end.date() >= last && is_working(end.date()), "{end} for a last day {last}");
    let mut d = last;
    while d < end.date() {
        assert!(!is_working(d), "{d} is a working day before the end {end}");
        d += Duration::days(1);
    }
}

/// One uploaded PDF per mandatory paper of `procedure`, as the phone form attaches them.
fn papers(procedure: &str) -> serde_json::Value {
    let page: ProcedurePage = get(&format!("/api/procedures/{procedure}")).json();
    let attached: Vec<serde_json::Value> = page
        .procedure
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.mandatory)
        .map(|(i, _)| {
            let up = post_bytes("/api/uploads", "application/octet-stream", b"%PDF-1.4\n% giay to nguoi co cong\n%%EOF\n");
            assert_eq!(up.status, 201, "{}", up.body);
            json!({ "upload": up.json::<serde_json::Value>()["id"], "document": i })
        })
        .collect();
    assert!(!attached.is_empty(), "{procedure} publishes its papers");
    serde_json::Value::Array(attached)
}

fn submit(procedure: &str, name: &str) -> Receipt {
    let answers = json!({
        "full_name": name, "birth_date": "1952-03-02", "cccd": "022152012345",
        "phone": "0912 000 222", "address": "Phường Hồng Gai, Hạ Long, Quảng Ninh", "delivery": "centre"
    });
    let a = post_json("/api/dossiers", &json!({ "procedure": procedure, "idempotency_key": key(procedure), "answers": answers, "documents": papers(procedure) }));
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()
}

fn staff_view(s: &Session, code: &str) -> StaffDossier {
    let a = s.get(&format!("/api/staff/dossiers/{code}"));
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
}

fn act(s: &Session, code: &str, body: serde_json::Value) -> StaffDossier {
    let a = s.post(&format!("/api/staff/dossiers/{code}/actions"), &body);
    assert_eq!(a.status, 200, "{body}: {}", a.body);
    a.json()
}

#[test]
fn a_merit_procedure_in_days_is_received_online_and_handled_on_its_days() {
    let page: ProcedurePage = get(&format!("/api/procedures/{IN_DAYS}")).json();
    assert_eq!(page.procedure.online_term(), Some(Term::single(Leg::Calendar { days: 12 })));
    let r = submit(IN_DAYS, "Vũ Văn Mười Hai");
    assert_eq!((r.term.clone(), r.days), (Term::single(Leg::Calendar { days: 12 }), 12));
    assert_eq!(r.status, DossierStatus::New);

    let (reception, specialist) = (Session::login("tiepnhan"), Session::login("thamdinh"));
    let d = act(&reception, r.code.as_str(), json!({ "action": "accept", "version": 1 }));
    assert_eq!(d.term, Term::single(Leg::Calendar { days: 12 }));
    ends_as_the_code_says(d.counted_from, 12, d.due_at);
    // Each phase ends at the close of a working day, in order, the last at the dossier's end.
    assert_eq!(d.phase_dues.len(), 4);
    for p in &d.phase_dues {
        assert!(p.due.time() == chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap() && is_working(p.due.date()), "{p:?}");
    }
    assert!(d.phase_dues.windows(2).all(|w| w[0].due <= w[1].due));
    assert_eq!(d.phase_dues.last().map(|p| p.due), Some(d.due_at));
    // Reception handed over at once: early against its share of the days.
    assert!(matches!(d.history[1].timeliness, Some(Timeliness::Early { .. })), "{:?}", d.history[1]);

    // A supplement asked and answered the same day waits no day: the date does not move (in
    // working time it would move by the minutes waited).
    let due_before = d.due_at;
    let d = act(&specialist, r.code.as_str(), json!({ "action": "request_supplement", "version": d.version, "comment": "Thiếu bản sao giấy chứng nhận", "missing": [0] }));
    assert_eq!(d.status, DossierStatus::SupplementRequested);
    let up = post_bytes("/api/uploads", "application/octet-stream", b"%PDF-1.4\n% bo sung\n%%EOF\n");
    let id = up.json::<serde_json::Value>()["id"].as_str().unwrap().to_owned();
    let a = post_json(&format!("/api/dossiers/{}/supplement", r.code.as_str()), &json!({ "secret": r.secret, "documents": [{ "upload": id }] }));
    assert_eq!(a.status, 200, "{}", a.body);
    let view: PrivateView = a.json();
    assert_eq!(view.status.due_at, due_before);
    let d = act(&specialist, r.code.as_str(), json!({ "action": "pass_on", "version": staff_view(&specialist, r.code.as_str()).version }));
    assert!(matches!(d.history.last().and_then(|e| e.timeliness), Some(Timeliness::Early { .. })));
    assert_eq!(d.due_at, due_before);
}

#[test]
fn the_commune_and_the_department_chain_their_steps() {
    let page: ProcedurePage = get(&format!("/api/procedures/{CHAINED}")).json();
    let chain = Term::new(vec![Leg::working_days(5), Leg::Calendar { days: 12 }]).unwrap();
    assert_eq!(page.procedure.online_term(), Some(chain.clone()));
    let facts = page.procedure.facts(motcua_core::Lang::Vi);
    let time = facts.iter().find(|(l, _)| *l == "Thời hạn giải quyết (nộp trực tuyến)").and_then(|f| f.1.clone());
    assert_eq!(time.as_deref(), Some("5 ngày làm việc + 12 ngày"));
    let r = submit(CHAINED, "Lý Thị Hai Bước");
    assert_eq!(r.term, chain);
    // The department's twelve days start when the commune's five working days end. Received
    // during office hours (07:00–17:00 on a working day), part of that day counts and the five
    // end on the sixth working day: seventeen days in all at least. Received before the office
    // opens, that day is the first of the five: sixteen.
    let t = r.submitted_at.time();
    let in_office = is_working(r.submitted_at.date()) && t >= chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap() && t < chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap();
    let least = if in_office { 17 } else if t < chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap() { 16 } else { 17 };
    assert!(r.due_at.date() >= r.submitted_at.date() + Duration::days(least), "{r:?}");
    assert!(r.due_at.time() == chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap() && is_working(r.due_at.date()));
}

#[test]
fn a_new_unit_in_a_new_version_leaves_dossiers_already_received_alone() {
    let admin = Session::login("quantri");
    let (today, _) = today_and_tomorrow();
    let old = submit(RECOUNTED, "Đinh Văn Cũ");
    assert_eq!(old.term, Term::single(Leg::Calendar { days: 12 }));

    let editable: motcua_core::catalogue::version::Editable = admin.get(&format!("/api/staff/catalogue/procedures/{RECOUNTED}")).json();
    let mut draft = editable.latest.clone();
    draft.calendar_days = false;
    // The province also shortens it: the statutory 15 working days become 12.
    draft.days_statutory = Some(15);
    let kpis = || get("/api/catalogue/kpis").json::<motcua_core::kpi::CatalogueKpis>();
    let shortened_before = kpis().shortened;
    let decision = json!({ "number": format!("{}/QĐ-UBND", key("don-vi")), "date": today.to_string(), "effective_from": today.to_string() });
    let preview = admin.post("/api/staff/catalogue/preview", &json!({ "procedure": draft, "decision": decision }));
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("12 ngày làm việc"), "the preview shows the new unit: {}", preview.body);
    let a = admin.post("/api/staff/catalogue/publish", &json!({ "procedure": draft, "decision": decision }));
    assert_eq!(a.status, 200, "{}", a.body);

    // Both times on the page; the indicator of shortened procedures counts it.
    let page: ProcedurePage = get(&format!("/api/procedures/{RECOUNTED}")).json();
    let facts = page.procedure.facts(motcua_core::Lang::Vi);
    let fact = |label: &str| facts.iter().find(|(l, _)| *l == label).and_then(|f| f.1.clone());
    assert_eq!(fact("Thời hạn giải quyết (nộp trực tuyến)").as_deref(), Some("12 ngày làm việc"));
    assert_eq!(fact("Thời hạn theo quy định").as_deref(), Some("15 ngày làm việc"));
    assert_eq!(kpis().shortened, shortened_before + 1);

    let new = submit(RECOUNTED, "Đinh Văn Mới");
    assert_eq!(new.term, Term::working_days(12));
    let reception = Session::login("tiepnhan");
    let kept = staff_view(&reception, old.code.as_str());
    assert_eq!((kept.term, kept.due_at), (Term::single(Leg::Calendar { days: 12 }), old.due_at));
    // Accepted after the change, it still counts in days.
    let d = act(&reception, old.code.as_str(), json!({ "action": "accept", "version": 1 }));
    assert_eq!(d.term, Term::single(Leg::Calendar { days: 12 }));
    ends_as_the_code_says(d.counted_from, 12, d.due_at);
}
