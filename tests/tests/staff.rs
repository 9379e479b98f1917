//! The staff workspace over HTTP: sessions, the authorization matrix, CSRF, the workflow with
//! its deadlines and history, concurrency, and signed results.

use motcua_core::calendar::Timeliness;
use motcua_core::workflow::Phase;
use motcua_core::dossier::{DossierStatus, Receipt};
use motcua_core::tracking::{PrivateView, PublicStatus};
use motcua_core::accounts::Staff;
use motcua_core::workflow::views::{Queue, StaffDossier};
use motcua_core::workflow::{Action, PublicKey, Verification};
use motcua_core::{ErrorBody, ErrorCode, Lang};
use motcua_tests::{get, post_json, Session};
use serde_json::json;

/// Online, 10 working days, approval delegated by the province (SNV).
const DELEGATED: &str = "1.014199";
/// 3-step, 10 working days, at the Department of Health (SYT), received at the desk only.
const THREE_STEP: &str = "1.012990";

fn key(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("staff-{tag}-{nanos}-{}", std::process::id())
}

fn applicant(name: &str) -> serde_json::Value {
    json!({
        "full_name": name,
        "birth_date": "1990-05-01",
        "cccd": "022190012345",
        "phone": "0912 000 111",
        "address": "Phường Bãi Cháy, Hạ Long, Quảng Ninh",
        "delivery": "centre"
    })
}

fn submit_online(name: &str) -> Receipt {
    let a = post_json("/api/dossiers", &json!({ "procedure": DELEGATED, "idempotency_key": key("online"), "answers": applicant(name) }));
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()
}

fn act(s: &Session, code: &str, body: serde_json::Value) -> motcua_tests::Answer {
    s.post(&format!("/api/staff/dossiers/{code}/actions"), &body)
}

fn act_ok(s: &Session, code: &str, body: serde_json::Value) -> StaffDossier {
    let a = act(s, code, body.clone());
    assert_eq!(a.status, 200, "{body}: {}", a.body);
    a.json()
}

fn dossier(s: &Session, code: &str) -> StaffDossier {
    let a = s.get(&format!("/api/staff/dossiers/{code}"));
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
}

#[test]
fn login_me_logout_and_the_session_ends_at_once() {
    let s = Session::login("tiepnhan");
    let me: Staff = s.get("/api/auth/me").json();
    assert_eq!((me.username.as_str(), me.agency.as_str()), ("tiepnhan", "SNV"));
    let wrong = post_json("/api/auth/login", &json!({ "username": "tiepnhan", "password": "not-the-password-at-all" }));
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json::<ErrorBody>().code, ErrorCode::Unauthorized);
    // A second session of the same person is independent of the first.
    let other = Session::login("tiepnhan");
    assert_eq!(s.logout().status, 204);
    let after = s.get("/api/auth/me");
    assert_eq!(after.status, 401, "a logged-out cookie opens nothing");
    assert_eq!(s.get("/api/staff/queue").status, 401);
    // Nor do the other routes that read ahead with the session's check (made for the account
    // the token had: a signed-out token's reads are never answered).
    assert_eq!(s.get("/api/staff/dossiers?q=nguyen").status, 401);
    assert_eq!(s.get("/api/staff/dossiers/SNV-261207-0001").status, 401);
    assert_eq!(other.get("/api/auth/me").status, 200);
    assert_eq!(other.get("/api/staff/queue").status, 200);
}

#[test]
fn the_cookie_is_httponly_secure_and_strict() {
    let a = post_json("/api/auth/login", &json!({ "username": "lanhdao", "password": motcua_tests::DEMO_PASSWORD }));
    let c = a.header("set-cookie").unwrap().to_owned();
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api"] {
        assert!(c.contains(attr), "{c}");
    }
}

#[test]
fn repeated_failed_logins_are_rate_limited() {
    // A name of its own per run: the window outlives the test on a reused local database.
    let name = format!("khong.co.{}", &key("x")[6..20].replace('-', ""));
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(post_json("/api/auth/login", &json!({ "username": name, "password": "sai-mat-khau-lan-nua" })).status);
    }
    assert_eq!(&statuses[..10], &[401; 10]);
    assert_eq!(statuses[10], 429);
}

