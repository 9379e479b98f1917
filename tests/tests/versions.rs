//! Catalogue administration over HTTP (issue #8): versions published under decisions, the one
//! in force on a day, history with diffs, repeal, dossiers keeping their version, and admin
//! endpoints refused to everyone else.

use motcua_core::catalogue::import::{ImportReport, TSV_COLUMNS};
use motcua_core::catalogue::version::{Editable, Preview, ProcedurePage, VersionEntry, VersionMeta};
use motcua_core::catalogue::{Procedure, SearchPage};
use motcua_core::dossier::Receipt;
use motcua_core::{ErrorBody, ErrorCode};
use motcua_tests::{get, get_on, get_query, post_json, today_and_tomorrow, Session};
use serde_json::json;

/// Online, 5 working days, SNV; used by no other test.
const AMENDED: &str = "1.014198";

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{tag}-{nanos}")
}

fn decision(number: &str, effective: chrono::NaiveDate) -> serde_json::Value {
    let (today, _) = today_and_tomorrow();
    json!({ "number": number, "date": today.to_string(), "effective_from": effective.to_string() })
}

fn editable(admin: &Session, id: &str) -> Editable {
    let a = admin.get(&format!("/api/staff/catalogue/procedures/{id}"));
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
}

fn submit_with(procedure: &str, key: &str) -> Receipt {
    let answers = json!({
        "full_name": "Nguyễn Văn Phiên", "birth_date": "1990-05-01", "cccd": "022190012345",
        "phone": "0912 000 111", "address": "Hạ Long, Quảng Ninh", "delivery": "centre"
    });
    let a = post_json("/api/dossiers", &json!({ "procedure": procedure, "idempotency_key": key, "answers": answers }));
    assert!(a.status == 201 || a.status == 200, "{}", a.body);
    a.json()
}

fn submit(procedure: &str) -> Receipt {
    submit_with(procedure, &unique("versions"))
}

