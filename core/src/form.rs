//! Online forms: the schema a procedure publishes and the one validation of the answers, run
//! in the browser for instant messages and in the worker as the authority.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::applicant::{Cccd, PhoneNumber};
use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    Text { max_len: u16 },
    LongText { max_len: u16 },
    /// `YYYY-MM-DD`, as a date input gives it.
    Date,
    Cccd,
    Phone,
    Email,
    Choice { options: Vec<Choice> },
    Number { min: i64, max: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSpec {
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub hint: Option<String>,
}

/// One page of the form: one topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// About the papers (a missing or unknown one, `document-{i}` or `documents`), not a field.
    pub fn about_papers(&self) -> bool {
        self.field == "documents" || self.field.starts_with("document-")
    }
}

/// Forgets answers to questions the form does not ask (a draft or a desk form left from another
/// form): they would be refused with no field to mend them.
pub fn drop_unasked<'a>(answers: &mut BTreeMap<String, String>, asked: impl IntoIterator<Item = &'a FieldSpec>) {
    let ids: Vec<&str> = asked.into_iter().map(|f| f.id.as_str()).collect();
    answers.retain(|k, _| ids.contains(&k.as_str()));
}

impl FieldSpec {
    /// What an answer reads as on a page: a choice's label rather than its stored value.
    pub fn shown<'a>(&'a self, answer: &'a str) -> &'a str {
        match &self.kind {
            FieldKind::Choice { options } => options.iter().find(|o| o.value == answer).map_or(answer, |o| o.label.as_str()),
            _ => answer,
        }
    }
}

fn field(id: &str, label: &str, kind: FieldKind, required: bool, hint: Option<&str>) -> FieldSpec {
    FieldSpec { id: id.into(), label: label.into(), kind, required, hint: hint.map(Into::into) }
}

/// The applicant section every online procedure starts with.
pub fn applicant_section() -> Section {
    applicant_section_in(Lang::Vi)
}

/// The applicant section with its labels in `lang`: the same ids, kinds and rules, so answers
/// given in one language are valid in the other.
pub fn applicant_section_in(lang: Lang) -> Section {
    let l = |vi, en| lang.pick(vi, en);
    let choice = |v: &str, l: &str| Choice { value: v.into(), label: l.into() };
    Section {
        id: "applicant".into(),
        title: l("Thông tin người nộp hồ sơ", "About the applicant").into(),
        fields: vec![
            field("full_name", l("Họ và tên", "Full name"), FieldKind::Text { max_len: 100 }, true, Some(l("Viết có dấu, như trên căn cước.", "As on the identity card, with its accents."))),
            field("birth_date", l("Ngày sinh", "Date of birth"), FieldKind::Date, true, None),
            field("cccd", l("Số căn cước công dân", "Citizen identity card number"), FieldKind::Cccd, true, Some(l("12 chữ số.", "12 digits."))),
            field("phone", l("Số điện thoại di động", "Mobile phone number"), FieldKind::Phone, true, Some(l("Để nhận thông báo về hồ sơ.", "For messages about the application."))),
            field("email", l("Thư điện tử", "Email address"), FieldKind::Email, false, None),
            field("address", l("Địa chỉ liên hệ", "Contact address"), FieldKind::LongText { max_len: 300 }, true, None),
            field(
                "delivery",
                l("Cách nhận kết quả", "How to receive the result"),
                FieldKind::Choice {
                    options: vec![
                        choice("centre", l("Nhận tại Trung tâm Phục vụ hành chính công", "Collect it at the Public Administration Service Centre")),
                        choice("post", l("Nhận qua dịch vụ bưu chính công ích", "By public postal service")),
                    ],
                },
                true,
                None,
            ),
        ],
    }
}

pub fn email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.len() <= 254
        && !s.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

