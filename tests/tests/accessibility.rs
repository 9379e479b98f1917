//! axe-core (WCAG 2.1 A and AA) on every page of the citizen's journey on a 360×740 phone, in
//! both languages, and of the officer's at the desk (#19, #16): no violation anywhere.

use fantoccini::Client;
use motcua_tests::browser::{answer_applicant_pages, axe, click, fill, open, phone, staff_login, wait_results, wait_text, wait_text_where};

/// Runs axe on the page as it stands; collects what it finds under the page's name.
async fn check(c: &Client, page: &str, found: &mut Vec<String>) {
    found.extend(axe(c).await.into_iter().map(|v| format!("{page}: {v}")));
}

/// Opens `path`, waits for `ready` to show text, and checks the page.
async fn visit(c: &Client, path: &str, ready: &str, page: &str, found: &mut Vec<String>) {
    open(c, path).await;
    wait_text(c, ready).await;
    check(c, page, found).await;
}

#[tokio::test]
async fn the_citizens_journey_has_no_accessibility_violations() {
    let c = phone().await;
    let mut found = Vec::new();
    open(&c, "/").await;
    wait_text(&c, "main h1").await;
    // The check can fail: an image without a text alternative, added for a moment, is found.
    c.execute("const i = document.createElement('img'); i.id = 'axe-probe'; i.src = '/icon.svg'; document.querySelector('main').append(i);", vec![]).await.unwrap();
    let probe = axe(&c).await;
    assert!(probe.iter().any(|v| v.starts_with("image-alt: #axe-probe")), "{probe:?}");
    c.execute("document.getElementById('axe-probe').remove();", vec![]).await.unwrap();
    check(&c, "home", &mut found).await;
    open(&c, "/thu-tuc?q=lao+dong").await;
    wait_results(&c).await;
    check(&c, "search", &mut found).await;
    visit(&c, "/thu-tuc/1.014199", "article.procedure h1", "procedure", &mut found).await;

    open(&c, "/nop-ho-so/1.014199").await;
    let step = wait_text_where(&c, "main .crumbs", |t| t.starts_with("Bước")).await;
    if step != "Bước 1 / 5" {
        c.execute("window.confirm = () => true;", vec![]).await.unwrap();
        click(&c, "main button.link").await;
        wait_text_where(&c, "main .crumbs", |t| t == "Bước 1 / 5").await;
    }
    check(&c, "form step 1", &mut found).await;
    // A page with its error summary and field errors shown.
    click(&c, ".actions button:last-child").await;
    wait_text(&c, "div.error[role=alert]").await;
    check(&c, "form step 1 with errors", &mut found).await;
    answer_applicant_pages(&c, 5, ["Hà Thị Truy Cập", "1993-03-03", "022193012345", "0987 111 222", "Phường Hà Lầm, Hạ Long"], "centre").await;
    check(&c, "form step 4", &mut found).await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Bước 5 / 5").await;
    check(&c, "form step 5", &mut found).await;
    click(&c, ".actions button:last-child").await;
    let code = wait_text(&c, ".receipt .code.big").await;
    let secret = wait_text(&c, ".receipt .code.secret").await;
    check(&c, "receipt", &mut found).await;

    visit(&c, &format!("/ho-so/{code}"), ".facts.status dd", "tracking", &mut found).await;
    fill(&c, "#proof", &secret).await;
    click(&c, "form.proof button").await;
    wait_text(&c, "#proof-h ~ *").await;
    check(&c, "tracking with the secret", &mut found).await;
    for (path, name) in [("/ho-so", "my applications"), ("/thong-ke", "dashboard"), ("/danh-gia", "ratings"), ("/khao-sat", "survey")] {
        visit(&c, path, "main h1", name, &mut found).await;
    }
    // The same pages in English.
    open(&c, "/").await;
    wait_text(&c, "main h1").await;
    click(&c, ".lang-switch").await;
    wait_text_where(&c, "main h1", |t| t == "Administrative procedures").await;
    check(&c, "home (English)", &mut found).await;
    visit(&c, "/thu-tuc/1.014199", "article.procedure h1", "procedure (English)", &mut found).await;
    visit(&c, &format!("/ho-so/{code}"), ".facts.status dd", "tracking (English)", &mut found).await;
    c.close().await.unwrap();
    assert!(found.is_empty(), "{found:#?}");
}

#[tokio::test]
async fn the_officers_pages_have_no_accessibility_violations() {
    // A dossier to find and open.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let answers = serde_json::json!({ "full_name": "Nguyễn Văn Truy Cập", "birth_date": "1991-06-07", "cccd": "022191067890",
        "phone": "0912 678 900", "address": "Phường Bãi Cháy, Hạ Long", "delivery": "centre" });
    let a = motcua_tests::post_json("/api/dossiers", &serde_json::json!({ "procedure": "1.014199", "idempotency_key": format!("axe-{nanos}"), "answers": answers }));
    assert_eq!(a.status, 201, "{}", a.body);
    let code = a.json::<motcua_core::dossier::Receipt>().code.as_str().to_owned();

    let c = phone().await;
    let mut found = Vec::new();
    visit(&c, "/can-bo", "main h1", "sign-in", &mut found).await;
    staff_login(&c, "tiepnhan").await;
    wait_text_where(&c, "main h1", |t| t.starts_with("Hàng đợi")).await;
    check(&c, "queues", &mut found).await;
    fill(&c, "form.staff-search input[type=search]", &code).await;
    click(&c, "form.staff-search button[type=submit]").await;
    wait_text_where(&c, "main p.count", |t| t == "1 hồ sơ khớp.").await;
    check(&c, "search results", &mut found).await;
    click(&c, "ol.queue li a").await;
    wait_text_where(&c, "main h1", |t| t.contains(&code)).await;
    check(&c, "dossier", &mut found).await;
    open(&c, "/can-bo/tiep-nhan").await;
    wait_text_where(&c, "main h1", |t| t == "Tiếp nhận hồ sơ trực tiếp").await;
    check(&c, "walk-in", &mut found).await;
    visit(&c, "/can-bo/so-theo-doi", "main p.count", "register", &mut found).await;
    c.close().await.unwrap();
    assert!(found.is_empty(), "{found:#?}");
}