#[test]
fn an_amendment_in_force_today_changes_the_page_search_and_new_dossiers_but_not_old_ones() {
    let admin = Session::login("quantri");
    let (today, tomorrow) = today_and_tomorrow();
    let before: ProcedurePage = get(&format!("/api/procedures/{AMENDED}")).json();
    let (before, before_version) = (before.procedure, before.version);
    let old_days = before.days_in_person.expect("a published time");
    let old_key = unique("before-amendment");
    let old = submit_with(AMENDED, &old_key);

    // From the version in force today (a rerun finds a later one scheduled for tomorrow).
    let mut draft = before.clone();
    let new_days = old_days % 9 + 2;
    assert_ne!(new_days, old_days);
    draft.days_in_person = Some(new_days);
    draft.days_online = Some(new_days);
    let number = format!("{}/QĐ-UBND", unique("sua"));
    let publication = json!({ "procedure": draft, "decision": decision(&number, today) });

    // Preview: the record as published and what it changes, nothing written.
    let a = admin.post("/api/staff/catalogue/preview", &publication);
    assert_eq!(a.status, 200, "{}", a.body);
    let preview: Preview = a.json();
    let labels: Vec<&str> = preview.changes.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Thời hạn giải quyết (nộp trực tiếp)", "Thời hạn giải quyết (nộp trực tuyến)"]);
    assert_eq!(preview.changes[0].before.as_deref(), Some(format!("{old_days} ngày làm việc").as_str()));
    assert_eq!(preview.amends.as_ref().map(|v| v.version), Some(before_version.version));
    let still: Procedure = get(&format!("/api/procedures/{AMENDED}")).json();
    assert_eq!(still.days_in_person, Some(old_days), "a preview writes nothing");

    let a = admin.post("/api/staff/catalogue/publish", &publication);
    assert_eq!(a.status, 200, "{}", a.body);
    let published: VersionMeta = a.json();
    // The next number after every version published so far (a rerun has scheduled ones too).
    assert_eq!(published.version, editable(&admin, AMENDED).versions.iter().map(|v| v.version).max().unwrap());
    assert!(published.version > before_version.version);

    let page: ProcedurePage = get(&format!("/api/procedures/{AMENDED}")).json();
    let now = page.procedure;
    assert_eq!(now.days_in_person, Some(new_days));
    assert!(now.decision.as_deref().unwrap().starts_with(&number), "the page names the decision: {:?}", now.decision);
    assert_eq!(now.effective_date, Some(today));
    assert_eq!(page.version.version, published.version);
    let block = now.versions_html.clone().expect("the page's block on versions");
    assert!(block.contains(&format!("Phiên bản {} đang áp dụng", published.version)) && block.contains(&number), "{block}");

    // The history: newest first, the change field by field against the version before.
    let history: Vec<VersionEntry> = get(&format!("/api/procedures/{AMENDED}/versions")).json();
    assert_eq!(history[0].meta.version, published.version);
    assert_eq!(history[0].changes[0].after.as_deref(), Some(format!("{new_days} ngày làm việc").as_str()));
    assert!(history.len() >= 2);

    // Search lists the procedure once, as in force.
    let page: SearchPage = get_query("/api/procedures", &[("q", AMENDED)]).json();
    let hits: Vec<_> = page.items.iter().filter(|p| p.id == AMENDED).collect();
    assert_eq!(hits.len(), 1, "one row per procedure, not per version");
    assert_eq!(hits[0].days_in_person, Some(new_days));

    // The dossier received before keeps its version; a new one gets the new version.
    let new = submit(AMENDED);
    assert_eq!(new.days, new_days, "{new:?}");
    assert_eq!(old.days, old_days);
    let old_again = submit_with(AMENDED, &old_key);
    assert_eq!((old_again.code.as_str(), old_again.days), (old.code.as_str(), old_days), "the stored receipt keeps its version");

    // The same draft again: nothing changes, so no new version.
    let a = admin.post("/api/staff/catalogue/publish", &publication);
    assert_eq!(a.status, 422, "{}", a.body);

    // A version effective tomorrow: not today, yes tomorrow (test clock), and history today
    // does not show it yet.
    let mut later = now.clone();
    later.fees = Some(format!("Lệ phí {}", unique("đồng")));
    let a = admin.post(
        "/api/staff/catalogue/publish",
        &json!({ "procedure": later, "decision": decision(&format!("{}/QĐ-UBND", unique("sau")), tomorrow) }),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let future: VersionMeta = a.json();
    let today_page: Procedure = get(&format!("/api/procedures/{AMENDED}")).json();
    assert_eq!(today_page.fees, now.fees, "tomorrow's version is not in force today");
    let tomorrow_page: ProcedurePage = get_on(&tomorrow.to_string(), &format!("/api/procedures/{AMENDED}")).json();
    assert_eq!(tomorrow_page.procedure.fees, later.fees);
    assert_eq!(tomorrow_page.version.version, future.version);
    let history_today: Vec<VersionEntry> = get(&format!("/api/procedures/{AMENDED}/versions")).json();
    assert!(history_today.iter().all(|e| e.meta.version != future.version));
    let history_tomorrow: Vec<VersionEntry> = get_on(&tomorrow.to_string(), &format!("/api/procedures/{AMENDED}/versions")).json();
    assert_eq!(history_tomorrow[0].meta.version, future.version);
    assert!(history_tomorrow[0].changes.iter().any(|c| c.label == "Phí, lệ phí"), "{:?}", history_tomorrow[0].changes);
    // The admin sees every version, the future one included.
    assert!(editable(&admin, AMENDED).versions.iter().any(|v| v.version == future.version));
    // Amending today again: the preview warns that tomorrow's version will replace it.
    let mut again = now.clone();
    again.result = Some(unique("kết quả"));
    let a = admin.post("/api/staff/catalogue/preview", &json!({ "procedure": again, "decision": decision("9/QĐ-UBND", today) }));
    let warned: Preview = a.json();
    assert!(warned.replaced_by.is_some_and(|v| v.effective_from == Some(tomorrow)), "{}", a.body);
}

#[test]
fn a_new_procedure_is_published_then_repealed_and_leaves_search_but_keeps_its_page() {
    let admin = Session::login("quantri");
    let (today, _) = today_and_tomorrow();
    let id = unique("thu-nghiem");
    let mut p: Procedure = get("/api/procedures/1.014196").json();
    p.id = id.clone();
    p.code = None;
    let name = format!("Thủ tục thử nghiệm công bố {}", unique("moi"));
    p.name = name.clone();
    p.field_name = "Việc làm".into();
    // Text from an admin is escaped in the page's HTML block.
    let a = admin.post("/api/staff/catalogue/publish", &json!({ "procedure": p, "decision": decision("100/QĐ-UBND <b>", today) }));
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json::<VersionMeta>().version, 1);
    let found: SearchPage = get_query("/api/procedures", &[("q", &name)]).json();
    assert_eq!(found.items.first().map(|s| s.id.as_str()), Some(id.as_str()), "a new procedure is searchable at once");
    let receipt = submit(&id);

    let repeal = json!({ "decision": decision("101/QĐ-UBND", today) });
    let a = admin.post(&format!("/api/staff/catalogue/procedures/{id}/repeal"), &repeal);
    assert_eq!(a.status, 200, "{}", a.body);
    let repealed: VersionMeta = a.json();
    assert!(repealed.repealed);

    let found: SearchPage = get_query("/api/procedures", &[("q", &name)]).json();
    assert!(found.items.iter().all(|s| s.id != id), "repealed procedures leave search");
    let page: ProcedurePage = get(&format!("/api/procedures/{id}")).json();
    let v = page.version;
    assert!(v.repealed && v.decision.starts_with("101/QĐ-UBND"), "{v:?}");
    assert_eq!(page.procedure.name, name, "the page keeps the last record");
    let block = page.procedure.versions_html.unwrap();
    assert!(block.starts_with("<p class=\"repealed\""), "the page says so first: {block}");
    assert!(block.contains("100/QĐ-UBND &lt;b&gt;") && !block.contains("<b>"), "{block}");

    // No new dossiers under a repealed procedure; the one received before is still tracked.
    let a = post_json(
        "/api/dossiers",
        &json!({ "procedure": id, "idempotency_key": unique("after-repeal"), "answers": {} }),
    );
    assert_eq!(a.status, 404, "{}", a.body);
    assert!(a.json::<ErrorBody>().message.contains("bãi bỏ"));
    assert_eq!(get(&format!("/api/dossiers/{}", receipt.code.as_str())).status, 200);

    let a = admin.post(&format!("/api/staff/catalogue/procedures/{id}/repeal"), &repeal);
    assert_eq!(a.status, 422, "a second repeal is refused: {}", a.body);
}

