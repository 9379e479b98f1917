//! In Chromium on a phone: the applicant evaluates a returned dossier; a kiosk takes three
//! surveys and resets after each; the public results page counts them.

use fantoccini::{Client, Locator};
use motcua_core::dossier::Receipt;
use motcua_core::rating::KioskEnrollment;
use motcua_tests::browser::{click, fill, open, phone, until, wait_text, wait_text_where};
use motcua_tests::Session;
use serde_json::json;

fn key(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("ui-rate-{tag}-{nanos}-{}", std::process::id())
}

/// A walk-in dossier (3-step, 2.000477) returned by the Department of Health's desk.
fn returned() -> Receipt {
    let desk = Session::login("canbo.syt");
    let r: Receipt = desk
        .post("/api/staff/dossiers", &json!({ "procedure": "2.000477", "idempotency_key": key("d"), "answers": {
            "full_name": "Tô Thị Điện Thoại", "birth_date": "1979-09-09", "cccd": "022179012345", "phone": "0938 111 222",
            "address": "Uông Bí", "delivery": "centre" } }))
        .json();
    let today = r.submitted_at.date().to_string();
    for (v, mut body) in [json!({ "action": "pass_on" }), json!({ "action": "record_result", "result_number": "3/QĐ-SYT", "result_date": today }), json!({ "action": "return" })]
        .into_iter()
        .enumerate()
    {
        body["version"] = json!(v + 1);
        assert_eq!(desk.post(&format!("/api/staff/dossiers/{}/actions", r.code.as_str()), &body).status, 200);
    }
    r
}

async fn count(c: &Client, css: &str) -> u32 {
    wait_text(c, css).await.parse().expect("a count")
}

#[tokio::test]
async fn evaluate_on_the_phone_then_kiosk_surveys_change_the_public_page() {
    let r = returned();
    let c = phone().await;
    open(&c, &format!("/ho-so/{}", r.code.as_str())).await;
    wait_text(&c, ".facts.status dd").await;
    fill(&c, "#proof", &r.secret).await;
    click(&c, "form.proof button").await;
    wait_text_where(&c, "#eval-h", |t| t == "Đánh giá việc giải quyết hồ sơ").await;
    // The computed indices are shown, not asked: walk-in, so online use scores 0.
    let computed = wait_text(&c, ".facts.computed").await;
    assert!(computed.contains("Sử dụng dịch vụ công trực tuyến") && computed.contains("0/2 điểm"), "{computed}");
    // Unanswered questions are named, nothing is sent.
    click(&c, ".evaluate button[type=submit]").await;
    wait_text_where(&c, ".evaluate .error", |t| t == "Vui lòng trả lời đủ các câu hỏi.").await;
    for id in ["#q0-2", "#q1-2", "#q2-2", "#q3-1", "#ease-0", "#overall-0"] {
        click(&c, id).await;
    }
    click(&c, ".evaluate button[type=submit]").await;
    wait_text_where(&c, "#eval-h", |t| t == "Bạn đã đánh giá hồ sơ này").await;

    // The public page before the kiosk's surveys.
    open(&c, "/danh-gia").await;
    wait_text_where(&c, ".sentence", |t| !t.is_empty()).await;
    let before = count(&c, ".surveys").await;

    // An admin enrolls a kiosk; its link, opened on the device, keeps the token there.
    let kiosk: KioskEnrollment = Session::login("quantri").post("/api/staff/kiosks", &json!({ "name": "Máy thử nghiệm" })).json();
    open(&c, &format!("/khao-sat#token={}", kiosk.token)).await;
    for round in 0..3 {
        wait_text_where(&c, ".survey legend", |t| t.starts_with("Thủ tục hành chính")).await;
        for n in 1..=3 {
            let xpath = format!("(//fieldset[@class='big-choices'])[{n}]//button[normalize-space()='Có']");
            c.find(Locator::XPath(&xpath)).await.unwrap().click().await.unwrap();
        }
        click(&c, ".survey .send").await;
        wait_text_where(&c, ".thanks", |t| t == "Cảm ơn bạn đã góp ý!").await;
        // The form comes back by itself, blank, for the next respondent.
        until(&format!("the kiosk resets after survey {}", round + 1), || {
            let c = c.clone();
            async move { c.find(Locator::Css(".survey")).await.is_ok() }
        })
        .await;
        let pressed = c.find_all(Locator::Css(".big-choices button.chosen")).await.unwrap();
        assert!(pressed.is_empty(), "a blank form");
    }
    // The token stayed on the device; the address no longer shows it.
    assert!(!c.current_url().await.unwrap().as_str().contains("token"));

    open(&c, "/danh-gia").await;
    wait_text_where(&c, ".sentence", |t| !t.is_empty()).await;
    let after = count(&c, ".surveys").await;
    assert!(after >= before + 3, "{before} → {after}");
    let sentence = wait_text(&c, ".sentence").await;
    assert!(sentence.contains("phiếu khảo sát đánh giá thủ tục hành chính đơn giản"), "{sentence}");
    c.close().await.unwrap();
}