#[test]
fn requests_from_another_site_are_refused() {
    let s = Session::login("tiepnhan");
    let r = submit_online("Nguyễn Văn Csrf");
    let a = s.post_from("https://evil.example", &format!("/api/staff/dossiers/{}/actions", r.code.as_str()), &json!({ "action": "accept", "version": 1 }));
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(a.json::<ErrorBody>().code, ErrorCode::NotAllowed);
    assert_eq!(dossier(&s, r.code.as_str()).status, DossierStatus::New, "nothing happened");
    let login = motcua_tests::agent()
        .post(format!("{}/api/auth/login", motcua_tests::base_url()))
        .header("Origin", "https://evil.example")
        .send_json(json!({ "username": "tiepnhan", "password": motcua_tests::DEMO_PASSWORD }))
        .unwrap();
    assert_eq!(login.status().as_u16(), 403);
}

/// Every staff endpoint × every role × another agency × no session.
#[test]
fn authorization_matrix() {
    // A dossier with one attachment ("another paper"), to cover the file route too.
    let upload = motcua_tests::post_bytes("/api/uploads", "application/octet-stream", b"%PDF-1.4\n% ma tran quyen\n%%EOF\n");
    let file = upload.json::<serde_json::Value>()["id"].as_str().unwrap().to_owned();
    let a = post_json("/api/dossiers", &json!({ "procedure": DELEGATED, "idempotency_key": key("matrix-file"),
        "answers": applicant("Trần Thị Quyền"), "documents": [{ "upload": file }] }));
    assert_eq!(a.status, 201, "{}", a.body);
    let r: Receipt = a.json();
    let code = r.code.as_str().to_owned();
    let roles = ["tiepnhan", "thamdinh", "pheduyet", "traketqua", "lanhdao", "quantri", "quantri.tinh", "canbo.syt"];
    let sessions: Vec<(&str, Session)> = roles.iter().map(|u| (*u, Session::login(u))).collect();
    let reads = |u: &str| ["tiepnhan", "thamdinh", "pheduyet", "traketqua", "lanhdao"].contains(&u);
    for (user, s) in &sessions {
        // The dossier is SNV's: other agencies do not see it, admins read no dossiers.
        let want = if *user == "canbo.syt" { 404 } else if reads(user) { 200 } else { 403 };
        assert_eq!(s.get(&format!("/api/staff/dossiers/{code}")).status, want, "{user} reads the dossier");
        let want_file = if *user == "canbo.syt" { 404 } else if reads(user) { 200 } else { 403 };
        assert_eq!(s.get(&format!("/api/staff/dossiers/{code}/files/{file}")).status, want_file, "{user} opens the attachment");
        let want_accounts = if *user == "quantri" { 200 } else { 403 };
        assert_eq!(s.get("/api/staff/accounts").status, want_accounts, "{user} lists accounts");
        let want_register = if reads(user) || *user == "canbo.syt" { 200 } else { 403 };
        assert_eq!(s.get("/api/staff/register").status, want_register, "{user} reads the register");
        let admin = ["quantri", "quantri.tinh"].contains(user);
        let want_queue = if admin { 403 } else { 200 };
        assert_eq!(s.get("/api/staff/queue").status, want_queue, "{user} reads a queue");
        // Another role's queue: only managers read every queue.
        let want_other = if ["tiepnhan", "lanhdao", "canbo.syt"].contains(user) { 200 } else { 403 };
        assert_eq!(s.get("/api/staff/queue?role=reception").status, want_other, "{user} reads reception's queue");
        // Walk-in registration: reception only.
        let walk_in = s.post("/api/staff/dossiers", &json!({ "procedure": DELEGATED, "idempotency_key": key("matrix"), "answers": applicant("Lê Văn Mười") }));
        let want = match *user {
            "tiepnhan" => 201,
            "canbo.syt" => 403, // reception, but of another agency's procedure
            _ => 403,
        };
        assert_eq!(walk_in.status, want, "{user} registers a walk-in: {}", walk_in.body);
        // Accepting a new dossier: reception of its agency only; the others learn nothing.
        if *user != "tiepnhan" {
            let want = if *user == "canbo.syt" { 404 } else { 403 };
            assert_eq!(act(s, &code, json!({ "action": "accept", "version": 1 })).status, want, "{user} accepts");
        }
        // Re-issuing a secret: reception of the agency (here with a stale version: 409).
        let want = match *user {
            "tiepnhan" => 409,
            "canbo.syt" => 404,
            _ => 403,
        };
        assert_eq!(s.post(&format!("/api/staff/dossiers/{code}/secret"), &json!({ "version": 0 })).status, want, "{user} re-issues a secret");
        // The agency's admin: accounts (reset), kiosks; the province's: calendar and agencies.
        let agency_admin = if *user == "quantri" { 404 } else { 403 };
        assert_eq!(s.post("/api/staff/accounts/khong.co.ai/reset", &json!({ "password": "mot-mat-khau-tam-thoi" })).status, agency_admin, "{user} resets");
        assert_eq!(s.post("/api/staff/kiosks/999999/revoke", &json!({})).status, agency_admin, "{user} revokes a kiosk");
        assert_eq!(s.get("/api/staff/kiosks").status, if *user == "quantri" { 200 } else { 403 }, "{user} lists kiosks");
        let province = if *user == "quantri.tinh" { 200 } else { 403 };
        assert_eq!(s.get("/api/staff/calendar/2099").status, province, "{user} reads the calendar decision");
        let want = if *user == "quantri.tinh" { 422 } else { 403 };
        assert_eq!(s.post("/api/staff/agencies", &json!({ "code": "", "name": "", "first_admin": { "username": "", "name": "", "roles": [], "password": "" } })).status, want, "{user} creates an agency");
        assert_eq!(s.get("/api/staff/agencies").status, if admin { 200 } else { 403 }, "{user} lists agencies");
    }
    // No session at all.
    for path in ["/api/staff/queue", "/api/staff/register", &format!("/api/staff/dossiers/{code}"), "/api/auth/me", "/api/staff/accounts", &format!("/api/staff/dossiers/{code}/files/{file}")] {
        assert_eq!(get(path).status, 401, "{path}");
    }
    for path in ["/api/staff/dossiers", &format!("/api/staff/dossiers/{code}/actions"), "/api/staff/accounts", "/api/staff/accounts/tiepnhan/deactivate",
        "/api/staff/accounts/tiepnhan/reset", &format!("/api/staff/dossiers/{code}/secret"), "/api/staff/kiosks/1/revoke", "/api/auth/password", "/api/auth/totp"] {
        assert_eq!(post_json(path, &json!({ "action": "accept", "version": 1 })).status, 401, "{path}");
    }
    let reception = &sessions[0].1;
    let d = act_ok(reception, &code, json!({ "action": "accept", "version": 1 }));
    assert_eq!((d.status, d.phase), (DossierStatus::Received, Phase::Appraise));
}

