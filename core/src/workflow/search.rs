//! Finding a dossier at the desk: the keys each dossier stores, the filters of the staff's list,
//! and what an officer types turned into index ranges.
//!
//! An officer types a code, a CCCD, a phone number or part of a name, with or without tone marks
//! ("nguyen van an", "Văn An"). Each dossier stores a handful of keys: its code, its CCCD, its
//! phone and every word-suffix of the folded name ("nguyen van an", "van an", "an"), each tagged
//! with its kind. Whatever is typed becomes at most two prefix ranges over those keys, so a
//! search is one range of one index however many dossiers the agency holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::applicant::{Cccd, PhoneNumber};
use super::Phase;
use crate::dossier::{DossierCode, DossierStatus};
use crate::accounts::Role;
use crate::text::fold;

use super::views::QueueItem;
use super::{phase_as_str, phase_parse};

/// Lines on one page of a list.
pub const PER_PAGE: u32 = 20;

/// How many matches a list counts: beyond it the officer is told to narrow the search, so no
/// request ever walks more than this many index entries.
pub const MATCH_CAP: u32 = 1000;

/// Words of a name that get their own key: a name longer than this is found by its first words.
const NAME_WORDS: usize = 8;

/// Above every character: `prefix + END` bounds every key that starts with `prefix`.
const END: char = '\u{10FFFF}';

/// The search keys of a dossier, from its code, the applicant's name and answers.
pub fn keys(code: &DossierCode, applicant_name: &str, answers: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = vec![format!("k:{}", code.as_str().to_ascii_lowercase())];
    let name = fold(applicant_name);
    let words: Vec<&str> = name.split_whitespace().take(NAME_WORDS).collect();
    for i in 0..words.len() {
        out.push(format!("n:{}", words[i..].join(" ")));
    }
    if let Some(c) = answers.get("cccd").and_then(|c| Cccd::parse(c).ok()) {
        out.push(format!("c:{}", c.as_str()));
    }
    if let Some(p) = answers.get("phone").and_then(|p| PhoneNumber::parse(p).ok()) {
        out.push(format!("p:{}", p.as_str()));
    }
    out.sort();
    out.dedup();
    out
}

/// What was typed, as key ranges `[from, to)`: one or two of them.
pub fn ranges(typed: &str) -> Vec<(String, String)> {
    let folded = fold(typed.trim());
    let words: Vec<&str> = folded.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    let range = |prefix: String| {
        let to = format!("{prefix}{END}");
        (prefix, to)
    };
    if let Ok(code) = DossierCode::parse(typed) {
        return vec![range(format!("k:{}", code.as_str().to_ascii_lowercase()))];
    }
    let compact: String = words.concat();
    let digits = compact.trim_start_matches('+');
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') {
        let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
        // A phone typed the international way is stored the national way.
        let national = match digits.strip_prefix("84") {
            Some(rest) if compact.starts_with('+') || digits.len() == 11 => format!("0{rest}"),
            _ => digits.clone(),
        };
        return vec![range(format!("c:{digits}")), range(format!("p:{national}"))];
    }
    vec![range(format!("n:{}", words.join(" "))), range(format!("k:{compact}"))]
}

/// The filters of `GET /api/staff/dossiers`, parsed once here for the worker and written back
/// as a query string by the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierFilter {
    /// What the officer typed (code, CCCD, phone or name).
    pub q: String,
    pub status: Option<DossierStatus>,
    pub procedure: Option<String>,
    pub phase: Option<Phase>,
    /// The dossiers waiting at one desk.
    pub queue: Option<Role>,
    /// Only those past their step's due instant.
    pub overdue: bool,
    /// From 1.
    pub page: u32,
}

/// The last page a list whose count is exact (a queue, the register) may be asked for: far
/// beyond any real one, low enough that its offset cannot overflow.
pub const LAST_LISTED_PAGE: u32 = 100_000;

/// A `page` parameter: a number from 1 to `last`, written plainly.
pub fn page_number(v: &str, last: u32) -> Result<u32, BadParameter> {
    v.parse().ok().filter(|p| (1..=last).contains(p) && !v.starts_with('+')).ok_or(BadParameter("page"))
}

/// A query parameter that cannot be read: its name, for the error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParameter(pub &'static str);

impl DossierFilter {
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, BadParameter> {
        let mut f = DossierFilter { page: 1, ..Default::default() };
        // Values are taken as sent: an empty or padded filter is refused, not read as "all"
        // (the app never sends one; the OpenAPI schema says so).
        for (k, v) in pairs {
            match k {
                "q" if v.chars().count() <= 100 => f.q = v.trim().to_owned(),
                "q" => return Err(BadParameter("q")),
                "status" => f.status = Some(v.parse().ok().and_then(DossierStatus::from_code).ok_or(BadParameter("status"))?),
                "procedure" if crate::catalogue::procedure_id_ok(v) => f.procedure = Some(v.to_owned()),
                "procedure" => return Err(BadParameter("procedure")),
                "phase" => f.phase = Some(phase_parse(v).ok_or(BadParameter("phase"))?),
                "queue" => f.queue = Some(Role::parse(v).filter(|r| r.has_queue()).ok_or(BadParameter("queue"))?),
                "overdue" => {
                    f.overdue = match v {
                        "1" | "true" => true,
                        "0" | "false" => false,
                        _ => return Err(BadParameter("overdue")),
                    }
                }
                "page" => f.page = page_number(v, MATCH_CAP / PER_PAGE)?,
                _ => {}
            }
        }
        Ok(f)
    }

