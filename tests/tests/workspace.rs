//! The staff workspace in Chromium, with the citizen on a phone: a 4-step journey with a
//! supplement answered from the phone and a verified result, and a 3-step walk-in.

use fantoccini::{Client, Locator};
use motcua_tests::browser::{cdp, click, fill, image_loaded, open, phone, texts, until, wait_text, wait_text_where};

/// Today in Vietnam, as the server counts it.
fn today() -> String {
    let d: serde_json::Value = motcua_tests::get("/api/calendar/due?days=1").json();
    d["from"].as_str().unwrap()[..10].to_owned()
}

/// The citizen applies online for a work permit (1.014199) on the phone, through every page of
/// the form; answers the receipt's code and secret.
async fn submit_on_the_phone(c: &Client) -> (String, String) {
    open(c, "/nop-ho-so/1.014199").await;
    let step = wait_text_where(c, "main .crumbs", |t| t.starts_with("Bước")).await;
    if step != "Bước 1 / 5" {
        c.execute("window.confirm = () => true;", vec![]).await.unwrap(); // it asks first
        click(c, "main button.link").await; // a draft left by another test: start afresh
        wait_text_where(c, "main .crumbs", |t| t == "Bước 1 / 5").await;
    }
    let next = ".actions button:last-child";
    fill(c, "#full_name", "Lý Thị Hành Trình").await;
    fill(c, "#birth_date", "1992-02-02").await;
    fill(c, "#cccd", "022192012345").await;
    click(c, next).await;
    wait_text_where(c, "main .crumbs", |t| t == "Bước 2 / 5").await;
    fill(c, "#phone", "0987 654 321").await;
    fill(c, "#address", "Phường Hà Tu, Hạ Long").await;
    click(c, next).await;
    wait_text_where(c, "main .crumbs", |t| t == "Bước 3 / 5").await;
    click(c, "#delivery-centre").await;
    click(c, next).await;
    wait_text_where(c, "main .crumbs", |t| t == "Bước 4 / 5").await;
    click(c, next).await;
    wait_text_where(c, "main .crumbs", |t| t == "Bước 5 / 5").await;
    click(c, next).await;
    let code = wait_text(c, ".receipt .code.big").await;
    let secret = wait_text(c, ".receipt .code.secret").await;
    (code, secret)
}

async fn login(c: &Client, username: &str) {
    motcua_tests::browser::staff_login(c, username).await
}

async fn logout(c: &Client) {
    c.find(Locator::XPath("//button[normalize-space()='Đăng xuất']")).await.unwrap().click().await.unwrap();
    wait_text_where(c, "main h1", |t| t == "Đăng nhập cán bộ").await;
}

async fn button(c: &Client, label: &str) {
    let xpath = format!("//button[normalize-space()='{label}']");
    until(&format!("button {label}"), || {
        let c = c.clone();
        let xpath = xpath.clone();
        async move { c.find(Locator::XPath(&xpath)).await.is_ok() }
    })
    .await;
    c.find(Locator::XPath(&xpath)).await.unwrap().click().await.unwrap();
}

/// A phone signed in as `username` on the walk-in form.
async fn desk(username: &str) -> Client {
    let c = phone().await;
    login(&c, username).await;
    open(&c, "/can-bo/tiep-nhan").await;
    wait_text_where(&c, "main h1", |t| t == "Tiếp nhận hồ sơ trực tiếp").await;
    c
}

/// Opens the dossier, takes `action` (its button label), lets `details` fill the form, confirms,
/// and waits for the status the action leads to.
async fn act(c: &Client, code: &str, action: &str, details: &[(&str, &str)], status_after: &str) {
    open(c, &format!("/can-bo/ho-so/{code}")).await;
    wait_text_where(c, "main h1", |t| t.contains(code)).await;
    wait_text(c, "table.history tbody tr").await;
    let before = texts(c, "table.history tbody tr").await.len();
    button(c, action).await;
    for (css, value) in details {
        fill(c, css, value).await;
    }
    click(c, ".action-form button.primary").await;
    // Done when the history has one more line (the status may stay the same).
    until(&format!("{action} recorded"), || {
        let c = c.clone();
        async move { texts(&c, "table.history tbody tr").await.len() == before + 1 }
    })
    .await;
    wait_text_where(c, ".facts dd:nth-of-type(3)", |t| t == status_after).await;
}

