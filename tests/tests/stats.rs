//! The public statistics: counters kept with every workflow event equal a recount of the raw
//! history after a random mixed workload; the CSV export; refusals of bad parameters.

use motcua_core::dossier::Receipt;
use motcua_core::stats::Stats;
use motcua_tests::{get, post_bytes, post_json, Session};
use serde_json::json;

/// Online, 3 working days, delegated approval (SNV); used by this file only.
const PROCEDURE: &str = "1.014197";

fn key(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("stats-{tag}-{nanos}-{}", std::process::id())
}

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn act(user: &Session, code: &str, version: u32, mut body: serde_json::Value) {
    body["version"] = json!(version);
    let a = user.post(&format!("/api/staff/dossiers/{code}/actions"), &body);
    assert_eq!(a.status, 200, "{body}: {}", a.body);
}

fn stats(today: &str) -> Stats {
    stats_of(today, today)
}

fn stats_of(from: &str, to: &str) -> Stats {
    let a = get(&format!("/api/stats?from={from}&to={to}&procedure={PROCEDURE}"));
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
}

/// The months around `today` (YYYY-MM-DD): the whole month before it, its own, and the one
/// after, as a period read from the monthly sums; and the same period a day shorter at each
/// end, read from days around whole months.
fn around(today: &str) -> [(String, String); 2] {
    use chrono::{Datelike, Months, NaiveDate};
    let day: NaiveDate = today.parse().unwrap();
    let first = day.with_day(1).unwrap() - Months::new(1);
    let last = day.with_day(1).unwrap() + Months::new(2) - chrono::Duration::days(1);
    let inner = (first + chrono::Duration::days(1), last - chrono::Duration::days(1));
    [(first.to_string(), last.to_string()), (inner.0.to_string(), inner.1.to_string())]
}

/// The tests of this file read the same procedure's counts before and after their work: one
/// at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn submit(name: &str) -> Receipt {
    let a = post_json("/api/dossiers", &json!({ "procedure": PROCEDURE, "idempotency_key": key("d"), "answers": {
        "full_name": name, "birth_date": "1991-01-01", "cccd": "022191012345", "phone": "0913 000 111",
        "address": "Hạ Long", "delivery": "centre" } }));
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()
}

fn consistent() {
    let check: serde_json::Value = Session::login("lanhdao").get("/api/staff/stats/check").json();
    assert_eq!(check["consistent"], json!(true), "{check}");
}

#[test]
fn a_dossier_waiting_for_its_supplement_counts_apart_and_returns_to_the_held_ones() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let r = submit("Đinh Thị Chờ Bổ Sung");
    let (code, today) = (r.code.as_str(), r.submitted_at.date().to_string());
    // Held by the department (within time or overdue), and waiting for the applicant.
    let counts = || {
        let s = stats(&today);
        (s.pending_within + s.pending_overdue, s.waiting_applicant)
    };
    let (held, waiting) = counts();
    let (reception, specialist) = (Session::login("tiepnhan"), Session::login("thamdinh"));
    act(&reception, code, 1, json!({ "action": "accept" }));
    assert_eq!(counts(), (held + 1, waiting), "received: held by the department");
    consistent();
    act(&specialist, code, 2, json!({ "action": "request_supplement", "comment": "Thiếu bản sao giấy tờ" }));
    assert_eq!(counts(), (held, waiting + 1), "the clock stopped: neither within time nor overdue");
    consistent();
    let up = post_bytes("/api/uploads", "application/pdf", b"%PDF-1.4\n% bo sung\n%%EOF\n");
    let upload = up.json::<serde_json::Value>()["id"].as_str().unwrap().to_owned();
    let a = post_json(&format!("/api/dossiers/{code}/supplement"), &json!({ "secret": r.secret, "documents": [{ "upload": upload }] }));
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(counts(), (held + 1, waiting), "answered: held again");
    consistent();
    let a = post_json(&format!("/api/dossiers/{code}/withdraw"), &json!({ "secret": r.secret }));
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(counts(), (held, waiting), "withdrawn: out of the department's hands");
    consistent();
}

