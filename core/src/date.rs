//! Dates on the wire: `YYYY-MM-DD`, read and written here with plain integer code.
//!
//! chrono's own serde goes through its general format parser, which costs the app about 6 KB
//! brotli of first load; every date field uses `#[serde(with = "crate::date::iso")]` instead.

use chrono::{Datelike, NaiveDate};

/// Parses exactly `YYYY-MM-DD`.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

pub fn to_iso(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// "27/11/2025", as Vietnamese documents write dates.
pub fn to_vi(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// `#[serde(with = "crate::date::iso_opt")]` for `Option<NaiveDate>`.
pub mod iso_opt {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&super::to_iso(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(s) => super::parse_iso(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a YYYY-MM-DD date: {s:?}"))),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_roundtrip_and_refusals() {
        let d = NaiveDate::from_ymd_opt(2025, 11, 27).unwrap();
        assert_eq!(to_iso(d), "2025-11-27");
        assert_eq!(parse_iso("2025-11-27"), Some(d));
        assert_eq!(to_vi(d), "27/11/2025");
        for bad in ["2025-2-27", "2025-02-30", "2025/02/27", "20250227xx", "+025-02-27", ""] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_chrono(days in 0i32..80_000) {
            let d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days as i64);
            proptest::prop_assert_eq!(to_iso(d), d.to_string());
            proptest::prop_assert_eq!(parse_iso(&d.to_string()), Some(d));
        }
    }
}