/// The route table's capabilities, enforced: every staff operation refuses (403) every demo
/// account whose roles do not grant its capability (core's `Staff::may`, the table the app's
/// menus read too), before its handler reads anything.
#[test]
fn every_staff_operation_refuses_an_account_without_its_capability() {
    use motcua_core::routes::{Access, Method, ROUTES};
    let users = ["tiepnhan", "thamdinh", "pheduyet", "traketqua", "lanhdao", "quantri", "quantri.tinh", "canbo.syt"];
    let mut refused = 0;
    for user in users {
        let s = Session::login(user);
        let me: Staff = s.get("/api/auth/me").json();
        for route in ROUTES {
            let Access::Staff(capability) = route.access() else { continue };
            if me.may(capability) {
                continue;
            }
            let path = route.path.split('/').map(|seg| if seg.starts_with('{') { "SNV-261127-0001" } else { seg }).collect::<Vec<_>>().join("/");
            let a = match route.method {
                Method::Get => s.get(&path),
                _ => s.post(&path, &json!({})),
            };
            assert_eq!(a.status, 403, "{user} {} {path}: {}", route.method.as_str(), a.body);
            refused += 1;
        }
    }
    assert!(refused > 50, "{refused} refusals");
}

#[test]
fn two_staff_acting_on_one_version_exactly_one_wins() {
    let r = submit_online("Phạm Văn Đồng Thời");
    let code = r.code.as_str().to_owned();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let code = code.clone();
            std::thread::spawn(move || {
                let s = Session::login("tiepnhan");
                let action = if i % 2 == 0 { json!({ "action": "accept", "version": 1 }) } else { json!({ "action": "refuse", "version": 1, "comment": "Hồ sơ không đúng thủ tục" }) };
                act(&s, &code, action).status
            })
        })
        .collect();
    let mut statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 409, 409, 409]);
    let d = dossier(&Session::login("lanhdao"), &code);
    assert_eq!(d.version, 2);
    assert_eq!(d.history.len(), 2, "one event per successful transition");
}

