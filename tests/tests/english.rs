//! Issue #16: a foreign worker's employer reads the service in English on a phone, from the home
//! page to the receipt and the tracking page; the choice is remembered on the device.

use fantoccini::{Client, Locator};
use motcua_core::dossier::DossierCode;
use motcua_tests::browser::{click, fill, open, path_and_query, phone_with_profile, texts, until, wait_text, wait_text_where};

/// Its own profile: the language stored on the device must not leak into other tests.
async fn english_phone() -> Client {
    let root = std::env::var("MOTCUA_CHROME_PROFILES").map(std::path::PathBuf::from).unwrap_or_else(|_| std::env::temp_dir());
    phone_with_profile(&root.join(format!("chrome-english-{}", std::process::id()))).await
}

async fn html_lang(c: &Client) -> String {
    c.execute("return document.documentElement.lang", vec![]).await.unwrap().as_str().unwrap_or_default().to_owned()
}

async fn fits_the_phone(c: &Client, page: &str) {
    let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_u64().unwrap() <= 360, "{page} is {width} px wide on a 360 px phone");
}

/// "11 Dec 2026, 17:00".
fn is_english_datetime(s: &str) -> bool {
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let parts: Vec<&str> = s.split_whitespace().collect();
    matches!(parts.as_slice(), [day, month, year, time]
        if day.parse::<u8>().is_ok() && months.contains(month) && year.strip_suffix(',').is_some_and(|y| y.len() == 4) && time.len() == 5 && time.as_bytes()[2] == b':')
}

fn has_vietnamese_letters(s: &str) -> bool {
    s.chars().any(|c| "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ".contains(c.to_lowercase().next().unwrap_or(c)))
}

