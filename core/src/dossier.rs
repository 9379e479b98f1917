//! Dossier identity: the national code pattern, agency code + received date + daily sequence.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::form::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DossierCodeError {
    #[error("Mã hồ sơ không hợp lệ (dạng đúng: SNV-261127-0001).")]
    Malformed,
    #[error("Số thứ tự hồ sơ trong ngày phải từ 1 đến 999999.")]
    Sequence,
}

/// The largest daily sequence: a flood of submissions must not stop an agency's intake, so
/// past 9999 the number simply grows a digit (SNV-261127-10000).
pub const MAX_SEQUENCE: u32 = 999_999;

/// `<agency>-<yymmdd>-<nnnn>`, e.g. `SNV-261127-0001`: unique because the sequence is per agency
/// and day; at least four digits, more past 9999 (`SNV-261127-10000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode(String);

fn agency_ok(a: &str) -> bool {
    crate::catalogue::agency::AgencyCode::parse(a).is_ok()
}

impl DossierCode {
    pub fn new(agency: &str, received: NaiveDate, sequence: u32) -> Result<Self, DossierCodeError> {
        if !agency_ok(agency) || !(2000..=2099).contains(&received.year()) {
            return Err(DossierCodeError::Malformed);
        }
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(DossierCodeError::Sequence);
        }
        Ok(DossierCode(format!(
            "{agency}-{:02}{:02}{:02}-{sequence:04}",
            received.year() % 100,
            received.month(),
            received.day()
        )))
    }

    /// Accepts the code as printed, in any letter case, with surrounding spaces.
    pub fn parse(s: &str) -> Result<Self, DossierCodeError> {
        let upper = s.trim().to_ascii_uppercase();
        let mut parts = upper.split('-');
        let (Some(agency), Some(date), Some(seq), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(DossierCodeError::Malformed);
        };
        let digits = |p: &str, n: std::ops::RangeInclusive<usize>| n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
        if !agency_ok(agency) || !digits(date, 6..=6) || !digits(seq, 4..=6) {
            return Err(DossierCodeError::Malformed);
        }
        let n = |r: std::ops::Range<usize>| date[r].parse::<u32>().unwrap_or(0);
        let received = NaiveDate::from_ymd_opt(2000 + n(0..2) as i32, n(2..4), n(4..6)).ok_or(DossierCodeError::Malformed)?;
        let code = DossierCode::new(agency, received, seq.parse().map_err(|_| DossierCodeError::Malformed)?)?;
        // One spelling per dossier: "SNV-261127-00042" is not "SNV-261127-0042".
        if code.0 != upper {
            return Err(DossierCodeError::Malformed);
        }
        Ok(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn agency(&self) -> &str {
        self.0.split('-').next().unwrap_or_default()
    }

    pub fn received_on(&self) -> NaiveDate {
        let d = &self.0.split('-').nth(1).unwrap_or_default();
        let n = |r: std::ops::Range<usize>| d[r].parse::<u32>().unwrap_or(0);
        NaiveDate::from_ymd_opt(2000 + n(0..2) as i32, n(2..4), n(4..6)).expect("checked when built")
    }

    pub fn sequence(&self) -> u32 {
        self.0.rsplit('-').next().and_then(|s| s.parse().ok()).unwrap_or(0)
    }
}

string_newtype!(DossierCode, DossierCodeError);

#[cfg(test)]
mod tests {
    #[test]
    fn every_status_has_an_english_label() {
        use crate::i18n::Lang;
        for s in DossierStatus::ALL {
            let (vi, en) = (s.label(Lang::Vi), s.label(Lang::En));
            assert_eq!(vi, s.label_vi());
            assert!(en.is_ascii() && !en.is_empty() && en != vi, "{s:?}: {en}");
        }
        assert_eq!(crate::catalogue::days_text(Some(12), true, Lang::En).as_deref(), Some("12 days"));
        assert_eq!(crate::catalogue::days_text(Some(1), false, Lang::En).as_deref(), Some("1 working day"));
        assert_eq!(crate::catalogue::days_text(Some(12), false, Lang::Vi).as_deref(), Some("12 ngày làm việc"));
    }

    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn national_pattern() {
        let c = DossierCode::new("SNV", d(2026, 11, 27), 1).unwrap();
        assert_eq!(c.as_str(), "SNV-261127-0001");
        assert_eq!((c.agency(), c.received_on(), c.sequence()), ("SNV", d(2026, 11, 27), 1));
        assert_eq!(DossierCode::parse(" snv-261127-0001 ").unwrap(), c);
        assert_eq!(DossierCode::new("SNV", d(2026, 11, 27), 0), Err(DossierCodeError::Sequence));
        // Past 9999 the sequence grows a digit: intake never stops.
        let big = DossierCode::new("SNV", d(2026, 11, 27), 10_000).unwrap();
        assert_eq!(big.as_str(), "SNV-261127-10000");
        assert_eq!((DossierCode::parse("snv-261127-10000").unwrap(), big.sequence()), (big.clone(), 10_000));
        assert_eq!(DossierCode::new("SNV", d(2026, 11, 27), 1_000_000), Err(DossierCodeError::Sequence));
        for bad in ["", "SNV-261127", "SNV-261127-001", "SNV-261327-0001", "S-261127-0001", "SNV-261127-0001-2", "SN V-261127-0001", "SNV-260230-0001", "SNV-261127-00042", "SNV-261127-1000000"] {
            assert_eq!(DossierCode::parse(bad), Err(DossierCodeError::Malformed), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn roundtrip(days in 0i64..36_000, seq in 1u32..=MAX_SEQUENCE, agency in "[A-Z][A-Z0-9]{1,9}") {
            let date = d(2000, 1, 1) + chrono::Duration::days(days % 36_500);
            let c = DossierCode::new(&agency, date, seq).unwrap();
            prop_assert_eq!(DossierCode::parse(c.as_str()).unwrap(), c.clone());
            prop_assert_eq!(c.received_on(), date);
            prop_assert_eq!(c.sequence(), seq);
        }
    }
}

/// The national status list (rules.md), with its numeric codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    New,
    Received,
    NotReceived,
    InProgress,
    SupplementRequested,
    FinancialObligation,
    Withdrawn,
    Stopped,
    Finished,
    Returned,
}

impl DossierStatus {
    pub const ALL: [DossierStatus; 10] = [
        DossierStatus::New,
        DossierStatus::Received,
        DossierStatus::NotReceived,
        DossierStatus::InProgress,
        DossierStatus::SupplementRequested,
        DossierStatus::FinancialObligation,
        DossierStatus::Withdrawn,
        DossierStatus::Stopped,
        DossierStatus::Finished,
        DossierStatus::Returned,
    ];

    /// Held by the department with the clock running: within the due date or overdue.
    pub const PENDING: [DossierStatus; 2] = [DossierStatus::Received, DossierStatus::InProgress];

    /// Waiting for the applicant's supplement: the clock stands still (the due date moves when
    /// the applicant answers), so such a dossier is neither within time nor overdue.
    pub const WAITING: [DossierStatus; 1] = [DossierStatus::SupplementRequested];

    /// Codes as an SQL list, e.g. "2, 4", for the store's `status IN (…)`.
    pub fn sql_list(statuses: &[DossierStatus]) -> String {
        statuses.iter().map(|s| s.code().to_string()).collect::<Vec<_>>().join(", ")
    }

    /// The national code, 1–10.
    pub fn code(self) -> u8 {
        DossierStatus::ALL.iter().position(|s| *s == self).expect("listed") as u8 + 1
    }

    pub fn from_code(code: u8) -> Option<Self> {
        DossierStatus::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let (vi, en) = match self {
            DossierStatus::New => ("Mới nộp, chờ tiếp nhận", "Submitted, waiting to be received"),
            DossierStatus::Received => ("Đã tiếp nhận", "Received"),
            DossierStatus::NotReceived => ("Không tiếp nhận", "Not received"),
            DossierStatus::InProgress => ("Đang xử lý", "Being processed"),
            DossierStatus::SupplementRequested => ("Yêu cầu bổ sung hồ sơ", "More papers requested"),
            DossierStatus::FinancialObligation => ("Yêu cầu thực hiện nghĩa vụ tài chính", "Fees to be paid"),
            DossierStatus::Withdrawn => ("Công dân đã rút hồ sơ", "Withdrawn by the applicant"),
            DossierStatus::Stopped => ("Dừng xử lý", "Stopped"),
            DossierStatus::Finished => ("Đã có kết quả", "Result ready"),
            DossierStatus::Returned => ("Đã trả kết quả", "Result handed over"),
        };
        lang.pick(vi, en)
    }

    pub fn label_vi(self) -> &'static str {
        self.label(crate::i18n::Lang::Vi)
    }

}

/// `POST /api/dossiers`: an online submission. `idempotency_key` is made by the client once per
/// dossier (a retry sends the same key and gets the same dossier back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitRequest {
    pub procedure: String,
    pub idempotency_key: String,
    pub answers: std::collections::BTreeMap<String, String>,
    /// Attachments uploaded first (`POST /api/uploads`), each for one of the procedure's
    /// required documents or for another paper.
    #[serde(default)]
    pub documents: Vec<AttachedDocument>,
    /// At the desk only: the required documents (by index) handed in on paper, which the
    /// officer has checked. Online, every paper is a file.
    #[serde(default)]
    pub papers: Vec<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedDocument {
    pub upload: String,
    /// Index in the procedure's required documents; `None`: another paper.
    #[serde(default)]
    pub document: Option<u16>,
    /// The name the file had on the applicant's device, cleaned (`FileName`); dossiers stored
    /// before names were kept have none.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "FileName::lenient")]
    pub name: Option<FileName>,
}

/// A file's name as people see it ("Hộ chiếu - trang 1.pdf"), safe to show and to offer as a
/// download name: no folders, no control or quote characters, at most 100 characters with the
/// extension kept. The upload itself is stored under its digest; this is only its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FileName(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNameError;

impl std::fmt::Display for FileNameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no file name left once cleaned")
    }
}