#[test]
fn a_four_step_dossier_with_a_supplement_and_a_signed_result() {
    let r = submit_online("Đặng Thị Bốn Bước");
    let code = r.code.as_str().to_owned();
    let (reception, specialist, approver, approver_without, desk) =
        (Session::login("tiepnhan"), Session::login("thamdinh"), Session::login("pheduyet"), Session::login("pheduyet2"), Session::login("traketqua"));

    assert_eq!(dossier(&reception, &code).actions, [Action::Accept, Action::Refuse, Action::RequestSupplement]);
    let d = act_ok(&reception, &code, json!({ "action": "accept", "version": 1 }));
    assert!(d.received_at.is_some());
    assert_eq!(d.phase_dues.len(), 4);
    assert_eq!(d.history[1].action, Action::Accept);
    assert!(d.history[1].timeliness.is_some(), "the hand-over is measured");

    // A stale version is refused; a reason is required.
    assert_eq!(act(&specialist, &code, json!({ "action": "pass_on", "version": 1 })).status, 409);
    let no_reason = act(&specialist, &code, json!({ "action": "request_supplement", "version": 2 }));
    assert_eq!(no_reason.status, 422);
    assert_eq!(no_reason.json::<ErrorBody>().fields[0].field, "comment");
    let due_before = d.due_at;
    let d = act_ok(&specialist, &code, json!({ "action": "request_supplement", "version": 2, "comment": "Thiếu giấy xác nhận kinh nghiệm" }));
    assert_eq!(d.status, DossierStatus::SupplementRequested);
    assert!(d.actions.is_empty() || !d.actions.contains(&Action::PassOn));

    // The citizen sees the request with the secret, and answers it with a file.
    let view: PrivateView = post_json(&format!("/api/dossiers/{code}/lookup"), &json!({ "secret": r.secret })).json();
    assert_eq!(view.supplement.as_ref().map(|s| s.reason.as_str()), Some("Thiếu giấy xác nhận kinh nghiệm"));
    let upload = motcua_tests::post_bytes("/api/uploads", "application/octet-stream", b"%PDF-1.4\n% giay xac nhan\n%%EOF\n");
    assert_eq!(upload.status, 201, "{}", upload.body);
    let id = upload.json::<serde_json::Value>()["id"].as_str().unwrap().to_owned();
    let wrong = post_json(&format!("/api/dossiers/{code}/supplement"), &json!({ "secret": "sai", "documents": [{ "upload": id }] }));
    assert_eq!(wrong.status, 403);
    let answered = post_json(&format!("/api/dossiers/{code}/supplement"), &json!({ "secret": r.secret, "documents": [{ "upload": id }], "note": "Đã bổ sung" }));
    assert_eq!(answered.status, 200, "{}", answered.body);
    let d = dossier(&specialist, &code);
    assert_eq!((d.status, d.phase), (DossierStatus::InProgress, Phase::Appraise));
    assert!(d.due_at >= due_before, "the clock resumes, never earlier");
    assert_eq!(d.documents.len(), 1);
    // The file is readable by staff of the agency, not by others.
    assert_eq!(specialist.get(&format!("/api/staff/dossiers/{code}/files/{id}")).status, 200);
    assert_eq!(Session::login("canbo.syt").get(&format!("/api/staff/dossiers/{code}/files/{id}")).status, 404);

    let d = act_ok(&specialist, &code, json!({ "action": "pass_on", "version": d.version }));
    assert_eq!(d.phase, Phase::Approve);
    // The province delegated this procedure: an approver without the delegation may not approve.
    assert_eq!(act(&approver_without, &code, json!({ "action": "approve", "version": d.version })).status, 403);
    let d = act_ok(&approver, &code, json!({ "action": "approve", "version": d.version }));
    assert_eq!((d.status, d.phase), (DossierStatus::InProgress, Phase::Return));
    let today = d.received_at.unwrap().date().to_string();
    let d = act_ok(&desk, &code, json!({ "action": "record_result", "version": d.version, "result_number": "125/GP-SNV", "result_date": today }));
    assert_eq!(d.status, DossierStatus::Finished);
    let result = d.result.clone().expect("a result record");
    let d = act_ok(&desk, &code, json!({ "action": "return", "version": d.version }));
    assert_eq!(d.status, DossierStatus::Returned);
    assert!(d.actions.is_empty());
    let actions: Vec<Action> = d.history.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [Action::Submit, Action::Accept, Action::RequestSupplement, Action::AnswerSupplement, Action::PassOn, Action::Approve, Action::RecordResult, Action::Return]
    );
    assert!(d.history.iter().all(|e| e.version >= 1));
    assert!(d.history.iter().filter(|e| e.role.is_some()).all(|e| e.actor.is_some()), "staff events name who acted");

    // The public timeline names nobody and carries no comments.
    let public = get(&format!("/api/dossiers/{code}"));
    let status: PublicStatus = public.json();
    assert_eq!(status.timeline.len(), 8);
    assert!(status.result_ready);
    for private in ["Trần Văn Thẩm", "Thiếu giấy xác nhận", "Đặng Thị Bốn Bước"] {
        assert!(!public.body.contains(private), "public status shows {private}");
    }
    assert!(status.timeline.iter().any(|e| matches!(e.timeliness, Some(Timeliness::Early { .. }) | Some(Timeliness::OnTime))));

    // The signed result verifies; any change to the link does not.
    let key: PublicKey = get("/api/keys").json();
    assert_eq!((key.algorithm.as_str(), key.public_key.len()), ("Ed25519", 64));
    let ok = get(&format!("/api/verify/{code}?sig={}", result.signature));
    assert_eq!(ok.status, 200, "{}", ok.body);
    let v: Verification = ok.json();
    assert_eq!((v.number.as_str(), v.holder.as_str()), ("125/GP-SNV", "Đặng Thị Bốn Bước"));
    let mut tampered = result.signature.clone().into_bytes();
    tampered[10] = if tampered[10] == b'0' { b'1' } else { b'0' };
    let bad = get(&format!("/api/verify/{code}?sig={}", String::from_utf8(tampered).unwrap()));
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json::<ErrorBody>().code, ErrorCode::NotGenuine);
    assert_eq!(get(&format!("/api/verify/{code}?sig=abc")).status, 422);
    let qr = get(&format!("/api/verify/{code}/qr.svg?sig={}", result.signature));
    assert_eq!((qr.status, qr.header("content-type")), (200, Some("image/svg+xml")));
    // The result slip's QR code opens the verification page of this very record.
    assert_eq!(motcua_tests::decode_qr_svg(&qr.body), format!("{}/xac-minh/{code}?sig={}", motcua_tests::base_url(), result.signature));
    assert_eq!(get(&format!("/api/verify/{code}/qr.svg?sig=00")).status, 422, "no QR code for a link that is not genuine");
}

