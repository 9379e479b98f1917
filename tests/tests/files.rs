//! Files in R2 (issue #15): an attached file is kept for good, an upload no dossier named is
//! deleted a day later by the Cron Trigger, and the files an older version left in KV are moved
//! to R2 by the same trigger, which also purges expired rate-limit windows. A binary of its own: the trigger is fired a day ahead here, which
//! also ends every rate-limit window, and no other test must run meanwhile.

use motcua_core::dossier::Receipt;
use motcua_tests::{get, post_bytes, post_json, Session};
use serde_json::json;

/// Seeded in the local KV before the stack starts (xtask/src/test.rs).
const LEGACY_UPLOAD: &str = "fedcba9876543210fedcba9876543210";
const LEGACY_BYTES: &[u8] = b"%PDF-1.4\n% kept in KV by an older version\n%%EOF\n";

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{tag}-{nanos}-{}", std::process::id())
}

fn submit_with(upload: &str) -> motcua_tests::Answer {
    let answers = json!({ "full_name": "Kiều Thị Lưu Trữ", "birth_date": "1989-09-09", "cccd": "022189090909", "phone": "0912 909 090",
        "address": "Hạ Long", "delivery": "centre" });
    post_json("/api/dossiers", &json!({ "procedure": "1.014199", "idempotency_key": unique("luu-tru"), "answers": answers, "documents": [{ "upload": upload }] }))
}

fn upload(tag: &str) -> String {
    let a = post_bytes("/api/uploads", "application/pdf", format!("%PDF-1.4\n% {}\n%%EOF\n", unique(tag)).as_bytes());
    assert_eq!(a.status, 201, "{}", a.body);
    a.json::<serde_json::Value>()["id"].as_str().unwrap().to_owned()
}

#[test]
fn attached_files_stay_unattached_ones_go_after_a_day_and_kv_files_move_to_r2() {
    let kept = upload("giu-lai");
    let a = submit_with(&kept);
    assert_eq!(a.status, 201, "{}", a.body);
    let code = a.json::<Receipt>().code;
    let forgotten = upload("bo-quen");
    // A client locked out of a dossier by wrong secrets (the window is kept as a row).
    let secret = {
        let a = submit_with(&upload("khoa"));
        assert_eq!(a.status, 201, "{}", a.body);
        a.json::<Receipt>()
    };
    let lookup = |s: &str| motcua_tests::post_json_as("198.18.0.1", &format!("/api/dossiers/{}/lookup", secret.code.as_str()), &json!({ "secret": s }));
    for _ in 0..motcua_core::tracking::LOOKUP_ATTEMPTS {
        assert_eq!(lookup("sai").status, 403);
    }
    assert_eq!(lookup(&secret.secret).status, 429);
    // Before the move, a dossier cannot name what an older version kept in KV.
    assert_eq!(submit_with(LEGACY_UPLOAD).status, 422);

    // The five-minute trigger, as it runs 25 hours from now.
    let later = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() + 25 * 3600 * 1000;
    let fired = get(&format!("/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*&time={later}"));
    assert_eq!(fired.status, 200, "{}", fired.body);

    let desk = Session::login("tiepnhan");
    let file = desk.get(&format!("/api/staff/dossiers/{}/files/{kept}", code.as_str()));
    assert_eq!(file.status, 200, "an attached file is kept");
    assert_eq!(submit_with(&forgotten).status, 422, "an upload nobody attached within a day is gone");
    // The expired window is gone with the purge: the right secret opens the dossier again.
    assert_eq!(lookup(&secret.secret).status, 200);
    let moved = submit_with(LEGACY_UPLOAD);
    assert_eq!(moved.status, 201, "the KV file is in R2 now: {}", moved.body);
    let code = moved.json::<Receipt>().code;
    let file = desk.get(&format!("/api/staff/dossiers/{}/files/{LEGACY_UPLOAD}", code.as_str()));
    assert_eq!((file.status, file.body.as_bytes()), (200, LEGACY_BYTES));
}