#[tokio::test]
async fn four_step_journey_with_a_supplement_from_the_phone_and_a_verified_result() {
    let c = phone().await;
    let (code, secret) = submit_on_the_phone(&c).await;

    login(&c, "tiepnhan").await;
    // Before reception the page says so (not "chưa công bố"), and the applicant's choice of
    // delivery reads as its label, not its stored value.
    open(&c, &format!("/can-bo/ho-so/{code}")).await;
    wait_text_where(&c, "main h1", |t| t.contains(&code)).await;
    let facts = texts(&c, ".facts dt, .facts dd").await;
    let after = |label: &str| facts.iter().position(|t| t == label).and_then(|i| facts.get(i + 1)).cloned();
    assert_eq!(after("Tiếp nhận lúc").as_deref(), Some("Chưa tiếp nhận"));
    assert!(facts.iter().any(|t| t == "Nhận tại Trung tâm Phục vụ hành chính công"), "{facts:?}");
    assert!(!facts.iter().any(|t| t == "centre" || t == "Chưa công bố"), "{facts:?}");
    act(&c, &code, "Tiếp nhận hồ sơ", &[], "Đã tiếp nhận").await;
    logout(&c).await;

    login(&c, "thamdinh").await;
    // Without a reason the request is refused field by field, and nothing is lost.
    open(&c, &format!("/can-bo/ho-so/{code}")).await;
    wait_text_where(&c, "main h1", |t| t.contains(&code)).await;
    button(&c, "Yêu cầu bổ sung").await;
    click(&c, ".action-form button.primary").await;
    wait_text_where(&c, ".field-error", |t| t == "Vui lòng ghi rõ lý do.").await;
    act(&c, &code, "Yêu cầu bổ sung", &[("#comment", "Thiếu bản sao hợp đồng lao động")], "Yêu cầu bổ sung hồ sơ").await;
    logout(&c).await;

    // The citizen answers on the phone with a file.
    open(&c, &format!("/ho-so/{code}")).await;
    wait_text(&c, ".facts.status dd").await;
    fill(&c, "#proof", &secret).await;
    click(&c, "form.proof button").await;
    wait_text_where(&c, ".supplement p.reason", |t| t == "Thiếu bản sao hợp đồng lao động").await;
    let file = std::env::temp_dir().join(format!("bo-sung-{}.pdf", std::process::id()));
    std::fs::write(&file, b"%PDF-1.4\n% hop dong lao dong\n%%EOF\n").unwrap();
    c.find(Locator::Css("#supplement-files")).await.unwrap().send_keys(&file.display().to_string()).await.unwrap();
    wait_text_where(&c, ".supplement p.uploaded", |t| t == "Đã tải lên 1 tệp.").await;
    button(&c, "Gửi bổ sung").await;
    until("the request answered", || {
        let c = c.clone();
        async move { c.find(Locator::Css(".supplement")).await.is_err() }
    })
    .await;

    login(&c, "thamdinh").await;
    // The officer sees the paper under the name it had on the phone.
    open(&c, &format!("/can-bo/ho-so/{code}")).await;
    wait_text_where(&c, "li a.file", |t| t == format!("bo-sung-{}.pdf", std::process::id())).await;
    act(&c, &code, "Trình phê duyệt", &[], "Đang xử lý").await;
    logout(&c).await;
    login(&c, "pheduyet").await;
    act(&c, &code, "Phê duyệt", &[], "Đang xử lý").await;
    logout(&c).await;
    login(&c, "traketqua").await;
    let today = today();
    // The result with its file, which the citizen downloads later.
    open(&c, &format!("/can-bo/ho-so/{code}")).await;
    wait_text(&c, "table.history tbody tr").await;
    button(&c, "Ghi nhận kết quả").await;
    fill(&c, "#result-number", "88/GP-SNV").await;
    fill(&c, "#result-date", &today).await;
    let result_pdf = std::env::temp_dir().join(format!("ket-qua-{}.pdf", std::process::id()));
    let result_bytes = format!("%PDF-1.4\n% giay phep {code}\n%%EOF\n");
    std::fs::write(&result_pdf, &result_bytes).unwrap();
    c.find(Locator::Css("#result-file")).await.unwrap().send_keys(&result_pdf.display().to_string()).await.unwrap();
    wait_text_where(&c, ".action-form p.uploaded", |t| t == "Đã tải tệp kết quả lên.").await;
    click(&c, ".action-form button.primary").await;
    wait_text_where(&c, ".facts dd:nth-of-type(3)", |t| t == "Đã có kết quả").await;
    // The result slip's QR code loads.
    image_loaded(&c, ".result-slip img").await;
    act(&c, &code, "Đã trả kết quả", &[], "Đã trả kết quả").await;
    // The control slip (05) lists every hand-over with its timeliness.
    let rows = texts(&c, "table.history tbody tr").await;
    assert_eq!(rows.len(), 8, "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("Trần Văn Thẩm")), "who acted: {rows:?}");
    logout(&c).await;

    // The citizen sees the result and verifies it.
    open(&c, &format!("/ho-so/{code}")).await;
    wait_text(&c, ".facts.status dd").await;
    // A phone number opens nothing (issue #15): the receipt's secret does.
    fill(&c, "#proof", "0987654321").await;
    click(&c, "form.proof button").await;
    wait_text_where(&c, "#proof-h ~ .error", |t| t.starts_with("Mã bí mật không khớp")).await;
    fill(&c, "#proof", &secret).await;
    click(&c, "form.proof button").await;
    wait_text_where(&c, "section.result p", |t| t.contains("88/GP-SNV")).await;
    // The result file downloads, with the secret, onto the phone.
    let downloads = std::env::temp_dir().join(format!("downloads-{}", std::process::id()));
    std::fs::create_dir_all(&downloads).unwrap();
    cdp(&c, "Browser.setDownloadBehavior", serde_json::json!({ "behavior": "allow", "downloadPath": downloads.display().to_string() })).await;
    click(&c, "section.result button.download").await;
    let saved = downloads.join(format!("ket-qua-{}.pdf", code.to_lowercase()));
    until("the result file downloaded", || {
        let saved = saved.clone();
        async move { std::fs::read(&saved).is_ok_and(|b| !b.is_empty()) }
    })
    .await;
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), result_bytes, "the file the desk attached");
    click(&c, "section.result a").await;
    wait_text_where(&c, ".verdict", |t| t.starts_with("Kết quả hợp lệ")).await;
    let facts = texts(&c, ".facts dd").await;
    assert!(facts.iter().any(|f| f == "Lý Thị Hành Trình"), "{facts:?}");
    // A changed link is not genuine.
    let url = c.current_url().await.unwrap().to_string();
    let tampered = url.replace("sig=", "sig=00");
    c.goto(&tampered).await.unwrap();
    wait_text_where(&c, ".verdict", |t| t.starts_with("Không xác thực được")).await;
    c.close().await.unwrap();
}

