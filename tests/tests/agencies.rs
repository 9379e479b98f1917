//! Agencies (issue #8): created with a first admin and merged under a decision by the
//! province's administrator (issue #15), renamed by their own admin; the procedures move as
//! new versions, dossiers already received keep their agency and history.

use motcua_core::catalogue::agency::AgencyAdmin;
use motcua_core::catalogue::import::ImportLine;
use motcua_core::catalogue::version::ProcedurePage;
use motcua_core::catalogue::{Agency, Procedure, SearchPage};
use motcua_core::dossier::Receipt;
use motcua_core::tracking::PublicStatus;
use motcua_tests::{get, get_query, post_json, today_and_tomorrow, Session, DEMO_PASSWORD};
use serde_json::json;

fn suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() % 1_000_000
}

fn create(by: &Session, code: &str, name: &str, admin: &str) -> motcua_tests::Answer {
    by.post(
        "/api/staff/agencies",
        &json!({ "code": code, "name": name, "first_admin": {
            "username": admin, "name": "Quản trị thử", "roles": ["admin"], "password": DEMO_PASSWORD } }),
    )
}

fn decision(number: &str) -> serde_json::Value {
    let (today, _) = today_and_tomorrow();
    json!({ "number": number, "date": today.to_string(), "effective_from": today.to_string() })
}

fn public_agencies() -> Vec<Agency> {
    get("/api/agencies").json()
}

