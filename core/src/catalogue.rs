//! The published catalogue: procedures (thủ tục hành chính), their fields and agencies.
//!
//! Every optional attribute is `Option`: the sources leave many facts unpublished and the UI
//! must say "chưa công bố" rather than show a guess.

use serde::{Deserialize, Serialize};

use crate::calendar::{Leg, Term};
use crate::duration::WorkingDuration;
use crate::text::fold;

pub mod agency;
pub mod import;
pub mod template;
pub mod version;

/// A national procedure code such as `1.014199`, possibly with a local suffix (`1.014199.H05`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProcedureCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mã thủ tục không hợp lệ: {0:?} (dạng đúng: 1.014199)")]
pub struct InvalidProcedureCode(pub String);

impl ProcedureCode {
    pub fn parse(s: &str) -> Result<Self, InvalidProcedureCode> {
        let bad = || InvalidProcedureCode(s.to_owned());
        let mut parts = s.split('.');
        let head = parts.next().ok_or_else(bad)?;
        let body = parts.next().ok_or_else(bad)?;
        let suffix = parts.next();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let suffix_ok = suffix.is_none_or(|x| {
            (1..=8).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        });
        if digits(head, 1) && digits(body, 6) && suffix_ok && parts.next().is_none() {
            Ok(ProcedureCode(s.to_owned()))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(ProcedureCode, InvalidProcedureCode);

/// Online public-service class (Decree 42/2022). Older texts, and the 2019 report, say level 4
/// for `Full` and level 3 for `Partial`; both count towards the "level 3 and above" target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Toàn trình: submitted, processed and returned online.
    Full,
    /// Một phần: submitted online, some step in person.
    Partial,
    /// Forms online at most (level 2): submission in person or by post.
    Offline,
}

impl OnlineLevel {
    pub const ALL: [OnlineLevel; 3] = [OnlineLevel::Full, OnlineLevel::Partial, OnlineLevel::Offline];

    pub fn as_str(self) -> &'static str {
        match self {
            OnlineLevel::Full => "full",
            OnlineLevel::Partial => "partial",
            OnlineLevel::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        OnlineLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let (vi, en) = match self {
            OnlineLevel::Full => ("Dịch vụ công trực tuyến toàn trình", "Full online public service"),
            OnlineLevel::Partial => ("Dịch vụ công trực tuyến một phần", "Partly online public service"),
            OnlineLevel::Offline => ("Nộp trực tiếp hoặc qua bưu chính", "In person or by post"),
        };
        lang.pick(vi, en)
    }

    pub fn label_vi(self) -> &'static str {
        self.label(crate::i18n::Lang::Vi)
    }

    /// Whether a citizen can submit the dossier online (old level 3 and above).
    pub fn accepts_online_submission(self) -> bool {
        matches!(self, OnlineLevel::Full | OnlineLevel::Partial)
    }
}

/// 3-step (receive → appraise → return) or 4-step (… → approve → return) handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    ThreeStep,
    FourStep,
}

impl Flow {
    pub fn label_vi(self) -> &'static str {
        match self {
            Flow::ThreeStep => "3 bước: tiếp nhận → thẩm định → trả kết quả",
            Flow::FourStep => "4 bước: tiếp nhận → thẩm định → phê duyệt → trả kết quả",
        }
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match (self, lang) {
            (_, crate::i18n::Lang::Vi) => self.label_vi(),
            (Flow::ThreeStep, _) => "3 steps: receive → appraise → return the result",
            (Flow::FourStep, _) => "4 steps: receive → appraise → approve → return the result",
        }
    }
}

/// One document the applicant must provide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequiredDocument {
    pub name: String,
    /// `true`: original (bản chính); `false`: copy (bản sao); `None`: not stated.
    pub original: Option<bool>,
    pub count: Option<u8>,
    /// Path of a downloadable form template, when one is published.
    pub template: Option<String>,
    /// Whether a dossier cannot be accepted without it.
    #[serde(default = "yes")]
    pub mandatory: bool,
}

fn yes() -> bool {
    true
}