impl FileName {
    const MAX_CHARS: usize = 100;

    /// Cleans `s`: the last path segment, forbidden characters dropped, spaces collapsed.
    pub fn parse(s: &str) -> Result<Self, FileNameError> {
        let base = s.rsplit(['/', '\\']).next().unwrap_or_default();
        let kept: String = base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|')).collect();
        let clean = kept.split_whitespace().collect::<Vec<_>>().join(" ");
        let clean = clean.trim_matches('.').trim();
        if clean.is_empty() {
            return Err(FileNameError);
        }
        if clean.chars().count() <= Self::MAX_CHARS {
            return Ok(FileName(clean.to_owned()));
        }
        // Too long: shorten the stem, keep a short extension.
        let ext = clean.rsplit_once('.').map(|(_, e)| e).filter(|e| e.chars().count() <= 5 && !e.contains(' ')).unwrap_or("");
        let stem_chars = Self::MAX_CHARS - if ext.is_empty() { 0 } else { ext.chars().count() + 1 };
        let stem: String = clean.chars().take(stem_chars).collect();
        let stem = stem.trim_end();
        Ok(FileName(if ext.is_empty() { stem.to_owned() } else { format!("{stem}.{ext}") }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name with the extension of what the file really is (its bytes decided its kind):
    /// "ho-chieu.exe" holding a PDF downloads as "ho-chieu.exe.pdf".
    pub fn with_extension(&self, ext: &str) -> String {
        match self.0.rsplit_once('.') {
            Some((_, e)) if e.eq_ignore_ascii_case(ext) => self.0.clone(),
            _ => format!("{}.{ext}", self.0),
        }
    }

    /// For stored and sent JSON: a name that cleans to nothing is no name, not a refusal.
    fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<FileName>, D::Error> {
        let raw: Option<String> = Option::deserialize(d)?;
        Ok(raw.and_then(|s| FileName::parse(&s).ok()))
    }
}

string_newtype!(FileName, FileNameError);

impl SubmitRequest {
    /// The papers handed in, each once and in the published order (as slip 01 lists them).
    pub fn papers_received(&self) -> Vec<u16> {
        let mut papers = self.papers.clone();
        papers.sort_unstable();
        papers.dedup();
        papers
    }

    /// The key's form: 16–64 letters, digits, `-` or `_` (else the request is malformed).
    pub fn key_ok(&self) -> bool {
        let k = self.idempotency_key.as_bytes();
        (16..=64).contains(&k.len()) && k.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    }

    /// A key of one repeated character is well-formed but no key: a generator that failed
    /// (all zeros) would make every retry of every applicant the same submission.
    pub fn key_random(&self) -> bool {
        let k = self.idempotency_key.as_bytes();
        k.iter().any(|b| *b != k[0])
    }

    /// The submission's fingerprint: a retry with the same key gets the stored dossier only
    /// when it sends the same body (the key is no bearer token).
    pub fn fingerprint(&self) -> String {
        use std::fmt::Write;
        let mut text = format!("{}\n{}\n", self.procedure, self.idempotency_key);
        for (k, v) in &self.answers {
            let _ = write!(text, "{}:{k}={}:{v}\n", k.len(), v.len());
        }
        for d in &self.documents {
            let _ = write!(text, "doc:{}:{:?}\n", d.upload, d.document);
        }
        let _ = write!(text, "papers:{:?}", self.papers_received());
        text
    }
}

/// How a dossier came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Submitted online by the applicant.
    Online,
    /// Registered at the desk by reception.
    WalkIn,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::WalkIn => "walk_in",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Channel::Online => "Trực tuyến",
            Channel::WalkIn => "Trực tiếp",
        }
    }
}

