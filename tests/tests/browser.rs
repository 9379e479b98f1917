//! The public catalogue in headless Chromium at a phone's size (360×740), against the real stack.

use fantoccini::Locator;
use motcua_core::catalogue::{Procedure, SearchPage};
use motcua_core::text::fold;
use motcua_tests::browser::{open, path_and_query, phone, texts, until, wait_results, wait_text, wait_text_where};
use motcua_tests::{get, get_query};

#[tokio::test]
async fn search_without_accents_then_filter_then_back() {
    let c = phone().await;
    open(&c, "/").await;
    let q = c.wait().for_element(Locator::Css("#q")).await.unwrap();
    q.send_keys("giay phep lao dong").await.unwrap();
    c.find(Locator::Css(".search-box button")).await.unwrap().click().await.unwrap();

    let heading = wait_results(&c).await;
    assert!(heading.ends_with("thủ tục"), "{heading}");
    assert!(path_and_query(&c).await.starts_with("/thu-tuc?q=giay"));
    let names = texts(&c, ".card h3").await;
    assert!(!names.is_empty());
    assert!(names.iter().any(|n| fold(n).contains("giay phep lao dong")), "{names:?}");

    // Filter by field: the URL carries it, every card shows that field.
    let before = path_and_query(&c).await;
    c.find(Locator::Css("select[name=field]")).await.unwrap().select_by_value("viec-lam").await.unwrap();
    until("the field filter in the URL", || {
        let c = c.clone();
        async move { path_and_query(&c).await.contains("field=viec-lam") }
    })
    .await;
    let expected: SearchPage = get_query("/api/procedures", &[("q", "giay phep lao dong"), ("field", "viec-lam")]).json();
    let heading = format!("{} thủ tục", expected.total);
    wait_text_where(&c, "#results-h", |t| t == heading).await;
    let metas = texts(&c, ".card .meta").await;
    assert_eq!(metas.len(), expected.items.len());
    assert!(metas.iter().all(|m| m.contains("Việc làm")), "{metas:?}");

    // The back button returns to the unfiltered results.
    c.back().await.unwrap();
    until("back to the previous URL", || {
        let c = c.clone();
        let before = before.clone();
        async move { path_and_query(&c).await == before }
    })
    .await;

    // No horizontal scrolling on a phone.
    let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_u64().unwrap() <= 360, "page is {width} px wide");
    c.close().await.unwrap();
}

#[tokio::test]
async fn open_a_procedure_from_results_and_reload_the_deep_link() {
    let expected: Procedure = get("/api/procedures/1.014199").json();
    let c = phone().await;
    open(&c, "/thu-tuc?q=1.014199").await;
    wait_results(&c).await;
    c.find(Locator::Css(".card h3 a")).await.unwrap().click().await.unwrap();
    let h1 = wait_text(&c, "article.procedure h1").await;
    assert_eq!(h1, expected.name);
    assert_eq!(path_and_query(&c).await, "/thu-tuc/1.014199");

    // Every attribute is on the page; missing ones say so.
    let facts = texts(&c, ".facts dt").await;
    for label in ["Mã thủ tục", "Thời hạn giải quyết (nộp trực tiếp)", "Phí, lệ phí", "Căn cứ pháp lý", "Quyết định công bố"] {
        assert!(facts.iter().any(|f| f == label), "missing {label}: {facts:?}");
    }
    let body = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(body.contains(expected.code.as_ref().unwrap().as_str()));
    assert!(body.contains("Chưa công bố"), "unpublished facts are labelled");
    // The expected result date if submitted today, from the calendar engine.
    let estimate = wait_text_where(&c, ".estimate", |t| t.starts_with("Nếu nộp hôm nay")).await;
    assert!(estimate.contains(" ngày ") && estimate.contains("/20"), "{estimate}");
    // An online procedure offers submission.
    let cta = c.find(Locator::Css(".cta a.button")).await.unwrap();
    assert_eq!(cta.text().await.unwrap(), "Nộp hồ sơ trực tuyến");

    c.refresh().await.unwrap();
    assert_eq!(wait_text(&c, "article.procedure h1").await, expected.name);
    let title = c.title().await.unwrap();
    assert!(title.starts_with(&expected.name), "{title}");

    // Online by its decision but with no citable time (a merit procedure with a step the law
    // sets no limit for): no button that would lead to a refusal, the reason instead, and its
    // published papers.
    open(&c, "/thu-tuc/1.010826").await;
    assert_eq!(wait_text(&c, ".cta.offline").await, "Dịch vụ công trực tuyến toàn trình; chưa nhận hồ sơ trực tuyến.");
    assert!(c.find(Locator::Css(".cta a.button")).await.is_err());
    let why = wait_text(&c, ".estimate.muted").await;
    assert!(why.contains("chưa công bố thời hạn") && why.contains("chưa nhận hồ sơ"), "{why}");
    let body = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(body.contains("Mẫu số 26"), "the papers of Điều 130");
    assert!(body.contains("Điều 130 khoản 3: bước sửa giấy tờ của cơ quan đã cấp không có thời hạn"), "what the source lacks");
    c.close().await.unwrap();
}