/// "Số bằng “Tổ quốc ghi công”" → "số bằng “Tổ quốc ghi công”": inside a sentence, only the
/// label's first letter changes (proper nouns keep theirs).
fn first_lower(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// Checks one answer against its field; `None` when it is fine. Values are trimmed first.
pub fn check(spec: &FieldSpec, raw: &str, lang: Lang) -> Option<String> {
    let value = raw.trim();
    let (label, en) = (&spec.label, lang == Lang::En);
    if value.is_empty() {
        let lower = first_lower(label);
        return spec.required.then(|| if en { format!("Enter {lower}.") } else { format!("Vui lòng nhập {lower}.") });
    }
    let chars = value.chars().count();
    match &spec.kind {
        FieldKind::Text { max_len } | FieldKind::LongText { max_len } if chars > *max_len as usize => Some(if en {
            format!("{label} must be {max_len} characters or fewer.")
        } else {
            format!("{label} không được dài quá {max_len} ký tự.")
        }),
        FieldKind::Text { .. } | FieldKind::LongText { .. } => None,
        FieldKind::Date => crate::date::parse_iso(value)
            .is_none()
            .then(|| if en { format!("{label} must be a real date.") } else { format!("{label} không phải ngày hợp lệ.") }),
        FieldKind::Cccd => Cccd::parse(value).err().map(|e| e.message(lang)),
        FieldKind::Phone => PhoneNumber::parse(value).err().map(|e| e.message(lang)),
        FieldKind::Email => (!email_ok(value)).then(|| {
            lang.pick("Địa chỉ thư điện tử không hợp lệ (ví dụ đúng: ten@example.vn).", "Enter an email address like name@example.com.").to_owned()
        }),
        FieldKind::Choice { options } => (!options.iter().any(|o| o.value == value)).then(|| {
            let lower = first_lower(label);
            if en { format!("Choose {lower}.") } else { format!("Vui lòng chọn {lower}.") }
        }),
        FieldKind::Number { min, max } => match value.parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => None,
            _ => Some(if en { format!("{label} must be a number from {min} to {max}.") } else { format!("{label} phải là số từ {min} đến {max}.") }),
        },
    }
}

/// Validates every answer of `sections`: field by field, then across fields (the CCCD's
/// encoded year of birth must match the date of birth). Unknown answers are refused so
/// nothing unvalidated is stored.
pub fn validate(sections: &[Section], answers: &BTreeMap<String, String>, lang: Lang) -> Result<BTreeMap<String, String>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut clean = BTreeMap::new();
    let specs: Vec<&FieldSpec> = sections.iter().flat_map(|s| &s.fields).collect();
    for spec in &specs {
        let raw = answers.get(&spec.id).map(String::as_str).unwrap_or("");
        match check(spec, raw, lang) {
            Some(message) => errors.push(FieldError { field: spec.id.clone(), message }),
            None if !raw.trim().is_empty() => {
                clean.insert(spec.id.clone(), raw.trim().to_owned());
            }
            None => {}
        }
    }
    for key in answers.keys() {
        if !specs.iter().any(|s| &s.id == key) {
            errors.push(FieldError { field: key.clone(), message: lang.pick("Trường này không có trong biểu mẫu.", "This question is not on the form.").into() });
        }
    }
    errors.extend(cccd_against_birth(&clean, lang));
    if errors.is_empty() { Ok(clean) } else { Err(errors) }
}

/// Across two fields: the CCCD's encoded century and year of birth against the birth date.
fn cccd_against_birth(answers: &BTreeMap<String, String>, lang: Lang) -> Option<FieldError> {
    use chrono::Datelike;
    let cccd = answers.get("cccd")?.trim();
    let birth = crate::date::parse_iso(answers.get("birth_date")?.trim())?;
    let e = Cccd::parse_for_birth_year(cccd, birth.year()).err()?;
    Some(FieldError { field: "cccd".into(), message: e.message(lang) })
}

/// The messages for one page of a form, as a phone shows them before going on: each of its
/// fields, and the CCCD against the birth date when the CCCD is asked here (`validate`'s rules,
/// so the server's answer agrees).
pub fn check_page(fields: &[FieldSpec], answers: &BTreeMap<String, String>, lang: Lang) -> BTreeMap<String, String> {
    let mut found: BTreeMap<String, String> = fields
        .iter()
        .filter_map(|f| check(f, answers.get(&f.id).map_or("", String::as_str), lang).map(|m| (f.id.clone(), m)))
        .collect();
    let asks_cccd = fields.iter().any(|f| f.id == "cccd");
    if asks_cccd && !found.contains_key("cccd") && !found.contains_key("birth_date") {
        found.extend(cccd_against_birth(answers, lang).map(|e| (e.field, e.message)));
    }
    found
}