#[tokio::test]
async fn three_step_walk_in_registered_at_the_desk() {
    let c = desk("canbo.syt").await;
    // The officer first types another procedure's code and starts on its questions: changing
    // the code takes them away, answers included, or the registration below would be refused.
    fill(&c, "#procedure", "2.000286").await;
    wait_text(&c, "fieldset.papers legend").await;
    fill(&c, "#f-person_name", "Câu trả lời của thủ tục khác").await;
    click(&c, "#document-0").await;
    fill(&c, "#procedure", "1.012990").await;
    until("the other procedure's questions are gone", || {
        let c = c.clone();
        async move { c.find(Locator::Css("#f-person_name")).await.is_err() && c.find(Locator::Css("fieldset.papers")).await.is_err() }
    })
    .await;
    fill(&c, "#f-full_name", "Mai Văn Ba Bước").await;
    fill(&c, "#f-birth_date", "1970-10-10").await;
    fill(&c, "#f-cccd", "12").await;
    fill(&c, "#f-phone", "0903 123 456").await;
    fill(&c, "#f-address", "Xã Quảng La, Quảng Ninh").await;
    c.find(Locator::Css("#f-delivery option[value=post]")).await.unwrap().click().await.unwrap();
    click(&c, "form.walk-in button[type=submit]").await;
    wait_text_where(&c, ".field-error", |t| t.contains("12 chữ số")).await;
    fill(&c, "#f-cccd", "022070012345").await;
    click(&c, "form.walk-in button[type=submit]").await;
    let code = wait_text(&c, ".receipt .code.big").await;
    assert!(code.starts_with("SYT-"), "{code}");
    act(&c, &code, "Chuyển trả kết quả", &[], "Đang xử lý").await;
    let today = today();
    act(&c, &code, "Ghi nhận kết quả", &[("#result-number", "9/QĐ-SYT"), ("#result-date", &today)], "Đã có kết quả").await;
    act(&c, &code, "Đã trả kết quả", &[], "Đã trả kết quả").await;
    let rows = texts(&c, "table.history tbody tr").await;
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows[0].contains("Tiếp nhận hồ sơ trực tiếp"), "{rows:?}");
    assert!(rows[3].contains("bưu chính"), "the applicant asked for the post: {rows:?}");
    // The register (slip 06) lists it: on its last page, the newest (other tests fill the day).
    open(&c, "/can-bo/so-theo-doi").await;
    wait_text(&c, "main p.count").await;
    if c.find(Locator::Css("nav.pager button.last")).await.is_ok() {
        click(&c, "nav.pager button.last").await;
    }
    until("the register lists the dossier", || {
        let c = c.clone();
        let code = code.clone();
        async move { texts(&c, "table.register tbody tr").await.iter().any(|r| r.contains(&code)) }
    })
    .await;
    c.close().await.unwrap();
}

