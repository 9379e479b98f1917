//! Working time as the rules count it: 1 working day = 8 working hours.

use serde::{Deserialize, Serialize};

/// A working day as the law counts it: eight hours.
pub const MINUTES_PER_WORKING_DAY: u32 = 480;

/// An amount of working time, in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorkingDuration(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("Số ngày làm việc không hợp lệ: {0:?} (ví dụ đúng: 10 hoặc 0,5).")]
    Malformed(String),
    #[error("Số ngày làm việc phải từ 0 đến {max}.")]
    TooLong { max: u32 },
}

/// Beyond a working year a "deadline" is no longer one.
pub const MAX_WORKING_DAYS: u32 = 365;

impl WorkingDuration {
    pub const ZERO: WorkingDuration = WorkingDuration(0);

    pub fn from_minutes(minutes: u32) -> Self {
        WorkingDuration(minutes)
    }

    pub fn from_hours(hours: u32) -> Self {
        WorkingDuration(hours * 60)
    }

    pub fn from_days(days: u32) -> Self {
        WorkingDuration(days * MINUTES_PER_WORKING_DAY)
    }

    /// Parses a number of working days as people write it: "10", "0,5", "1.25" (at most two
    /// decimals), up to `MAX_WORKING_DAYS`. The grammar is the one openapi.yaml states: one to
    /// three digits (no leading zero in three), an optional part of one or two decimals.
    pub fn parse_days(s: &str) -> Result<Self, DurationError> {
        let bad = || DurationError::Malformed(s.to_owned());
        let t = s;
        let (whole, frac) = match t.split_once([',', '.']) {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 3 || (whole.len() == 3 && whole.starts_with('0')) || frac.len() > 2 || !digits(whole) || !digits(frac) || (t.len() > whole.len() && frac.is_empty()) {
            return Err(bad());
        }
        let whole: u32 = whole.parse().map_err(|_| bad())?;
        let hundredths: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let total_hundredths = whole * 100 + hundredths;
        if total_hundredths > MAX_WORKING_DAYS * 100 {
            return Err(DurationError::TooLong { max: MAX_WORKING_DAYS });
        }
        // 1/100 day = 4.8 min: round to the minute.
        Ok(WorkingDuration((total_hundredths * MINUTES_PER_WORKING_DAY + 50) / 100))
    }

    pub fn minutes(self) -> u32 {
        self.0
    }

    pub fn saturating_sub(self, other: WorkingDuration) -> WorkingDuration {
        WorkingDuration(self.0.saturating_sub(other.0))
    }
}

impl std::ops::Add for WorkingDuration {
    type Output = WorkingDuration;
    fn add(self, rhs: WorkingDuration) -> WorkingDuration {
        WorkingDuration(self.0 + rhs.0)
    }
}

impl std::fmt::Display for WorkingDuration {
    /// "2 ngày 3 giờ 30 phút", "0 phút".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (days, rest) = (self.0 / MINUTES_PER_WORKING_DAY, self.0 % MINUTES_PER_WORKING_DAY);
        let (hours, minutes) = (rest / 60, rest % 60);
        let mut parts = Vec::new();
        if days > 0 {
            parts.push(format!("{days} ngày"));
        }
        if hours > 0 {
            parts.push(format!("{hours} giờ"));
        }
        if minutes > 0 || parts.is_empty() {
            parts.push(format!("{minutes} phút"));
        }
        f.write_str(&parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_as_written() {
        assert_eq!(WorkingDuration::parse_days("10").unwrap(), WorkingDuration::from_days(10));
        assert_eq!(WorkingDuration::parse_days("0,5").unwrap().minutes(), 240);
        assert_eq!(WorkingDuration::parse_days("0.25").unwrap().minutes(), 120);
        assert_eq!(WorkingDuration::parse_days("1,5").unwrap().minutes(), 720);
        assert_eq!(WorkingDuration::parse_days("0").unwrap(), WorkingDuration::ZERO);
        for bad in ["", "-1", "1,", ",5", "1,234", "abc", "1 0", "1e3", "99999", "010", " 1", "1 ", "1000"] {
            assert!(WorkingDuration::parse_days(bad).is_err(), "{bad:?}");
        }
        assert_eq!(WorkingDuration::parse_days("366"), Err(DurationError::TooLong { max: 365 }));
    }

    #[test]
    fn displays_in_vietnamese() {
        assert_eq!(WorkingDuration::from_minutes(2 * 480 + 3 * 60 + 30).to_string(), "2 ngày 3 giờ 30 phút");
        assert_eq!(WorkingDuration::ZERO.to_string(), "0 phút");
        assert_eq!(WorkingDuration::from_days(1).to_string(), "1 ngày");
    }
}