#[test]
fn a_three_step_walk_in_at_another_department() {
    let s = Session::login("canbo.syt");
    let a = s.post("/api/staff/dossiers", &json!({ "procedure": THREE_STEP, "idempotency_key": key("walkin"), "answers": applicant("Ngô Thị Ba Bước") }));
    assert_eq!(a.status, 201, "{}", a.body);
    let r: Receipt = a.json();
    assert_eq!(r.code.agency(), "SYT");
    assert_eq!(r.status, DossierStatus::Received);
    let code = r.code.as_str().to_owned();
    let d = dossier(&s, &code);
    assert_eq!((d.channel.as_str(), d.phase, d.phase_dues.len()), ("walk_in", Phase::Appraise, 3));
    // Searched for by its code within the desk's queue: other tests fill the queues too.
    let in_queue = |role: &str| {
        let found: motcua_core::workflow::search::DossierPage = s.get(&format!("/api/staff/dossiers?q={}&queue={role}", r.code.as_str())).json();
        found.items.iter().any(|i| i.code == r.code)
    };
    assert!(in_queue("specialist") && !in_queue("result_desk"));
    // 3-step: appraisal passes straight to the result desk.
    let d = act_ok(&s, &code, json!({ "action": "pass_on", "version": d.version }));
    assert_eq!(d.phase, Phase::Return);
    assert!(!in_queue("specialist") && in_queue("result_desk"));
    // An apology before the due date moves it.
    // The first working day two weeks after the due date (days off answer 422 on new_due).
    let mut day = d.due_at.date() + chrono::Duration::days(14);
    let d = loop {
        let a = act(&s, &code, json!({ "action": "apologize", "version": d.version, "comment": "Cần xác minh tại địa phương", "new_due": day.to_string() }));
        if a.status == 200 {
            break a.json::<StaffDossier>();
        }
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(a.json::<ErrorBody>().fields[0].field, "new_due");
        day += chrono::Duration::days(1);
    };
    let apology = d.apology.clone().expect("slip 04");
    assert!(apology.new_due > apology.previous_due);
    assert_eq!(d.due_at, apology.new_due);
    let status: PublicStatus = get(&format!("/api/dossiers/{code}")).json();
    assert_eq!(status.due_at, apology.new_due, "the citizen sees the new date");
    let today = d.received_at.unwrap().date().to_string();
    let d = act_ok(&s, &code, json!({ "action": "record_result", "version": d.version, "result_number": "7/QĐ-SYT", "result_date": today }));
    let d = act_ok(&s, &code, json!({ "action": "return", "version": d.version, "by_post": true }));
    assert_eq!(d.status, DossierStatus::Returned);
    // How the result went is a fact of the history (no sentence stored), worded per language.
    let last = d.history.last().expect("the return");
    assert_eq!((last.facts.handed_over, last.comment.as_deref()), (Some(motcua_core::workflow::HandedOver::ByPost), None));
    assert_eq!(last.note(Lang::En).as_deref(), Some("Sent by post"));
    let of = |action: Action| d.history.iter().rev().find(|e| e.action == action).expect("in the history");
    let apologized = of(Action::Apologize);
    assert_eq!((apologized.comment.as_deref(), apologized.facts.new_due), (Some("Cần xác minh tại địa phương"), Some(apology.new_due)));
    assert_eq!(of(Action::RecordResult).facts.result_number.as_deref(), Some("7/QĐ-SYT"));
    let public: PublicStatus = get(&format!("/api/dossiers/{code}")).json();
    assert!(public.timeline.iter().all(|e| e.facts.is_empty() && e.comment.is_none()), "the public sees no more than the status");
}