#[test]
fn drafts_are_checked_field_by_field_and_past_dates_refused() {
    let admin = Session::login("quantri");
    let (today, _) = today_and_tomorrow();
    let mut draft = editable(&admin, AMENDED).latest;
    draft.name = String::new();
    draft.days_in_person = Some(0);
    let yesterday = today.pred_opt().unwrap();
    let a = admin.post("/api/staff/catalogue/preview", &json!({ "procedure": draft, "decision": decision(" ", yesterday) }));
    assert_eq!(a.status, 422, "{}", a.body);
    let e: ErrorBody = a.json();
    assert_eq!(e.code, ErrorCode::Validation);
    let mut fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    fields.sort();
    assert_eq!(fields, ["days_in_person", "decision_date", "decision_number", "effective_from", "name"]);

    let a = admin.post("/api/staff/catalogue/publish", &json!({ "procedure": "not a record" }));
    assert_eq!(a.status, 400, "{}", a.body);
}

#[test]
fn admin_endpoints_are_refused_to_other_roles_other_agencies_and_anonymous_callers() {
    let (today, _) = today_and_tomorrow();
    let admin = Session::login("quantri");
    let draft = editable(&admin, AMENDED).latest;
    let publication = json!({ "procedure": draft, "decision": decision("1/QĐ-UBND", today) });
    let repeal = json!({ "decision": decision("1/QĐ-UBND", today) });
    for user in ["tiepnhan", "thamdinh", "pheduyet", "traketqua", "lanhdao", "canbo.syt"] {
        let s = Session::login(user);
        assert_eq!(s.get(&format!("/api/staff/catalogue/procedures/{AMENDED}")).status, 403, "{user}");
        assert_eq!(s.post("/api/staff/catalogue/preview", &publication).status, 403, "{user}");
        assert_eq!(s.post("/api/staff/catalogue/publish", &publication).status, 403, "{user}");
        assert_eq!(s.post(&format!("/api/staff/catalogue/procedures/{AMENDED}/repeal"), &repeal).status, 403, "{user}");
        let import = json!({ "file": "", "decision": decision("1/QĐ-UBND", today), "dry_run": true });
        assert_eq!(s.post("/api/staff/catalogue/import", &import).status, 403, "{user}");
    }
    assert_eq!(get(&format!("/api/staff/catalogue/procedures/{AMENDED}")).status, 401);
    assert_eq!(post_json("/api/staff/catalogue/publish", &publication).status, 401);
    // Another site cannot publish with the admin's cookie.
    assert_eq!(admin.post_from("https://evil.example", "/api/staff/catalogue/publish", &publication).status, 403);
    // The admin of SNV cannot amend or repeal a procedure of the Department of Health.
    let health = editable_of_other_agency(&admin);
    let a = admin.post("/api/staff/catalogue/publish", &json!({ "procedure": health, "decision": decision("2/QĐ-UBND", today) }));
    assert_eq!(a.status, 403, "{}", a.body);
    let a = admin.post(&format!("/api/staff/catalogue/procedures/{}/repeal", health.id), &repeal);
    assert_eq!(a.status, 403, "{}", a.body);
}

