//! The API speaks the asker's language (`Accept-Language`: Vietnamese by default, English on
//! request) while the machine-readable `code` stays the same.

use motcua_core::{ErrorBody, ErrorCode};
use motcua_tests::{agent, base_url, get_with};

fn has_vietnamese_letters(s: &str) -> bool {
    s.chars().any(|c| "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ".contains(c.to_lowercase().next().unwrap_or(c)))
}

#[test]
fn the_same_error_in_both_languages_with_the_same_code() {
    let path = "/api/procedures/9.999999";
    let vi = get_with(path, &[]);
    let vi_asked = get_with(path, &[("Accept-Language", "vi-VN,vi;q=0.9")]);
    let en = get_with(path, &[("Accept-Language", "en-GB,en;q=0.9,vi;q=0.5")]);
    let other = get_with(path, &[("Accept-Language", "fr-FR")]);
    for a in [&vi, &vi_asked, &en, &other] {
        assert_eq!(a.status, 404);
        assert_eq!(a.json::<ErrorBody>().code, ErrorCode::NotFound);
        assert!(a.header("vary").is_some_and(|v| v.contains("Accept-Language")), "{:?}", a.headers);
    }
    let said: Vec<Option<&str>> = [&vi, &vi_asked, &en, &other].iter().map(|a| a.header("content-language")).collect();
    assert_eq!(said, [Some("vi"), Some("vi"), Some("en"), Some("vi")]);
    let (vi, vi_asked, en, other) = (vi.json::<ErrorBody>(), vi_asked.json::<ErrorBody>(), en.json::<ErrorBody>(), other.json::<ErrorBody>());
    assert!(has_vietnamese_letters(&vi.message), "{}", vi.message);
    assert_eq!(vi_asked.message, vi.message);
    assert_eq!(other.message, vi.message, "a language we do not speak gets Vietnamese");
    assert!(!has_vietnamese_letters(&en.message) && en.message.is_ascii(), "{}", en.message);
    assert_ne!(en.message, vi.message);
}

#[test]
fn a_refused_form_answers_in_english_with_its_fields() {
    let body = serde_json::json!({
        "procedure": "1.014199",
        "idempotency_key": "languages-en-0001",
        "answers": { "full_name": "Jane Doe", "birth_date": "1990-01-02", "cccd": "12", "phone": "0987654321", "address": "Hạ Long", "delivery": "centre" }
    });
    let send = |lang: &str| {
        let mut resp = agent()
            .post(format!("{}/api/dossiers", base_url()))
            .header("Content-Type", "application/json")
            .header("Accept-Language", lang)
            .send(body.to_string())
            .expect("the stack answers");
        let text = resp.body_mut().read_to_string().expect("a body");
        (resp.status().as_u16(), resp.headers().get("content-language").and_then(|v| v.to_str().ok()).map(str::to_owned), serde_json::from_str::<ErrorBody>(&text).expect("an error body"))
    };
    let (vi_status, vi_lang, vi) = send("vi");
    let (en_status, en_lang, en) = send("en");
    assert_eq!((vi_status, en_status), (422, 422));
    assert_eq!((vi_lang.as_deref(), en_lang.as_deref()), (Some("vi"), Some("en")));
    assert_eq!((vi.code, en.code), (ErrorCode::Validation, ErrorCode::Validation));
    assert!(en.message.is_ascii() && en.message != vi.message, "{}", en.message);
    let fields = |e: &ErrorBody| e.fields.iter().map(|f| f.field.clone()).collect::<Vec<_>>();
    assert_eq!(fields(&en), fields(&vi), "the fields to mend are the same");
    // In English, save the name of a paper, which the procedure publishes in Vietnamese only.
    let english = |f: &motcua_core::form::FieldError| if f.about_papers() { f.message.starts_with("Not attached: ") } else { f.message.is_ascii() };
    assert!(en.fields.iter().all(english), "each field's message in English: {:?}", en.fields);
    assert!(en.fields.iter().any(|f| f.field == "cccd"), "{:?}", en.fields);
}
