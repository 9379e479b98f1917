//! The catalogue search request: one parser for the worker (authoritative) and the app
//! (which keeps the same filters in its URL, so a shared link shows the same results).

use crate::catalogue::OnlineLevel;
use crate::error::{ErrorBody, ErrorCode};
use crate::text::{FtsQuery, MAX_QUERY_CHARS};

pub const PER_PAGE: u32 = 20;
/// Beyond this no real user pages; it also bounds OFFSET work.
pub const MAX_PAGE: u32 = 500;

/// The `level` filter: one class, or "online" (level 3 and above: full or partial).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelFilter {
    Is(OnlineLevel),
    Online,
}

impl LevelFilter {
    pub fn parse(s: &str) -> Option<Self> {
        if s == "online" {
            Some(LevelFilter::Online)
        } else {
            OnlineLevel::parse(s).map(LevelFilter::Is)
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LevelFilter::Online => "online",
            LevelFilter::Is(l) => l.as_str(),
        }
    }

    /// The stored level values this filter admits.
    pub fn levels(self) -> &'static [OnlineLevel] {
        match self {
            LevelFilter::Online => &[OnlineLevel::Full, OnlineLevel::Partial],
            LevelFilter::Is(OnlineLevel::Full) => &[OnlineLevel::Full],
            LevelFilter::Is(OnlineLevel::Partial) => &[OnlineLevel::Partial],
            LevelFilter::Is(OnlineLevel::Offline) => &[OnlineLevel::Offline],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureQuery {
    /// The text as typed (kept for the search box); `fts()` gives the index query.
    pub text: String,
    pub field: Option<String>,
    pub agency: Option<String>,
    pub level: Option<LevelFilter>,
    pub delegated: Option<bool>,
    pub page: u32,
}

impl Default for ProcedureQuery {
    /// Everything, first page.
    fn default() -> Self {
        ProcedureQuery { text: String::new(), field: None, agency: None, level: None, delegated: None, page: 1 }
    }
}

fn invalid(message: String) -> ErrorBody {
    ErrorBody::new(ErrorCode::InvalidQuery, message)
}

// Field ids and agency codes are short slugs; anything else cannot match and is a client error.
fn slug(name: &str, value: &str) -> Result<Option<String>, ErrorBody> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(Some(value.to_owned()))
    } else {
        Err(invalid(format!("Giá trị của tham số \"{name}\" không hợp lệ.")))
    }
}