/// The time allotted to an internal-process step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Allotment {
    /// Working minutes (1 working day = 8 h = 480 min).
    Working { minutes: u32 },
    /// "12 ngày": days as the Civil Code counts them (calendar::periods).
    CalendarDays { days: u16 },
    /// "Không tính thời gian": the step does not count towards the deadline.
    NotCounted,
}

pub use crate::duration::MINUTES_PER_WORKING_DAY;

impl Allotment {
    /// Reads a published allotment: "0,5 ngày làm việc", "01 ngày làm việc", "2 giờ", "12 ngày"
    /// (plain days: calendar days), "Không tính thời gian". `None` when the text states no
    /// usable amount.
    pub fn parse_vi(text: &str) -> Option<Self> {
        let folded = fold(text.trim());
        if folded.starts_with("khong tinh thoi gian") {
            return Some(Allotment::NotCounted);
        }
        let (number, unit) = folded.split_once(' ')?;
        if unit == "ngay" {
            let days: u16 = number.parse().ok()?;
            return (days <= crate::calendar::periods::MAX_CALENDAR_DAYS).then_some(Allotment::CalendarDays { days });
        }
        let amount: f64 = number.replace(',', ".").parse().ok()?;
        let per_unit = if unit.starts_with("ngay lam viec") {
            MINUTES_PER_WORKING_DAY as f64
        } else if unit.starts_with("gio") {
            60.0
        } else {
            return None;
        };
        let minutes = amount * per_unit;
        (minutes >= 0.0 && minutes.fract() == 0.0).then_some(Allotment::Working { minutes: minutes as u32 })
    }

    /// The leg of a term this allotment makes, when it counts.
    pub fn leg(self) -> Option<Leg> {
        match self {
            Allotment::Working { minutes } => Some(Leg::Working { minutes: WorkingDuration::from_minutes(minutes) }),
            Allotment::CalendarDays { days } => Some(Leg::Calendar { days }),
            Allotment::NotCounted => None,
        }
    }
}

/// One step of a procedure's published internal process (quy trình nội bộ).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessStep {
    /// The case the step belongs to when a procedure publishes several ("a) Đối với …").
    pub case: Option<String>,
    pub order: u8,
    pub task: String,
    pub responsible: String,
    /// As published, e.g. "0,5 ngày làm việc".
    pub allotment_text: Option<String>,
    pub allotment: Option<Allotment>,
}

/// The whole record of a procedure, as the public procedure page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Key in URLs: the national code, or a local key where the source publishes none.
    pub id: String,
    pub code: Option<ProcedureCode>,
    pub name: String,
    pub field: String,
    pub field_name: String,
    pub agency: String,
    pub agency_name: String,
    /// The implementing body as the source decision words it.
    pub implementing_body: Option<String>,
    pub online: Option<OnlineLevel>,
    pub days_in_person: Option<u16>,
    pub days_online: Option<u16>,
    /// The statutory time when the province has shortened it (`days_*` then hold the shorter one).
    pub days_statutory: Option<u16>,
    /// The source states the time in calendar days ("ngày"), not working days.
    #[serde(default)]
    pub calendar_days: bool,
    pub fees: Option<String>,
    pub documents: Vec<RequiredDocument>,
    pub how_to_submit: Option<String>,
    pub result: Option<String>,
    pub applicants: Option<String>,
    pub conditions: Option<String>,
    pub legal_basis: Option<String>,
    pub flow: Option<Flow>,
    pub delegated: bool,
    pub decision: Option<String>,
    #[serde(with = "crate::date::iso_opt")]
    pub effective_date: Option<chrono::NaiveDate>,
    pub internal_process: Vec<ProcessStep>,
    pub source: String,
    pub note: Option<String>,
    /// An unofficial English name and summary that admins may add to a version (issue #16):
    /// the official text is the Vietnamese one, shown beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub english: Option<Translation>,
    /// Set only when served (`GET /api/procedures/{id}`, see `version::ProcedurePage`): the
    /// page's block on versions as HTML. Stored records leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions_html: Option<String>,
}

/// A version's name and summary in English, as a courtesy to foreign workers and employers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Translation {
    pub const MAX_NAME: usize = 500;
    pub const MAX_SUMMARY: usize = 2000;
}

