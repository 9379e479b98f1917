//! Dates on the wire: `YYYY-MM-DD`, read and written here with plain integer code.
//!
//! chrono's own serde goes through its general format parser, which costs the app about 6 KB
//! brotli of first load; every date field uses `#[serde(with = "crate::date::iso")]` instead.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

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

/// "2025-11": the month a date falls in, as the monthly counters and ratings are keyed.
pub fn to_iso_month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// "27/11/2025", as Vietnamese documents write dates.
pub fn to_vi(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// Parses a clock time `HH:MM`.
pub fn parse_clock(s: &str) -> Option<chrono::NaiveTime> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    chrono::NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// Parses exactly `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (local time, no offset).
pub fn parse_iso_datetime(s: &str) -> Option<NaiveDateTime> {
    let (date, time) = s.split_once('T')?;
    let date = parse_iso(date)?;
    let b = time.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let seconds = match b.len() {
        5 => 0,
        8 if b[5] == b':' => two(6)?,
        _ => return None,
    };
    if b[2] != b':' {
        return None;
    }
    date.and_hms_opt(two(0)?, two(3)?, seconds)
}

pub fn to_iso_datetime(t: NaiveDateTime) -> String {
    format!("{}T{:02}:{:02}:{:02}", to_iso(t.date()), t.hour(), t.minute(), t.second())
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// "10/12/2026" or "10 Dec 2026": a month named, not numbered, reads the same in every English.
pub fn date_text(d: NaiveDate, lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::Vi => to_vi(d),
        crate::i18n::Lang::En => format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year()),
    }
}

/// "17:00 ngày 10/12/2026" or "10 Dec 2026, 17:00".
pub fn datetime_text(t: NaiveDateTime, lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::Vi => to_vi_datetime(t),
        crate::i18n::Lang::En => format!("{}, {:02}:{:02}", date_text(t.date(), lang), t.hour(), t.minute()),
    }
}

/// "17:00 ngày 10/12/2026".
pub fn to_vi_datetime(t: NaiveDateTime) -> String {
    format!("{:02}:{:02} ngày {}", t.hour(), t.minute(), to_vi(t.date()))
}

macro_rules! serde_with {
    ($name:ident, $ty:ty, $to:path, $parse:path, $what:literal) => {
        pub mod $name {
            use serde::{Deserialize, Deserializer, Serializer};

            pub fn serialize<S: Serializer>(v: &$ty, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&$to(*v))
            }

            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                let s = String::deserialize(d)?;
                $parse(&s).ok_or_else(|| serde::de::Error::custom(format!(concat!("not a ", $what, ": {:?}"), s)))
            }
        }
    };
}

serde_with!(iso, chrono::NaiveDate, super::to_iso, super::parse_iso, "YYYY-MM-DD date");
serde_with!(iso_datetime, chrono::NaiveDateTime, super::to_iso_datetime, super::parse_iso_datetime, "YYYY-MM-DDTHH:MM:SS time");

/// `#[serde(with = "crate::date::iso_pair_opt")]` for an optional `[first, last]` span.
pub mod iso_pair_opt {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<(NaiveDate, NaiveDate)>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some((a, b)) => s.collect_seq([super::to_iso(*a), super::to_iso(*b)]),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<(NaiveDate, NaiveDate)>, D::Error> {
        let Some(pair) = Option::<[String; 2]>::deserialize(d)? else { return Ok(None) };
        let parse = |s: &str| super::parse_iso(s).ok_or_else(|| serde::de::Error::custom(format!("not a YYYY-MM-DD date: {s:?}")));
        let (a, b) = (parse(&pair[0])?, parse(&pair[1])?);
        if a > b {
            return Err(serde::de::Error::custom("a span must not end before it starts"));
        }
        Ok(Some((a, b)))
    }
}

macro_rules! serde_with_opt {
    ($name:ident, $ty:ty, $to:path, $parse:path, $what:literal) => {
        pub mod $name {
            use serde::{Deserialize, Deserializer, Serializer};

            pub fn serialize<S: Serializer>(v: &Option<$ty>, s: S) -> Result<S::Ok, S::Error> {
                match v {
                    Some(v) => s.serialize_str(&$to(*v)),
                    None => s.serialize_none(),
                }
            }

            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                match Option::<String>::deserialize(d)? {
                    Some(s) => $parse(&s)
                        .map(Some)
                        .ok_or_else(|| serde::de::Error::custom(format!(concat!("not a ", $what, ": {:?}"), s))),
                    None => Ok(None),
                }
            }
        }
    };
}

serde_with_opt!(iso_opt, chrono::NaiveDate, super::to_iso, super::parse_iso, "YYYY-MM-DD date");
serde_with_opt!(iso_datetime_opt, chrono::NaiveDateTime, super::to_iso_datetime, super::parse_iso_datetime, "YYYY-MM-DDTHH:MM:SS time");

#[cfg(test)]
mod tests {
    #[test]
    fn dates_and_times_are_written_as_each_language_writes_them() {
        use crate::i18n::Lang;
        let t = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap().and_hms_opt(17, 0, 0).unwrap();
        assert_eq!(datetime_text(t, Lang::Vi), "17:00 ngày 11/12/2026");
        assert_eq!(datetime_text(t, Lang::En), "11 Dec 2026, 17:00");
        assert_eq!(date_text(NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(), Lang::En), "5 Jan 2027");
    }

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

    #[test]
    fn datetimes() {
        let t = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap().and_hms_opt(17, 0, 0).unwrap();
        assert_eq!(to_iso_datetime(t), "2026-12-10T17:00:00");
        assert_eq!(parse_iso_datetime("2026-12-10T17:00:00"), Some(t));
        assert_eq!(parse_iso_datetime("2026-12-10T17:00"), Some(t));
        assert_eq!(to_vi_datetime(t), "17:00 ngày 10/12/2026");
        for bad in ["2026-12-10", "2026-12-10T25:00", "2026-12-10T17:0", "2026-12-10 17:00", "2026-12-10T17:00Z", "2026-12-10T17-00"] {
            assert_eq!(parse_iso_datetime(bad), None, "{bad}");
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