impl ProcedureQuery {
    /// Parses URL query pairs. Unknown parameters are ignored (links may carry tracking tags);
    /// known ones with bad values, empty ones included, are refused with a message naming the
    /// parameter (an absent filter is written by leaving it out; `to_pairs` does).
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, ErrorBody> {
        let mut q = ProcedureQuery::default();
        for (key, value) in pairs {
            match key {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(invalid(format!(
                            "Từ khóa tìm kiếm quá dài (tối đa {MAX_QUERY_CHARS} ký tự)."
                        )));
                    }
                    q.text = value.trim().to_owned();
                }
                "field" => q.field = slug(key, value)?,
                "agency" => q.agency = slug(key, value)?,
                "level" => {
                    q.level = Some(LevelFilter::parse(value).ok_or_else(|| {
                        invalid("Mức độ dịch vụ phải là full, partial, offline hoặc online.".into())
                    })?)
                }
                "delegated" => {
                    q.delegated = match value {
                        "true" => Some(true),
                        "false" => Some(false),
                        _ => return Err(invalid("Tham số \"delegated\" phải là true hoặc false.".into())),
                    }
                }
                "page" => {
                    q.page = value
                        .parse::<u32>()
                        .ok()
                        .filter(|p| (1..=MAX_PAGE).contains(p))
                        .ok_or_else(|| invalid(format!("Số trang phải là số nguyên từ 1 đến {MAX_PAGE}.")))?
                }
                _ => {}
            }
        }
        Ok(q)
    }

    /// For the app's own URLs: keeps every valid parameter and reports the invalid ones
    /// instead of refusing the whole query, so a bad filter never wipes the search text.
    pub fn parse_lenient<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Self, Vec<ErrorBody>) {
        let mut query = ProcedureQuery::default();
        let mut errors = Vec::new();
        for (key, value) in pairs {
            match ProcedureQuery::parse([(key, value)]) {
                Ok(one) => match key {
                    "q" => query.text = one.text,
                    "field" => query.field = one.field,
                    "agency" => query.agency = one.agency,
                    "level" => query.level = one.level,
                    "delegated" => query.delegated = one.delegated,
                    "page" => query.page = one.page,
                    _ => {}
                },
                Err(e) => errors.push(e),
            }
        }
        (query, errors)
    }

    pub fn fts(&self) -> Option<FtsQuery> {
        FtsQuery::parse(&self.text)
    }

    pub fn offset(&self) -> u32 {
        (self.page - 1) * PER_PAGE
    }

    /// The query-string pairs that reproduce this query (defaults left out).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        if let Some(f) = &self.field {
            pairs.push(("field", f.clone()));
        }
        if let Some(a) = &self.agency {
            pairs.push(("agency", a.clone()));
        }
        if let Some(l) = self.level {
            pairs.push(("level", l.as_str().to_owned()));
        }
        if let Some(d) = self.delegated {
            pairs.push(("delegated", d.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }
}

/// The parameters of `GET /api/calendar/due`: `days` (working days, "10" or "0,5") and an
/// optional `from` (local time `YYYY-MM-DDTHH:MM[:SS]`; absent means now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueQuery {
    pub from: Option<chrono::NaiveDateTime>,
    /// `days` in `unit` (working by default; `calendar`: whole days as the Civil Code counts).
    pub leg: crate::calendar::Leg,
}

impl DueQuery {
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, ErrorBody> {
        use crate::calendar::{Leg, TimeUnit};
        use chrono::Datelike;
        let mut from = None;
        let mut days = None;
        let mut unit = TimeUnit::Working;
        for (key, value) in pairs {
            match key {
                "from" => {
                    let t = crate::date::parse_iso_datetime(value).ok_or_else(|| {
                        invalid("Thời điểm \"from\" phải có dạng YYYY-MM-DDTHH:MM, giờ Việt Nam.".into())
                    })?;
                    // Leave room for a year of working days within the verified calendar.
                    if !(1900..=2099).contains(&t.year()) {
                        return Err(invalid("Thời điểm \"from\" phải trong khoảng năm 1900–2099.".into()));
                    }
                    from = Some(t);
                }
                "days" => days = Some(value),
                "unit" => {
                    unit = TimeUnit::parse(value).ok_or_else(|| invalid("Tham số \"unit\" phải là working hoặc calendar.".into()))?
                }
                _ => {}
            }
        }
        let days = days.ok_or_else(|| invalid("Thiếu tham số \"days\" (số ngày).".into()))?;
        // One grammar for both units; days in calendar time are whole (a fraction is well
        // formed but means nothing there: `validation`, which the worker answers 422).
        let minutes = crate::duration::WorkingDuration::parse_days(days).map_err(|e| invalid(e.to_string()))?;
        let leg = match unit {
            TimeUnit::Working => Leg::Working { minutes },
            TimeUnit::Calendar if minutes.minutes() % crate::duration::MINUTES_PER_WORKING_DAY == 0 => {
                Leg::Calendar { days: (minutes.minutes() / crate::duration::MINUTES_PER_WORKING_DAY) as u16 }
            }
            TimeUnit::Calendar => {
                return Err(ErrorBody::new(crate::ErrorCode::Validation, "Thời hạn tính theo ngày phải là số ngày nguyên (ví dụ 12)."))
            }
        };
        Ok(DueQuery { from, leg })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<ProcedureQuery, ErrorBody> {
        ProcedureQuery::parse(pairs.iter().copied())
    }

    #[test]
    fn defaults() {
        let q = parse(&[]).unwrap();
        assert_eq!(q.page, 1);
        assert_eq!(q.fts(), None);
        assert_eq!(q.offset(), 0);
    }

    #[test]
    fn good_values() {
        let q = parse(&[("q", " giấy phép "), ("field", "viec-lam"), ("level", "online"), ("delegated", "true"), ("page", "3"), ("utm", "x")]).unwrap();
        assert_eq!(q.text, "giấy phép");
        assert_eq!(q.field.as_deref(), Some("viec-lam"));
        assert_eq!(q.level, Some(LevelFilter::Online));
        assert_eq!(q.delegated, Some(true));
        assert_eq!(q.offset(), 2 * PER_PAGE);
    }

    #[test]
    fn bad_values_are_refused_with_the_parameter_named() {
        for (k, v) in [("page", "0"), ("page", "-1"), ("page", "abc"), ("page", "501"), ("level", "5"), ("delegated", "yes"), ("field", "a b"), ("agency", "x'--"), ("field", ""), ("level", ""), ("delegated", "")] {
            let err = parse(&[(k, v)]).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidQuery, "{k}={v}");
        }
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(parse(&[("q", &long)]).is_err());
    }

