//! Papers by name (#19): an upload keeps the name it had on the applicant's device, cleaned; the
//! receipt, the staff record and the download go by it; the applicant downloads the result
//! file with the receipt's secret.

use motcua_core::dossier::Receipt;
use motcua_core::Lang;
use motcua_core::workflow::views::StaffDossier;
use motcua_tests::{post_bytes, post_json, Session};
use serde_json::json;

/// A work-permit procedure of the home-affairs department (SNV), 4-step, online.
const ONLINE: &str = "1.014199";

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{tag}-{nanos}-{}", std::process::id())
}

/// Uploads a small PDF; answers its id and bytes.
fn pdf(tag: &str) -> (String, Vec<u8>) {
    let bytes = format!("%PDF-1.4\n% {}\n%%EOF\n", unique(tag)).into_bytes();
    let up = post_bytes("/api/uploads", "application/pdf", &bytes);
    assert_eq!(up.status, 201, "{}", up.body);
    (up.json::<serde_json::Value>()["id"].as_str().unwrap().to_owned(), bytes)
}

fn act_ok(user: &str, code: &str, body: serde_json::Value) -> StaffDossier {
    let a = Session::login(user).post(&format!("/api/staff/dossiers/{code}/actions"), &body);
    assert_eq!(a.status, 200, "{body}: {}", a.body);
    a.json()
}

#[test]
fn files_keep_their_names_and_the_applicant_downloads_the_result_with_the_secret() {
    let (passport, _) = pdf("passport");
    let (other, _) = pdf("other");
    let answers = json!({ "full_name": "Lưu Thị Giấy Tờ", "birth_date": "1991-06-07", "cccd": "022191067890", "phone": "0912 678 900",
        "address": "Phường Bãi Cháy, Hạ Long", "delivery": "centre" });
    let a = post_json(
        "/api/dossiers",
        &json!({ "procedure": ONLINE, "idempotency_key": unique("giay"), "answers": answers, "documents": [
            { "upload": passport, "name": "C:\\fakepath\\Hộ chiếu - trang 1.pdf" },
            { "upload": other, "name": "../\"khám\"\r\n.pdf" }
        ] }),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let receipt: Receipt = a.json();
    let code = receipt.code.as_str().to_owned();
    // Slip 01 names each file under its paper (this procedure publishes none: "other papers").
    let slip = |lang| receipt.documents.iter().map(|d| d.text(lang)).collect::<Vec<_>>();
    assert_eq!(slip(Lang::Vi), ["Giấy tờ khác (tệp Hộ chiếu - trang 1.pdf)", "Giấy tờ khác (tệp khám.pdf)"]);
    assert_eq!(slip(Lang::En), ["Other paper (file Hộ chiếu - trang 1.pdf)", "Other paper (file khám.pdf)"]);

    // The staff record carries the cleaned names; a download goes by its name.
    let desk = Session::login("tiepnhan");
    let d: StaffDossier = desk.get(&format!("/api/staff/dossiers/{code}")).json();
    let names: Vec<Option<&str>> = d.documents.iter().map(|x| x.name.as_ref().map(|n| n.as_str())).collect();
    assert_eq!(names, [Some("Hộ chiếu - trang 1.pdf"), Some("khám.pdf")]);
    let file = desk.get(&format!("/api/staff/dossiers/{code}/files/{passport}"));
    assert_eq!(file.status, 200);
    let disposition = file.header("content-disposition").unwrap_or_default().to_owned();
    assert!(disposition.starts_with("attachment; filename=\"ho chieu - trang 1.pdf\""), "{disposition}");
    assert!(disposition.ends_with("filename*=UTF-8''H%E1%BB%99%20chi%E1%BA%BFu%20-%20trang%201.pdf"), "{disposition}");

    // Before a result there is nothing to download; then the desk attaches one.
    let fetch = |secret: &str| post_json(&format!("/api/dossiers/{code}/result-file"), &json!({ "secret": secret }));
    assert_eq!(fetch(&receipt.secret).status, 404);
    let d = act_ok("tiepnhan", &code, json!({ "action": "accept", "version": 1 }));
    let d = act_ok("thamdinh", &code, json!({ "action": "pass_on", "version": d.version }));
    let d = act_ok("pheduyet", &code, json!({ "action": "approve", "version": d.version }));
    let (result, bytes) = pdf("ket-qua");
    let (today, _) = motcua_tests::today_and_tomorrow();
    act_ok("traketqua", &code, json!({ "action": "record_result", "version": d.version, "result_number": "12/GP-SNV", "result_date": today.to_string(), "result_upload": result }));

    let wrong = fetch("SAI-MA-BI-MAT");
    assert_eq!(wrong.status, 403, "{}", wrong.body);
    let got = fetch(&receipt.secret);
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(got.body.as_bytes(), bytes.as_slice(), "the very file the desk attached");
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    let disposition = got.header("content-disposition").unwrap_or_default();
    assert!(disposition.contains(&format!("filename=\"ket qua {}.pdf\"", code.to_lowercase())), "{disposition}");
    assert_eq!(motcua_tests::get(&format!("/api/dossiers/{code}/result-file")).status, 405, "a POST: the secret stays out of URLs");
}
