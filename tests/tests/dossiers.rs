//! Online submission and public tracking, over HTTP against the real stack.

use std::collections::BTreeSet;

use motcua_core::dossier::{DossierCode, DossierStatus, Receipt};
use motcua_core::tracking::PublicStatus;
use motcua_core::form::Section;
use motcua_core::{ErrorBody, ErrorCode};
use motcua_tests::{get, post_bytes, post_json, post_raw, request};
use serde_json::json;

/// An online procedure of the catalogue (work permit, toàn trình, 10 working days).
const ONLINE: &str = "1.014199";

fn key(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("test-{tag}-{nanos}-{}", std::process::id())
}

fn applicant() -> serde_json::Value {
    json!({
        "full_name": "Nguyễn Thị Lan",
        "birth_date": "1995-03-08",
        "cccd": "022195012345",
        "phone": "0912 345 678",
        "email": "lan@example.vn",
        "address": "Phường Hồng Gai, Hạ Long, Quảng Ninh",
        "delivery": "centre"
    })
}

fn submit(key: &str, answers: serde_json::Value) -> motcua_tests::Answer {
    post_json("/api/dossiers", &json!({ "procedure": ONLINE, "idempotency_key": key, "answers": answers }))
}

#[test]
fn a_submission_gets_a_national_code_a_due_date_and_a_public_status() {
    let a = submit(&key("happy"), applicant());
    assert_eq!(a.status, 201, "{}", a.body);
    let r: Receipt = a.json();
    assert_eq!(r.code.agency(), "SNV", "work permits are the Department of Home Affairs'");
    assert_eq!(r.status, DossierStatus::New);
    assert_eq!(r.days, 10);
    assert!(r.due_at > r.submitted_at);
    assert_eq!(r.code.received_on(), r.submitted_at.date());
    assert!(r.secret.len() >= 20);

    let s = get(&format!("/api/dossiers/{}", r.code.as_str()));
    assert_eq!(s.status, 200);
    let status: PublicStatus = s.json();
    assert_eq!((status.code, status.due_at, status.status), (r.code.clone(), r.due_at, DossierStatus::New));
    // Nothing that identifies the applicant.
    for personal in ["Nguyễn Thị Lan", "022195012345", "0912345678", "lan@example.vn", "Hồng Gai", &r.secret] {
        assert!(!s.body.contains(personal), "public status shows {personal}");
    }
    // Codes are found whatever the letter case.
    assert_eq!(get(&format!("/api/dossiers/{}", r.code.as_str().to_lowercase())).status, 200);
}

#[test]
fn a_retry_with_the_same_key_returns_the_same_dossier() {
    let k = key("retry");
    let first: Receipt = submit(&k, applicant()).json();
    let again = submit(&k, applicant());
    assert_eq!(again.status, 200);
    assert_eq!(again.json::<Receipt>(), first);
}

#[test]
fn concurrent_submissions_get_distinct_codes_and_none_is_lost() {
    const N: usize = 200;
    let run = key("burst");
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let run = run.clone();
            std::thread::spawn(move || {
                (0..N / 8)
                    .map(|i| {
                        let a = submit(&format!("{run}-{t}-{i}"), applicant());
                        assert_eq!(a.status, 201, "{}", a.body);
                        a.json::<Receipt>().code
                    })
                    .collect::<Vec<DossierCode>>()
            })
        })
        .collect();
    let codes: Vec<DossierCode> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let distinct: BTreeSet<&DossierCode> = codes.iter().collect();
    assert_eq!(distinct.len(), N, "every submission got its own code");
    for c in &codes {
        assert_eq!(get(&format!("/api/dossiers/{}", c.as_str())).status, 200, "{} is stored", c.as_str());
    }
}

#[test]
fn invalid_answers_are_refused_field_by_field() {
    let mut a = applicant();
    a["cccd"] = json!("022295012345"); // says born in 2095
    a["phone"] = json!("0212345678");
    a["nickname"] = json!("x");
    let r = submit(&key("invalid"), a);
    assert_eq!(r.status, 422, "{}", r.body);
    let body: ErrorBody = r.json();
    assert_eq!(body.code, ErrorCode::Validation);
    let fields: BTreeSet<&str> = body.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, BTreeSet::from(["cccd", "nickname", "phone"]));
    assert!(body.fields.iter().all(|f| !f.message.is_empty()));
}