// The admin may read any record (the catalogue is public); here an SYT one, moved to SNV in
// the draft, which the rule must refuse as well as the unchanged one.
fn editable_of_other_agency(admin: &Session) -> Procedure {
    let e = editable(admin, "1.012990");
    assert_eq!(e.latest.agency, "SYT");
    let mut p = e.latest;
    p.agency = "SNV".into();
    p.fees = Some("đổi".into());
    p
}

/// A TSV row in the columns of procedures.tsv.
fn tsv_row(code: &str, name: &str, field: &str, level: &str, days: &str, fee: &str) -> String {
    [code, name, field, "Sở Nội vụ", level, days, fee, "Nộp trực tuyến", "Quyết định", "Luật", "tệp thử (QĐ 5/QĐ-UBND)", ""].join("\t")
}

fn page(id: &str) -> ProcedurePage {
    let a = get(&format!("/api/procedures/{id}"));
    assert_eq!(a.status, 200, "{id}: {}", a.body);
    a.json()
}

#[test]
fn an_import_dry_run_lists_what_would_change_and_writes_nothing_then_the_import_writes_it() {
    let admin = Session::login("quantri");
    let (today, _) = today_and_tomorrow();
    // Unused by other tests: an SNV procedure with no published time, and a new code.
    let amended = "1.010828";
    let before = page(amended);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let new_code = format!("9.{:06}", nanos % 1_000_000);
    let new_name = format!("Thủ tục nhập từ tệp {new_code}");
    let days = before.procedure.days_in_person.map_or(12, |d| d % 20 + 1);
    let file = [
        TSV_COLUMNS.join("\t"),
        tsv_row(amended, &before.procedure.name, &before.procedure.field_name, "Toàn trình", &days.to_string(), ""),
        tsv_row(&new_code, &new_name, "Việc làm", "Toàn trình", "6", "Không"),
        // Another agency's procedure (Department of Health): skipped, not an error.
        tsv_row("1.012990", "Cấp giấy xác nhận quá trình thực hành công tác xã hội", "Bảo trợ xã hội", "", "9", ""),
    ]
    .join("\n");
    let request = |dry_run: bool| json!({ "file": file, "decision": decision("77/QĐ-UBND", today), "dry_run": dry_run });
    let versions_before = editable(&admin, amended).versions.len();
    let a = admin.post("/api/staff/catalogue/import", &request(true));
    assert_eq!(a.status, 200, "{}", a.body);
    let dry: ImportReport = a.json();
    assert!(dry.errors.is_empty(), "{:?}", dry.errors);
    assert!(!dry.written);
    assert_eq!(dry.added.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), [new_code.as_str()]);
    assert_eq!(dry.amended.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), [amended]);
    assert!(dry.amended[0].changes.iter().any(|c| c.label == "Thời hạn giải quyết (nộp trực tiếp)" && c.after == Some(format!("{days} ngày làm việc"))));
    assert_eq!(dry.skipped.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["1.012990"]);
    // Nothing written: the same version in force, the new code unknown, no new version listed.
    assert_eq!(page(amended).version, before.version);
    assert_eq!(get(&format!("/api/procedures/{new_code}")).status, 404);
    assert_eq!(editable(&admin, amended).versions.len(), versions_before);

    let a = admin.post("/api/staff/catalogue/import", &request(false));
    assert_eq!(a.status, 200, "{}", a.body);
    let done: ImportReport = a.json();
    assert!(done.written);
    assert_eq!((done.added.len(), done.amended.len()), (1, 1));
    assert_eq!(editable(&admin, amended).versions.len(), versions_before + 1);
    let now = page(amended);
    assert_eq!(now.procedure.days_in_person, Some(days));
    assert!(now.version.decision.starts_with("77/QĐ-UBND"));
    let new = page(&new_code);
    assert_eq!((new.procedure.name.as_str(), new.procedure.agency.as_str()), (new_name.as_str(), "SNV"));
    let found: SearchPage = get_query("/api/procedures", &[("q", &new_name)]).json();
    assert_eq!(found.items.first().map(|s| s.id.as_str()), Some(new_code.as_str()));

    // The same file again: nothing left to change.
    let again: ImportReport = admin.post("/api/staff/catalogue/import", &request(true)).json();
    assert!(again.added.is_empty() && again.amended.is_empty(), "{again:?}");
    assert_eq!(again.unchanged, 2);
}