#[test]
fn queues_list_overdue_first_with_counts() {
    let s = Session::login("lanhdao");
    let q: Queue = s.get("/api/staff/queue?role=reception").json();
    assert_eq!(q.counts.len(), 4, "a manager reads every queue");
    let dues: Vec<_> = q.items.iter().map(|i| i.step_due_at).collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted);
    let reception = q.counts.iter().find(|c| c.role == motcua_core::accounts::Role::Reception).unwrap();
    assert!(reception.total as usize >= q.items.len().min(100));
    assert_eq!(s.get("/api/staff/queue?role=boss").status, 400);
}

#[test]
fn admins_create_and_deactivate_accounts_and_sessions_end_at_once() {
    let admin = Session::login("quantri");
    let list = admin.get("/api/staff/accounts");
    assert_eq!(list.status, 200, "{}", list.body);
    let accounts: Vec<motcua_core::accounts::Account> = list.json();
    assert!(accounts.iter().any(|a| a.username.as_str() == "tiepnhan"));
    assert!(accounts.iter().all(|a| a.username.as_str() != "canbo.syt"), "only the admin's agency");
    assert_eq!(Session::login("tiepnhan").get("/api/staff/accounts").status, 403);
    assert_eq!(get("/api/staff/accounts").status, 401);

    let name = format!("moi.{}", &key("a")[6..20].replace('-', ""));
    let weak = admin.post("/api/staff/accounts", &json!({ "username": name, "name": "Cán Bộ Mới", "roles": ["specialist"], "password": "ngan" }));
    assert_eq!(weak.status, 422);
    assert_eq!(weak.json::<ErrorBody>().fields[0].field, "password");
    let body = json!({ "username": name, "name": "Cán Bộ Mới", "roles": ["specialist"], "password": "mat-khau-that-dai-2026" });
    assert_eq!(admin.post("/api/staff/accounts", &body).status, 201);
    assert_eq!(admin.post("/api/staff/accounts", &body).status, 409, "the user name is taken");

    let login = post_json("/api/auth/login", &json!({ "username": name, "password": "mat-khau-that-dai-2026" }));
    assert_eq!(login.status, 200);
    let cookie = login.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let newcomer = Session { cookie };
    assert_eq!(newcomer.get("/api/staff/queue").status, 200);
    assert_eq!(newcomer.post(&format!("/api/staff/accounts/{name}/deactivate"), &json!({})).status, 403);

    assert_eq!(admin.post(&format!("/api/staff/accounts/{name}/deactivate"), &json!({})).status, 204);
    assert_eq!(newcomer.get("/api/staff/queue").status, 401, "deactivation ends the session at once");
    assert_eq!(post_json("/api/auth/login", &json!({ "username": name, "password": "mat-khau-that-dai-2026" })).status, 401);
    assert_eq!(admin.post("/api/staff/accounts/canbo.syt/deactivate", &json!({})).status, 404, "another agency's account");
    assert_eq!(admin.post("/api/staff/accounts/quantri/deactivate", &json!({})).status, 422, "not oneself");
}