/// A social-protection admission (2.000286, Department of Health) handed in at the desk: the
/// procedure's own questions and its published papers, ticked as received, on slip 01.
#[tokio::test]
async fn a_desk_registers_an_admission_with_its_own_questions_and_the_papers_received() {
    let c = desk("canbo.syt").await;
    fill(&c, "#procedure", "2.000286").await;
    fill(&c, "#f-full_name", "Vi Thị Giám Hộ").await;
    // Once the code is known, its own questions and papers appear.
    wait_text_where(&c, "fieldset.papers legend", |t| t.starts_with("Giấy tờ đã nhận")).await;
    fill(&c, "#f-person_name", "Vi Văn Nhỏ").await;
    fill(&c, "#f-person_birth_date", "2015-06-01").await;
    c.find(Locator::Css("#f-declarant option[value=giam_ho]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#f-situation option[value=tre_em]")).await.unwrap().click().await.unwrap();
    fill(&c, "#f-birth_date", "1980-03-03").await;
    fill(&c, "#f-cccd", "022180012345").await;
    fill(&c, "#f-phone", "0903 222 333").await;
    fill(&c, "#f-address", "Xã Ba Chẽ, Quảng Ninh").await;
    c.find(Locator::Css("#f-delivery option[value=centre]")).await.unwrap().click().await.unwrap();
    // The declaration (Mẫu số 07) is mandatory: not ticked, not registered.
    click(&c, "form.walk-in button[type=submit]").await;
    wait_text_where(&c, ".field-error", |t| t.starts_with("Chưa nhận: Tờ khai")).await;
    click(&c, "#document-0").await;
    click(&c, "#document-1").await;
    click(&c, "form.walk-in button[type=submit]").await;
    let code = wait_text(&c, ".receipt .code.big").await;
    assert!(code.starts_with("SYT-"), "{code}");
    let papers = texts(&c, ".receipt ol.attached li").await;
    assert_eq!(papers.len(), 2, "{papers:?}");
    assert!(papers[0].starts_with("Tờ khai") && papers[0].ends_with("(bản giấy)"), "{papers:?}");
    // The dossier page names them for the next officer.
    open(&c, &format!("/can-bo/ho-so/{code}")).await;
    let listed = wait_text(&c, "ul.papers").await;
    assert!(listed.contains("Giấy khai sinh"), "{listed}");
    c.close().await.unwrap();
}

/// The register opens on Vietnam's today whatever the device's time zone: at any hour one of
/// Pago Pago (UTC−11) and Kiritimati (UTC+14) has another date than Vietnam (UTC+7).
#[tokio::test]
async fn the_register_opens_on_vietnams_today_in_any_time_zone() {
    let today = today();
    let c = desk("tiepnhan").await;
    for zone in ["Pacific/Pago_Pago", "Pacific/Kiritimati"] {
        cdp(&c, "Emulation.setTimezoneOverride", serde_json::json!({ "timezoneId": zone })).await;
        open(&c, "/can-bo/so-theo-doi").await;
        wait_text_where(&c, "main h1", |t| t.starts_with("Sổ theo dõi")).await;
        let offset = c.execute("return new Date().getTimezoneOffset()", vec![]).await.unwrap();
        assert_ne!(offset, serde_json::json!(0), "the zone {zone} is in force");
        let shown = c.execute("return [...document.querySelectorAll('.range input[type=date]')].map(i => i.value)", vec![]).await.unwrap();
        assert_eq!(shown, serde_json::json!([today, today]), "in {zone}");
    }
    c.close().await.unwrap();
}
