//! Dossier identity: the national code pattern, agency code + received date + daily sequence.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DossierCodeError {
    #[error("Mã hồ sơ không hợp lệ (dạng đúng: SNV-261127-0001).")]
    Malformed,
    #[error("Số thứ tự hồ sơ trong ngày phải từ 1 đến 9999.")]
    Sequence,
}

/// `<agency>-<yymmdd>-<nnnn>`, e.g. `SNV-261127-0001`: unique because the sequence is per agency
/// and day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode(String);

fn agency_ok(a: &str) -> bool {
    (2..=10).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

impl DossierCode {
    pub fn new(agency: &str, received: NaiveDate, sequence: u32) -> Result<Self, DossierCodeError> {
        if !agency_ok(agency) || !(2000..=2099).contains(&received.year()) {
            return Err(DossierCodeError::Malformed);
        }
        if !(1..=9999).contains(&sequence) {
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
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !agency_ok(agency) || !digits(date, 6) || !digits(seq, 4) {
            return Err(DossierCodeError::Malformed);
        }
        let n = |r: std::ops::Range<usize>| date[r].parse::<u32>().unwrap_or(0);
        let received = NaiveDate::from_ymd_opt(2000 + n(0..2) as i32, n(2..4), n(4..6)).ok_or(DossierCodeError::Malformed)?;
        DossierCode::new(agency, received, seq.parse().map_err(|_| DossierCodeError::Malformed)?)
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

impl TryFrom<String> for DossierCode {
    type Error = DossierCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DossierCode::parse(&s)
    }
}

impl From<DossierCode> for String {
    fn from(c: DossierCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(DossierCode::new("SNV", d(2026, 11, 27), 10_000), Err(DossierCodeError::Sequence));
        for bad in ["", "SNV-261127", "SNV-261127-001", "SNV-261327-0001", "S-261127-0001", "SNV-261127-0001-2", "SN V-261127-0001", "SNV-260230-0001"] {
            assert_eq!(DossierCode::parse(bad), Err(DossierCodeError::Malformed), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn roundtrip(days in 0i64..36_000, seq in 1u32..=9999, agency in "[A-Z][A-Z0-9]{1,9}") {
            let date = d(2000, 1, 1) + chrono::Duration::days(days % 36_500);
            let c = DossierCode::new(&agency, date, seq).unwrap();
            prop_assert_eq!(DossierCode::parse(c.as_str()).unwrap(), c.clone());
            prop_assert_eq!(c.received_on(), date);
            prop_assert_eq!(c.sequence(), seq);
        }
    }
}