/// The receipt data (slip 01) answered to a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub code: DossierCode,
    pub procedure: String,
    pub procedure_name: String,
    pub status: DossierStatus,
    #[serde(with = "crate::date::iso_datetime")]
    pub submitted_at: chrono::NaiveDateTime,
    /// Expected result, from the procedure's online time (fixed again at reception).
    #[serde(with = "crate::date::iso_datetime")]
    pub due_at: chrono::NaiveDateTime,
    /// Whole days of the statutory time (see `term` for its units).
    pub days: u16,
    /// The statutory time in its units: "12 ngày", "5 ngày làm việc + 12 ngày".
    pub term: crate::calendar::Term,
    /// A year between reception and the due date whose holidays are not decided yet: the date
    /// follows the Labour Code's defaults and may move when the government announces swaps.
    #[serde(default)]
    pub provisional_year: Option<i32>,
    /// Shown once to the citizen: with the code, it opens the personal view of the dossier.
    pub secret: String,
    pub channel: Channel,
    /// The applicant's answers (name, contacts, how the result is returned): the slip names
    /// them, and only the submitter receives it.
    pub applicant: std::collections::BTreeMap<String, String>,
    /// The papers received, by name as the procedure publishes them.
    pub documents: Vec<ReceivedPaper>,
}

