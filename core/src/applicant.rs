//! The applicant's identity and contact details, each a type that cannot hold a bad value.
//!
//! The same parsers run in the app (instant, field-level messages) and in the worker
//! (authoritative): the messages are the Vietnamese ones a citizen sees.

use serde::{Deserialize, Serialize};

/// Province codes of the first three CCCD digits (place of birth registration), per the
/// Ministry of Public Security's list (Circular 07/2016/TT-BCA, kept by Circular 59/2021).
const PROVINCES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46,
    48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94,
    95, 96,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CccdError {
    #[error("Số CCCD phải gồm đúng 12 chữ số.")]
    Length,
    #[error("Ba số đầu của CCCD không phải mã tỉnh, thành phố hợp lệ.")]
    Province,
    #[error("Số CCCD không khớp với năm sinh đã khai.")]
    BirthYear,
}

impl CccdError {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        let en = match self {
            CccdError::Length => "The identity card number must be exactly 12 digits.",
            CccdError::Province => "The first three digits of the identity card number are not a province code.",
            CccdError::BirthYear => "The identity card number does not match the date of birth given.",
        };
        if lang == crate::i18n::Lang::En { en.to_owned() } else { self.to_string() }
    }
}

/// Căn cước công dân: 12 digits = province (3) + sex and century (1) + year of birth (2) +
/// a random part (6).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cccd(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Cccd {
    /// Spaces and dots people type between groups are ignored.
    pub fn parse(s: &str) -> Result<Self, CccdError> {
        let digits: String = s.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CccdError::Length);
        }
        let province: u16 = digits[..3].parse().map_err(|_| CccdError::Length)?;
        if !PROVINCES.contains(&province) {
            return Err(CccdError::Province);
        }
        Ok(Cccd(digits))
    }

    /// Parses and checks the sex/century digit and the two year digits against a birth year.
    pub fn parse_for_birth_year(s: &str, birth_year: i32) -> Result<Self, CccdError> {
        let c = Cccd::parse(s)?;
        if c.birth_year() == Some(birth_year) { Ok(c) } else { Err(CccdError::BirthYear) }
    }

    /// The year of birth encoded in digits 4–6 (century from the 4th digit: 0–1 → 1900s,
    /// 2–3 → 2000s, 4–5 → 2100s …).
    pub fn birth_year(&self) -> Option<i32> {
        let b = self.0.as_bytes();
        let century_digit = i32::from(b[3] - b'0');
        let yy: i32 = self.0[4..6].parse().ok()?;
        Some(1900 + (century_digit / 2) * 100 + yy)
    }

    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[3] - b'0') % 2 == 0 { Sex::Male } else { Sex::Female }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(Cccd, CccdError);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Số điện thoại di động không hợp lệ (ví dụ đúng: 0912 345 678 hoặc +84 912 345 678).")]
pub struct PhoneError;

impl PhoneError {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match lang {
            crate::i18n::Lang::Vi => self.to_string(),
            crate::i18n::Lang::En => "Enter a Vietnamese mobile number (for example 0912 345 678 or +84 912 345 678).".to_owned(),
        }
    }
}

/// A Vietnamese mobile number, stored as ten digits starting with 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

/// Mobile prefixes in use since the 2018 renumbering: Viettel, VinaPhone, MobiFone,
/// Vietnamobile, Gmobile, Itelecom and Reddi.
const MOBILE_PREFIXES: &[&str] = &[
    "032", "033", "034", "035", "036", "037", "038", "039", "052", "055", "056", "058", "059", "070", "076", "077",
    "078", "079", "081", "082", "083", "084", "085", "086", "087", "088", "089", "090", "091", "092", "093", "094",
    "096", "097", "098", "099",
];

impl PhoneNumber {
    /// Accepts "0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678".
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        let national = if let Some(rest) = compact.strip_prefix("+84") {
            format!("0{rest}")
        } else if compact.len() == 11 && compact.starts_with("84") {
            format!("0{}", &compact[2..])
        } else {
            compact
        };
        let ok = national.len() == 10
            && national.bytes().all(|b| b.is_ascii_digit())
            && MOBILE_PREFIXES.contains(&&national[..3]);
        if ok { Ok(PhoneNumber(national)) } else { Err(PhoneError) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(PhoneNumber, PhoneError);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cccd_structure() {
        // Quảng Ninh (022), female born in the 1990s (1), year 95.
        let c = Cccd::parse("022 195 012345").unwrap();
        assert_eq!(c.as_str(), "022195012345");
        assert_eq!(c.birth_year(), Some(1995));
        assert_eq!(c.sex(), Sex::Female);
        let c = Cccd::parse("001204123456").unwrap();
        assert_eq!((c.birth_year(), c.sex()), (Some(2004), Sex::Male));
        assert_eq!(Cccd::parse("02219501234"), Err(CccdError::Length));
        assert_eq!(Cccd::parse("0221950123456"), Err(CccdError::Length));
        assert_eq!(Cccd::parse("02219501234a"), Err(CccdError::Length));
        assert_eq!(Cccd::parse("003195012345"), Err(CccdError::Province)); // 003 is no province
        assert_eq!(Cccd::parse("099195012345"), Err(CccdError::Province));
        assert!(Cccd::parse_for_birth_year("022195012345", 1995).is_ok());
        assert_eq!(Cccd::parse_for_birth_year("022195012345", 2095), Err(CccdError::BirthYear));
        assert_eq!(Cccd::parse_for_birth_year("022295012345", 1995), Err(CccdError::BirthYear));
    }

    #[test]
    fn phone_formats() {
        for ok in ["0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", "0386-123-456"] {
            let p = PhoneNumber::parse(ok).unwrap_or_else(|_| panic!("{ok}"));
            assert_eq!(p.as_str().len(), 10);
            assert!(p.as_str().starts_with('0'));
        }
        assert_eq!(PhoneNumber::parse("+84 912 345 678").unwrap().as_str(), "0912345678");
        for bad in ["", "091234567", "09123456789", "0212345678", "0012345678", "09123x5678", "+1 912 345 678", "0951234567"] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn cccd_never_panics_and_keeps_twelve_digits(s in "\\PC{0,20}") {
            if let Ok(c) = Cccd::parse(&s) {
                prop_assert_eq!(c.as_str().len(), 12);
                prop_assert!(c.birth_year().is_some());
            }
        }

        #[test]
        fn phone_never_panics_and_normalises(s in "[0-9+ .-]{0,16}") {
            if let Ok(p) = PhoneNumber::parse(&s) {
                prop_assert_eq!(PhoneNumber::parse(p.as_str()).unwrap(), p.clone());
            }
        }
    }
}
