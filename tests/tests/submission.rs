//! A citizen submits a dossier on a phone, reloads mid-way, gets the receipt, tracks it.

use fantoccini::Locator;
use motcua_core::dossier::DossierCode;
use motcua_tests::browser::{click, fill, image_loaded, open, path_and_query, phone, texts, until, wait_text, wait_text_where};

#[tokio::test]
async fn submit_online_with_a_draft_that_survives_reload_then_track() {
    let c = phone().await;
    open(&c, "/thu-tuc/1.014199").await;
    wait_text(&c, "article.procedure h1").await;
    click(&c, ".cta a.button").await;
    until("the submission page", || {
        let c = c.clone();
        async move { path_and_query(&c).await.starts_with("/nop-ho-so/1.014199") }
    })
    .await;
    let step = wait_text_where(&c, "main .crumbs", |t| t.starts_with("Bước")).await;
    // A fresh device: no draft yet. Empty answers are refused with messages.
    if step != "Bước 1 / 5" {
        c.execute("window.confirm = () => true;", vec![]).await.unwrap(); // it asks first
        click(&c, "main button.link").await; // discard an old draft
    }
    click(&c, ".actions button:last-child").await;
    let summary = wait_text_where(&c, "div.error[role=alert]", |t| t.contains("Vui lòng nhập họ và tên")).await;
    assert!(summary.contains("Số CCCD") || summary.contains("căn cước"), "{summary}");

    fill(&c, "#full_name", "Trần Văn Minh").await;
    fill(&c, "#birth_date", "1988-07-21").await;
    fill(&c, "#cccd", "12345").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, ".field-error", |t| t == "Số CCCD phải gồm đúng 12 chữ số.").await;
    fill(&c, "#cccd", "022088123456").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 2 / 5").await;

    // Reload mid-way: the draft is on the device.
    c.refresh().await.unwrap();
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 2 / 5").await;
    fill(&c, "#phone", "0912 345 678").await;
    fill(&c, "#address", "Phường Cẩm Phả, Quảng Ninh").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 3 / 5").await;
    click(&c, "#delivery-centre").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 4 / 5").await;
    // Attach a scanned document (a small PDF written for the test).
    let file = std::env::temp_dir().join(format!("giay-to-{}.pdf", std::process::id()));
    std::fs::write(&file, b"%PDF-1.4\n% test attachment\n%%EOF\n").unwrap();
    // One file for every slot (each required document, and "other papers").
    let inputs = c.find_all(Locator::Css("input[type=file]")).await.unwrap();
    assert!(!inputs.is_empty());
    let slots = inputs.len();
    for input in inputs {
        input.send_keys(&file.display().to_string()).await.unwrap();
    }
    until("every slot shows its file", || {
        let c = c.clone();
        async move { texts(&c, "ul.attached li").await.iter().filter(|t| t.contains("giay-to-")).count() == slots }
    })
    .await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 5 / 5").await;
    let answers = texts(&c, ".facts.check dd").await;
    assert!(answers.iter().any(|a| a.starts_with("Trần Văn Minh")), "{answers:?}");
    assert!(answers.iter().any(|a| a.starts_with("Nhận tại Trung tâm")), "{answers:?}");
    assert!(answers.iter().any(|a| a.contains("giay-to-")), "{answers:?}");

    click(&c, ".actions button:last-child").await;
    let code = wait_text(&c, ".receipt .code.big").await;
    let code = DossierCode::parse(&code).expect("a national dossier code");
    assert_eq!(code.agency(), "SNV");
    let secret = wait_text(&c, ".receipt .code.secret").await;
    // Slip 01 names the applicant and every paper received.
    let slip = texts(&c, ".receipt .facts dd").await;
    assert!(slip.iter().any(|t| t == "Trần Văn Minh") && slip.iter().any(|t| t.replace(" ", "") == "0912345678"), "{slip:?}");
    assert_eq!(texts(&c, ".receipt ol.attached li").await.len(), slots);
    // The QR code image loads (an SVG made by the worker for this dossier).
    image_loaded(&c, ".receipt img.qr").await;

    // Printed (A4 slip 01): the code, dates and QR stay, buttons and navigation go.
    motcua_tests::browser::cdp(&c, "Emulation.setEmulatedMedia", serde_json::json!({ "media": "print" })).await;
    let shown = |css: &'static str| {
        let c = c.clone();
        async move {
            c.execute("const e = document.querySelector(arguments[0]); return !!e && getComputedStyle(e).display !== 'none';", vec![serde_json::json!(css)])
                .await
                .unwrap()
                .as_bool()
                .unwrap()
        }
    };
    assert!(shown(".receipt .code.big").await && shown(".receipt img.qr").await);
    assert!(!shown(".receipt .actions").await && !shown(".site-header nav").await);
    motcua_tests::browser::cdp(&c, "Emulation.setEmulatedMedia", serde_json::json!({ "media": "" })).await;

    // The receipt leads to tracking; the secret opens the personal view.
    click(&c, ".receipt a.button").await;
    let status = wait_text_where(&c, ".facts.status", |t| t.contains(code.as_str())).await;
    assert!(status.contains("Mới nộp, chờ tiếp nhận"), "{status}");
    fill(&c, "#proof", &secret).await;
    click(&c, "form.proof button").await;
    let private = wait_text(&c, ".facts.private").await;
    assert!(private.contains("Trần Văn Minh") && private.contains("022088123456"), "{private}");

    // "Hồ sơ của tôi" remembers it.
    open(&c, "/ho-so").await;
    let mine = wait_text(&c, "ul.mine").await;
    assert!(mine.contains(code.as_str()), "{mine}");
    let _ = c.find(Locator::Css("ul.mine a")).await.unwrap();
    c.close().await.unwrap();
}

