//! Evaluations (once per returned dossier, by its applicant), walk-in surveys (enrolled kiosks
//! or a receipt's link, once), and the published summary, checked against a recount.

use motcua_core::dossier::Receipt;
use motcua_core::tracking::PrivateView;
use motcua_core::rating::{Evaluation, KioskEnrollment, RatingSummary};
use motcua_core::accounts::Role;
use motcua_core::{ErrorBody, ErrorCode};
use motcua_tests::{agent, base_url, get, post_json, Session};
use serde_json::json;

/// 3-step, at the Department of Health; used by this file only, so its summary is ours.
const PROCEDURE: &str = "2.000282";

fn key(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("rate-{tag}-{nanos}-{}", std::process::id())
}

/// A walk-in dossier taken to "result returned" by the desk of the Department of Health.
fn returned_dossier(desk: &Session) -> Receipt {
    let a = desk.post("/api/staff/dossiers", &json!({ "procedure": PROCEDURE, "idempotency_key": key("d"), "answers": {
        "full_name": "Hà Thị Đánh Giá", "birth_date": "1985-04-04", "cccd": "022185012345", "phone": "0911 222 333",
        "address": "Phường Cao Xanh, Hạ Long", "delivery": "centre" } }));
    assert_eq!(a.status, 201, "{}", a.body);
    let r: Receipt = a.json();
    let code = r.code.as_str();
    let today = r.submitted_at.date().to_string();
    for (version, body) in [
        (1, json!({ "action": "pass_on" })),
        (2, json!({ "action": "record_result", "result_number": "5/QĐ-SYT", "result_date": today })),
        (3, json!({ "action": "return" })),
    ] {
        let mut body = body;
        body["version"] = json!(version);
        let a = desk.post(&format!("/api/staff/dossiers/{code}/actions"), &body);
        assert_eq!(a.status, 200, "{body}: {}", a.body);
    }
    r
}

fn evaluate(code: &str, proof: serde_json::Value, answers: [u8; 4], overall: &str) -> motcua_tests::Answer {
    let mut body = json!({ "contacts": answers[0], "agencies": answers[1], "attitude": answers[2], "feedback": answers[3],
        "ease": "satisfied", "overall": overall, "comment": "Cán bộ hướng dẫn tận tình" });
    for (k, v) in proof.as_object().unwrap() {
        body[k] = v.clone();
    }
    post_json(&format!("/api/dossiers/{code}/evaluation"), &body)
}

#[test]
fn a_returned_dossier_is_evaluated_once_by_its_applicant() {
    let desk = Session::login("canbo.syt");
    // Not returned yet: nothing to evaluate.
    let a = desk.post("/api/staff/dossiers", &json!({ "procedure": PROCEDURE, "idempotency_key": key("early"), "answers": {
        "full_name": "Hà Văn Sớm", "birth_date": "1985-04-04", "cccd": "022085012345", "phone": "0911 222 444",
        "address": "Hạ Long", "delivery": "centre" } }));
    let early: Receipt = a.json();
    let too_early = evaluate(early.code.as_str(), json!({ "secret": early.secret }), [2, 2, 2, 2], "satisfied");
    assert_eq!(too_early.status, 422);
    assert_eq!(too_early.json::<ErrorBody>().code, ErrorCode::InvalidTransition);

    let r = returned_dossier(&desk);
    let code = r.code.as_str();
    assert_eq!(evaluate(code, json!({ "secret": "sai-ma" }), [2, 2, 2, 2], "satisfied").status, 403);
    assert_eq!(evaluate(code, json!({}), [2, 2, 2, 2], "satisfied").status, 400);
    let bad = evaluate(code, json!({ "secret": r.secret }), [3, 2, 2, 2], "satisfied");
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json::<ErrorBody>().fields[0].field, "contacts");
    // A phone number is no proof (issue #15); the receipt's secret is.
    assert_eq!(evaluate(code, json!({ "phone": "0911222333" }), [2, 1, 2, 2], "very_satisfied").status, 400);
    let ok = evaluate(code, json!({ "secret": r.secret }), [2, 1, 2, 2], "very_satisfied");
    assert_eq!(ok.status, 201, "{}", ok.body);
    let e: Evaluation = ok.json();
    // Computed from the record as staff see it: (1) how the return compared with the due date,
    // (2) the worst hand-over of any unit (early 2, on time 1, late 0); through the one-stop
    // office (2); a published procedure (2); not online (0). Asked: 2, 1, 2, 2.
    let d: motcua_core::workflow::views::StaffDossier = desk.get(&format!("/api/staff/dossiers/{code}")).json();
    let score = |t: &motcua_core::calendar::Timeliness| match t {
        motcua_core::calendar::Timeliness::Early { .. } => 2,
        motcua_core::calendar::Timeliness::OnTime => 1,
        motcua_core::calendar::Timeliness::Late { .. } => 0,
    };
    let total = d.history.last().and_then(|e| e.timeliness.as_ref()).map(score).expect("the return is measured");
    let worst = d.history.iter().filter_map(|e| e.timeliness.as_ref()).map(score).min().unwrap();
    assert_eq!(e.scores, [total, worst, 2, 1, 2, 2, 2, 2, 0]);
    let again = evaluate(code, json!({ "secret": r.secret }), [0, 0, 0, 0], "not_satisfied");
    assert_eq!(again.status, 422, "a second evaluation is refused");
    let view: PrivateView = post_json(&format!("/api/dossiers/{code}/lookup"), &json!({ "secret": r.secret })).json();
    assert_eq!(view.evaluation.map(|e| e.scores), Some(e.scores));
}

