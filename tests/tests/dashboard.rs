//! The statistics dashboard on a phone: the headline sentence, switching periods, a custom
//! range, and the CSV download.

use motcua_tests::browser::{click, fill, open, phone, until, wait_text_where};

#[tokio::test]
async fn the_dashboard_on_a_phone() {
    let c = phone().await;
    open(&c, "/thong-ke").await;
    let quarter = wait_text_where(&c, ".headline", |t| t.starts_with("Quý ")).await;
    assert!(quarter.ends_with('.'), "{quarter}");
    // The catalogue's level 3+ share against the 70% target sits with the period's numbers.
    let level3 = wait_text_where(&c, ".level3", |t| t.contains("mục tiêu 70%")).await;
    assert!(level3.contains("thủ tục"), "{level3}");
    click(&c, ".periods button:nth-child(3)").await;
    wait_text_where(&c, ".headline", |t| t.starts_with("Năm ")).await;
    click(&c, ".periods button:nth-child(1)").await;
    wait_text_where(&c, ".headline", |t| t.starts_with("Tháng ")).await;
    // One procedure only: the CSV link follows the filter.
    fill(&c, "#stats-procedure", "1.014199").await;
    c.execute("document.querySelector('#stats-procedure').dispatchEvent(new Event('change', { bubbles: true }))", vec![]).await.unwrap();
    until("the CSV link of one procedure", || {
        let c = c.clone();
        async move {
            c.execute("return document.querySelector('a[download]')?.getAttribute('href') || ''", vec![])
                .await
                .is_ok_and(|v| v.as_str().is_some_and(|h| h.contains("procedure=1.014199")))
        }
    })
    .await;
    // A custom range: the first quarter of 2019, the report's own period.
    click(&c, ".custom-range summary").await;
    fill(&c, "#stats-from", "2019-01-01").await;
    fill(&c, "#stats-to", "2019-03-31").await;
    click(&c, ".custom-range button").await;
    wait_text_where(&c, ".headline", |t| t.starts_with("Quý I/2019")).await;
    // The numbers as a table for screen readers, and the same as CSV.
    let href = c.execute("return document.querySelector('a[download]').getAttribute('href')", vec![]).await.unwrap();
    let href = href.as_str().unwrap().to_owned();
    assert!(href.contains("from=2019-01-01") && href.contains("format=csv"), "{href}");
    let csv = motcua_tests::get(&href);
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("bang,ma,ten,"), "{}", &csv.body[..40.min(csv.body.len())]);
    until("the month table", || {
        let c = c.clone();
        async move { c.find(fantoccini::Locator::Css("table.stats caption")).await.is_ok() }
    })
    .await;
    c.close().await.unwrap();
}