/// Checks what a submission brings against the procedure's required documents: every
/// mandatory document has a file or, at the desk, was handed in on paper; every file and paper
/// names a document that exists; ids are well formed. Online (`at_desk` false) there are no
/// papers: the desk officer is who vouches for them.
pub fn check_documents(
    required: &[crate::catalogue::RequiredDocument],
    attached: &[AttachedDocument],
    papers: &[u16],
    at_desk: bool,
    lang: crate::i18n::Lang,
) -> Vec<FieldError> {
    use crate::form::{Upload, MAX_DOCUMENTS};
    let mut errors = Vec::new();
    let l = |vi, en| lang.pick(vi, en);
    let err = |field: String, message: String| FieldError { field, message };
    if attached.len() > MAX_DOCUMENTS {
        let most = if lang == crate::i18n::Lang::En { format!("At most {MAX_DOCUMENTS} files may be attached.") } else { format!("Tối đa {MAX_DOCUMENTS} tệp đính kèm.") };
        errors.push(err("documents".into(), most));
    }
    if attached.iter().any(|a| !Upload::id_ok(&a.upload)) {
        errors.push(err("documents".into(), l("Có tệp đính kèm không hợp lệ. Vui lòng tải lại.", "An attached file is not valid. Please upload it again.").into()));
    }
    if attached.iter().any(|a| a.document.is_some_and(|i| usize::from(i) >= required.len())) {
        errors.push(err("documents".into(), l("Tệp đính kèm ghi cho một giấy tờ không có trong thủ tục.", "A file is attached to a paper the procedure does not ask for.").into()));
    }
    if !at_desk && !papers.is_empty() {
        errors.push(err(
            "documents".into(),
            l(
                "Giấy tờ nộp bản giấy chỉ được ghi nhận tại Bộ phận tiếp nhận và trả kết quả; khi nộp trực tuyến, vui lòng đính kèm tệp.",
                "Paper copies are recorded only at the reception desk; online, please attach files.",
            )
            .into(),
        ));
    }
    if papers.len() > MAX_DOCUMENTS || papers.iter().any(|i| usize::from(*i) >= required.len()) {
        errors.push(err("documents".into(), l("Có giấy tờ đánh dấu đã nhận không thuộc thành phần hồ sơ của thủ tục.", "A paper marked as received is not one the procedure asks for.").into()));
    }
    for (i, doc) in required.iter().enumerate() {
        let on_paper = at_desk && papers.contains(&(i as u16));
        if doc.mandatory && !on_paper && !attached.iter().any(|a| a.document == Some(i as u16)) {
            let what = if at_desk { l("Chưa nhận", "Not received") } else { l("Chưa đính kèm", "Not attached") };
            errors.push(err(format!("document-{i}"), format!("{what}: {}.", doc.name)));
        }
    }
    errors
}

