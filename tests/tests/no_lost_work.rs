//! Issue #19 (no lost work, GOV.UK patterns) on a phone: discarding a draft asks first; an
//! error summary's link takes focus to its field; a file over the limit is refused before it is
//! sent; the receipt's secret reads in groups, copies whole and is accepted with spaces typed;
//! the receipt reopens from "Hồ sơ của tôi"; the supplement loop is visible and confirmed.

use fantoccini::{Client, Locator};
use motcua_core::workflow::views::StaffDossier;
use motcua_tests::browser::{answer_applicant_pages, cdp, click, fill, open, phone, texts, until, wait_text, wait_text_where};
use motcua_tests::Session;
use serde_json::json;

const PROCEDURE: &str = "1.014200";

async fn value(c: &Client, css: &str) -> String {
    let v = c.execute("return document.querySelector(arguments[0]).value", vec![serde_json::json!(css)]).await.unwrap();
    v.as_str().unwrap_or_default().to_owned()
}

async fn confirm_answers(c: &Client, yes: bool) {
    c.execute(&format!("window.confirm = () => {yes};"), vec![]).await.unwrap();
}

#[tokio::test]
async fn a_draft_survives_a_mistaken_tap_and_mistakes_are_caught_before_sending() {
    let c = phone().await;
    open(&c, &format!("/nop-ho-so/{PROCEDURE}")).await;
    let step = wait_text_where(&c, "main .crumbs", |t| t.starts_with("Bước")).await;
    let total: usize = step.rsplit(' ').next().unwrap().parse().unwrap();
    if step != format!("Bước 1 / {total}") {
        confirm_answers(&c, true).await;
        click(&c, "main button.link").await;
        wait_text_where(&c, "main .crumbs", |t| t == format!("Bước 1 / {total}")).await;
    }

    // "Discard" asks; saying no keeps every answer.
    fill(&c, "#full_name", "Lê Văn Giữ").await;
    confirm_answers(&c, false).await;
    click(&c, "main button.link").await;
    assert_eq!(value(&c, "#full_name").await, "Lê Văn Giữ", "a mistaken tap loses nothing");
    confirm_answers(&c, true).await;
    click(&c, "main button.link").await;
    until("the draft is discarded", || {
        let c = c.clone();
        async move { value(&c, "#full_name").await.is_empty() }
    })
    .await;

    // The error summary's links move focus to the field to mend.
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "div.error[role=alert]", |t| t.contains("Vui lòng nhập họ và tên")).await;
    for link in c.find_all(Locator::Css("div.error[role=alert] a")).await.unwrap() {
        let field = link.attr("href").await.unwrap().unwrap().trim_start_matches('#').to_owned();
        link.click().await.unwrap();
        let focused = c.execute("return document.activeElement.id", vec![]).await.unwrap();
        assert_eq!(focused.as_str(), Some(field.as_str()), "the link to {field} focuses it");
    }

    // The CCCD is checked against the birth year on the page that asks both, not at the end.
    fill(&c, "#full_name", "Lê Văn Giữ").await;
    fill(&c, "#birth_date", "1990-02-10").await;
    fill(&c, "#cccd", "022085123456").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, ".field-error", |t| t == "Số CCCD không khớp với năm sinh đã khai.").await;
    assert_eq!(wait_text(&c, "main .crumbs").await, format!("Bước 1 / {total}"));

    // Each step is a history entry: the browser's Back returns to the previous step.
    fill(&c, "#birth_date", "1985-02-10").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == format!("Bước 2 / {total}")).await;
    c.back().await.unwrap();
    wait_text_where(&c, "main .crumbs", |t| t == format!("Bước 1 / {total}")).await;
    assert_eq!(value(&c, "#cccd").await, "022085123456", "the answers are still there");
    c.forward().await.unwrap();
    wait_text_where(&c, "main .crumbs", |t| t == format!("Bước 2 / {total}")).await;
    c.back().await.unwrap();
    wait_text_where(&c, "main .crumbs", |t| t == format!("Bước 1 / {total}")).await;

    // A file over 5 MB is refused on the phone, with its name and size, and is not attached.
    answer_applicant_pages(&c, total, ["Lê Văn Giữ", "1985-02-10", "022085123456", "0912 345 670", "Cẩm Phả, Quảng Ninh"], "post").await;
    let big = std::env::temp_dir().join(format!("ho-chieu-lon-{}.pdf", std::process::id()));
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(6 * 1024 * 1024, b' ');
    std::fs::write(&big, bytes).unwrap();
    let input = c.find(Locator::Css("input[type=file]")).await.unwrap();
    input.send_keys(&big.display().to_string()).await.unwrap();
    let refused = wait_text_where(&c, ".error[role=alert]", |t| t.contains("tệp quá lớn")).await;
    assert!(refused.starts_with(&format!("ho-chieu-lon-{}.pdf: tệp quá lớn (6 MB)", std::process::id())), "{refused}");
    assert!(texts(&c, "ul.attached li").await.iter().all(|t| !t.contains("ho-chieu-lon")), "nothing attached");
    std::fs::remove_file(&big).ok();

    // A small one goes through; submit.
    let file = std::env::temp_dir().join(format!("ho-chieu-{}.pdf", std::process::id()));
    std::fs::write(&file, b"%PDF-1.4\n% test attachment\n%%EOF\n").unwrap();
    for input in c.find_all(Locator::Css("input[type=file]")).await.unwrap() {
        input.send_keys(&file.display().to_string()).await.unwrap();
    }
    until("the files are attached", || {
        let c = c.clone();
        async move { texts(&c, "ul.attached li").await.iter().any(|t| t.contains("ho-chieu-")) }
    })
    .await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == format!("Bước {total} / {total}")).await;
    click(&c, ".actions button:last-child").await;

    // The secret: six groups of four on the slip, one word to a script and to the copy button.
    let code = wait_text(&c, ".receipt .code.big").await;
    let secret = wait_text(&c, ".receipt .code.secret").await;
    assert_eq!(secret.len(), 24, "{secret:?}");
    let groups = texts(&c, ".receipt .code.secret .group").await;
    assert_eq!(groups.len(), 6);
    assert_eq!(groups.concat(), secret);
    let origin = motcua_tests::base_url();
    // setPermission, not grantPermissions: that one also refuses every permission it does not
    // name (notifications, say) to the origin.
    for name in ["clipboard-read", "clipboard-write"] {
        cdp(&c, "Browser.setPermission", serde_json::json!({ "permission": { "name": name }, "setting": "granted", "origin": origin })).await;
    }
    click(&c, "#copy-secret").await;
    wait_text_where(&c, ".receipt [role=status]", |t| t == "Đã chép mã bí mật.").await;
    let copied = c.execute_async("navigator.clipboard.readText().then(arguments[0])", vec![]).await.unwrap();
    assert_eq!(copied.as_str(), Some(secret.as_str()));

    // Reopened from "Hồ sơ của tôi" on the same phone.
    open(&c, "/ho-so").await;
    wait_text_where(&c, "ul.mine", |t| t.contains(&code)).await;
    click(&c, "ul.mine li .receipt-link a").await;
    assert_eq!(wait_text(&c, ".receipt .code.big").await, code);
    assert_eq!(wait_text(&c, ".receipt .code.secret").await, secret, "the same slip, secret included");

    // The supplement loop: the officers ask for a paper; the list marks the dossier, the
    // tracking page says what to do; answered, it confirms and shows the new status at once.
    let asked = code.clone();
    tokio::task::spawn_blocking(move || {
        let (reception, specialist) = (Session::login("tiepnhan"), Session::login("thamdinh"));
        let d = act(&reception, &asked, json!({ "action": "accept", "version": 1 }));
        act(&specialist, &asked, json!({ "action": "request_supplement", "version": d.version, "comment": "Thiếu bản dịch hộ chiếu" }));
    })
    .await
    .unwrap();
    open(&c, "/ho-so").await;
    let marked = wait_text_where(&c, "ul.mine li.action", |t| t.contains(&code)).await;
    assert!(marked.contains("Cần bổ sung hồ sơ") && marked.contains("Yêu cầu bổ sung hồ sơ"), "{marked}");
    click(&c, "ul.mine li.action h3 a").await;
    wait_text_where(&c, ".supplement-public", |t| t.contains("Nhập mã bí mật")).await;

    // Read aloud and typed back with spaces, the secret still opens the dossier.
    fill(&c, "#proof", &groups.join(" ")).await;
    click(&c, "form.proof button").await;
    let private = wait_text(&c, ".facts.private").await;
    assert!(private.contains("Lê Văn Giữ"), "{private}");
    let request = wait_text(&c, "section.supplement").await;
    assert!(request.contains("Thiếu bản dịch hộ chiếu") && request.contains("Ngày yêu cầu:"), "{request}");
    let input = c.find(Locator::Css("#supplement-files")).await.unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    wait_text_where(&c, "section.supplement", |t| t.contains("Đã tải lên 1 tệp.")).await;
    click(&c, "section.supplement button").await;
    wait_text_where(&c, "p.sent", |t| t.starts_with("Đã gửi bổ sung.")).await;
    // The new status at once, without a reload.
    wait_text_where(&c, ".facts.status", |t| t.contains(&code) && !t.contains("Yêu cầu bổ sung hồ sơ")).await;
    c.close().await.unwrap();
}

fn act(s: &Session, code: &str, body: serde_json::Value) -> StaffDossier {
    let a = s.post(&format!("/api/staff/dossiers/{code}/actions"), &body);
    assert_eq!(a.status, 200, "{body}: {}", a.body);
    a.json()
}