#[tokio::test]
async fn the_service_worker_keeps_my_dossiers_page_for_offline_use() {
    // A dossier this phone tracks, so "Hồ sơ của tôi" has something to show offline (the
    // offline half of this check runs after the server is stopped: tests/offline.rs).
    let receipt: motcua_core::dossier::Receipt = motcua_tests::post_json(
        "/api/dossiers",
        &serde_json::json!({
            "procedure": "1.014199",
            "idempotency_key": format!("offline-check-{}-xxxxxxxx", std::process::id()),
            "answers": { "full_name": "Phạm Thu Hà", "birth_date": "1992-05-01", "cccd": "022192000777",
                         "phone": "0977 000 111", "address": "Uông Bí", "delivery": "post" }
        }),
    )
    .json();
    std::fs::write(motcua_tests::browser::offline_profile().with_extension("code"), receipt.code.as_str()).unwrap();
    let c = motcua_tests::browser::phone_with_profile(&motcua_tests::browser::offline_profile()).await;
    open(&c, &format!("/ho-so/{}", receipt.code.as_str())).await;
    wait_text_where(&c, ".facts.status", |t| t.contains(receipt.code.as_str())).await;
    open(&c, "/ho-so").await;
    wait_text(&c, "ul.mine").await;
    until("the service worker controls the page", || {
        let c = c.clone();
        async move {
            // Controlled from the next load after installation.
            let controlled = c
                .execute("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)", vec![])
                .await
                .is_ok_and(|v| v.as_bool() == Some(true));
            if !controlled {
                let _ = c.refresh().await;
            }
            controlled
        }
    })
    .await;
    c.refresh().await.unwrap();
    wait_text(&c, "main h1").await;
    until("/ho-so and its bundle in the cache", || {
        let c = c.clone();
        async move {
            let script = "const done = arguments[0]; caches.open('motcua-v1').then(c => c.keys()).then(keys => \
                          done(keys.map(k => new URL(k.url).pathname)));";
            c.execute_async(script, vec![])
                .await
                .ok()
                .and_then(|v| v.as_array().cloned())
                .is_some_and(|paths| {
                    let paths: Vec<&str> = paths.iter().filter_map(|p| p.as_str()).collect();
                    paths.contains(&"/ho-so") && paths.iter().any(|p| p.starts_with("/citizen/") && p.ends_with(".wasm"))
                })
        }
    })
    .await;
    c.close().await.unwrap();
}