/// The most a procedure's own form may ask, beyond the applicant section.
pub const MAX_SECTIONS: usize = 10;
pub const MAX_FIELDS: usize = 40;

fn id_ok(id: &str) -> bool {
    (1..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Checks a procedure's own sections as an admin publishes them: ids short and unique (also
/// against the applicant section's), labels present, choices with options, sane limits. The
/// messages name the section and field.
pub fn check_schema(sections: &[Section]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut err = |message: String| errors.push(FieldError { field: "form".into(), message });
    if sections.len() > MAX_SECTIONS {
        err(format!("Biểu mẫu tối đa {MAX_SECTIONS} trang."));
    }
    let fields: Vec<&FieldSpec> = sections.iter().flat_map(|s| &s.fields).collect();
    if fields.len() > MAX_FIELDS {
        err(format!("Biểu mẫu tối đa {MAX_FIELDS} trường."));
    }
    let mut seen: Vec<String> = applicant_section().fields.into_iter().map(|f| f.id).collect();
    let mut section_ids = Vec::new();
    for s in sections {
        if !id_ok(&s.id) || section_ids.contains(&&s.id) || s.id == "applicant" {
            err(format!("Mã trang “{}” phải gồm chữ thường, số, dấu gạch dưới và không trùng.", s.id));
        }
        section_ids.push(&s.id);
        if s.title.trim().is_empty() || s.fields.is_empty() {
            err(format!("Trang “{}” cần tiêu đề và ít nhất một trường.", s.id));
        }
        for f in &s.fields {
            if !id_ok(&f.id) || seen.contains(&f.id) {
                err(format!("Mã trường “{}” phải gồm chữ thường, số, dấu gạch dưới và không trùng (kể cả với phần thông tin người nộp).", f.id));
            }
            seen.push(f.id.clone());
            if f.label.trim().is_empty() || f.label.chars().count() > 200 {
                err(format!("Trường “{}” cần nhãn (tối đa 200 ký tự).", f.id));
            }
            match &f.kind {
                FieldKind::Text { max_len } | FieldKind::LongText { max_len } if !(1..=5000).contains(max_len) => {
                    err(format!("Trường “{}”: độ dài tối đa từ 1 đến 5000 ký tự.", f.id))
                }
                FieldKind::Number { min, max } if min > max => err(format!("Trường “{}”: giá trị nhỏ nhất lớn hơn lớn nhất.", f.id)),
                FieldKind::Choice { options } => {
                    let mut values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
                    values.sort_unstable();
                    values.dedup();
                    if options.is_empty() || values.len() != options.len() || options.iter().any(|o| o.value.is_empty() || o.label.trim().is_empty()) {
                        err(format!("Trường “{}”: cần các lựa chọn có giá trị khác nhau và nhãn.", f.id));
                    }
                }
                _ => {}
            }
        }
    }
    errors
}

/// The form as one text for the versions' diff: a line per field, under its page.
pub fn schema_text(sections: &[Section]) -> Option<String> {
    let lines: Vec<String> = sections
        .iter()
        .flat_map(|s| {
            s.fields.iter().map(move |f| {
                let required = if f.required { "bắt buộc" } else { "không bắt buộc" };
                format!("{} › {} ({required})", s.title, f.label)
            })
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The largest attachment accepted (a scanned document of several pages).
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Attachments one dossier may carry.
pub const MAX_DOCUMENTS: usize = 20;

/// An attachment as stored: its id is the SHA-256 of its content (a retried upload of the same
/// file is the same attachment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub id: String,
    pub kind: FileKind,
    pub size: u32,
}

impl Upload {
    pub fn id_ok(id: &str) -> bool {
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    }
}


/// File types accepted as attachments, recognised by their first bytes, never by their name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        [FileKind::Pdf, FileKind::Jpeg, FileKind::Png].into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_section() -> Section {
        Section {
            id: "employer".into(),
            title: "Thông tin doanh nghiệp".into(),
            fields: vec![
                field("tax_code", "Mã số thuế", FieldKind::Text { max_len: 14 }, true, None),
                field("workers", "Số lao động nước ngoài", FieldKind::Number { min: 1, max: 500 }, true, None),
            ],
        }
    }

    #[test]
    fn a_choice_reads_as_its_label_and_other_answers_as_typed() {
        let section = applicant_section();
        let delivery = section.fields.iter().find(|f| f.id == "delivery").unwrap();
        assert_eq!(delivery.shown("centre"), "Nhận tại Trung tâm Phục vụ hành chính công");
        assert_eq!(delivery.shown("elsewhere"), "elsewhere");
        let name = section.fields.iter().find(|f| f.id == "full_name").unwrap();
        assert_eq!(name.shown("centre"), "centre");
    }

    #[test]
    fn a_procedures_own_sections_are_checked_before_publication() {
        assert!(check_schema(&[own_section()]).is_empty());
        let mut clash = own_section();
        clash.fields[0].id = "cccd".into();
        clash.fields[1].kind = FieldKind::Number { min: 5, max: 1 };
        let mut empty_choice = own_section();
        empty_choice.id = "more".into();
        empty_choice.fields = vec![field("kind", "Loại", FieldKind::Choice { options: vec![] }, true, None)];
        let errors = check_schema(&[clash, empty_choice]);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].message.contains("cccd"), "clashes with the applicant section");
    }

    #[test]
    fn answers_are_validated_against_the_procedures_own_fields_too() {
        let sections = [applicant_section(), own_section()];
        let mut a = good();
        assert_eq!(validate(&sections, &a, crate::i18n::Lang::Vi).unwrap_err().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["tax_code", "workers"]);
        a.insert("tax_code".into(), "0101234567".into());
        a.insert("workers".into(), "900".into());
        assert_eq!(validate(&sections, &a, crate::i18n::Lang::Vi).unwrap_err()[0].field, "workers");
        a.insert("workers".into(), "12".into());
        assert!(validate(&sections, &a, crate::i18n::Lang::Vi).is_ok());
        assert_eq!(schema_text(&[own_section()]).unwrap().lines().count(), 2);
    }

    #[test]
    fn a_page_is_checked_alone_and_the_cccd_against_a_birth_date_from_another_page() {
        let vi = crate::i18n::Lang::Vi;
        let fields = |ids: &[&str]| -> Vec<FieldSpec> { applicant_section().fields.into_iter().filter(|f| ids.contains(&f.id.as_str())).collect() };
        let mut a = good();
        assert!(check_page(&fields(&["full_name", "birth_date"]), &a, vi).is_empty());
        // Born in 1985, but the CCCD says 1995 (century 2, year 95): refused on the CCCD's page…
        a.insert("birth_date".into(), "1985-03-08".into());
        assert_eq!(check_page(&fields(&["cccd", "phone"]), &a, vi).keys().collect::<Vec<_>>(), ["cccd"]);
        // …not on a page that does not ask it, and as the server refuses the whole form.
        assert!(check_page(&fields(&["address"]), &a, vi).is_empty());
        assert_eq!(validate(&[applicant_section()], &a, vi).unwrap_err().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["cccd"]);
        // A field's own error comes first: no cross message over it.
        a.insert("cccd".into(), "12".into());
        let found = check_page(&fields(&["cccd"]), &a, vi);
        assert_eq!(found.len(), 1);
        assert_eq!(found["cccd"], check(&fields(&["cccd"])[0], "12", vi).unwrap());
    }

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn good() -> BTreeMap<String, String> {
        answers(&[
            ("full_name", "Nguyễn Thị Lan"),
            ("birth_date", "1995-03-08"),
            ("cccd", "022195012345"),
            ("phone", "0912 345 678"),
            ("address", "Phường Hồng Gai, Hạ Long, Quảng Ninh"),
            ("delivery", "centre"),
        ])
    }

    #[test]
    fn a_good_applicant_passes_and_is_trimmed() {
        let mut a = good();
        a.insert("full_name".into(), "  Nguyễn Thị Lan ".into());
        let clean = validate(&[applicant_section()], &a, crate::i18n::Lang::Vi).unwrap();
        assert_eq!(clean["full_name"], "Nguyễn Thị Lan");
        assert!(!clean.contains_key("email"));
    }

    #[test]
    fn every_field_kind_says_what_is_wrong() {
        let s = [applicant_section()];
        let cases: [(&str, &str, &str); 8] = [
            ("full_name", "", "Vui lòng nhập họ và tên."),
            ("birth_date", "08/03/1995", "Ngày sinh không phải ngày hợp lệ."),
            ("cccd", "12345", "Số CCCD phải gồm đúng 12 chữ số."),
            ("phone", "0212345678", "Số điện thoại di động không hợp lệ (ví dụ đúng: 0912 345 678 hoặc +84 912 345 678)."),
            ("email", "lan@", "Địa chỉ thư điện tử không hợp lệ (ví dụ đúng: ten@example.vn)."),
            ("delivery", "drone", "Vui lòng chọn cách nhận kết quả."),
            ("address", &"x".repeat(301), "Địa chỉ liên hệ không được dài quá 300 ký tự."),
            ("cccd", "022295012345", "Số CCCD không khớp với năm sinh đã khai."),
        ];
        for (field, value, message) in cases {
            let mut a = good();
            a.insert(field.into(), value.into());
            let errors = validate(&s, &a, crate::i18n::Lang::Vi).unwrap_err();
            assert!(errors.contains(&FieldError { field: field.into(), message: message.into() }), "{field}={value}: {errors:?}");
        }
    }

    #[test]
    fn answers_the_form_does_not_ask_are_dropped_and_labels_keep_proper_nouns() {
        let mut a = good();
        a.insert("other_form_field".into(), "x".into());
        let s = applicant_section();
        drop_unasked(&mut a, &s.fields);
        assert_eq!(a, good());
        let spec = FieldSpec { id: "tqgc".into(), label: "Số bằng “Tổ quốc ghi công”".into(), kind: FieldKind::Text { max_len: 9 }, required: true, hint: None };
        assert_eq!(check(&spec, " ", Lang::Vi).as_deref(), Some("Vui lòng nhập số bằng “Tổ quốc ghi công”."));
    }

    #[test]
    fn messages_and_labels_in_english_keep_the_same_rules() {
        let (vi, en) = (applicant_section_in(Lang::Vi), applicant_section_in(Lang::En));
        // Ids, kinds, limits, choice values and whether required: all but the words.
        let ids = |s: &Section| {
            s.fields
                .iter()
                .map(|f| match &f.kind {
                    FieldKind::Choice { options } => format!("{} {} {:?}", f.id, f.required, options.iter().map(|o| &o.value).collect::<Vec<_>>()),
                    kind => format!("{} {} {kind:?}", f.id, f.required),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&vi), ids(&en), "only the words differ");
        assert_eq!(vi, applicant_section());
        let name = &en.fields[0];
        assert_eq!(check(name, "", Lang::En).as_deref(), Some("Enter full name."));
        let cccd = en.fields.iter().find(|f| f.id == "cccd").unwrap();
        assert_eq!(check(cccd, "12", Lang::En).as_deref(), Some("The identity card number must be exactly 12 digits."));
        assert_eq!(check(cccd, "12", Lang::Vi).as_deref(), Some("Số CCCD phải gồm đúng 12 chữ số."));
        let mut a = good();
        a.insert("birth_date".into(), "1990-01-01".into());
        let errors = validate(&[en], &a, Lang::En).unwrap_err();
        assert_eq!(errors[0].message, "The identity card number does not match the date of birth given.");
        // Every English message is English: no Vietnamese letters left in.
        for e in errors {
            assert!(e.message.is_ascii(), "{}", e.message);
        }
    }

    #[test]
    fn unknown_answers_are_refused() {
        let mut a = good();
        a.insert("is_admin".into(), "true".into());
        assert_eq!(validate(&[applicant_section()], &a, crate::i18n::Lang::Vi).unwrap_err()[0].field, "is_admin");
    }

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(FileKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(b"MZ\x90\x00 an exe named scan.pdf"), None);
        assert_eq!(FileKind::sniff(b""), None);
    }
}
