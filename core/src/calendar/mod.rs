//! The working-time calendar and the deadline engine.
//!
//! Instants are Vietnam local time (UTC+7 all year, no daylight saving), as `NaiveDateTime`;
//! conversion from UTC happens at the edge (`from_unix_millis`). A day is working or not by,
//! in order of precedence: a decision (swapped working Saturday, extra day off, official Tết
//! span), then the computed holidays of the Labour Code (with compensatory days), then the
//! weekly office hours.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::duration::WorkingDuration;
use crate::lunar;

pub mod periods;

pub use periods::{Leg, Mark, Pause, Term, TimeUnit};

pub type Instant = NaiveDateTime;

/// Vietnam's offset from UTC, in hours.
pub const UTC_OFFSET_HOURS: i64 = 7;

/// Local Vietnam time of a Unix timestamp in milliseconds.
pub fn from_unix_millis(ms: i64) -> Option<Instant> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc() + Duration::hours(UTC_OFFSET_HOURS))
}

fn to_minute(t: Instant) -> Instant {
    use chrono::Timelike;
    t.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(t)
}

/// Years the engine answers for: the lunar algorithm is verified on this range.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// One working period of a day, in minutes after midnight (`start < end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: u16,
    pub end: u16,
}

/// Office hours per weekday, Monday first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    week: [Vec<Period>; 7],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("Giờ làm việc không hợp lệ: các khoảng phải tăng dần, không chồng nhau, trong ngày.")]
    BadHours,
    #[error("Lịch làm việc phải có ít nhất 8 giờ làm việc mỗi tuần.")]
    NoWorkingDay,
    #[error("Năm phải trong khoảng 1900–2100.")]
    YearOutOfRange,
}

impl OfficeHours {
    pub fn new(week: [Vec<Period>; 7]) -> Result<Self, CalendarError> {
        for day in &week {
            let mut last_end = 0;
            for p in day {
                if p.start >= p.end || p.start < last_end || p.end > 24 * 60 {
                    return Err(CalendarError::BadHours);
                }
                last_end = p.end;
            }
        }
        // At least one working day (8 h) a week: the engine then reaches any deadline of up to
        // a working year within the 20 years it is willing to walk.
        let weekly: u32 = week.iter().flatten().map(|p| u32::from(p.end - p.start)).sum();
        if weekly < crate::duration::MINUTES_PER_WORKING_DAY {
            return Err(CalendarError::NoWorkingDay);
        }
        Ok(OfficeHours { week })
    }

    /// Reads hours as a deployment writes them: clauses separated by ";", each a day or a
    /// day range and its periods, e.g. "mon-fri 07:00-11:30 13:30-17:00; sat 07:30-11:30".
    /// Days not named have no office hours.
    pub fn parse(s: &str) -> Result<Self, CalendarError> {
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let day = |d: &str| DAYS.iter().position(|x| *x == d).ok_or(CalendarError::BadHours);
        let minute = |t: &str| -> Result<u16, CalendarError> {
            let (h, m) = t.split_once(':').ok_or(CalendarError::BadHours)?;
            let (h, m): (u16, u16) = (h.parse().map_err(|_| CalendarError::BadHours)?, m.parse().map_err(|_| CalendarError::BadHours)?);
            if h > 24 || m > 59 || (h == 24 && m > 0) || t.len() != 5 {
                return Err(CalendarError::BadHours);
            }
            Ok(h * 60 + m)
        };
        let mut week: [Vec<Period>; 7] = Default::default();
        for clause in s.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            let mut words = clause.split_whitespace();
            let days = words.next().ok_or(CalendarError::BadHours)?;
            let (first, last) = match days.split_once('-') {
                Some((a, b)) => (day(a)?, day(b)?),
                None => (day(days)?, day(days)?),
            };
            let periods = words
                .map(|p| {
                    let (a, b) = p.split_once('-').ok_or(CalendarError::BadHours)?;
                    Ok(Period { start: minute(a)?, end: minute(b)? })
                })
                .collect::<Result<Vec<_>, CalendarError>>()?;
            if first > last || periods.is_empty() {
                return Err(CalendarError::BadHours);
            }
            for d in first..=last {
                week[d] = periods.clone();
            }
        }
        OfficeHours::new(week)
    }

    fn of(&self, weekday: Weekday) -> &[Period] {
        &self.week[weekday.num_days_from_monday() as usize]
    }

    /// The hours of an ordinary working day, used on a swapped working Saturday.
    fn template(&self) -> &[Period] {
        self.week.iter().find(|d| !d.is_empty()).map(Vec::as_slice).unwrap_or(&[])
    }

    fn is_rest_day(&self, date: NaiveDate) -> bool {
        self.of(date.weekday()).is_empty()
    }
}