/// An employer registers its work rules (2.001955) on a phone with the procedure's own page
/// and papers as the data files publish them (`data/forms.json`, `data/documents.json`, from
/// Quyết định 628/QĐ-BNV), through to the receipt and the desk's view of the answers.
#[tokio::test]
async fn an_employer_answers_the_published_page_of_registering_work_rules() {
    let c = phone().await;
    open(&c, "/nop-ho-so/2.001955").await;
    let next = ".actions button:last-child";
    // Six steps: the applicant's three, the procedure's own page, papers, check.
    let applicant = ["Hoàng Thị Thu", "1985-04-30", "022185012345", "0904 111 222", "Phường Bãi Cháy, Quảng Ninh"];
    motcua_tests::browser::answer_applicant_pages(&c, 6, applicant, "post").await;
    assert_eq!(wait_text(&c, "main h2").await, "Người sử dụng lao động");
    // Each required answer is asked for by name before the citizen may go on.
    click(&c, next).await;
    wait_text_where(&c, "div.error[role=alert]", |t| t.contains("Vui lòng nhập địa chỉ trụ sở chính.")).await;
    fill(&c, "#employer_name", "Công ty TNHH Than Hòn Gai").await;
    fill(&c, "#head_office", "Phường Hồng Gai, Quảng Ninh").await;
    click(&c, "#worker_representative-co").await;
    click(&c, next).await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 5 / 6").await;
    // Two of its four papers are mandatory: the page will not go on without them.
    let slots = texts(&c, "main .field label").await;
    assert!(slots.iter().any(|t| t == "Nội quy lao động"), "{slots:?}");
    click(&c, next).await;
    wait_text_where(&c, "div.error[role=alert]", |t| t.contains("Chưa đính kèm: Nội quy lao động.")).await;
    let file = std::env::temp_dir().join(format!("noi-quy-{}.pdf", std::process::id()));
    std::fs::write(&file, b"%PDF-1.4\n% noi quy lao dong\n%%EOF\n").unwrap();
    for slot in ["#document-0", "#document-1"] {
        c.find(Locator::Css(slot)).await.unwrap().send_keys(&file.display().to_string()).await.unwrap();
    }
    until("both papers attached", || {
        let c = c.clone();
        async move { texts(&c, "ul.attached li").await.iter().filter(|t| t.contains("noi-quy-")).count() == 2 }
    })
    .await;
    click(&c, next).await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 6 / 6").await;
    let check = wait_text(&c, "dl.check").await;
    assert!(check.contains("Tên doanh nghiệp, cơ quan, tổ chức") && check.contains("Công ty TNHH Than Hòn Gai"), "{check}");
    assert!(check.contains("Có (nộp kèm văn bản góp ý của tổ chức)"), "the choice's label, not its value: {check}");
    click(&c, next).await;
    let code = wait_text(&c, ".receipt .code.big").await;
    assert_eq!(texts(&c, ".receipt ol.attached li").await.len(), 2);
    c.close().await.unwrap();

    // The desk sees the answers under their labels.
    let view = tokio::task::spawn_blocking(move || motcua_tests::Session::login("tiepnhan").get(&format!("/api/staff/dossiers/{code}")))
        .await
        .unwrap();
    assert_eq!(view.status, 200, "{}", view.body);
    assert!(view.body.contains("Địa chỉ trụ sở chính") && view.body.contains("Phường Hồng Gai, Quảng Ninh"), "{}", view.body);
}

/// Issue #17: a merit procedure counted in days, found by search and submitted on a phone.
#[tokio::test]
async fn a_merit_procedure_in_days_from_search_to_receipt() {
    use motcua_tests::browser::{answer_applicant_pages, wait_results};
    let c = phone().await;
    open(&c, "/").await;
    let q = c.wait().for_element(Locator::Css("#q")).await.unwrap();
    q.send_keys("thuong binh dong thoi la benh binh").await.unwrap();
    click(&c, ".search-box button").await;
    wait_results(&c).await;
    let link = c.find(Locator::Css(".card h3 a[href='/thu-tuc/1.010808']")).await.expect("1.010808 among the results");
    link.click().await.unwrap();
    wait_text(&c, "article.procedure h1").await;
    // Its time is in days, and the estimate counts them so.
    let facts = texts(&c, ".facts dd").await;
    assert!(facts.iter().any(|f| f == "12 ngày"), "{facts:?}");
    let estimate = wait_text_where(&c, "p.estimate", |t| t.starts_with("Nếu nộp hôm nay")).await;
    assert!(estimate.contains("tính theo ngày kể từ ngày sau ngày nhận hồ sơ"), "{estimate}");
    click(&c, ".cta a.button").await;
    until("the submission page", || {
        let c = c.clone();
        async move { path_and_query(&c).await.starts_with("/nop-ho-so/1.010808") }
    })
    .await;
    answer_applicant_pages(&c, 5, ["Hoàng Văn Thương", "1950-02-03", "022050123456", "0913 222 333", "Phường Cẩm Phả, Quảng Ninh"], "centre").await;
    let file = std::env::temp_dir().join(format!("don-de-nghi-{}.pdf", std::process::id()));
    std::fs::write(&file, b"%PDF-1.4\n% don de nghi mau 19\n%%EOF\n").unwrap();
    let inputs = c.find_all(Locator::Css("input[type=file]")).await.unwrap();
    let slots = inputs.len();
    for input in inputs {
        input.send_keys(&file.display().to_string()).await.unwrap();
    }
    until("every slot shows its file", || {
        let c = c.clone();
        async move { texts(&c, "ul.attached li").await.iter().filter(|t| t.contains("don-de-nghi-")).count() == slots }
    })
    .await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 5 / 5").await;
    click(&c, ".actions button:last-child").await;
    let code = wait_text(&c, ".receipt .code.big").await;
    assert_eq!(DossierCode::parse(&code).expect("a dossier code").agency(), "SNV");
    let slip = texts(&c, ".receipt .facts dd").await;
    assert!(slip.iter().any(|t| t == "12 ngày"), "slip 01 states the time in days: {slip:?}");
    // The appointment is at the close of office (17:00) of some day.
    assert!(slip.iter().any(|t| t.starts_with("17:00 ngày")), "{slip:?}");
    c.close().await.unwrap();
}