    #[test]
    fn due_queries() {
        use crate::calendar::Leg;
        let q = DueQuery::parse([("days", "10"), ("from", "2026-12-01T08:00")]).unwrap();
        assert_eq!(q.leg, Leg::working_days(10));
        assert_eq!(DueQuery::parse([("days", "12"), ("unit", "calendar")]).unwrap().leg, Leg::Calendar { days: 12 });
        assert_eq!(DueQuery::parse([("unit", "working"), ("days", "0,5")]).unwrap().leg, Leg::Working { minutes: crate::duration::WorkingDuration::from_minutes(240) });
        assert_eq!(DueQuery::parse([("days", "05"), ("unit", "calendar")]).unwrap().leg, Leg::Calendar { days: 5 });
        for bad in [[("days", "366"), ("unit", "calendar")], [("days", "012"), ("unit", "calendar")], [("days", "12"), ("unit", "days")]] {
            assert_eq!(DueQuery::parse(bad).unwrap_err().code, ErrorCode::InvalidQuery, "{bad:?}");
        }
        assert_eq!(DueQuery::parse([("days", "360,5"), ("unit", "calendar")]).unwrap_err().code, ErrorCode::Validation);
        assert_eq!(q.from.map(crate::date::to_iso_datetime).as_deref(), Some("2026-12-01T08:00:00"));
        assert_eq!(DueQuery::parse([("days", "0,5")]).unwrap().from, None);
        for bad in [vec![], vec![("days", "x")], vec![("days", "400")], vec![("days", "1"), ("from", "2026-12-01")], vec![("days", "1"), ("from", "2100-01-01T08:00")]] {
            assert_eq!(DueQuery::parse(bad.clone()).unwrap_err().code, ErrorCode::InvalidQuery, "{bad:?}");
        }
    }

    #[test]
    fn lenient_parse_keeps_what_is_valid() {
        let (q, errors) = ProcedureQuery::parse_lenient([("q", "trợ cấp"), ("level", "xyz"), ("page", "abc"), ("field", "viec-lam")]);
        assert_eq!(q.text, "trợ cấp");
        assert_eq!(q.field.as_deref(), Some("viec-lam"));
        assert_eq!((q.level, q.page), (None, 1));
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn pairs_roundtrip() {
        let q = parse(&[("q", "lao động"), ("agency", "SNV"), ("level", "full"), ("delegated", "false"), ("page", "2")]).unwrap();
        let pairs = q.to_pairs();
        let back = ProcedureQuery::parse(pairs.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(back, q);
    }
}