fn survey(token: Option<&str>, body: serde_json::Value) -> u16 {
    let mut req = agent().post(format!("{}/api/surveys", base_url()));
    if let Some(t) = token {
        req = req.header("X-Kiosk-Token", t);
    }
    req.send_json(body).unwrap().status().as_u16()
}

#[test]
fn surveys_come_from_enrolled_kiosks_or_a_receipt_once() {
    let answers = json!({ "simplified": true, "fast": true, "good": true });
    assert_eq!(survey(None, answers.clone()), 403, "an unknown device");
    assert_eq!(survey(Some("khong-phai-ma-may"), answers.clone()), 403);
    let admin = Session::login("quantri");
    assert_eq!(Session::login("tiepnhan").post("/api/staff/kiosks", &json!({ "name": "Quầy 1" })).status, 403);
    let enrolled = admin.post("/api/staff/kiosks", &json!({ "name": "Máy khảo sát quầy Sở Nội vụ" }));
    assert_eq!(enrolled.status, 201, "{}", enrolled.body);
    let kiosk: KioskEnrollment = enrolled.json();
    // A kiosk sends up to 30 surveys in 10 minutes; a script that floods it is stopped.
    let mut statuses = Vec::new();
    for _ in 0..31 {
        statuses.push(survey(Some(&kiosk.token), answers.clone()));
    }
    assert_eq!(&statuses[..30], &[201; 30]);
    assert_eq!(statuses[30], 429);
    // From a receipt's link: the dossier's secret, once.
    let r: Receipt = post_json("/api/dossiers", &json!({ "procedure": "1.014199", "idempotency_key": key("survey"), "answers": {
        "full_name": "Phan Văn Khảo", "birth_date": "1990-05-01", "cccd": "022090012345", "phone": "0912 000 999",
        "address": "Hạ Long", "delivery": "centre" } }))
    .json();
    let by_receipt = |secret: &str| survey(None, json!({ "simplified": true, "fast": false, "good": true, "dossier": r.code.as_str(), "secret": secret }));
    assert_eq!(by_receipt("sai"), 403);
    assert_eq!(by_receipt(&r.secret), 201);
    assert_eq!(by_receipt(&r.secret), 422, "once per dossier");
}