impl Procedure {
    pub fn summary(&self) -> ProcedureSummary {
        ProcedureSummary {
            id: self.id.clone(),
            code: self.code.clone(),
            name: self.name.clone(),
            field: self.field.clone(),
            field_name: self.field_name.clone(),
            agency: self.agency.clone(),
            agency_name: self.agency_name.clone(),
            online: self.online,
            days_in_person: self.days_in_person,
            calendar_days: self.calendar_days,
            delegated: self.delegated,
            name_en: self.english.as_ref().map(|e| e.name.clone()),
        }
    }

    /// The time a dossier is given (`online`: submitted online), when the procedure publishes
    /// one. An internal process with a step in days (merit procedures: the commune's working
    /// days, then the department's days) is the term, step after step; otherwise the published
    /// days in their unit.
    pub fn term(&self, online: bool) -> Option<Term> {
        if let Some(steps) = self.process_term() {
            return Some(steps);
        }
        let days = if online { self.days_online } else { self.days_in_person }?;
        let leg = if self.calendar_days { Leg::Calendar { days } } else { Leg::working_days(days) };
        Term::new(vec![leg]).ok()
    }

    /// The term an online submission is given, when the procedure takes one: online at level 3
    /// or above, with a published time.
    pub fn online_term(&self) -> Option<Term> {
        self.online.filter(|l| l.accepts_online_submission()).and_then(|_| self.term(true))
    }

    /// The steps of the first case of the internal process as a term, when one is in days and
    /// every step states its time.
    fn process_term(&self) -> Option<Term> {
        let first_case = &self.internal_process.first()?.case;
        let steps: Vec<&ProcessStep> = self.internal_process.iter().filter(|s| &s.case == first_case).collect();
        if !steps.iter().any(|s| matches!(s.allotment, Some(Allotment::CalendarDays { .. }))) {
            return None;
        }
        let legs: Option<Vec<Option<Leg>>> = steps.iter().map(|s| s.allotment.map(Allotment::leg)).collect();
        Term::new(legs?.into_iter().flatten().collect()).ok()
    }

    /// The record's facts as the procedure page lists them, label and text (`None`: not
    /// published). The versions' diff compares the same texts, so a change reads as it shows.
    ///
    /// In English the labels and what core derives (levels, times, dates) are translated; the
    /// published texts (fees, conditions, legal basis…) stay as the decision writes them.
    pub fn facts(&self, lang: crate::i18n::Lang) -> Vec<(&'static str, Option<String>)> {
        let l = |vi, en| lang.pick(vi, en);
        vec![
            (l("Mã thủ tục", "Procedure code"), self.code.as_ref().map(|c| c.as_str().to_owned())),
            (l("Lĩnh vực", "Field"), Some(self.field_name.clone())),
            (l("Cơ quan giải quyết", "Deciding agency"), Some(self.agency_name.clone())),
            (l("Cơ quan thực hiện nêu trong quyết định công bố", "Implementing body in the publishing decision"), self.implementing_body.clone()),
            (l("Mức độ dịch vụ công trực tuyến", "Online service level"), self.online.map(|o| o.label(lang).to_owned())),
            (l("Thời hạn giải quyết (nộp trực tiếp)", "Processing time (in person)"), self.term(false).map(|t| t.text(lang))),
            (l("Thời hạn giải quyết (nộp trực tuyến)", "Processing time (online)"), self.online_term().map(|t| t.text(lang))),
            (l("Thời hạn theo quy định", "Statutory time"), self.shortened().then(|| days_text(self.days_statutory, self.calendar_days, lang)).flatten()),
            (l("Phí, lệ phí", "Fees and charges"), self.fees.clone()),
            (l("Cách thức thực hiện (theo quyết định công bố)", "How to apply (as published)"), self.how_to_submit.clone()),
            (l("Kết quả thực hiện", "Result"), self.result.clone()),
            (l("Đối tượng thực hiện", "Who applies"), self.applicants.clone()),
            (l("Yêu cầu, điều kiện", "Requirements and conditions"), self.conditions.clone()),
            (l("Căn cứ pháp lý", "Legal basis"), self.legal_basis.clone()),
            (l("Quy trình giải quyết", "Handling flow"), self.flow.map(|f| f.label(lang).to_owned())),
            (l("Ủy quyền phê duyệt", "Approval delegated"), Some(if self.delegated { l("Có", "Yes") } else { l("Không", "No") }.to_owned())),
            (l("Quyết định công bố", "Publishing decision"), self.decision.clone()),
            (l("Ngày có hiệu lực", "In force from"), self.effective_date.map(|d| crate::date::date_text(d, lang))),
            (l("Ghi chú về nguồn", "Note on the source"), self.note.clone()),
        ]
    }