#[test]
fn the_repository_catalogue_format_imports_whole_records_and_bad_files_are_refused() {
    let admin = Session::login("quantri");
    let (today, _) = today_and_tomorrow();
    let file = motcua_tests::catalogue_file();
    let mut record = file["procedures"].as_array().unwrap().iter().find(|p| p["id"] == "1.010827").unwrap().clone();
    record["fees"] = json!(format!("Miễn phí ({})", unique("lệ phí")));
    let health = file["procedures"].as_array().unwrap().iter().find(|p| p["agency"] == "SYT").unwrap().clone();
    let catalogue = json!({ "about": "thử", "agencies": [], "procedures": [record, health] }).to_string();
    let dry: ImportReport = admin
        .post("/api/staff/catalogue/import", &json!({ "file": catalogue, "decision": decision("78/QĐ-UBND", today), "dry_run": true }))
        .json();
    assert!(dry.errors.is_empty(), "{:?}", dry.errors);
    assert_eq!(dry.amended.len(), 1);
    assert_eq!(dry.amended[0].changes.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["Phí, lệ phí"]);
    assert_eq!(dry.skipped.len(), 1);

    // A file in neither format: the dry run says why; the real run is refused with the same.
    for bad in ["code\tname\n1.000001\tX", "{ \"procedures\": 3 }"] {
        let body = |dry_run| json!({ "file": bad, "decision": decision("79/QĐ-UBND", today), "dry_run": dry_run });
        let dry: ImportReport = admin.post("/api/staff/catalogue/import", &body(true)).json();
        assert_eq!(dry.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["file"], "{bad}");
        let a = admin.post("/api/staff/catalogue/import", &body(false));
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(a.json::<ErrorBody>().fields[0].field, "file");
    }
}