impl Default for OfficeHours {
    /// Monday to Friday, 07:00–11:30 and 13:30–17:00: 8 working hours.
    fn default() -> Self {
        let day = vec![Period { start: 7 * 60, end: 11 * 60 + 30 }, Period { start: 13 * 60 + 30, end: 17 * 60 }];
        OfficeHours { week: [day.clone(), day.clone(), day.clone(), day.clone(), day, vec![], vec![]] }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedDate {
    #[serde(with = "crate::date::iso")]
    pub date: NaiveDate,
    pub name: String,
}

/// What the government decided for one year, overriding the computed defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearDecision {
    pub year: i32,
    /// The decision(s) these days come from, e.g. "Thông báo 6150/TB-LĐTBXH".
    pub source: String,
    /// The official Tết span, first and last day off (compensatory days included).
    #[serde(default, with = "crate::date::iso_pair_opt")]
    pub tet: Option<(NaiveDate, NaiveDate)>,
    /// The day next to 2 Sep that is off (1 or 3 Sep).
    #[serde(default, with = "crate::date::iso_opt")]
    pub national_day_extra: Option<NaiveDate>,
    /// Extra days off (e.g. a Monday swapped with a Saturday, a new holiday).
    #[serde(default)]
    pub days_off: Vec<NamedDate>,
    /// Days worked although normally off (the Saturday of a swap).
    #[serde(default)]
    pub working_days: Vec<NamedDate>,
}

impl YearDecision {
    /// A decision speaks of its own year only (days of late December belong to that year's
    /// decision), and the extra National Day is 1 or 3 September.
    pub fn validate(&self) -> Result<(), String> {
        let own = |d: NaiveDate| d.year() == self.year;
        let mut dates: Vec<NaiveDate> = self.days_off.iter().chain(&self.working_days).map(|n| n.date).collect();
        dates.extend(self.tet.iter().flat_map(|(a, b)| [*a, *b]));
        if let Some(bad) = dates.into_iter().find(|d| !own(*d)) {
            return Err(format!("decision for {}: {bad} is not in that year", self.year));
        }
        if let Some(extra) = self.national_day_extra {
            if extra != ymd(self.year, 9, 1) && extra != ymd(self.year, 9, 3) {
                return Err(format!("decision for {}: National Day's second day must be 1 or 3 Sep", self.year));
            }
        }
        if !YEARS.contains(&self.year) {
            return Err(format!("decision for {}: outside {}–{}", self.year, YEARS.start(), YEARS.end()));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Working,
    WeeklyRest,
    Holiday,
    Compensatory,
    DayOff,
    SwappedWorking,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DaySource {
    /// Office hours and the Labour Code's holidays, computed.
    Computed,
    /// A government decision (the calendar data).
    Decided,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayInfo {
    #[serde(with = "crate::date::iso")]
    pub date: NaiveDate,
    pub working: bool,
    pub kind: DayKind,
    pub name: Option<String>,
    pub source: DaySource,
}

/// A year as published by `GET /api/calendar/{year}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendar {
    pub year: i32,
    pub working_days: u32,
    /// The decision applied, if any.
    pub decision: Option<String>,
    pub days: Vec<DayInfo>,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a fixed valid date")
}

/// The Labour Code's holidays of a year as computed, before compensation and decisions.
/// Labour Code 2012 until 2020; 2019 (art. 112) from 2021: a second day at National Day;
/// Resolution 80-NQ/TW: 24 Nov from 2026.
pub fn default_holidays(year: i32, national_day_extra: Option<NaiveDate>) -> Vec<NamedDate> {
    let named = |date, name: &str| NamedDate { date, name: name.to_owned() };
    let tet = lunar::tet(year);
    let mut out = vec![named(ymd(year, 1, 1), "Tết Dương lịch")];
    // Default span: the last day of the lunar year and the first four of the new one.
    for i in -1..4 {
        out.push(named(tet + Duration::days(i), "Tết Nguyên đán"));
    }
    out.push(named(lunar::hung_kings(year), "Giỗ Tổ Hùng Vương"));
    out.push(named(ymd(year, 4, 30), "Ngày Chiến thắng"));
    out.push(named(ymd(year, 5, 1), "Ngày Quốc tế Lao động"));
    out.push(named(ymd(year, 9, 2), "Quốc khánh"));
    if year >= 2021 {
        out.push(named(national_day_extra.unwrap_or(ymd(year, 9, 1)), "Quốc khánh"));
    }
    if year >= 2026 {
        out.push(named(ymd(year, 11, 24), "Ngày Văn hóa Việt Nam"));
    }
    out.sort_by_key(|h| h.date);
    out
}

/// The working calendar: office hours, an optional reception cut-off, and the decisions.
#[derive(Debug, Clone)]
pub struct Calendar {
    hours: OfficeHours,
    /// Minutes after midnight: a dossier received later counts from the next working morning.
    cutoff: Option<u16>,
    decisions: BTreeMap<i32, YearDecision>,
    years: RefCell<BTreeMap<i32, Rc<BTreeMap<NaiveDate, DayInfo>>>>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::new(OfficeHours::default(), None, Vec::new())
    }
}

impl Calendar {
    pub fn new(hours: OfficeHours, cutoff: Option<NaiveTime>, decisions: Vec<YearDecision>) -> Self {
        use chrono::Timelike;
        Calendar {
            hours,
            cutoff: cutoff.map(|t| (t.hour() * 60 + t.minute()) as u16),
            decisions: decisions.into_iter().map(|d| (d.year, d)).collect(),
            years: RefCell::new(BTreeMap::new()),
        }
    }

    pub fn with_decisions(decisions: Vec<YearDecision>) -> Self {
        Calendar::new(OfficeHours::default(), None, decisions)
    }

    /// The days of `year` that differ from the weekly pattern, computed once per year.
    fn exceptions(&self, year: i32) -> Rc<BTreeMap<NaiveDate, DayInfo>> {
        if let Some(y) = self.years.borrow().get(&year) {
            return y.clone();
        }
        let table = Rc::new(self.compute_exceptions(year));
        self.years.borrow_mut().insert(year, table.clone());
        table
    }

    fn compute_exceptions(&self, year: i32) -> BTreeMap<NaiveDate, DayInfo> {
        let decision = self.decisions.get(&year);
        let info = |date, working, kind, name: &str, source| DayInfo { date, working, kind, name: Some(name.to_owned()), source };
        let mut days = BTreeMap::new();
        let mut holidays = default_holidays(year, decision.and_then(|d| d.national_day_extra));
        // A decided Tết span replaces the computed one and already holds its compensation.
        let decided_tet = decision.and_then(|d| d.tet);
        if decided_tet.is_some() {
            holidays.retain(|h| h.name != "Tết Nguyên đán");
        }
        // Labour Code: a holiday on a weekly rest day gives the next working day off.
        let mut owed: Vec<String> = Vec::new();
        for h in &holidays {
            days.insert(h.date, info(h.date, false, DayKind::Holiday, &h.name, DaySource::Computed));
        }
        let mut cursor: Option<NaiveDate> = None;
        for h in &holidays {
            if self.hours.is_rest_day(h.date) {
                owed.push(h.name.clone());
            }
            let next_is_holiday = holidays.iter().any(|o| o.date == h.date + Duration::days(1));
            if !owed.is_empty() && !next_is_holiday {
                let mut d = cursor.filter(|c| *c > h.date).unwrap_or(h.date) + Duration::days(1);
                for name in owed.drain(..) {
                    while self.hours.is_rest_day(d) || days.contains_key(&d) {
                        d += Duration::days(1);
                    }
                    days.insert(d, info(d, false, DayKind::Compensatory, &format!("Nghỉ bù {name}"), DaySource::Computed));
                    cursor = Some(d);
                }
            }
        }
        if let Some(decision) = decision {
            if let Some((first, last)) = decided_tet {
                let mut d = first;
                while d <= last {
                    days.insert(d, info(d, false, DayKind::Holiday, "Tết Nguyên đán", DaySource::Decided));
                    d += Duration::days(1);
                }
            }
            if let Some(extra) = decision.national_day_extra {
                days.insert(extra, info(extra, false, DayKind::Holiday, "Quốc khánh", DaySource::Decided));
            }
            for off in &decision.days_off {
                days.insert(off.date, info(off.date, false, DayKind::DayOff, &off.name, DaySource::Decided));
            }
            for work in &decision.working_days {
                days.insert(work.date, info(work.date, true, DayKind::SwappedWorking, &work.name, DaySource::Decided));
            }
        }
        // Exceptions are keyed by date; compensation may spill into January of next year.
        days
    }

    pub fn day(&self, date: NaiveDate) -> DayInfo {
        // Compensatory days of late-December holidays land in the next year's first days.
        for year in [date.year(), date.year() - 1] {
            if let Some(d) = self.exceptions(year).get(&date) {
                if year == date.year() || d.kind == DayKind::Compensatory {
                    return d.clone();
                }
            }
        }
        let rest = self.hours.is_rest_day(date);
        DayInfo {
            date,
            working: !rest,
            kind: if rest { DayKind::WeeklyRest } else { DayKind::Working },
            name: None,
            source: DaySource::Computed,
        }
    }

    /// The first year from `from` to `to` whose holidays no decision has fixed yet: its dates
    /// follow the Labour Code's defaults and may move when the government announces swaps.
    pub fn provisional_year(&self, from: NaiveDate, to: NaiveDate) -> Option<i32> {
        (from.year()..=to.year()).find(|y| !self.decisions.contains_key(y))
    }

    pub fn year(&self, year: i32) -> Result<YearCalendar, CalendarError> {
        if !YEARS.contains(&year) {
            return Err(CalendarError::YearOutOfRange);
        }
        let mut days = Vec::with_capacity(366);
        let mut d = ymd(year, 1, 1);
        while d.year() == year {
            days.push(self.day(d));
            d += Duration::days(1);
        }
        Ok(YearCalendar {
            year,
            working_days: days.iter().filter(|d| d.working).count() as u32,
            decision: self.decisions.get(&year).map(|d| d.source.clone()),
            days,
        })
    }

    fn periods(&self, date: NaiveDate) -> &[Period] {
        let day = self.day(date);
        match (day.working, day.kind) {
            (false, _) => &[],
            (true, DayKind::SwappedWorking) => self.hours.template(),
            (true, _) => self.hours.of(date.weekday()),
        }
    }

    /// The close of office on `date`, when it is a working day: a new appointment date (slip
    /// 04) is due at the end of that day.
    pub fn closing(&self, date: NaiveDate) -> Option<Instant> {
        self.periods(date).last().map(|p| date.and_time(NaiveTime::MIN) + Duration::minutes(p.end as i64))
    }

    /// Walks the working periods from `from` on, in order, as (start, end) instants.
    fn walk(&self, from: Instant) -> impl Iterator<Item = (Instant, Instant)> + '_ {
        // A calendar with some working weekday meets one within any 20 years.
        let days = (0..366 * 20).map(move |i| from.date() + Duration::days(i));
        days.flat_map(move |date| {
            let at = move |m: u16| date.and_time(NaiveTime::MIN) + Duration::minutes(m as i64);
            self.periods(date).iter().map(move |p| (at(p.start), at(p.end))).collect::<Vec<_>>()
        })
        .filter(move |(_, end)| *end >= from)
    }

    /// The instant `d` of working time after `start`. With `d` zero: `start` itself when it is
    /// working time (period ends included), else the next period's start. The engine counts
    /// whole minutes: seconds of `start` are dropped.
    pub fn due(&self, start: Instant, d: WorkingDuration) -> Instant {
        let start = to_minute(start);
        let mut left = d.minutes() as i64;
        for (p_start, p_end) in self.walk(start) {
            let from = start.max(p_start);
            let available = (p_end - from).num_minutes();
            if left <= available {
                return from + Duration::minutes(left);
            }
            left -= available;
        }
        unreachable!("OfficeHours::new refuses a week without working time")
    }

    /// Working time between two instants (zero when `to` is not after `from`).
    pub fn elapsed(&self, from: Instant, to: Instant) -> WorkingDuration {
        let (from, to) = (to_minute(from), to_minute(to));
        let mut total = 0;
        for (p_start, p_end) in self.walk(from) {
            if p_start >= to {
                break;
            }
            let a = from.max(p_start);
            let b = to.min(p_end);
            if b > a {
                total += (b - a).num_minutes();
            }
        }
        WorkingDuration::from_minutes(total as u32)
    }

    /// Where the clock starts for a dossier received at `received`: at once in working time,
    /// else the next working period; after the cut-off, the next working morning.
    pub fn counting_start(&self, received: Instant) -> Instant {
        use chrono::Timelike;
        let minute = (received.hour() * 60 + received.minute()) as u16;
        let after_cutoff = self.cutoff.is_some_and(|c| minute >= c) && !self.periods(received.date()).is_empty();
        let from = if after_cutoff { (received.date() + Duration::days(1)).and_time(NaiveTime::MIN) } else { received };
        self.due(from, WorkingDuration::ZERO)
    }

    /// The due instant of a dossier received at `received` with a statutory `time`.
    pub fn due_from_reception(&self, received: Instant, time: WorkingDuration) -> Instant {
        self.due(self.counting_start(received), time)
    }

    /// The due instant after a pause (a supplement request): later by the working time that
    /// passed between `paused` and `resumed`, counting only from `counted_from` (a pause that
    /// begins before the clock started cannot move the date for time that was never counted).
    pub fn resume(&self, due: Instant, counted_from: Instant, paused: Instant, resumed: Instant) -> Instant {
        self.due(due, self.elapsed(paused.max(counted_from), resumed))
    }

    /// Early (before the due day), on time (on the due day, by the due instant) or late.
    pub fn classify(&self, completed: Instant, due: Instant) -> Timeliness {
        if completed > due {
            Timeliness::Late { by: self.elapsed(due, completed) }
        } else if completed.date() == due.date() {
            Timeliness::OnTime
        } else {
            Timeliness::Early { by: self.elapsed(completed, due) }
        }
    }

    /// Due instants of consecutive steps starting at `start`.
    pub fn step_dues(&self, start: Instant, shares: &[WorkingDuration]) -> Vec<Instant> {
        let mut at = start;
        shares
            .iter()
            .map(|share| {
                at = self.due(at, *share);
                at
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Timeliness {
    Early { by: WorkingDuration },
    OnTime,
    Late { by: WorkingDuration },
}

impl Timeliness {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let (vi, en) = match self {
            Timeliness::Early { .. } => ("Trước hạn", "Early"),
            Timeliness::OnTime => ("Đúng hạn", "On time"),
            Timeliness::Late { .. } => ("Quá hạn", "Late"),
        };
        lang.pick(vi, en)
    }

    pub fn label_vi(self) -> &'static str {
        self.label(crate::i18n::Lang::Vi)
    }

}

/// The answer of `GET /api/calendar/due`: when a dossier received at `from` with a time of
/// `leg` would be due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueEstimate {
    #[serde(with = "crate::date::iso_datetime")]
    pub from: Instant,
    /// Where the clock starts (the next working time when `from` is outside office hours).
    #[serde(with = "crate::date::iso_datetime")]
    pub counted_from: Instant,
    #[serde(with = "crate::date::iso_datetime")]
    pub due: Instant,
    /// The time estimated, in its unit.
    pub leg: Leg,
    /// A year on the way whose holidays are not decided yet (`Calendar::provisional_year`).
    #[serde(default)]
    pub provisional_year: Option<i32>,
}

impl Calendar {
    pub fn estimate(&self, from: Instant, leg: Leg) -> DueEstimate {
        let counted_from = self.counting_start(from);
        let due = self.term_end(counted_from, &Term::single(leg), &[]);
        DueEstimate { from, counted_from, due, leg, provisional_year: self.provisional_year(from.date(), due.date()) }
    }
}

/// A calendar year parsed from a path segment.
pub fn parse_year(s: &str) -> Result<i32, CalendarError> {
    let y: i32 = s.parse().map_err(|_| CalendarError::YearOutOfRange)?;
    if YEARS.contains(&y) && s.len() == 4 { Ok(y) } else { Err(CalendarError::YearOutOfRange) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Instant {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn hours(h: u32) -> WorkingDuration {
        WorkingDuration::from_hours(h)
    }

    #[test]
    fn office_hours_from_configuration() {
        assert_eq!(OfficeHours::parse("mon-fri 07:00-11:30 13:30-17:00").unwrap(), OfficeHours::default());
        let with_saturday = OfficeHours::parse("mon-fri 07:00-11:30 13:30-17:00; sat 07:30-11:30").unwrap();
        let cal = Calendar::new(with_saturday, None, vec![]);
        assert_eq!(cal.due(at(2026, 11, 27, 16, 0), hours(2)), at(2026, 11, 28, 8, 30));
        for bad in ["", "mon-fri", "fri-mon 07:00-11:00", "mon 11:00-07:00", "mon 07:00-12:00 11:00-13:00", "xyz 07:00-11:00", "mon 7:00-11:00", "mon 07:00-25:00"] {
            assert!(OfficeHours::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_working_day_is_eight_office_hours() {
        let cal = Calendar::default();
        // Mon 30 Nov 2026 08:00 + 8 h: 3.5 h morning, 3.5 h afternoon, 1 h on Tuesday.
        assert_eq!(cal.due(at(2026, 11, 30, 8, 0), WorkingDuration::from_days(1)), at(2026, 12, 1, 8, 0));
        assert_eq!(cal.due(at(2026, 11, 30, 7, 0), WorkingDuration::from_days(1)), at(2026, 11, 30, 17, 0));
        assert_eq!(cal.elapsed(at(2026, 11, 30, 7, 0), at(2026, 11, 30, 17, 0)), WorkingDuration::from_days(1));
    }

    #[test]
    fn weekends_and_lunch_do_not_count() {
        let cal = Calendar::default();
        assert_eq!(cal.due(at(2026, 11, 27, 16, 0), hours(2)), at(2026, 11, 30, 8, 0));
        assert_eq!(cal.due(at(2026, 11, 30, 11, 0), hours(1)), at(2026, 11, 30, 14, 0));
        assert_eq!(cal.counting_start(at(2026, 11, 28, 10, 0)), at(2026, 11, 30, 7, 0));
        assert_eq!(cal.counting_start(at(2026, 11, 30, 12, 0)), at(2026, 11, 30, 13, 30));
        assert_eq!(cal.counting_start(at(2026, 11, 30, 18, 0)), at(2026, 12, 1, 7, 0));
    }

    #[test]
    fn cut_off_moves_late_receptions_to_the_next_morning() {
        let cal = Calendar::new(OfficeHours::default(), NaiveTime::from_hms_opt(15, 0, 0), vec![]);
        assert_eq!(cal.counting_start(at(2026, 12, 1, 15, 30)), at(2026, 12, 2, 7, 0));
        assert_eq!(cal.counting_start(at(2026, 12, 1, 14, 59)), at(2026, 12, 1, 14, 59));
        // Friday after the cut-off: Monday morning.
        assert_eq!(cal.counting_start(at(2026, 12, 4, 16, 0)), at(2026, 12, 7, 7, 0));
        assert_eq!(cal.due_from_reception(at(2026, 12, 1, 15, 30), hours(8)), at(2026, 12, 2, 17, 0));
    }

    #[test]
    fn tet_by_default_is_the_last_day_of_the_year_and_four_more() {
        let cal = Calendar::default();
        // Tết Bính Ngọ: 17 Feb 2026 (Tue); default span Mon 16 – Fri 20 Feb.
        for d in 16..=20 {
            let info = cal.day(day(2026, 2, d));
            assert!(!info.working && info.kind == DayKind::Holiday, "{info:?}");
        }
        assert!(cal.day(day(2026, 2, 13)).working);
        assert_eq!(cal.due(at(2026, 2, 13, 16, 0), hours(2)), at(2026, 2, 23, 8, 0));
    }

    #[test]
    fn holidays_on_rest_days_give_compensatory_days() {
        let cal = Calendar::default();
        // 1 Jan 2022 was a Saturday: Monday 3 Jan off.
        assert_eq!(cal.day(day(2022, 1, 3)).kind, DayKind::Compensatory);
        // 30 Apr (Sat) and 1 May (Sun) 2022: Monday 2 and Tuesday 3 May off.
        assert_eq!(cal.day(day(2022, 5, 2)).kind, DayKind::Compensatory);
        assert_eq!(cal.day(day(2022, 5, 3)).kind, DayKind::Compensatory);
        assert!(cal.day(day(2022, 5, 4)).working);
        // Hùng Kings' day 2026 is Sunday 26 Apr: Monday 27 Apr off, then 30 Apr and 1 May.
        assert_eq!(cal.day(day(2026, 4, 27)).kind, DayKind::Compensatory);
        assert!(cal.day(day(2026, 4, 28)).working);
        // Tết Quý Mão 2023 (default span 21–25 Jan, two of them a weekend): 26 and 27 Jan.
        assert_eq!(cal.day(day(2023, 1, 26)).kind, DayKind::Compensatory);
        assert_eq!(cal.day(day(2023, 1, 27)).kind, DayKind::Compensatory);
    }

    #[test]
    fn national_day_and_culture_day_by_year() {
        let cal = Calendar::default();
        assert!(cal.day(day(2020, 9, 2)).kind == DayKind::Holiday && cal.day(day(2020, 9, 1)).working);
        assert_eq!(cal.day(day(2026, 9, 1)).kind, DayKind::Holiday);
        assert_eq!(cal.day(day(2026, 11, 24)).kind, DayKind::Holiday);
        assert!(cal.day(day(2025, 11, 24)).working);
    }

    #[test]
    fn year_boundaries() {
        let cal = Calendar::default();
        // Thu 31 Dec 2026 16:00 + 2 h: New Year's Day (Fri) and the weekend pass.
        assert_eq!(cal.due(at(2026, 12, 31, 16, 0), hours(2)), at(2027, 1, 4, 8, 0));
        assert_eq!(cal.elapsed(at(2026, 12, 31, 16, 0), at(2027, 1, 4, 8, 0)), hours(2));
        // 1 Jan 2028 is a Saturday: compensation on Monday 3 Jan 2028.
        assert_eq!(cal.day(day(2028, 1, 3)).kind, DayKind::Compensatory);
    }

    #[test]
    fn decisions_override_the_computed_days() {
        let decision = YearDecision {
            year: 2025,
            source: "test decision".into(),
            tet: Some((day(2025, 1, 25), day(2025, 2, 2))),
            national_day_extra: None,
            days_off: vec![],
            working_days: vec![NamedDate { date: day(2025, 2, 15), name: "Làm bù".into() }],
        };
        let cal = Calendar::with_decisions(vec![decision]);
        let swapped = cal.day(day(2025, 2, 15));
        assert!(swapped.working && swapped.kind == DayKind::SwappedWorking && swapped.source == DaySource::Decided);
        let monday = cal.day(day(2025, 1, 27));
        assert!(!monday.working && monday.source == DaySource::Decided);
        // A swapped Saturday has ordinary office hours.
        assert_eq!(cal.due(at(2025, 2, 14, 16, 0), hours(2)), at(2025, 2, 15, 8, 0));
        let year = cal.year(2025).unwrap();
        assert_eq!(year.decision.as_deref(), Some("test decision"));
        assert_eq!(year.days.len(), 365);
        assert_eq!(year.working_days as usize, year.days.iter().filter(|d| d.working).count());
    }

    #[test]
    fn classification() {
        let cal = Calendar::default();
        let due = at(2026, 12, 4, 17, 0);
        assert_eq!(cal.classify(at(2026, 12, 3, 17, 0), due), Timeliness::Early { by: WorkingDuration::from_days(1) });
        assert_eq!(cal.classify(at(2026, 12, 4, 9, 0), due), Timeliness::OnTime);
        assert_eq!(cal.classify(due, due), Timeliness::OnTime);
        assert_eq!(cal.classify(at(2026, 12, 7, 8, 0), due), Timeliness::Late { by: hours(1) });
        // Late even when the extra time is outside office hours.
        assert_eq!(cal.classify(at(2026, 12, 4, 18, 0), due), Timeliness::Late { by: WorkingDuration::ZERO });
    }

    #[test]
    fn a_pause_moves_the_due_date_by_the_time_paused() {
        let cal = Calendar::default();
        let due = at(2026, 12, 4, 17, 0);
        // Paused Wed 09:00 → Thu 09:00: one working day later, Monday 17:00.
        let start = at(2026, 11, 30, 7, 0);
        assert_eq!(cal.resume(due, start, at(2026, 12, 2, 9, 0), at(2026, 12, 3, 9, 0)), at(2026, 12, 7, 17, 0));
        // Paused over a weekend only: nothing moves.
        assert_eq!(cal.resume(due, start, at(2026, 12, 5, 9, 0), at(2026, 12, 6, 9, 0)), due);
        // With a 15:00 cut-off, received Mon 15:30 counts from Tue 07:00; a pause from Mon 15:45
        // to Tue 09:00 moves the date by the 2 counted hours only.
        let cal = Calendar::new(OfficeHours::default(), NaiveTime::from_hms_opt(15, 0, 0), vec![]);
        let counted = cal.counting_start(at(2026, 11, 30, 15, 30));
        let due = cal.due(counted, WorkingDuration::from_days(1));
        assert_eq!(cal.resume(due, counted, at(2026, 11, 30, 15, 45), at(2026, 12, 1, 9, 0)), cal.due(due, hours(2)));
    }

    #[test]
    fn years_outside_the_verified_range_are_refused() {
        assert_eq!(parse_year("2026"), Ok(2026));
        for bad in ["1899", "2101", "26", "abcd", "+2026", "02026"] {
            assert!(parse_year(bad).is_err(), "{bad}");
        }
    }

    /// The shipped data (data/calendar.json) against the announced schedules: every day of each
    /// announced span is off, the days around it are working, swapped Saturdays are worked.
    #[test]
    fn shipped_decisions_give_the_announced_schedules() {
        #[derive(serde::Deserialize)]
        struct Data {
            decisions: Vec<YearDecision>,
        }
        let text = include_str!("../../../data/calendar.json");
        let data: Data = serde_json::from_str(text).unwrap();
        for d in &data.decisions {
            d.validate().unwrap();
        }
        let cal = Calendar::with_decisions(data.decisions);
        let off = |a: NaiveDate, b: NaiveDate| {
            let mut d = a;
            while d <= b {
                assert!(!cal.day(d).working, "{d} should be off");
                d += Duration::days(1);
            }
            assert!(cal.day(a - Duration::days(1)).working || cal.hours.is_rest_day(a - Duration::days(1)), "{a}: day before");
        };
        // Announced spans (weekends included), from the documents named in the data file.
        off(day(2018, 12, 29), day(2019, 1, 1));
        off(day(2019, 4, 27), day(2019, 5, 1));
        off(day(2021, 9, 2), day(2021, 9, 5));
        off(day(2022, 4, 30), day(2022, 5, 3));
        off(day(2023, 4, 29), day(2023, 5, 3));
        off(day(2023, 9, 1), day(2023, 9, 4));
        off(day(2024, 4, 27), day(2024, 5, 1));
        off(day(2024, 8, 31), day(2024, 9, 3));
        off(day(2025, 4, 30), day(2025, 5, 4));
        off(day(2025, 8, 30), day(2025, 9, 2));
        off(day(2026, 1, 1), day(2026, 1, 4));
        off(day(2026, 2, 14), day(2026, 2, 22));
        off(day(2026, 4, 25), day(2026, 4, 27));
        off(day(2026, 8, 29), day(2026, 9, 2));
        for worked in [day(2019, 1, 5), day(2019, 5, 4), day(2024, 5, 4), day(2025, 4, 26), day(2026, 1, 10), day(2026, 8, 22)] {
            assert!(cal.day(worked).working, "{worked} is a swapped working day");
        }
        for after in [day(2023, 1, 27), day(2024, 2, 15), day(2025, 2, 3), day(2026, 2, 23), day(2026, 5, 4)] {
            assert!(cal.day(after).working, "{after} is back to work");
        }
    }

    #[test]
    fn seconds_are_dropped_not_lost_per_period() {
        let cal = Calendar::default();
        let t = at(2026, 11, 30, 11, 29) + Duration::seconds(30);
        assert_eq!(cal.due(t, hours(1)), at(2026, 11, 30, 14, 29));
    }

    #[test]
    fn sparse_office_hours_are_refused() {
        assert_eq!(OfficeHours::parse("sat 07:00-08:00"), Err(CalendarError::NoWorkingDay));
        assert!(OfficeHours::parse("sat 07:00-15:00").is_ok());
    }

    fn shipped() -> Calendar {
        #[derive(serde::Deserialize)]
        struct Data {
            decisions: Vec<YearDecision>,
        }
        let data: Data = serde_json::from_str(include_str!("../../../data/calendar.json")).unwrap();
        Calendar::new(OfficeHours::default(), NaiveTime::from_hms_opt(15, 0, 0), data.decisions)
    }

    /// An independent reference: walk minute by minute through the office hours written here
    /// again, on the days the calendar calls working.
    fn reference_due(cal: &Calendar, start: Instant, d: WorkingDuration) -> Instant {
        use chrono::Timelike;
        let working_minute = |t: Instant| {
            let m = t.hour() * 60 + t.minute();
            cal.day(t.date()).working && ((420..690).contains(&m) || (810..1020).contains(&m))
        };
        let mut t = start;
        let mut left = d.minutes();
        if left == 0 {
            // The first instant at or after t that is working time or the end of a period.
            while !working_minute(t) && !(t > start && working_minute(t - Duration::minutes(1))) {
                t += Duration::minutes(1);
            }
            return t;
        }
        while left > 0 {
            if working_minute(t) {
                left -= 1;
            }
            t += Duration::minutes(1);
        }
        t
    }

    fn in_working_time(cal: &Calendar, t: Instant) -> bool {
        cal.periods(t.date()).iter().any(|p| {
            let minute = (t - t.date().and_time(NaiveTime::MIN)).num_minutes();
            (p.start as i64..=p.end as i64).contains(&minute)
        })
    }

    fn instant() -> impl Strategy<Value = Instant> {
        // Any minute of 2019–2027.
        (0i64..9 * 366 * 24 * 60).prop_map(|m| at(2019, 1, 1, 0, 0) + Duration::minutes(m))
    }

    fn duration() -> impl Strategy<Value = WorkingDuration> {
        (0u32..=40 * 480).prop_map(WorkingDuration::from_minutes)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn due_matches_a_minute_by_minute_reference(t in instant(), d in 0u32..=3 * 480) {
            let cal = shipped();
            let d = WorkingDuration::from_minutes(d);
            prop_assert_eq!(cal.due(t, d), reference_due(&cal, t, d));
        }

        #[test]
        fn shipped_calendar_keeps_the_laws(t in instant(), a in duration(), b in duration(), p in 0i64..5_000, q in 0i64..5_000) {
            let cal = shipped();
            prop_assert_eq!(cal.due(t, a + b), cal.due(cal.due(t, a), b));
            prop_assert_eq!(cal.elapsed(t, cal.due(t, a)), a);
            // A real pause moves the date by exactly the working time it covered.
            let start = cal.counting_start(t);
            let due = cal.due(start, a);
            let (paused, resumed) = (start + Duration::minutes(p), start + Duration::minutes(p + q));
            let moved = cal.resume(due, start, paused, resumed);
            prop_assert_eq!(cal.elapsed(due, moved), cal.elapsed(paused, resumed));
        }

        #[test]
        fn due_is_additive(t in instant(), a in duration(), b in duration()) {
            let cal = Calendar::default();
            prop_assert_eq!(cal.due(t, a + b), cal.due(cal.due(t, a), b));
        }

        #[test]
        fn elapsed_inverts_due(t in instant(), d in duration()) {
            let cal = Calendar::default();
            prop_assert_eq!(cal.elapsed(t, cal.due(t, d)), d);
        }

        #[test]
        fn due_is_always_working_time(t in instant(), d in duration()) {
            let cal = Calendar::default();
            let due = cal.due(t, d);
            prop_assert!(in_working_time(&cal, due), "{}", due);
            prop_assert!(due >= t);
        }

        #[test]
        fn due_is_monotonic(t in instant(), dt in 0i64..10_000, d in duration(), dd in 0u32..2_000) {
            let cal = Calendar::default();
            prop_assert!(cal.due(t, d) <= cal.due(t + Duration::minutes(dt), d));
            prop_assert!(cal.due(t, d) <= cal.due(t, d + WorkingDuration::from_minutes(dd)));
        }

        #[test]
        fn a_zero_pause_changes_nothing(t in instant(), d in duration(), p in instant()) {
            let cal = Calendar::default();
            let due = cal.due(t, d);
            prop_assert_eq!(cal.resume(due, t, p, p), due);
        }
    }

    #[test]
    fn closing_of_a_day() {
        let c = Calendar::with_decisions(Vec::new());
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(c.closing(d(12, 3)), Some(d(12, 3).and_hms_opt(17, 0, 0).unwrap()));
        assert_eq!(c.closing(d(12, 5)), None, "a Saturday");
        assert_eq!(c.closing(d(9, 2)), None, "National Day");
    }

}