#[tokio::test]
async fn an_employer_applies_and_tracks_in_english_and_the_choice_is_remembered() {
    let c = english_phone().await;
    open(&c, "/").await;
    assert_eq!(wait_text(&c, "main h1").await, "Thủ tục hành chính", "Vietnamese is the default");
    assert_eq!(html_lang(&c).await, "vi");
    // The switch names the other language in itself.
    assert_eq!(wait_text(&c, ".lang-switch").await, "English");
    click(&c, ".lang-switch").await;
    wait_text_where(&c, "main h1", |t| t == "Administrative procedures").await;
    assert_eq!(html_lang(&c).await, "en");
    assert_eq!(wait_text(&c, ".lang-switch").await, "Tiếng Việt");
    // Remembered across a reload, at the same address.
    c.refresh().await.unwrap();
    wait_text_where(&c, "main h1", |t| t == "Administrative procedures").await;
    assert_eq!(path_and_query(&c).await, "/");
    let fields = wait_text(&c, "ul.fields").await;
    assert!(fields.contains("procedures:"), "{fields}");
    fits_the_phone(&c, "/").await;

    // Search by the procedure's code.
    fill(&c, "#q", "1.014199").await;
    click(&c, ".search-box button[type=submit]").await;
    wait_text_where(&c, "#results-h", |t| t.starts_with("Procedures found:")).await;
    fits_the_phone(&c, "/thu-tuc").await;
    // The card leads with the translation, the official name under it.
    assert_eq!(wait_text(&c, ".card h3 a").await, "Issuing a work permit to a foreign worker in Vietnam");
    assert_eq!(wait_text(&c, ".card p.official span[lang=vi]").await, "Cấp giấy phép lao động đối với người lao động nước ngoài làm việc tại Việt Nam");
    click(&c, ".card h3 a").await;
    // The admins' unofficial translation, marked so, beside the official Vietnamese name.
    assert_eq!(wait_text(&c, "article.procedure h1").await, "Issuing a work permit to a foreign worker in Vietnam");
    let note = wait_text(&c, "p.translation").await;
    assert!(note.starts_with("Unofficial translation"), "{note}");
    assert_eq!(wait_text(&c, "p.translation span[lang=vi]").await, "Cấp giấy phép lao động đối với người lao động nước ngoài làm việc tại Việt Nam");
    assert!(wait_text(&c, "p.summary").await.contains("work permit"));
    let facts = wait_text(&c, "dl.facts").await;
    assert!(facts.contains("Procedure code") && facts.contains("Processing time"), "{facts}");
    let estimate = wait_text_where(&c, "p.estimate", |t| t.starts_with("If you apply today")).await;
    assert!(estimate.contains("working days"), "{estimate}");
    fits_the_phone(&c, "/thu-tuc/1.014199").await;
    assert_eq!(wait_text(&c, ".cta a.button").await, "Apply online");
    click(&c, ".cta a.button").await;

    // The form: labels, steps and messages in English; answers as typed.
    let step = wait_text_where(&c, "main .crumbs", |t| t.starts_with("Step")).await;
    assert_eq!(step, "Step 1 of 5");
    assert_eq!(html_lang(&c).await, "en", "the citizen bundle reads the same choice");
    let labels = texts(&c, ".field label").await;
    assert!(labels.iter().any(|l| l == "Full name") && labels.iter().any(|l| l == "Date of birth"), "{labels:?}");
    click(&c, ".actions button:last-child").await;
    let summary = wait_text_where(&c, "div.error[role=alert]", |t| t.contains("Enter full name.")).await;
    assert!(summary.starts_with("There is a problem"), "{summary}");
    fill(&c, "#full_name", "Nguyễn Thị Lan").await;
    fill(&c, "#birth_date", "1990-03-14").await;
    fill(&c, "#cccd", "12345").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, ".field-error", |t| t == "The identity card number must be exactly 12 digits.").await;
    fill(&c, "#cccd", "022190123456").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Step 2 of 5").await;
    fill(&c, "#phone", "0912 345 679").await;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let address = format!("lan.{nanos}@example.com");
    fill(&c, "#email", &address).await;
    fill(&c, "#address", "Hạ Long, Quảng Ninh").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Step 3 of 5").await;
    click(&c, "#delivery-centre").await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Step 4 of 5").await;
    let file = std::env::temp_dir().join(format!("passport-{}.pdf", std::process::id()));
    std::fs::write(&file, b"%PDF-1.4\n% test attachment\n%%EOF\n").unwrap();
    let inputs = c.find_all(Locator::Css("input[type=file]")).await.unwrap();
    let slots = inputs.len();
    for input in inputs {
        input.send_keys(&file.display().to_string()).await.unwrap();
    }
    until("every slot shows its file", || {
        let c = c.clone();
        async move { texts(&c, "ul.attached li").await.iter().filter(|t| t.contains("passport-")).count() == slots }
    })
    .await;
    click(&c, ".actions button:last-child").await;
    wait_text_where(&c, "main .crumbs", |t| t == "Step 5 of 5").await;
    let answers = texts(&c, ".facts.check dd").await;
    assert!(answers.iter().any(|a| a.starts_with("Collect it at the Public Administration Service Centre")), "{answers:?}");
    fits_the_phone(&c, "/nop-ho-so/1.014199").await;

    // The receipt.
    click(&c, ".actions button:last-child").await;
    let code = DossierCode::parse(&wait_text(&c, ".receipt .code.big").await).expect("a dossier code");
    assert_eq!(wait_text(&c, ".receipt h1").await, "Receipt and appointment for the result");
    let rows: Vec<(String, String)> = texts(&c, ".receipt .facts dt").await.into_iter().zip(texts(&c, ".receipt .facts dd").await).collect();
    let row = |label: &str| rows.iter().find(|(l, _)| l == label).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{label} in {rows:?}"));
    assert_eq!(row("Status"), "Submitted, waiting to be received");
    assert_eq!(row("Applicant"), "Nguyễn Thị Lan");
    assert!(is_english_datetime(&row("Submitted at")), "{rows:?}");
    assert!(row("Result due").split('.').next().is_some_and(is_english_datetime), "{rows:?}");
    assert!(row("Processing time").ends_with("working days"), "{rows:?}");
    // Each paper under its official (Vietnamese) name, the file's in English words.
    let papers = texts(&c, ".receipt ol.attached li").await;
    assert_eq!(papers.len(), slots, "{papers:?}");
    assert!(papers.iter().all(|p| p.contains(" (file passport-") && !p.contains("tệp")), "{papers:?}");
    fits_the_phone(&c, "receipt").await;
    // The submission recorded the language: the receipt's e-mail is in English too.
    let mail = motcua_tests::mail::wait_for(&address, 1).remove(0);
    assert_eq!(mail.subject, format!("[{}] Application received", code.as_str()));
    assert!(mail.text.starts_with("Dear Nguyễn Thị Lan,") && mail.text.contains("Status: Submitted, waiting to be received"), "{}", mail.text);
    assert!(mail.html.contains("<html lang=\"en\">"), "{}", mail.html);

    // Tracking, with the secret.
    let secret = wait_text(&c, ".receipt .code.secret").await;
    click(&c, ".receipt a.button").await;
    let status = wait_text_where(&c, ".facts.status", |t| t.contains(code.as_str())).await;
    assert!(status.contains("Submitted, waiting to be received"), "{status}");
    let timeline = wait_text(&c, "ol.timeline").await;
    assert!(timeline.starts_with("Submitted online"), "{timeline}");
    fill(&c, "#proof", &secret).await;
    click(&c, "form.proof button").await;
    let private = wait_text(&c, ".facts.private").await;
    assert!(private.contains("Full name") && private.contains("Nguyễn Thị Lan"), "{private}");
    fits_the_phone(&c, "tracking").await;

    // "My applications" remembers it in English.
    open(&c, "/ho-so").await;
    assert_eq!(wait_text(&c, "main h1").await, "My applications");
    let mine = wait_text(&c, "ul.mine").await;
    assert!(mine.contains(code.as_str()) && mine.contains("Due:"), "{mine}");

    // The public figures, the server's sentences included.
    open(&c, "/thong-ke").await;
    assert_eq!(wait_text(&c, "main h1").await, "Application statistics");
    let headline = wait_text(&c, ".headline").await;
    assert!(headline.starts_with('Q') && headline.contains(": the agencies ") && !has_vietnamese_letters(&headline), "{headline}");
    assert_eq!(wait_text(&c, ".periods button.current").await, "This quarter");
    fits_the_phone(&c, "statistics").await;
    open(&c, "/danh-gia").await;
    assert_eq!(wait_text(&c, "main h1").await, "Satisfaction ratings");
    let sentence = wait_text(&c, "p.sentence").await;
    assert!(!has_vietnamese_letters(&sentence), "{sentence}");
    assert!(texts(&c, "table.register th").await.iter().any(|h| h == "Very satisfied"));

    // And back to Vietnamese, remembered as well.
    open(&c, "/ho-so").await;
    wait_text_where(&c, "main h1", |t| t == "My applications").await;
    click(&c, ".lang-switch").await;
    wait_text_where(&c, "main h1", |t| t == "Hồ sơ của tôi").await;
    assert_eq!(html_lang(&c).await, "vi");
    open(&c, "/").await;
    assert_eq!(wait_text(&c, "main h1").await, "Thủ tục hành chính");
    c.close().await.unwrap();
}