#[test]
fn form_templates_are_uploaded_by_admins_served_for_ever_and_linked_from_the_page() {
    let admin = Session::login("quantri");
    let (today, _) = today_and_tomorrow();
    let pdf = format!("%PDF-1.4\n% mẫu tờ khai thử {}\n%%EOF\n", unique("pdf")).into_bytes();
    assert_eq!(Session::login("tiepnhan").post_bytes("/api/staff/templates", &pdf).status, 403);
    let a = admin.post_bytes("/api/staff/templates", b"\x89PNG\r\n\x1a\n a photo, not a form");
    assert_eq!(a.status, 415, "{}", a.body);
    assert!(a.json::<ErrorBody>().message.contains("PDF, Word"));
    let a = admin.post_bytes("/api/staff/templates", &pdf);
    assert_eq!(a.status, 201, "{}", a.body);
    let template: motcua_core::catalogue::template::Template = a.json();

    let served = motcua_tests::agent().get(format!("{}{}", motcua_tests::base_url(), template.url)).call().unwrap();
    assert_eq!(served.status(), 200);
    let header = |name: &str| served.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    assert!(header("cache-control").contains("immutable"));
    assert!(header("content-disposition").starts_with("attachment"));
    assert_eq!(served.into_body().read_to_vec().unwrap(), pdf, "the same bytes back");
    assert_eq!(get("/api/templates/0123456789abcdef0123456789abcdef").status, 404);

    // Linked from a document of a procedure (SNV, with published documents, unused elsewhere).
    let id = "1.010803";
    let current = editable(&admin, id);
    let mut draft = current.latest;
    assert!(!draft.documents.is_empty());
    draft.documents[0].template = Some(template.url.clone());
    // The record alone: the form pages of the version it amends stay (data/forms.json's).
    assert!(!current.form.is_empty());
    let publish = |d: &Procedure| admin.post("/api/staff/catalogue/publish", &json!({ "procedure": d, "decision": decision("80/QĐ-UBND", today) }));
    let a = publish(&draft);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(page(id).procedure.documents[0].template.as_deref(), Some(template.url.as_str()));
    assert_eq!(get(&format!("/api/procedures/{id}/form")).json::<Vec<motcua_core::form::Section>>(), current.form);
    // Only uploaded templates (or https addresses) may be linked.
    draft.documents[0].template = Some("/api/templates/ffffffffffffffffffffffffffffffff".into());
    let a = publish(&draft);
    assert_eq!(a.status, 422, "{}", a.body);
}

fn form_json(workers_required: bool) -> serde_json::Value {
    json!([{ "id": "employer", "title": "Thông tin doanh nghiệp", "fields": [
        { "id": "tax_code", "label": "Mã số thuế", "kind": { "type": "text", "max_len": 14 }, "required": true, "hint": null },
        { "id": "workers", "label": "Số lao động nước ngoài", "kind": { "type": "number", "min": 1, "max": 500 }, "required": workers_required, "hint": null }
    ] }])
}

/// Publishes a new online procedure of SNV with its own form page; answers its id.
pub fn publish_with_form(admin: &Session, tag: &str) -> String {
    let (today, _) = today_and_tomorrow();
    let mut p: Procedure = get("/api/procedures/1.014196").json();
    p.id = unique(&format!("thu-nghiem-{tag}"));
    p.code = None;
    p.name = format!("Thủ tục có biểu mẫu riêng {}", p.id);
    let a = admin.post("/api/staff/catalogue/publish", &json!({ "procedure": p, "decision": decision("81/QĐ-UBND", today), "form": form_json(true) }));
    assert_eq!(a.status, 200, "{}", a.body);
    p.id
}