/// A small deterministic generator: the workload differs per run, and the test reports the seed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn the_summary_equals_a_recount_after_a_random_workload() {
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    println!("workload seed {seed}");
    let mut rng = Lcg(seed);
    let desk = Session::login("canbo.syt");
    let summary = || -> RatingSummary { get(&format!("/api/ratings/summary?procedure={PROCEDURE}")).json() };
    let before = summary();
    let (mut overall, mut contacts, mut surveys, mut all_yes) = ([0u32; 3], [0u32; 3], 0, 0);
    let n = 6 + rng.below(5);
    for _ in 0..n {
        let r = returned_dossier(&desk);
        let answers = [rng.below(3) as u8, rng.below(3) as u8, rng.below(3) as u8, rng.below(3) as u8];
        let o = ["very_satisfied", "satisfied", "not_satisfied"][rng.below(3) as usize];
        assert_eq!(evaluate(r.code.as_str(), json!({ "secret": r.secret }), answers, o).status, 201);
        overall[["very_satisfied", "satisfied", "not_satisfied"].iter().position(|x| *x == o).unwrap()] += 1;
        contacts[2 - usize::from(answers[0])] += 1;
        if rng.below(2) == 0 {
            let yes = [rng.below(2) == 0, rng.below(2) == 0, rng.below(2) == 0];
            let body = json!({ "simplified": yes[0], "fast": yes[1], "good": yes[2], "dossier": r.code.as_str(), "secret": r.secret });
            assert_eq!(survey(None, body), 201);
            surveys += 1;
            all_yes += u32::from(yes.iter().all(|y| *y));
        }
    }
    let after = summary();
    assert_eq!(after.evaluations - before.evaluations, n as u32);
    for i in 0..3 {
        assert_eq!(after.overall[i] - before.overall[i], overall[i], "overall satisfaction, option {i}");
        assert_eq!(after.indices[2].counts[i] - before.indices[2].counts[i], contacts[i], "contacts, score {}", 2 - i);
    }
    assert_eq!(after.surveys - before.surveys, surveys);
    assert_eq!(after.survey_all - before.survey_all, all_yes);
    for index in &after.indices {
        assert_eq!(index.counts.iter().sum::<u32>(), after.evaluations, "{}", index.label);
    }
    // And every counter of every cell equals a recount from the raw rows.
    let check: serde_json::Value = Session::login("quantri").get("/api/staff/ratings/check").json();
    assert_eq!(check["consistent"], json!(true), "{check}");
    assert_eq!(Session::login("tiepnhan").get("/api/staff/ratings/check").status, 403);
}

#[test]
fn managers_see_results_per_officer_with_the_dossiers_behind() {
    // An online dossier of the Department of Home Affairs through its four steps.
    let r: Receipt = post_json("/api/dossiers", &json!({ "procedure": "1.014199", "idempotency_key": key("officer"), "answers": {
        "full_name": "Đinh Văn Cán", "birth_date": "1990-05-01", "cccd": "022090012345", "phone": "0912 000 888",
        "address": "Hạ Long", "delivery": "centre" } }))
    .json();
    let code = r.code.as_str();
    let today = r.submitted_at.date().to_string();
    let steps = [
        ("tiepnhan", json!({ "action": "accept" })),
        ("thamdinh", json!({ "action": "pass_on" })),
        ("pheduyet", json!({ "action": "approve" })),
        ("traketqua", json!({ "action": "record_result", "result_number": "9/GP-SNV", "result_date": today })),
        ("traketqua", json!({ "action": "return" })),
    ];
    for (version, (user, mut body)) in steps.into_iter().enumerate() {
        body["version"] = json!(version + 1);
        let a = Session::login(user).post(&format!("/api/staff/dossiers/{code}/actions"), &body);
        assert_eq!(a.status, 200, "{user} {body}: {}", a.body);
    }
    assert_eq!(evaluate(code, json!({ "secret": r.secret }), [2, 2, 2, 2], "satisfied").status, 201);
    let manager = Session::login("lanhdao");
    let results: motcua_core::rating::OfficerResults = manager.get("/api/staff/ratings/officers").json();
    let list = &results.officers;
    for user in ["tiepnhan", "thamdinh", "pheduyet", "traketqua"] {
        let o = list.iter().find(|o| o.username == user).unwrap_or_else(|| panic!("{user} in {list:?}"));
        assert!(o.dossiers.iter().any(|d| d == code), "{user}: the dossier behind the number");
        assert!(o.satisfied <= o.evaluations);
    }
    assert!(list.iter().all(|o| o.username != "canbo.syt"), "another agency's officer");
    // Per unit (desk): each of the four counts this dossier once.
    for role in [Role::Reception, Role::Specialist, Role::Approver, Role::ResultDesk] {
        let u = results.units.iter().find(|u| u.role == role).unwrap_or_else(|| panic!("{role:?} in {:?}", results.units));
        assert_eq!(u.dossiers.iter().filter(|d| *d == code).count(), 1, "{role:?}");
    }
    assert_eq!(Session::login("thamdinh").get("/api/staff/ratings/officers").status, 403);
}
