//! An admin amends a procedure's processing time with an effective date of tomorrow and
//! publishes it in Chromium; the public page shows the old time today and, with the test clock
//! set to tomorrow, the new one with the change in its history (issue #8).

use fantoccini::{Client, Locator};
use motcua_core::catalogue::Procedure;
use motcua_tests::browser::{click, fill, open, phone, staff_login, until, wait_text, wait_text_where};
use motcua_tests::today_and_tomorrow;

/// Online, 5 working days (SNV); no other test changes it.
const PROCEDURE: &str = "1.014196";
const LABEL: &str = "Thời hạn giải quyết (nộp trực tiếp)";

async fn button(c: &Client, label: &str) {
    let xpath = format!("//button[normalize-space()='{label}']");
    c.find(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("button {label}: {e}")).click().await.unwrap();
}

/// The value next to a label in the procedure page's facts, once it reads `expected`.
async fn fact_becomes(c: &Client, label: &str, expected: &str) {
    let xpath = format!("//dl[contains(@class,'facts')]/dt[normalize-space()='{label}']/following-sibling::dd[1]");
    until(&format!("{label} = {expected}"), || {
        let c = c.clone();
        let xpath = xpath.clone();
        async move {
            match c.find(Locator::XPath(&xpath)).await {
                Ok(el) => el.text().await.is_ok_and(|t| t == expected),
                Err(_) => false,
            }
        }
    })
    .await;
}

