//! The Vietnamese lunar calendar: astronomical new moons and solar terms computed for UTC+7.
//!
//! This is the published algorithm of Hồ Ngọc Đức ("Âm lịch Việt Nam", based on Jean Meeus,
//! *Astronomical Algorithms*), with the time zone fixed to Vietnam's. Because new moons are
//! taken in UTC+7, some years differ from the Chinese calendar (UTC+8): Tết 1985 fell on 21 Jan
//! in Vietnam and 20 Feb in China; Tết 2007 on 17 Feb here and 18 Feb there.

use chrono::NaiveDate;
use std::f64::consts::PI;

const TIME_ZONE: f64 = 7.0;

fn int(x: f64) -> i64 {
    x.floor() as i64
}

fn jd_from_date(date: NaiveDate) -> i64 {
    use chrono::Datelike;
    let (dd, mm, yy) = (date.day() as i64, date.month() as i64, date.year() as i64);
    let a = (14 - mm).div_euclid(12);
    let y = yy + 4800 - a;
    let m = mm + 12 * a - 3;
    dd + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) - 32045
}

fn date_from_jd(jd: i64) -> Option<NaiveDate> {
    let a = jd + 32044;
    let b = (4 * a + 3).div_euclid(146097);
    let c = a - (b * 146097).div_euclid(4);
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    let day = e - (153 * m + 2).div_euclid(5) + 1;
    let month = m + 3 - 12 * m.div_euclid(10);
    let year = b * 100 + d - 4800 + m.div_euclid(10);
    NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32)
}

/// Julian day (fractional) of the k-th new moon after 1 Jan 1900.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    let mut c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let deltat = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd1 + c1 - deltat
}

fn new_moon_day(k: i64) -> i64 {
    int(new_moon(k) + 0.5 + TIME_ZONE / 24.0)
}

/// Sun's longitude at the start of local day `jdn`, as a solar-term index 0..=11.
fn sun_longitude_term(jdn: i64) -> i64 {
    let jdn = jdn as f64 - 0.5 - TIME_ZONE / 24.0;
    let t = (jdn - 2451545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl += (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let mut l = (l0 + dl) * dr;
    l -= PI * 2.0 * (l / (PI * 2.0)).floor();
    int(l / PI * 6.0)
}

/// Julian day of the start of the 11th lunar month (the one holding the winter solstice) of `yy`.
fn lunar_month_11(yy: i32) -> i64 {
    let off = jd_from_date(NaiveDate::from_ymd_opt(yy, 12, 31).expect("31 Dec exists")) - 2415021;
    let k = int(off as f64 / 29.530588853);
    let nm = new_moon_day(k);
    if sun_longitude_term(nm) >= 9 { new_moon_day(k - 1) } else { nm }
}

fn leap_month_offset(a11: i64) -> i64 {
    let k = int((a11 as f64 - 2415021.076998695) / 29.530588853 + 0.5);
    let mut i = 1;
    let mut arc = sun_longitude_term(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_longitude_term(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    pub leap: bool,
}

/// The lunar date of a solar date.
pub fn to_lunar(date: NaiveDate) -> LunarDate {
    use chrono::Datelike;
    let yy = date.year();
    let day_number = jd_from_date(date);
    // The published code takes new moon k or k+1; around 2054 the estimate of k is one off,
    // so step until new moon k is the last one on or before the day.
    let mut k = int((day_number as f64 - 2415021.076998695) / 29.530588853);
    while new_moon_day(k) > day_number {
        k -= 1;
    }
    while new_moon_day(k + 1) <= day_number {
        k += 1;
    }
    let month_start = new_moon_day(k);
    let mut a11 = lunar_month_11(yy);
    let mut b11 = a11;
    let mut year = if a11 >= month_start {
        a11 = lunar_month_11(yy - 1);
        yy
    } else {
        b11 = lunar_month_11(yy + 1);
        yy + 1
    };
    let day = (day_number - month_start + 1) as u32;
    let diff = int((month_start - a11) as f64 / 29.0);
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        year -= 1;
    }
    LunarDate { day, month: month as u32, year, leap }
}

/// The solar date of a lunar date; `None` for a date that does not exist (a leap month the
/// year does not have).
pub fn to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    let LunarDate { day, month, year, leap } = lunar;
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1), lunar_month_11(year))
    } else {
        (lunar_month_11(year), lunar_month_11(year + 1))
    };
    let k = int(0.5 + (a11 as f64 - 2415021.076998695) / 29.530588853);
    let mut off = month as i64 - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if leap && month as i64 != leap_month {
            return None;
        } else if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return None;
    }
    let month_start = new_moon_day(k + off);
    date_from_jd(month_start + day as i64 - 1)
}

/// Mùng 1 Tết: the first day of lunar year `year` (the one starting in solar year `year`).
pub fn tet(year: i32) -> NaiveDate {
    to_solar(LunarDate { day: 1, month: 1, year, leap: false }).expect("1/1 exists every year")
}

/// Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month.
pub fn hung_kings(year: i32) -> NaiveDate {
    to_solar(LunarDate { day: 10, month: 3, year, leap: false }).expect("10/3 exists every year")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tet_dates_as_published() {
        // Mùng 1 Tết as printed on Vietnamese calendars.
        let published = [
            (1900, d(1900, 1, 31)),
            (1945, d(1945, 2, 13)),
            (1968, d(1968, 1, 29)),
            (1975, d(1975, 2, 11)),
            (1985, d(1985, 1, 21)), // China: 20 Feb 1985
            (2000, d(2000, 2, 5)),
            (2007, d(2007, 2, 17)), // China: 18 Feb 2007
            (2019, d(2019, 2, 5)),
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2027, d(2027, 2, 6)),
            (2028, d(2028, 1, 26)),
            (2030, d(2030, 2, 2)), // China: 3 Feb 2030 (new moon 23:07 in UTC+7)
            (2050, d(2050, 1, 23)),
        ];
        for (year, date) in published {
            assert_eq!(tet(year), date, "Tết {year}");
        }
    }

    #[test]
    fn hung_kings_dates_as_published() {
        for (year, date) in [
            (2019, d(2019, 4, 14)),
            (2020, d(2020, 4, 2)),
            (2021, d(2021, 4, 21)),
            (2022, d(2022, 4, 10)),
            (2023, d(2023, 4, 29)),
            (2024, d(2024, 4, 18)),
            (2025, d(2025, 4, 7)),
            (2026, d(2026, 4, 26)),
        ] {
            assert_eq!(hung_kings(year), date, "Giỗ Tổ {year}");
        }
    }

    #[test]
    fn leap_months() {
        // 2023 had a leap 2nd month (tháng 2 nhuận from 22 Mar 2023); 2020 a leap 4th month.
        assert_eq!(to_lunar(d(2023, 3, 22)), LunarDate { day: 1, month: 2, year: 2023, leap: true });
        assert_eq!(to_lunar(d(2020, 5, 23)), LunarDate { day: 1, month: 4, year: 2020, leap: true });
        assert_eq!(to_solar(LunarDate { day: 1, month: 4, year: 2021, leap: true }), None);
    }

    #[test]
    fn roundtrip_every_day_1900_to_2100() {
        let mut date = d(1900, 2, 1);
        let end = d(2100, 12, 31);
        while date <= end {
            let lunar = to_lunar(date);
            assert_eq!(to_solar(lunar), Some(date), "{date} → {lunar:?}");
            assert!((1..=30).contains(&lunar.day), "{date} → {lunar:?}");
            date = date.succ_opt().unwrap();
        }
    }
}