#[test]
fn a_procedures_own_form_is_published_with_its_version_and_checked_on_submission() {
    let admin = Session::login("quantri");
    let (today, _) = today_and_tomorrow();
    // A form that reuses an applicant field's id is refused before anything is written.
    let mut clash = form_json(true);
    clash[0]["fields"][0]["id"] = json!("cccd");
    let p: Procedure = get("/api/procedures/1.014196").json();
    let a = admin.post("/api/staff/catalogue/preview", &json!({ "procedure": p, "decision": decision("82/QĐ-UBND", today), "form": clash }));
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.json::<ErrorBody>().fields[0].field, "form");

    let id = publish_with_form(&admin, "form");
    let form: Vec<motcua_core::form::Section> = get(&format!("/api/procedures/{id}/form")).json();
    assert_eq!(form.len(), 1);
    assert_eq!(form[0].fields.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["tax_code", "workers"]);
    // The public record does not carry it (the public pages never load it).
    assert!(!get(&format!("/api/procedures/{id}")).body.contains("tax_code"));

    let applicant = json!({ "full_name": "Đỗ Biểu Mẫu", "birth_date": "1990-05-01", "cccd": "022190012345",
        "phone": "0912 000 111", "address": "Hạ Long", "delivery": "centre" });
    let a = post_json("/api/dossiers", &json!({ "procedure": id, "idempotency_key": unique("form-missing"), "answers": applicant }));
    assert_eq!(a.status, 422, "{}", a.body);
    let mut missing: Vec<String> = a.json::<ErrorBody>().fields.into_iter().map(|f| f.field).collect();
    missing.sort();
    assert_eq!(missing, ["tax_code", "workers"]);
    let mut answers = applicant.clone();
    answers["tax_code"] = json!("0101234567");
    answers["workers"] = json!("12");
    let a = post_json("/api/dossiers", &json!({ "procedure": id, "idempotency_key": unique("form-ok"), "answers": answers }));
    assert_eq!(a.status, 201, "{}", a.body);
    let receipt: Receipt = a.json();
    let staff = Session::login("tiepnhan");
    let d: motcua_core::workflow::views::StaffDossier = staff.get(&format!("/api/staff/dossiers/{}", receipt.code.as_str())).json();
    assert_eq!(d.answers.get("workers").map(String::as_str), Some("12"));
    assert_eq!(d.form, form, "the staff view labels the answers with the version's form");

    // An amendment of the form shows in the preview's changes and in the admin's draft.
    let e = editable(&admin, &id);
    assert_eq!(e.form, form);
    let a = admin.post(
        "/api/staff/catalogue/preview",
        &json!({ "procedure": e.latest, "decision": decision("83/QĐ-UBND", today), "form": form_json(false) }),
    );
    let preview: Preview = a.json();
    assert_eq!(preview.changes.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["Biểu mẫu trực tuyến"], "{}", a.body);
    // An empty list clears the pages; only leaving `form` out keeps them.
    let a = admin.post("/api/staff/catalogue/preview", &json!({ "procedure": e.latest, "decision": decision("83/QĐ-UBND", today), "form": [] }));
    let cleared: Preview = a.json();
    assert!(cleared.form.is_empty() && cleared.changes.iter().any(|c| c.label == "Biểu mẫu trực tuyến"), "{}", a.body);
}

/// Issue #16: an admin gives a version an unofficial English name and summary; the page's record
/// carries it, the official name stays; a summary without a name is refused at its field.
#[test]
fn a_version_carries_the_admins_english_name_and_summary() {
    let admin = Session::login("quantri");
    let (today, _) = today_and_tomorrow();
    let id = unique("thu-nghiem-ban-dich");
    let mut p: Procedure = get("/api/procedures/1.014196").json();
    assert!(p.english.is_some(), "the work-permit procedures come with an English name");
    p.id = id.clone();
    p.code = None;
    p.name = format!("Thủ tục thử nghiệm bản dịch {id}");
    p.english = Some(motcua_core::catalogue::Translation { name: "  A test procedure in English  ".into(), summary: Some(" ".into()) });
    let a = admin.post("/api/staff/catalogue/publish", &json!({ "procedure": p, "decision": decision("102/QĐ-UBND", today) }));
    assert_eq!(a.status, 200, "{}", a.body);
    let page: ProcedurePage = get(&format!("/api/procedures/{id}")).json();
    let english = page.procedure.english.expect("published with the version");
    assert_eq!((english.name.as_str(), english.summary), ("A test procedure in English", None), "trimmed; a blank summary is none");
    assert!(page.procedure.name.starts_with("Thủ tục thử nghiệm bản dịch"), "the official name is unchanged");

    let mut draft = editable(&admin, &id).latest;
    draft.english = Some(motcua_core::catalogue::Translation { name: String::new(), summary: Some("Only a summary".into()) });
    let a = admin.post("/api/staff/catalogue/preview", &json!({ "procedure": draft, "decision": decision("103/QĐ-UBND", today) }));
    assert_eq!(a.status, 422, "{}", a.body);
    let e: ErrorBody = a.json();
    assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["name_en"]);
}