#[test]
fn malformed_requests_are_400_or_404_never_500() {
    for body in ["", "{", "[]", r#"{"procedure":"1.014199"}"#, r#"{"procedure":"1.014199","idempotency_key":"short","answers":{}}"#] {
        let a = post_raw("/api/dossiers", body);
        assert_eq!(a.status, 400, "{body}: {}", a.body);
        assert_eq!(a.json::<ErrorBody>().code, ErrorCode::InvalidBody);
    }
    let unknown = post_json("/api/dossiers", &json!({ "procedure": "9.999999", "idempotency_key": key("unknown"), "answers": applicant() }));
    assert_eq!(unknown.status, 404);
    // A procedure the source does not publish as online.
    let offline = post_json("/api/dossiers", &json!({ "procedure": "1.001806", "idempotency_key": key("offline"), "answers": applicant() }));
    assert_eq!(offline.status, 422);
    assert_eq!(offline.json::<ErrorBody>().code, ErrorCode::NotOnline);
    for path in ["/api/dossiers/SNV-261127-9999", "/api/dossiers/not-a-code", "/api/dossiers/"] {
        assert_eq!(get(path).status, 404, "{path}");
    }
    let wrong = request("PUT", "/api/dossiers");
    assert_eq!((wrong.status, wrong.header("allow")), (405, Some("POST")));
}

#[test]
fn the_applicant_sees_their_dossier_with_the_secret_and_a_phone_number_opens_nothing() {
    let r: Receipt = submit(&key("lookup"), applicant()).json();
    let path = format!("/api/dossiers/{}/lookup", r.code.as_str());
    let by_secret = post_json(&path, &json!({ "secret": r.secret }));
    assert_eq!(by_secret.status, 200, "{}", by_secret.body);
    let view: motcua_core::tracking::PrivateView = by_secret.json();
    assert_eq!(view.answers["full_name"], "Nguyễn Thị Lan");
    assert_eq!(view.status.code, r.code);
    // A phone number is known to too many people: it is no proof, in any field.
    assert_eq!(post_json(&path, &json!({ "phone": "+84 912 345 678" })).status, 400);
    assert_eq!(post_json(&path, &json!({ "secret": "0912345678" })).status, 403);
    for act in ["withdraw", "supplement", "evaluation"] {
        let a = post_json(&format!("/api/dossiers/{}/{act}", r.code.as_str()), &json!({ "phone": "0912345678", "documents": [] }));
        assert_eq!(a.status, 400, "{act} by phone: {}", a.body);
    }
    assert_eq!(post_json(&path, &json!({})).status, 400);
}

#[test]
fn repeated_wrong_secrets_are_rate_limited() {
    let r: Receipt = submit(&key("limit"), applicant()).json();
    let path = format!("/api/dossiers/{}/lookup", r.code.as_str());
    for _ in 0..motcua_core::tracking::LOOKUP_ATTEMPTS {
        let wrong = post_json(&path, &json!({ "secret": "not-the-secret", "phone": "0987654321" }));
        assert_eq!(wrong.status, 403);
        assert_eq!(wrong.json::<ErrorBody>().code, ErrorCode::Forbidden);
    }
    // Now even the right secret waits: guessing cannot continue.
    let limited = post_json(&path, &json!({ "secret": r.secret }));
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json::<ErrorBody>().code, ErrorCode::TooManyRequests);
    assert!(limited.header("retry-after").is_some());
    // Another dossier of the same client is not affected.
    let other: Receipt = submit(&key("limit-other"), applicant()).json();
    assert_eq!(post_json(&format!("/api/dossiers/{}/lookup", other.code.as_str()), &json!({ "secret": other.secret })).status, 200);
}

#[test]
fn the_receipt_qr_code_is_an_svg_of_the_tracking_address() {
    let r: Receipt = submit(&key("qr"), applicant()).json();
    let a = get(&format!("/api/dossiers/{}/qr.svg", r.code.as_str()));
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("image/svg+xml"));
    assert!(a.body.starts_with("<?xml") || a.body.starts_with("<svg"), "{}", &a.body[..40.min(a.body.len())]);
    // Read as a camera would: it opens this dossier's tracking page.
    assert_eq!(motcua_tests::decode_qr_svg(&a.body), format!("{}/ho-so/{}", motcua_tests::base_url(), r.code.as_str()));
    assert_eq!(get("/api/dossiers/SNV-261127-9999/qr.svg").status, 404);
}

fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% motcua test {tag}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n").into_bytes()
}