#[test]
fn an_agency_is_created_renamed_and_merged_and_its_dossiers_stay_where_they_were_received() {
    let quantri = Session::login("quantri");
    let province = Session::login("quantri.tinh");
    let n = suffix();
    let (a, b) = (format!("TA{n:06}"), format!("TB{n:06}"));
    // The first admin's name as typed, in capitals: stored (and signed in) in lower case.
    let (admin_a, admin_b) = (format!("Qt.A{n}"), format!("qt.b{n}"));
    assert_eq!(create(&quantri, &a, "Sở Thử nghiệm A", &admin_a).status, 403, "an agency's admin creates no agency");
    let a_created = create(&province, &a, "Sở Thử nghiệm A", &admin_a);
    assert_eq!(a_created.status, 201, "{}", a_created.body);
    assert_eq!(create(&province, &a, "Sở Thử nghiệm A", &format!("qt.c{n}")).status, 409, "the code is taken");
    assert_eq!(create(&province, &b, "Sở Thử nghiệm B", &admin_b).status, 201);
    assert!(public_agencies().iter().any(|x| x.code == a && x.procedures == 0));

    // A's own admin (signing in with the name in any case, and setting up the second factor)
    // publishes a procedure of A; a citizen applies for it.
    let session_a = Session::login(&admin_a.to_uppercase());
    let mut p: Procedure = get("/api/procedures/1.014196").json();
    p.id = format!("thu-nghiem-a{n}");
    p.code = None;
    p.agency = a.clone();
    p.name = format!("Thủ tục của cơ quan thử {n}");
    p.field_name = format!("Lĩnh vực thử {n}");
    let r = session_a.post("/api/staff/catalogue/publish", &json!({ "procedure": p, "decision": decision("1/QĐ-A") }));
    assert_eq!(r.status, 200, "{}", r.body);
    let answers = json!({ "full_name": "Trần Hợp Nhất", "birth_date": "1990-05-01", "cccd": "022190012345",
        "phone": "0912 000 111", "address": "Hạ Long", "delivery": "centre" });
    let r = post_json("/api/dossiers", &json!({ "procedure": p.id, "idempotency_key": format!("agency-{n}-merge"), "answers": answers }));
    assert_eq!(r.status, 201, "{}", r.body);
    let receipt: Receipt = r.json();
    assert!(receipt.code.as_str().starts_with(&format!("{a}-")), "the dossier code carries the agency: {}", receipt.code.as_str());

    // Renaming is A's admin's act; the page and search show the new name at once.
    let rename = json!({ "name": "Sở Thử nghiệm A (tên mới)" });
    assert_eq!(quantri.post(&format!("/api/staff/agencies/{a}/rename"), &rename).status, 403);
    assert_eq!(province.post(&format!("/api/staff/agencies/{a}/rename"), &rename).status, 403, "the agency's own act");
    let r = session_a.post(&format!("/api/staff/agencies/{a}/rename"), &rename);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(get(&format!("/api/procedures/{}", p.id)).json::<ProcedurePage>().procedure.agency_name, "Sở Thử nghiệm A (tên mới)");
    let found: SearchPage = get_query("/api/procedures", &[("q", &p.name)]).json();
    assert_eq!(found.items[0].agency_name, "Sở Thử nghiệm A (tên mới)");

    // Merge A into B today (the province decides): the procedure moves as a new version; A
    // leaves the public list.
    let merge = json!({ "into": b, "decision": decision("2/QĐ-UBND") });
    assert_eq!(quantri.post(&format!("/api/staff/agencies/{a}/merge"), &merge).status, 403, "an agency's admin merges nothing");
    assert_eq!(session_a.post(&format!("/api/staff/agencies/{a}/merge"), &merge).status, 403, "not even its own");
    let r = province.post(&format!("/api/staff/agencies/{a}/merge"), &merge);
    assert_eq!(r.status, 200, "{}", r.body);
    let moved: Vec<ImportLine> = r.json();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].changes.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["Cơ quan giải quyết"]);
    let page: ProcedurePage = get(&format!("/api/procedures/{}", p.id)).json();
    assert_eq!((page.procedure.agency.as_str(), page.procedure.agency_name.as_str()), (b.as_str(), "Sở Thử nghiệm B"));
    assert_eq!(page.version.version, 2);
    let agencies = public_agencies();
    assert!(agencies.iter().all(|x| x.code != a), "a merged agency leaves the list");
    assert!(agencies.iter().any(|x| x.code == b && x.procedures == 1));
    let listed: Vec<AgencyAdmin> = quantri.get("/api/staff/agencies").json();
    let merged = listed.iter().find(|x| x.code == a).unwrap();
    assert_eq!(merged.merged_into.as_deref(), Some(b.as_str()));

    // The dossier received before stays with A: same code, same version, its history intact.
    let status: PublicStatus = get(&format!("/api/dossiers/{}", receipt.code.as_str())).json();
    assert_eq!(status.code, receipt.code);
    assert_eq!(status.procedure_name, p.name);

    // Once merged: no second merge, no new versions for A.
    let again = province.post(&format!("/api/staff/agencies/{a}/merge"), &merge);
    assert_eq!(again.status, 422, "{}", again.body);
    let mut later = p.clone();
    later.fees = Some("đổi".into());
    let r = session_a.post("/api/staff/catalogue/publish", &json!({ "procedure": later, "decision": decision("3/QĐ-A") }));
    assert_eq!(r.status, 422, "{}", r.body);
}

#[test]
fn bad_agencies_are_refused_field_by_field_and_only_admins_manage_agencies() {
    let province = Session::login("quantri.tinh");
    let r = create(&province, "sai-ma", "S", "x");
    assert_eq!(r.status, 422, "{}", r.body);
    let fields: Vec<String> = r.json::<motcua_core::ErrorBody>().fields.into_iter().map(|f| f.field).collect();
    assert!(fields.contains(&"code".to_owned()) && fields.contains(&"name".to_owned()), "{fields:?}");
    for user in ["tiepnhan", "lanhdao", "canbo.syt"] {
        let s = Session::login(user);
        assert_eq!(s.get("/api/staff/agencies").status, 403, "{user}");
        assert_eq!(create(&s, "TX1", "Sở X", "qt.x").status, 403, "{user}");
        assert_eq!(s.post("/api/staff/agencies/SNV/rename", &json!({ "name": "Sở khác" })).status, 403, "{user}");
        assert_eq!(s.post("/api/staff/agencies/SNV/merge", &json!({ "into": "SYT", "decision": decision("1") })).status, 403, "{user}");
    }
    assert_eq!(get("/api/staff/agencies").status, 401);
}