#[tokio::test]
async fn an_amendment_effective_tomorrow_shows_on_its_day_only() {
    let (today, tomorrow) = today_and_tomorrow();
    let today_days = motcua_tests::get(&format!("/api/procedures/{PROCEDURE}")).json::<Procedure>().days_in_person.unwrap();

    let admin = phone().await;
    staff_login(&admin, "quantri").await;
    open(&admin, "/can-bo/danh-muc").await;
    wait_text_where(&admin, "main h1", |t| t == "Danh mục thủ tục hành chính").await;
    fill(&admin, "#c-id", PROCEDURE).await;
    button(&admin, "Mở thủ tục").await;
    wait_text(&admin, "table.versions-admin tbody tr").await;
    // The draft starts from the latest version (a rerun finds the one it published before).
    let latest: u16 = admin
        .execute("return document.querySelector('#c-days_in_person').value", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut new_days = latest % 9 + 2;
    if new_days == today_days {
        new_days = new_days % 9 + 2;
    }
    fill(&admin, "#c-days_in_person", &new_days.to_string()).await;
    // The version's unofficial English name is edited beside the Vietnamese texts (issue #16).
    let english = admin.execute("return document.querySelector('#c-name_en').value", vec![]).await.unwrap();
    assert!(english.as_str().is_some_and(|e| e.starts_with("Certifying")), "{english}");
    fill(&admin, "#c-name_en", &format!("Certifying a work-permit exemption (revision {new_days})")).await;
    fill(&admin, "#c-decision_number", "2468/QĐ-UBND").await;
    fill(&admin, "#c-decision_date", &today.to_string()).await;
    fill(&admin, "#c-effective_from", &tomorrow.to_string()).await;
    button(&admin, "Xem trước").await;
    let change = wait_text(&admin, ".preview-changes li").await;
    assert!(change.starts_with(LABEL) && change.contains(&format!("{new_days} ngày làm việc")), "{change}");
    let changes = motcua_tests::browser::texts(&admin, ".preview-changes li").await;
    assert!(changes.iter().any(|c| c.starts_with("Tên tiếng Anh") && c.contains(&format!("(revision {new_days})"))), "{changes:?}");
    // The preview is the public page as it will read.
    wait_text_where(&admin, ".public-preview h1", |t| !t.is_empty()).await;
    button(&admin, "Công bố").await;
    let done = wait_text_where(&admin, "main .notice", |t| t.starts_with("Đã công bố")).await;
    assert!(done.contains("2468/QĐ-UBND") && done.contains(&motcua_core::date::to_vi(tomorrow)), "{done}");
    admin.close().await.unwrap();

    let citizen = phone().await;
    open(&citizen, &format!("/thu-tuc/{PROCEDURE}")).await;
    fact_becomes(&citizen, LABEL, &format!("{today_days} ngày làm việc")).await;

    // Tomorrow, by the test clock: the new time, its decision and the change in the history.
    // Set as a page script would (WebDriver's add_cookie wants an explicit domain for 127.0.0.1).
    citizen
        .execute("document.cookie = 'motcua_test_clock=' + arguments[0] + '; path=/'", vec![serde_json::json!(tomorrow.to_string())])
        .await
        .unwrap();
    citizen.refresh().await.unwrap();
    fact_becomes(&citizen, LABEL, &format!("{new_days} ngày làm việc")).await;
    fact_becomes(&citizen, "Ngày có hiệu lực", &motcua_core::date::to_vi(tomorrow)).await;
    let summary = wait_text(&citizen, ".versions summary").await;
    assert!(summary.contains("2468/QĐ-UBND") && summary.contains(&motcua_core::date::to_vi(tomorrow)), "{summary}");
    click(&citizen, ".versions summary").await;
    let row = wait_text_where(&citizen, ".versions table.changes tbody tr", |t| t.starts_with(LABEL)).await;
    assert!(row.contains(&format!("{new_days} ngày làm việc")), "{row}");
    let first = wait_text(&citizen, ".versions li p").await;
    assert!(first.contains("2468/QĐ-UBND"), "{first}");
    citizen.close().await.unwrap();
}

/// An admin imports a TSV file in the browser: the dry run lists the new procedure and writes
/// nothing, the import publishes it. Then creates an agency on the agencies page.
#[tokio::test]
async fn an_admin_imports_a_file_with_a_dry_run_and_creates_an_agency() {
    let (today, _) = today_and_tomorrow();
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() % 1_000_000;
    let code = format!("9.{n:06}");
    let columns = motcua_core::catalogue::import::TSV_COLUMNS.join("\t");
    let row = [code.as_str(), "Thủ tục nhập trên trình duyệt", "Việc làm", "Sở Nội vụ", "Toàn trình", "8", "", "", "", "", "thử (QĐ 6/QĐ-UBND)", ""].join("\t");
    let dir = std::env::var("MOTCUA_CHROME_PROFILES").map(std::path::PathBuf::from).unwrap_or_else(|_| std::env::temp_dir());
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("import-{n}.tsv"));
    std::fs::write(&file, format!("{columns}\n{row}\n")).unwrap();

    let c = phone().await;
    staff_login(&c, "quantri").await;
    open(&c, "/can-bo/danh-muc").await;
    wait_text_where(&c, "main h1", |t| t == "Danh mục thủ tục hành chính").await;
    c.find(Locator::Css("#i-file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    fill(&c, "#i-number", "6/QĐ-UBND").await;
    fill(&c, "#i-date", &today.to_string()).await;
    fill(&c, "#i-effective", &today.to_string()).await;
    button(&c, "Chạy thử").await;
    let dry = wait_text_where(&c, ".import-report .notice", |t| t.starts_with("Chạy thử")).await;
    assert!(dry.contains("Thêm 1,"), "{dry}");
    assert_eq!(motcua_tests::get(&format!("/api/procedures/{code}")).status, 404, "a dry run writes nothing");
    button(&c, "Nhập và công bố").await;
    wait_text_where(&c, ".import-report .notice", |t| t.starts_with("Đã nhập")).await;
    let page: Procedure = motcua_tests::get(&format!("/api/procedures/{code}")).json();
    assert_eq!(page.days_in_person, Some(8));

    // Agencies are the province's administrator's (issue #15).
    c.find(Locator::XPath("//button[normalize-space()='Đăng xuất']")).await.unwrap().click().await.unwrap();
    wait_text_where(&c, "main h1", |t| t == "Đăng nhập cán bộ").await;
    staff_login(&c, "quantri.tinh").await;
    open(&c, "/can-bo/co-quan").await;
    wait_text(&c, "table.agencies tbody tr").await;
    let agency = format!("TU{n:06}");
    fill(&c, "#ag-code", &agency).await;
    fill(&c, "#ag-name", "Sở Thử nghiệm giao diện").await;
    fill(&c, "#ag-user", &format!("qt.u{n}")).await;
    fill(&c, "#ag-user-name", "Quản trị thử").await;
    fill(&c, "#ag-password", motcua_tests::DEMO_PASSWORD).await;
    button(&c, "Tạo cơ quan").await;
    let done = wait_text_where(&c, "main .notice", |t| t.starts_with("Đã tạo cơ quan")).await;
    assert!(done.contains(&agency), "{done}");
    wait_text_where(&c, "table.agencies tbody", |t| t.contains(&agency)).await;
    c.close().await.unwrap();
}

/// A citizen answers a procedure's own form page on the phone, between the applicant's pages
/// and the attachments, and sees it on "check your answers".
#[tokio::test]
async fn a_citizen_answers_the_procedures_own_form_page() {
    let id = tokio::task::spawn_blocking(|| {
        let admin = motcua_tests::Session::login("quantri");
        let (today, _) = today_and_tomorrow();
        let mut p: Procedure = motcua_tests::get("/api/procedures/1.014196").json();
        let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        p.id = format!("thu-nghiem-trang-{n}");
        p.code = None;
        p.name = format!("Thủ tục có trang riêng {n}");
        let form = serde_json::json!([{ "id": "employer", "title": "Thông tin doanh nghiệp", "fields": [
            { "id": "tax_code", "label": "Mã số thuế", "kind": { "type": "text", "max_len": 14 }, "required": true, "hint": null }] }]);
        let a = admin.post("/api/staff/catalogue/publish", &serde_json::json!({ "procedure": p,
            "decision": { "number": "84/QĐ-UBND", "date": today.to_string(), "effective_from": today.to_string() }, "form": form }));
        assert_eq!(a.status, 200, "{}", a.body);
        p.id
    })
    .await
    .unwrap();
    let c = phone().await;
    open(&c, &format!("/nop-ho-so/{id}")).await;
    let next = ".actions button:last-child";
    let applicant = ["Lê Trang Riêng", "1992-02-02", "022192012345", "0987 654 321", "Hạ Long"];
    motcua_tests::browser::answer_applicant_pages(&c, 6, applicant, "centre").await;
    assert_eq!(wait_text(&c, "main h2").await, "Thông tin doanh nghiệp");
    // Required: the page does not let the citizen on without it.
    click(&c, next).await;
    wait_text(&c, ".field-error").await;
    fill(&c, "#tax_code", "0101234567").await;
    click(&c, next).await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 5 / 6").await;
    click(&c, next).await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 6 / 6").await;
    let check = wait_text(&c, "dl.check").await;
    assert!(check.contains("Mã số thuế") && check.contains("0101234567"), "{check}");
    click(&c, next).await;
    let code = wait_text(&c, ".receipt .code.big").await;
    assert!(code.starts_with("SNV-"), "{code}");
    c.close().await.unwrap();
}