#[test]
fn counters_equal_a_recount_after_a_random_mixed_workload() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    println!("workload seed {seed}");
    let mut rng = Lcg(seed);
    let (reception, specialist, approver, desk) =
        (Session::login("tiepnhan"), Session::login("thamdinh"), Session::login("pheduyet"), Session::login("traketqua"));
    let first: Receipt = post_json("/api/dossiers", &json!({ "procedure": PROCEDURE, "idempotency_key": key("probe"), "answers": {
        "full_name": "Võ Thị Số Liệu", "birth_date": "1991-01-01", "cccd": "022191012345", "phone": "0913 000 111",
        "address": "Hạ Long", "delivery": "centre" } }))
    .json();
    let today = first.submitted_at.date().to_string();
    let before = stats(&today);
    let periods = around(&today);
    let before_around = periods.clone().map(|(a, b)| stats_of(&a, &b));
    let (mut received, mut refused, mut resolved, mut pending, mut withdrawn) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let n = 6 + rng.below(6);
    for i in 0..n {
        let r: Receipt = if i == 0 {
            first.clone()
        } else {
            post_json("/api/dossiers", &json!({ "procedure": PROCEDURE, "idempotency_key": key("d"), "answers": {
                "full_name": "Võ Thị Số Liệu", "birth_date": "1991-01-01", "cccd": "022191012345", "phone": "0913 000 111",
                "address": "Hạ Long", "delivery": "centre" } }))
            .json()
        };
        let code = r.code.as_str();
        match rng.below(6) {
            // Withdrawn by the applicant before anyone received it.
            5 => {
                let a = post_json(&format!("/api/dossiers/{code}/withdraw"), &json!({ "secret": r.secret }));
                assert_eq!(a.status, 200, "{}", a.body);
                withdrawn += 1;
            }
            // Left new: not received yet, counts nowhere.
            0 => {}
            // Refused at reception.
            1 => {
                act(&reception, code, 1, json!({ "action": "refuse", "comment": "Không thuộc thẩm quyền" }));
                refused += 1;
            }
            // Received, then stopped at appraisal.
            2 => {
                act(&reception, code, 1, json!({ "action": "accept" }));
                act(&specialist, code, 2, json!({ "action": "refuse", "comment": "Không đủ điều kiện" }));
                received += 1;
                refused += 1;
            }
            // Received and still in progress.
            3 => {
                act(&reception, code, 1, json!({ "action": "accept" }));
                received += 1;
                pending += 1;
            }
            // Through to the result.
            _ => {
                act(&reception, code, 1, json!({ "action": "accept" }));
                act(&specialist, code, 2, json!({ "action": "pass_on" }));
                act(&approver, code, 3, json!({ "action": "approve" }));
                act(&desk, code, 4, json!({ "action": "record_result", "result_number": "1/GP", "result_date": today }));
                received += 1;
                resolved += 1;
            }
        }
    }
    let after = stats(&today);
    assert_eq!(after.totals.received_online - before.totals.received_online, received);
    assert_eq!(after.totals.refused - before.totals.refused, refused);
    assert_eq!(after.totals.withdrawn - before.totals.withdrawn, withdrawn);
    assert_eq!(after.totals.resolved() - before.totals.resolved(), resolved);
    assert_eq!(after.totals.resolved_late, before.totals.resolved_late, "nothing here was late");
    assert_eq!(after.pending_within + after.pending_overdue - before.pending_within - before.pending_overdue, pending);
    assert!(after.headline.contains("hồ sơ TTHC") || after.headline.contains("chưa giải quyết"), "{}", after.headline);
    // Periods of whole months (read from the monthly sums) and of days around them count the
    // same: today's work, in its month's row.
    let month = &today[..7];
    for (p, b) in periods.iter().zip(&before_around) {
        let a = stats_of(&p.0, &p.1);
        let grew = |f: fn(&Stats) -> u32| f(&a) - f(b);
        assert_eq!(grew(|s| s.totals.received_online), received, "{p:?}");
        assert_eq!(grew(|s| s.totals.refused), refused, "{p:?}");
        assert_eq!(grew(|s| s.totals.withdrawn), withdrawn, "{p:?}");
        assert_eq!(grew(|s| s.totals.resolved()), resolved, "{p:?}");
        let in_month = |s: &Stats| s.by_month.iter().find(|r| r.key == month).map_or(0, |r| r.counters.received_online);
        assert_eq!(in_month(&a) - in_month(b), received, "{p:?}: {:?}", a.by_month);
        let fields = |s: &Stats| s.by_field.iter().map(|r| r.counters.received_online).sum::<u32>();
        assert_eq!(fields(&a) - fields(b), received, "{p:?}: {:?}", a.by_field);
    }
    // Every cell of every day equals a recount from the raw history.
    let check: serde_json::Value = Session::login("lanhdao").get("/api/staff/stats/check").json();
    assert_eq!(check["consistent"], json!(true), "{check}");
    assert_eq!(Session::login("thamdinh").get("/api/staff/stats/check").status, 403);
}

#[test]
fn the_csv_export_carries_every_table() {
    // Other tests write at the same time: compare the CSV with the JSON of a moment when
    // nothing changed around it (the same JSON just before and just after).
    let (a, json) = (0..20)
        .find_map(|_| {
            let before: Stats = get("/api/stats").json();
            let a = get("/api/stats?format=csv");
            let after: Stats = get("/api/stats").json();
            (before == after).then_some((a, after))
        })
        .expect("a quiet moment");
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(a.header("content-disposition").is_some_and(|d| d.contains("attachment")));
    let mut reader = csv::Reader::from_reader(a.body.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "bang");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let total = rows.iter().find(|r| &r[0] == "tong").expect("the totals row");
    assert_eq!(total[3].parse::<u32>().unwrap(), json.totals.received_online);
    assert_eq!(rows.iter().filter(|r| &r[0] == "thang").count(), json.by_month.len());
    assert_eq!(rows.iter().filter(|r| &r[0] == "linh_vuc").count(), json.by_field.len());
}