    /// The query string that `parse` reads back (without `?`).
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.q.trim().is_empty() {
            out.push(("q", self.q.trim().to_owned()));
        }
        if let Some(s) = self.status {
            out.push(("status", s.code().to_string()));
        }
        if let Some(p) = &self.procedure {
            out.push(("procedure", p.clone()));
        }
        if let Some(p) = self.phase {
            out.push(("phase", phase_as_str(p).to_owned()));
        }
        if let Some(r) = self.queue {
            out.push(("queue", r.as_str().to_owned()));
        }
        if self.overdue {
            out.push(("overdue", "1".to_owned()));
        }
        if self.page > 1 {
            out.push(("page", self.page.to_string()));
        }
        out
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u32 {
        (self.page.max(1) - 1) * PER_PAGE
    }
}

/// `GET /api/staff/dossiers`: one page of the matching dossiers of the account's agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierPage {
    pub items: Vec<QueueItem>,
    /// How many match; when `more`, at least this many (the count stops at `MATCH_CAP`).
    pub total: u32,
    pub more: bool,
    pub page: u32,
    pub per_page: u32,
}

impl DossierPage {
    /// The number of pages to offer: never beyond what the count reached.
    pub fn pages(&self) -> u32 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> DossierCode {
        DossierCode::parse("SNV-261129-0007").unwrap()
    }

    fn answers(cccd: &str, phone: &str) -> BTreeMap<String, String> {
        [("cccd", cccd), ("phone", phone)].into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
    }

    fn found(keys: &[String], typed: &str) -> bool {
        ranges(typed).iter().any(|(from, to)| keys.iter().any(|k| k >= from && k < to))
    }

    #[test]
    fn a_name_is_found_by_any_of_its_words_without_tone_marks() {
        let keys = keys(&code(), "Nguyễn Văn Đức", &BTreeMap::new());
        for typed in ["nguyen van duc", "Văn Đức", "duc", "NGUYEN", "van d", "  nguyễn   văn "] {
            assert!(found(&keys, typed), "{typed}");
        }
        for typed in ["van an", "nguyen duc", "tran"] {
            assert!(!found(&keys, typed), "{typed}");
        }
    }

    #[test]
    fn cccd_phone_and_code_are_found_however_typed() {
        let keys = keys(&code(), "A", &answers("022195012345", "0912 345 678"));
        for typed in ["022195012345", "0221950", "0912345678", "0912.345.678", "+84 912 345 678", "84912345678", "snv-261129-0007", "SNV-2611"] {
            assert!(found(&keys, typed), "{typed}");
        }
        for typed in ["022195012346", "0987", "SNV-261129-0008"] {
            assert!(!found(&keys, typed), "{typed}");
        }
    }

    #[test]
    fn invalid_personal_data_makes_no_key_and_names_are_bounded() {
        assert_eq!(keys(&code(), "An", &answers("123", "12")), vec!["k:snv-261129-0007".to_owned(), "n:an".to_owned()]);
        let long = keys_of("một hai ba bốn năm sáu bảy tám chín mười");
        assert_eq!(long.iter().filter(|k| k.starts_with("n:")).count(), NAME_WORDS);
        assert!(ranges("   ").is_empty());
    }

    fn keys_of(name: &str) -> Vec<String> {
        keys(&code(), name, &BTreeMap::new())
    }

    #[test]
    fn filters_round_trip_through_the_query_string_and_refuse_nonsense() {
        let f = DossierFilter {
            q: "nguyen".into(),
            status: Some(DossierStatus::SupplementRequested),
            procedure: Some("1.001758".into()),
            phase: Some(Phase::Appraise),
            queue: Some(Role::Specialist),
            overdue: true,
            page: 3,
        };
        let q = f.to_query();
        assert_eq!(DossierFilter::parse(q.iter().map(|(k, v)| (*k, v.as_str()))), Ok(f));
        assert_eq!(DossierFilter::parse([]).map(|f| (f.page, f.offset())), Ok((1, 0)));
        assert_eq!(DossierFilter::parse([("page", "2")]).map(|f| f.offset()), Ok(PER_PAGE));
        // A procedure the source publishes without a code is filtered by its local key.
        assert_eq!(DossierFilter::parse([("procedure", "khong-ma-1")]).map(|f| f.procedure), Ok(Some("khong-ma-1".into())));
        for (k, v) in [("status", "11"), ("status", "x"), ("phase", "sleep"), ("queue", "admin"), ("page", "0"), ("page", "51"), ("overdue", "maybe"), ("procedure", "1 OR 1"), ("procedure", ""), ("status", ""), ("status", " 2"), ("page", "")] {
            assert!(DossierFilter::parse([(k, v)]).is_err(), "{k}={v}");
        }
        assert_eq!(DossierFilter::parse([("q", "x".repeat(101).as_str())]), Err(BadParameter("q")));
        assert_eq!(DossierFilter::parse([("q", "")]).map(|f| f.q), Ok(String::new()), "nothing typed: no search");
    }

    #[test]
    fn page_numbers_are_plain_and_bounded() {
        assert_eq!(page_number("1", 50), Ok(1));
        assert_eq!(page_number("50", 50), Ok(50));
        for bad in ["0", "51", "", " 2", "+2", "2.0", "-1", "99999999999"] {
            assert_eq!(page_number(bad, 50), Err(BadParameter("page")), "{bad:?}");
        }
        assert_eq!(page_number("100000", LAST_LISTED_PAGE), Ok(LAST_LISTED_PAGE));
    }

    #[test]
    fn pages_never_go_beyond_the_count() {
        let page = |total| DossierPage { items: vec![], total, more: false, page: 1, per_page: PER_PAGE }.pages();
        assert_eq!((page(0), page(20), page(21), page(1000)), (1, 1, 2, 50));
    }
}