/// At the desk the papers are paper: the officer ticks the mandatory ones received (2.001955,
/// its published list), the slip names them; online nobody may claim a paper.
#[test]
fn the_desk_records_the_papers_handed_in_and_online_submissions_cannot() {
    let s = Session::login("tiepnhan");
    let procedure: motcua_core::catalogue::Procedure = get("/api/procedures/2.001955").json();
    let mandatory: Vec<u16> = procedure.documents.iter().enumerate().filter(|(_, d)| d.mandatory).map(|(i, _)| i as u16).collect();
    assert!(mandatory.len() >= 2);
    let mut answers = applicant("Đặng Văn Quầy");
    answers["employer_name"] = json!("Hợp tác xã Vận tải Cẩm Phả");
    answers["head_office"] = json!("Phường Cẩm Phả, Quảng Ninh");
    answers["worker_representative"] = json!("khong");
    let body = |papers: &[u16], tag: &str| json!({ "procedure": "2.001955", "idempotency_key": key(tag), "answers": answers, "papers": papers });

    let short = s.post("/api/staff/dossiers", &body(&mandatory[..1], "papers-short"));
    assert_eq!(short.status, 422, "{}", short.body);
    let missing: ErrorBody = short.json();
    let fields: Vec<&str> = missing.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, [format!("document-{}", mandatory[1])]);
    assert!(missing.fields[0].message.starts_with("Chưa nhận: "), "{:?}", missing.fields);
    let unknown = s.post("/api/staff/dossiers", &body(&[mandatory.as_slice(), &[99]].concat(), "papers-unknown"));
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert_eq!(unknown.json::<ErrorBody>().fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["documents"]);

    let a = s.post("/api/staff/dossiers", &body(&mandatory, "papers-all"));
    assert_eq!(a.status, 201, "{}", a.body);
    let r: Receipt = a.json();
    let expected: Vec<String> = mandatory.iter().map(|i| format!("{} (bản giấy)", procedure.documents[usize::from(*i)].name)).collect();
    assert_eq!(r.documents.iter().map(|d| d.text(Lang::Vi)).collect::<Vec<_>>(), expected, "slip 01 lists the papers received");
    assert_eq!(dossier(&s, r.code.as_str()).papers, mandatory);

    // Online, a paper cannot stand in for a file.
    let online = post_json("/api/dossiers", &body(&mandatory, "papers-online"));
    assert_eq!(online.status, 422, "{}", online.body);
    assert!(online.json::<ErrorBody>().fields.iter().any(|f| f.field == "documents" && f.message.contains("Bộ phận tiếp nhận")));
}