#[test]
fn bad_parameters_are_refused_with_a_message() {
    for (q, status) in [("from=2026-13-01", 400), ("format=xml", 400), ("from=2026-06-01&to=2026-05-01", 422)] {
        let a = get(&format!("/api/stats?{q}"));
        assert_eq!(a.status, status, "{q}: {}", a.body);
        assert!(!a.json::<motcua_core::ErrorBody>().message.is_empty());
    }
    let year: Stats = get("/api/stats?from=2019-01-01&to=2019-03-31").json();
    assert!(year.headline.starts_with("Quý I/2019, "), "{}", year.headline);
}

#[test]
fn managers_see_on_time_rates_per_desk_and_officer_and_the_register_as_csv() {
    // One measured hand-over by each desk of the Department of Home Affairs (another procedure
    // than the workload test's, which counts its own).
    let r: Receipt = post_json("/api/dossiers", &json!({ "procedure": "1.014200", "idempotency_key": key("rates"), "answers": {
        "full_name": "Lương Văn Tiến Độ", "birth_date": "1991-01-01", "cccd": "022191012345", "phone": "0913 000 222",
        "address": "Hạ Long", "delivery": "centre" } }))
    .json();
    let code = r.code.as_str();
    act(&Session::login("tiepnhan"), code, 1, json!({ "action": "accept" }));
    act(&Session::login("thamdinh"), code, 2, json!({ "action": "pass_on" }));
    let manager = Session::login("lanhdao");
    let m: motcua_core::stats::ManagerStats = manager.get("/api/staff/stats").json();
    for user in ["tiepnhan", "thamdinh"] {
        let o = m.officers.iter().find(|o| o.key == user).unwrap_or_else(|| panic!("{user} in {:?}", m.officers));
        assert!(o.early + o.on_time + o.late >= 1);
        assert!(o.on_time_permille.is_some());
    }
    for desk in ["reception", "specialist"] {
        assert!(m.units.iter().any(|u| u.key == desk), "{desk} in {:?}", m.units);
    }
    let now: motcua_core::calendar::DueEstimate = get("/api/calendar/due?days=1").json();
    assert!(m.overdue.iter().all(|o| o.due_at < now.from), "overdue means past its due instant");
    assert_eq!(Session::login("thamdinh").get("/api/staff/stats").status, 403);

    // The register (slip 06) of today as CSV lists this dossier.
    let today = r.submitted_at.date().to_string();
    let csv = manager.get(&format!("/api/staff/register?from={today}&to={today}&format=csv"));
    assert_eq!((csv.status, csv.header("content-type")), (200, Some("text/csv; charset=utf-8")));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    assert_eq!(&reader.headers().unwrap()[1], "ma_ho_so");
    assert!(reader.records().map(Result::unwrap).any(|rec| &rec[1] == code));
}

#[test]
fn the_applicant_withdraws_an_open_dossier_once() {
    let r: Receipt = post_json("/api/dossiers", &json!({ "procedure": "1.014201", "idempotency_key": key("withdraw"), "answers": {
        "full_name": "Trịnh Văn Rút", "birth_date": "1991-01-01", "cccd": "022191012345", "phone": "0913 000 333",
        "address": "Hạ Long", "delivery": "centre" } }))
    .json();
    let path = format!("/api/dossiers/{}/withdraw", r.code.as_str());
    assert_eq!(post_json(&path, &json!({ "secret": "sai" })).status, 403);
    assert_eq!(post_json(&path, &json!({ "phone": "0913000333" })).status, 400, "a phone number is no proof");
    let a = post_json(&path, &json!({ "secret": r.secret }));
    assert_eq!(a.status, 200, "{}", a.body);
    let status: motcua_core::tracking::PublicStatus = get(&format!("/api/dossiers/{}", r.code.as_str())).json();
    assert_eq!(status.status, motcua_core::dossier::DossierStatus::Withdrawn);
    assert_eq!(status.timeline.last().map(|e| e.action), Some(motcua_core::workflow::Action::Withdraw));
    assert_eq!(post_json(&path, &json!({ "secret": r.secret })).status, 422, "already closed");
    // Staff can no longer act on it.
    let d: motcua_core::workflow::views::StaffDossier = Session::login("tiepnhan").get(&format!("/api/staff/dossiers/{}", r.code.as_str())).json();
    assert!(d.actions.is_empty());
}