/// The lines of slip 01's papers: each file under its paper in the procedure's published list
/// (or "another paper"), then the papers handed in at the desk.
pub fn received_papers(attached: &[AttachedDocument], papers: &[u16], published: &[crate::catalogue::RequiredDocument]) -> Vec<ReceivedPaper> {
    let name = |i: Option<u16>| i.and_then(|i| published.get(usize::from(i))).map(|d| d.name.clone());
    attached
        .iter()
        .map(|a| ReceivedPaper { paper: name(a.document), file: a.name.clone(), on_paper: false })
        .chain(papers.iter().filter_map(|i| name(Some(*i))).map(|n| ReceivedPaper { paper: Some(n), file: None, on_paper: true }))
        .collect()
}

/// One line of slip 01's papers: the published paper it answers (its official name, in
/// Vietnamese whatever the page's language; none for "another paper"), the file it came as
/// (by its name) or that it was handed in on paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedPaper {
    pub paper: Option<String>,
    #[serde(default)]
    pub file: Option<FileName>,
    #[serde(default)]
    pub on_paper: bool,
}

impl ReceivedPaper {
    /// "Hộ chiếu (tệp passport.pdf)", "Other paper (file scan.pdf)", "Tờ khai (paper copy)".
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::*;
        let paper = self.paper.clone().unwrap_or_else(|| match lang {
            Vi => "Giấy tờ khác".to_owned(),
            En => "Other paper".to_owned(),
        });
        match (&self.file, self.on_paper, lang) {
            (Some(f), _, Vi) => format!("{paper} (tệp {})", f.as_str()),
            (Some(f), _, En) => format!("{paper} (file {})", f.as_str()),
            (None, true, Vi) => format!("{paper} (bản giấy)"),
            (None, true, En) => format!("{paper} (paper copy)"),
            (None, false, _) => paper,
        }
    }
}