#[tokio::test]
async fn unknown_procedure_and_unknown_page_show_not_found() {
    let c = phone().await;
    for path in ["/thu-tuc/9.999999", "/khong-co-trang-nay"] {
        open(&c, path).await;
        assert_eq!(wait_text(&c, "main h1").await, "Không tìm thấy trang", "{path}");
    }
    c.close().await.unwrap();
}

#[tokio::test]
async fn fields_on_the_home_page_lead_to_their_procedures() {
    let c = phone().await;
    open(&c, "/").await;
    let link = c.wait().for_element(Locator::Css(".fields a")).await.unwrap();
    let href = link.attr("href").await.unwrap().unwrap();
    link.click().await.unwrap();
    wait_results(&c).await;
    assert_eq!(path_and_query(&c).await, href);
    let field = href.trim_start_matches("/thu-tuc?field=");
    let selected = c.find(Locator::Css("select[name=field]")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(selected.as_deref(), Some(field));
    c.close().await.unwrap();
}

/// The public bundle's own router: a link is followed within the page (no reload: what the
/// page set before is still there), back returns to the previous page, and a link to the
/// citizen's bundle (`rel="external"`) loads that bundle.
#[tokio::test]
async fn links_are_followed_within_the_page_and_back_returns() {
    let c = phone().await;
    open(&c, "/").await;
    c.wait().for_element(Locator::Css(".fields a")).await.unwrap();
    c.execute("window.__same_page = 'yes'", vec![]).await.unwrap();
    c.find(Locator::Css(".fields a")).await.unwrap().click().await.unwrap();
    wait_results(&c).await;
    c.find(Locator::Css(".card h3 a")).await.unwrap().click().await.unwrap();
    wait_text_where(&c, "main h1", |t| !t.is_empty()).await;
    assert!(path_and_query(&c).await.starts_with("/thu-tuc/"));
    let kept = c.execute("return window.__same_page || null", vec![]).await.unwrap();
    assert_eq!(kept, serde_json::json!("yes"), "two links followed without reloading the page");
    c.back().await.unwrap();
    wait_results(&c).await;
    assert!(path_and_query(&c).await.starts_with("/thu-tuc?field="));
    // The citizen's pages are another bundle: that link loads it.
    c.find(Locator::Css("a[href='/ho-so']")).await.unwrap().click().await.unwrap();
    until("the citizen bundle", || {
        let c = c.clone();
        async move { c.execute("return window.__same_page || null", vec![]).await.unwrap().is_null() && path_and_query(&c).await == "/ho-so" }
    })
    .await;
    c.close().await.unwrap();
}

/// Every public and citizen page fits a 360 px phone once its data has loaded: what is wider
/// (the dashboard's eight-column tables) scrolls inside its own box.
#[tokio::test]
async fn no_public_or_citizen_page_is_wider_than_the_phone() {
    let c = phone().await;
    let pages = [
        ("/", "ul.fields li"),
        ("/thu-tuc?q=lao%20dong", ".card h3"),
        ("/thu-tuc/1.014199", "article.procedure h1"),
        ("/nop-ho-so/1.014199", "main .crumbs"),
        ("/ho-so", "main h1"),
        ("/khao-sat", "main h1"),
        ("/danh-gia", "table.register"),
        ("/thong-ke", "table.stats"),
    ];
    for (path, ready) in pages {
        open(&c, path).await;
        wait_text(&c, ready).await;
        let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
        assert!(width.as_u64().unwrap() <= 360, "{path} is {width} px wide");
    }
    c.close().await.unwrap();
}

/// A public page announces the API reads it starts with (`Link: rel=preload`), and the app
/// takes those very responses: each URL is fetched once, by the preload, not a second time.
#[tokio::test]
async fn the_first_api_reads_start_with_the_page_and_are_used() {
    for (path, reads, ready) in [
        ("/", vec!["/api/fields", "/api/catalogue/kpis"], vec!["ul.fields li", ".kpis strong"]),
        ("/thu-tuc/1.014199", vec!["/api/procedures/1.014199"], vec!["main h1"]),
    ] {
        let link = get(path).header("link").map(str::to_owned).unwrap_or_default();
        for r in &reads {
            assert!(link.contains(&format!("<{r}>; rel=preload; as=fetch")), "{path}: {link}");
        }
        let c = phone().await;
        open(&c, path).await;
        // Shown only once the app has what it asked for: every read was taken by then.
        for selector in ready {
            wait_text(&c, selector).await;
        }
        for r in &reads {
            let script = format!("return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname === '{r}').map(e => e.initiatorType)");
            let initiators = c.execute(&script, vec![]).await.unwrap();
            assert_eq!(initiators, serde_json::json!(["link"]), "{path}: {r} fetched by the preload alone");
        }
        c.close().await.unwrap();
    }
}