    /// Whether the province publishes a time shorter than the statutory one.
    pub fn shortened(&self) -> bool {
        match (self.days_statutory, self.days_in_person) {
            (Some(statutory), Some(days)) => days < statutory,
            _ => false,
        }
    }

    /// The folded text the search index holds, column by column: name, code, everything else.
    pub fn search_columns(&self) -> [String; 3] {
        let rest = [
            Some(self.field_name.as_str()),
            Some(self.agency_name.as_str()),
            self.result.as_deref(),
            self.applicants.as_deref(),
        ];
        [
            fold(&self.name),
            self.code.as_ref().map(|c| fold(c.as_str())).unwrap_or_default(),
            fold(&rest.into_iter().flatten().collect::<Vec<_>>().join(" ")),
        ]
    }
}

/// A search hit: enough to list and filter without loading the whole record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureSummary {
    pub id: String,
    pub code: Option<ProcedureCode>,
    pub name: String,
    pub field: String,
    pub field_name: String,
    pub agency: String,
    pub agency_name: String,
    pub online: Option<OnlineLevel>,
    pub days_in_person: Option<u16>,
    #[serde(default)]
    pub calendar_days: bool,
    pub delegated: bool,
    /// The version's unofficial English name, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub id: String,
    pub name: String,
    pub procedures: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub procedures: u32,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub items: Vec<ProcedureSummary>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

impl SearchPage {
    pub fn pages(&self) -> u32 {
        self.total.div_ceil(self.per_page.max(1))
    }
}

/// A processing time as the page shows it: "10 ngày làm việc", or "25 ngày" where the source
/// counts calendar days.
pub fn days_text(days: Option<u16>, calendar_days: bool, lang: crate::i18n::Lang) -> Option<String> {
    use crate::i18n::Lang;
    days.map(|d| match (lang, calendar_days, d) {
        (Lang::Vi, true, _) => format!("{d} ngày"),
        (Lang::Vi, false, _) => format!("{d} ngày làm việc"),
        (Lang::En, true, 1) => "1 day".to_owned(),
        (Lang::En, true, _) => format!("{d} days"),
        (Lang::En, false, 1) => "1 working day".to_owned(),
        (Lang::En, false, _) => format!("{d} working days"),
    })
}