#[cfg(test)]
mod status_tests {
    use super::*;

    #[test]
    fn national_codes() {
        assert_eq!(DossierStatus::New.code(), 1);
        assert_eq!(DossierStatus::Returned.code(), 10);
        for s in DossierStatus::ALL {
            assert_eq!(DossierStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(DossierStatus::from_code(0), None);
        assert_eq!(DossierStatus::from_code(11), None);
    }

    #[test]
    fn the_slip_names_files_by_their_document_then_the_papers_handed_in() {
        let doc = |name: &str| crate::catalogue::RequiredDocument { name: name.into(), original: None, count: None, template: None, mandatory: true };
        let published = [doc("Tờ khai"), doc("Nội quy lao động")];
        let file = |document| AttachedDocument { upload: "0123456789abcdef0123456789abcdef".into(), document, name: None };
        let texts = |lang| received_papers(&[file(Some(1)), file(None)], &[0], &published).iter().map(|p| p.text(lang)).collect::<Vec<_>>();
        assert_eq!(texts(crate::i18n::Lang::Vi), ["Nội quy lao động", "Giấy tờ khác", "Tờ khai (bản giấy)"]);
        // The published names are official texts: Vietnamese in English pages too.
        assert_eq!(texts(crate::i18n::Lang::En), ["Nội quy lao động", "Other paper", "Tờ khai (paper copy)"]);
    }

    #[test]
    fn documents_against_the_procedure() {
        use crate::catalogue::RequiredDocument;
        let doc = |name: &str, mandatory| RequiredDocument { name: name.into(), original: None, count: None, template: None, mandatory };
        let required = [doc("Tờ khai", true), doc("Ảnh", false)];
        let id = "0123456789abcdef0123456789abcdef".to_owned();
        let att = |document| AttachedDocument { upload: id.clone(), document, name: None };
        let online = |attached: &[AttachedDocument]| check_documents(&required, attached, &[], false, crate::i18n::Lang::Vi);
        assert!(online(&[att(Some(0))]).is_empty());
        assert!(online(&[att(Some(0)), att(None), att(Some(1))]).is_empty());
        let missing = online(&[att(Some(1))]);
        assert_eq!(missing, vec![FieldError { field: "document-0".into(), message: "Chưa đính kèm: Tờ khai.".into() }]);
        assert_eq!(online(&[att(Some(0)), att(Some(7))])[0].field, "documents");
        let bad = AttachedDocument { upload: "../../etc/passwd".into(), document: Some(0), name: None };
        assert_eq!(online(&[bad])[0].field, "documents");
        assert!(check_documents(&[], &[], &[], false, crate::i18n::Lang::Vi).is_empty());
        // At the desk a mandatory paper may be handed in on paper; online it may not.
        assert!(check_documents(&required, &[], &[0], true, crate::i18n::Lang::Vi).is_empty());
        let not_received = check_documents(&required, &[], &[1], true, crate::i18n::Lang::Vi);
        assert_eq!(not_received, vec![FieldError { field: "document-0".into(), message: "Chưa nhận: Tờ khai.".into() }]);
        assert_eq!(check_documents(&required, &[], &[5], true, crate::i18n::Lang::Vi)[0].field, "documents");
        let online_paper = check_documents(&required, &[], &[0], false, crate::i18n::Lang::Vi);
        assert_eq!(online_paper.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["documents", "document-0"]);
    }

    #[test]
    fn idempotency_keys() {
        let req = |k: &str| SubmitRequest { procedure: "1.014199".into(), idempotency_key: k.into(), answers: Default::default(), documents: vec![], papers: vec![] };
        assert!(req("3f2a9c1e-7b4d-4e8a-9c0f-112233445566").key_ok());
        assert_eq!(SubmitRequest { papers: vec![2, 0, 2], ..req("k") }.papers_received(), [0, 2]);
        assert!(!req("short").key_ok());
        assert!(!req(&"x".repeat(65)).key_ok());
        assert!(!req("has space in it 123456").key_ok());
        assert!(req("0000000000000000").key_ok() && !req("0000000000000000").key_random());
        assert!(req("3f2a9c1e-7b4d-4e8a-9c0f-112233445566").key_random());
    }
}

#[cfg(test)]
mod file_name_tests {
    use super::*;

    #[test]
    fn names_are_cleaned_to_what_can_be_shown_and_offered() {
        let clean = |s: &str| FileName::parse(s).map(|f| f.as_str().to_owned());
        assert_eq!(clean("C:\\Users\\an\\Hộ chiếu  trang 1.pdf"), Ok("Hộ chiếu trang 1.pdf".into()));
        assert_eq!(clean("../../etc/passwd"), Ok("passwd".into()));
        assert_eq!(clean("a\"b<c>|d\u{0}\r\n.png"), Ok("abcd.png".into()));
        assert_eq!(clean("  ...  "), Err(FileNameError));
        assert_eq!(clean("dir/"), Err(FileNameError));
        let long = clean(&format!("{}.jpeg", "giấy khám sức khỏe ".repeat(10))).unwrap();
        assert!(long.chars().count() <= 100 && long.starts_with("giấy khám"), "{long}");
        assert!(long.ends_with(".jpeg"), "{long}");
        assert_eq!(FileName::parse("ho-chieu.exe").unwrap().with_extension("pdf"), "ho-chieu.exe.pdf");
        assert_eq!(FileName::parse("Scan.PDF").unwrap().with_extension("pdf"), "Scan.PDF");
    }

    #[test]
    fn a_stored_name_that_cleans_to_nothing_is_no_name() {
        let doc: AttachedDocument = serde_json::from_str(r#"{"upload":"x","document":1,"name":"/"}"#).unwrap();
        assert_eq!(doc.name, None);
        let doc: AttachedDocument = serde_json::from_str(r#"{"upload":"x"}"#).unwrap();
        assert_eq!((doc.document, doc.name), (None, None));
        let doc: AttachedDocument = serde_json::from_str(r#"{"upload":"x","name":"a/b/Hộ chiếu.pdf"}"#).unwrap();
        assert_eq!(doc.name.map(|n| n.as_str().to_owned()).as_deref(), Some("Hộ chiếu.pdf"));
    }

    #[test]
    fn slip_01_names_each_file_under_its_paper() {
        let published = vec![crate::catalogue::RequiredDocument { name: "Hộ chiếu".into(), original: None, count: None, template: None, mandatory: true }];
        let a = |document, name: Option<&str>| AttachedDocument { upload: "u".into(), document, name: name.map(|n| FileName::parse(n).unwrap()) };
        let received = received_papers(&[a(Some(0), Some("passport.pdf")), a(None, Some("khám.png")), a(None, None)], &[0], &published);
        let texts = |lang| received.iter().map(|p| p.text(lang)).collect::<Vec<_>>();
        assert_eq!(texts(crate::i18n::Lang::Vi), ["Hộ chiếu (tệp passport.pdf)", "Giấy tờ khác (tệp khám.png)", "Giấy tờ khác", "Hộ chiếu (bản giấy)"]);
        assert_eq!(texts(crate::i18n::Lang::En), ["Hộ chiếu (file passport.pdf)", "Other paper (file khám.png)", "Other paper", "Hộ chiếu (paper copy)"]);
    }
}