#[test]
fn attachments_are_recognised_by_content_and_limited_in_size() {
    let body = pdf(&key("upload"));
    let a = post_bytes("/api/uploads", "application/octet-stream", &body);
    assert_eq!(a.status, 201, "{}", a.body);
    let u: motcua_core::form::Upload = a.json();
    assert_eq!(u.kind, motcua_core::form::FileKind::Pdf);
    assert_eq!(u.size as usize, body.len());
    // A retried upload of the same file is the same attachment.
    assert_eq!(post_bytes("/api/uploads", "application/pdf", &body).json::<motcua_core::form::Upload>().id, u.id);
    // A program renamed scan.pdf, whatever the declared type, is refused.
    let exe = post_bytes("/api/uploads", "application/pdf", b"MZ\x90\x00\x03 this is not a document");
    assert_eq!(exe.status, 415);
    assert_eq!(exe.json::<ErrorBody>().code, ErrorCode::UnsupportedFile);
    let mut big = pdf("big");
    big.resize(motcua_core::form::MAX_UPLOAD_BYTES + 1, b' ');
    let too_big = post_bytes("/api/uploads", "application/pdf", &big);
    assert_eq!(too_big.status, 413);
    assert_eq!(too_big.json::<ErrorBody>().code, ErrorCode::TooLarge);

    // A dossier carries uploaded attachments only.
    let with = post_json("/api/dossiers", &json!({ "procedure": ONLINE, "idempotency_key": key("docs"), "answers": applicant(), "documents": [{ "upload": u.id }] }));
    assert_eq!(with.status, 201, "{}", with.body);
    let missing = post_json(
        "/api/dossiers",
        &json!({ "procedure": ONLINE, "idempotency_key": key("docs-missing"), "answers": applicant(), "documents": [{ "upload": "0123456789abcdef0123456789abcdef" }] }),
    );
    assert_eq!(missing.status, 422);
    assert_eq!(missing.json::<ErrorBody>().fields[0].field, "documents");
}

#[test]
fn a_procedure_s_own_form_and_mandatory_documents_from_the_data_files_must_be_answered() {
    // Registering work rules: its published documents (data/documents.json) include two
    // mandatory, and its own form page (data/forms.json) asks about the employer.
    let procedure: motcua_core::catalogue::Procedure = get("/api/procedures/2.001955").json();
    let mandatory: Vec<usize> = procedure.documents.iter().enumerate().filter(|(_, d)| d.mandatory).map(|(i, _)| i).collect();
    assert!(!mandatory.is_empty());
    let form: Vec<Section> = get("/api/procedures/2.001955/form").json();
    let required: Vec<&str> = form.iter().flat_map(|s| &s.fields).filter(|f| f.required).map(|f| f.id.as_str()).collect();
    assert!(required.contains(&"employer_name"), "{required:?}");

    let without = post_json("/api/dossiers", &json!({ "procedure": "2.001955", "idempotency_key": key("rules-none"), "answers": applicant() }));
    assert_eq!(without.status, 422, "{}", without.body);
    let fields: BTreeSet<String> = without.json::<ErrorBody>().fields.into_iter().map(|f| f.field).collect();
    let expected: BTreeSet<String> = mandatory.iter().map(|i| format!("document-{i}")).chain(required.iter().map(|f| f.to_string())).collect();
    assert_eq!(fields, expected);

    let mut answers = applicant();
    answers["employer_name"] = json!("Công ty TNHH Than Hòn Gai");
    answers["head_office"] = json!("Phường Hồng Gai, Quảng Ninh");
    answers["worker_representative"] = json!("ngoai-danh-sach");
    let upload: motcua_core::form::Upload = post_bytes("/api/uploads", "application/pdf", &pdf(&key("rules"))).json();
    let attached: Vec<serde_json::Value> = mandatory.iter().map(|i| json!({ "upload": upload.id, "document": i })).collect();
    let body = |answers: &serde_json::Value, tag: &str| json!({ "procedure": "2.001955", "idempotency_key": key(tag), "answers": answers, "documents": attached });
    // A choice outside the published options is refused on its own.
    let bad = post_json("/api/dossiers", &body(&answers, "rules-bad-choice"));
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.json::<ErrorBody>().fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["worker_representative"]);
    answers["worker_representative"] = json!("co");
    let with = post_json("/api/dossiers", &body(&answers, "rules-all"));
    assert_eq!(with.status, 201, "{}", with.body);
}

#[test]
fn every_form_in_the_data_file_is_served_with_its_procedure() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/forms.json");
    let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let forms = file["procedures"].as_object().unwrap();
    assert!(forms.len() >= 10, "{}", forms.len());
    for (id, form) in forms {
        let expected: Vec<Section> = serde_json::from_value(form["sections"].clone()).unwrap();
        // The seed's version 1, or a later version a catalogue test published (which keeps it).
        let served: Vec<Section> = get(&format!("/api/procedures/{id}/form")).json();
        assert_eq!(served, expected, "{id}");
        let procedure: motcua_core::catalogue::Procedure = get(&format!("/api/procedures/{id}")).json();
        assert!(!procedure.documents.is_empty(), "{id} has a form but no documents");
    }
}