/// The URL-safe id of a field (lĩnh vực) from its name: "Người có công" → "nguoi-co-cong".
/// Whether `id` can name a procedure: a published code ("1.014199") or the local key of one the
/// source publishes without a code ("khong-ma-1"). Filters and links take only such ids.
pub fn procedure_id_ok(id: &str) -> bool {
    (1..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

pub fn field_id(name: &str) -> String {
    fold(name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procedure_ids_are_published_codes_or_local_keys() {
        for ok in ["1.014199", "2.001955", "khong-ma-1"] {
            assert!(procedure_id_ok(ok), "{ok}");
        }
        for bad in ["", "1 OR 1", "a/b", "thủ-tục", &"x".repeat(41)] {
            assert!(!procedure_id_ok(bad), "{bad}");
        }
    }

    #[test]
    fn procedure_codes() {
        for ok in ["1.014199", "2.000027", "1.014199.H05", "3.000527"] {
            assert_eq!(ProcedureCode::parse(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "1", "1.01419", "1.0141999", "a.014199", "1.014199.", "1.014199.h05", "1.014199.H05.X", "11.014199"] {
            assert!(ProcedureCode::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn code_roundtrips_through_json_and_refuses_bad() {
        let c: ProcedureCode = serde_json::from_str("\"1.014199\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"1.014199\"");
        assert!(serde_json::from_str::<ProcedureCode>("\"x\"").is_err());
    }

    #[test]
    fn allotments_as_published() {
        use Allotment::*;
        let w = |minutes| Some(Working { minutes });
        assert_eq!(Allotment::parse_vi("0,5 ngày làm việc"), w(240));
        assert_eq!(Allotment::parse_vi("0,25 ngày làm việc"), w(120));
        assert_eq!(Allotment::parse_vi("01 ngày làm việc"), w(480));
        assert_eq!(Allotment::parse_vi("14 ngày làm việc"), w(6720));
        assert_eq!(Allotment::parse_vi("0,5 giờ"), w(30));
        assert_eq!(Allotment::parse_vi("2 giờ"), w(120));
        assert_eq!(Allotment::parse_vi("12 ngày"), Some(CalendarDays { days: 12 }));
        assert_eq!(Allotment::parse_vi("0,5 ngày"), None, "days are whole");
        assert_eq!(Allotment::parse_vi("5 ngày lam"), None);
        assert_eq!(Allotment::parse_vi("Không tính thời gian"), Some(NotCounted));
        assert_eq!(Allotment::parse_vi(""), None);
        assert_eq!(Allotment::parse_vi("Cơ sở trợ giúp xã hội có trách nhiệm tiếp nhận ngay"), None);
    }

    #[test]
    fn allotments_read_as_stored_before_days_existed() {
        let old: Vec<Allotment> = serde_json::from_str(r#"[{"kind":"working","minutes":240},{"kind":"not_counted"}]"#).unwrap();
        assert_eq!(old, vec![Allotment::Working { minutes: 240 }, Allotment::NotCounted]);
        let days = serde_json::to_string(&Allotment::CalendarDays { days: 12 }).unwrap();
        assert_eq!(days, r#"{"kind":"calendar_days","days":12}"#);
    }

    fn shipped(id: &str) -> Procedure {
        #[derive(serde::Deserialize)]
        struct File {
            procedures: Vec<Procedure>,
        }
        let file: File = serde_json::from_str(include_str!("../../data/catalogue.json")).unwrap();
        file.procedures.into_iter().find(|p| p.id == id).unwrap()
    }

    #[test]
    fn a_term_from_days_or_from_steps_in_days() {
        use crate::calendar::{Leg, Term};
        let mut p = shipped("1.014199");
        assert_eq!(p.online_term(), Some(Term::working_days(10)));
        p.calendar_days = true;
        assert_eq!(p.online_term(), Some(Term::single(Leg::Calendar { days: 10 })));
        assert_eq!(p.facts(crate::i18n::Lang::Vi).iter().find(|f| f.0 == "Thời hạn giải quyết (nộp trực tiếp)").unwrap().1.as_deref(), Some("10 ngày"));
        // The commune's working days, then the department's days: the steps are the term.
        p.days_in_person = None;
        p.days_online = None;
        p.internal_process = vec![
            import::process_step("", 1, "Xác nhận bản khai", "Ủy ban nhân dân cấp xã", "05 ngày làm việc"),
            import::process_step("", 2, "Ban hành quyết định", "Sở Nội vụ", "12 ngày"),
        ];
        let term = Term::new(vec![Leg::working_days(5), Leg::Calendar { days: 12 }]).unwrap();
        assert_eq!(p.online_term(), Some(term.clone()));
        assert_eq!(p.term(false), Some(term));
        // A step without a time: no term; offline: no online term.
        p.internal_process[0].allotment = None;
        assert_eq!(p.term(true), None);
        p.internal_process[0].allotment = Some(Allotment::Working { minutes: 2400 });
        p.online = Some(OnlineLevel::Offline);
        assert_eq!(p.online_term(), None);
        assert!(p.term(false).is_some());
    }

    #[test]
    fn field_ids_are_url_safe() {
        assert_eq!(field_id("Người có công"), "nguoi-co-cong");
        assert_eq!(field_id("Lao động - Tiền lương - BHXH"), "lao-dong-tien-luong-bhxh");
        assert_eq!(field_id("Phòng, chống tệ nạn xã hội"), "phong-chong-te-nan-xa-hoi");
    }

    #[test]
    fn level_names_roundtrip() {
        for l in OnlineLevel::ALL {
            assert_eq!(OnlineLevel::parse(l.as_str()), Some(l));
        }
        assert_eq!(OnlineLevel::parse("4"), None);
    }
}
