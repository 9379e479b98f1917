//! Periods as the law states them, and their chaining.
//!
//! A procedure's time is working time ("10 ngày làm việc"), or days as the Civil Code 2015
//! counts them ("12 ngày": art. 147 — the day of the event is not counted, the period starts
//! at the beginning of the next day; art. 148 — it ends at the end of its last day, or, when
//! that day is a weekly rest day or a holiday, at the end of the next working day, which for an
//! office is the close of its hours). Merit procedures often chain both: the commune's working
//! days, then the department's days. A `Term` is that chain; a `Mark` a point on it (where a
//! phase ends); a `Pause` a stretch the clock stood still (a supplement request).

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Calendar, Instant};
use crate::duration::MINUTES_PER_WORKING_DAY;
use crate::duration::WorkingDuration;

/// The unit a law states a time in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// "ngày làm việc": office hours only.
    Working,
    /// "ngày": every day, counted as the Civil Code counts them.
    Calendar,
}

impl TimeUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Working => "working",
            TimeUnit::Calendar => "calendar",
        }
    }

    pub fn parse(s: &str) -> Option<TimeUnit> {
        [TimeUnit::Working, TimeUnit::Calendar].into_iter().find(|u| u.as_str() == s)
    }
}

/// The longest calendar-day leg the engine accepts: a year (as for working days).
pub const MAX_CALENDAR_DAYS: u16 = 365;

/// One stretch of a processing time, run by one body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum Leg {
    Working { minutes: WorkingDuration },
    Calendar { days: u16 },
}

impl Leg {
    pub fn working_days(days: u16) -> Leg {
        Leg::Working { minutes: WorkingDuration::from_days(u32::from(days)) }
    }

    pub fn of(unit: TimeUnit, days: u16) -> Leg {
        match unit {
            TimeUnit::Working => Leg::working_days(days),
            TimeUnit::Calendar => Leg::Calendar { days },
        }
    }

    pub fn unit(self) -> TimeUnit {
        match self {
            Leg::Working { .. } => TimeUnit::Working,
            Leg::Calendar { .. } => TimeUnit::Calendar,
        }
    }

    /// Its length where a day of either unit weighs the same: the scale on which a term is
    /// shared between phases.
    fn weight(self) -> u32 {
        match self {
            Leg::Working { minutes } => minutes.minutes(),
            Leg::Calendar { days } => u32::from(days) * MINUTES_PER_WORKING_DAY,
        }
    }

    /// The part of this leg that weighs `w` (at most the whole leg). A calendar part is whole
    /// days, rounded up: a phase ends at the end of the day its share falls in.
    fn part(self, w: u32) -> Leg {
        match self {
            Leg::Working { minutes } => Leg::Working { minutes: WorkingDuration::from_minutes(w.min(minutes.minutes())) },
            Leg::Calendar { days } => Leg::Calendar { days: (w.div_ceil(MINUTES_PER_WORKING_DAY) as u16).min(days) },
        }
    }

    /// As the law writes it: "12 ngày", "10 ngày làm việc", "0,5 ngày làm việc"; in English
    /// "12 days", "10 working days", "0.5 working days".
    pub fn text(self, lang: crate::i18n::Lang) -> String {
        match self {
            Leg::Calendar { days } => match lang {
                crate::i18n::Lang::Vi => format!("{days} ngày"),
                crate::i18n::Lang::En if days == 1 => "1 day".to_owned(),
                crate::i18n::Lang::En => format!("{days} days"),
            },
            Leg::Working { minutes } => {
                let n = day_number(minutes.minutes());
                match lang {
                    crate::i18n::Lang::Vi => format!("{n} ngày làm việc"),
                    crate::i18n::Lang::En if n == "1" => "1 working day".to_owned(),
                    crate::i18n::Lang::En => format!("{} working days", n.replace(',', ".")),
                }
            }
        }
    }
}

/// Working minutes as days, with a decimal comma where needed: 480 → "1", 240 → "0,5".
fn day_number(minutes: u32) -> String {
    let hundredths = (minutes * 100 + MINUTES_PER_WORKING_DAY / 2) / MINUTES_PER_WORKING_DAY;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole},{}", f / 10),
        f => format!("{whole},{f:02}"),
    }
}

/// A processing time: one or more legs run one after the other. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<Leg>", into = "Vec<Leg>")]
pub struct Term(Vec<Leg>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("Thời hạn phải có ít nhất một bước.")]
    Empty,
    #[error("Thời hạn tính theo ngày tối đa {MAX_CALENDAR_DAYS} ngày mỗi bước.")]
    TooLong,
}

impl TryFrom<Vec<Leg>> for Term {
    type Error = TermError;
    fn try_from(legs: Vec<Leg>) -> Result<Term, TermError> {
        Term::new(legs)
    }
}

impl From<Term> for Vec<Leg> {
    fn from(t: Term) -> Vec<Leg> {
        t.0
    }
}

impl Term {
    pub fn new(legs: Vec<Leg>) -> Result<Term, TermError> {
        if legs.is_empty() {
            return Err(TermError::Empty);
        }
        let too_long = |l: &Leg| match l {
            Leg::Calendar { days } => *days > MAX_CALENDAR_DAYS,
            Leg::Working { minutes } => minutes.minutes() > u32::from(MAX_CALENDAR_DAYS) * MINUTES_PER_WORKING_DAY,
        };
        if legs.iter().any(too_long) {
            return Err(TermError::TooLong);
        }
        Ok(Term(legs))
    }

    pub fn single(leg: Leg) -> Term {
        Term(vec![leg])
    }

    pub fn working_days(days: u16) -> Term {
        Term::single(Leg::working_days(days))
    }

    pub fn legs(&self) -> &[Leg] {
        &self.0
    }

    /// The unit of every leg, when they share one.
    pub fn unit(&self) -> Option<TimeUnit> {
        let first = self.0[0].unit();
        self.0.iter().all(|l| l.unit() == first).then_some(first)
    }

    /// "10 ngày làm việc", "12 ngày", "5 ngày làm việc + 12 ngày".
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        self.0.iter().map(|l| l.text(lang)).collect::<Vec<_>>().join(" + ")
    }

    /// Whole days of the legs added up, working days rounded up: the figure a register shows.
    pub fn days(&self) -> u16 {
        self.0
            .iter()
            .map(|l| match l {
                Leg::Calendar { days } => *days,
                Leg::Working { minutes } => minutes.minutes().div_ceil(MINUTES_PER_WORKING_DAY) as u16,
            })
            .sum()
    }

    fn weight(&self) -> u32 {
        self.0.iter().map(|l| l.weight()).sum()
    }

    /// The end of the whole term.
    pub fn end(&self) -> Mark {
        let last = self.0.len() - 1;
        Mark { leg: last as u8, into: self.0[last] }
    }

    /// The point `share` of the way along the term, in its weight (a day of either unit weighs
    /// the same): phases of a term in days or mixed units are shared in proportion.
    pub fn mark_at(&self, share: WorkingDuration) -> Mark {
        let mut left = share.minutes();
        for (i, leg) in self.0.iter().enumerate() {
            if left <= leg.weight() || i == self.0.len() - 1 {
                return Mark { leg: i as u8, into: leg.part(left) };
            }
            left -= leg.weight();
        }
        self.end()
    }

    /// Marks at the cumulative sums of `shares` (working minutes on the term's weight scale).
    pub fn marks(&self, shares: &[WorkingDuration]) -> Vec<Mark> {
        let mut at = WorkingDuration::ZERO;
        shares
            .iter()
            .map(|s| {
                at = at + *s;
                self.mark_at(at)
            })
            .collect()
    }

    /// Its whole weight as working minutes: what the phases share.
    pub fn weight_as_duration(&self) -> WorkingDuration {
        WorkingDuration::from_minutes(self.weight())
    }
}

/// A point on a term: `into` of leg number `leg` (of the same unit, at most that leg).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub leg: u8,
    pub into: Leg,
}

/// A stretch during which the clock stood still: a supplement request and its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    #[serde(with = "crate::date::iso_datetime")]
    pub from: Instant,
    #[serde(with = "crate::date::iso_datetime")]
    pub to: Instant,
}

impl Calendar {
    /// Art. 148: a period whose last day is `last_day` ends at that day's close of office, or,
    /// when it is not a working day, at the close of the next working day.
    pub fn end_of_period(&self, last_day: NaiveDate) -> Instant {
        // OfficeHours::new guarantees a working day every week; decisions cannot close more
        // than a few weeks in a row.
        (0..366 * 20)
            .find_map(|i| self.closing(last_day + Duration::days(i)))
            .expect("OfficeHours::new refuses a week without working time")
    }

    /// The end of `leg` begun at `start`, the clock standing still during `pauses` (in order):
    /// working time paused is added back; for days, the days waited are added to the last
    /// day and art. 148 applies again.
    pub fn leg_end(&self, start: Instant, leg: Leg, pauses: &[Pause]) -> Instant {
        match leg {
            Leg::Working { minutes } => {
                let mut end = self.due(start, minutes);
                for p in pauses {
                    let from = p.from.max(start);
                    if from < end {
                        end = self.due(end, self.elapsed(from, p.to));
                    }
                }
                end
            }
            Leg::Calendar { days } => {
                // Art. 147: the day of the event is not counted.
                let mut last = start.date() + Duration::days(i64::from(days));
                let mut end = self.end_of_period(last);
                for p in pauses {
                    let from = p.from.max(start);
                    if from < end {
                        last += Duration::days((p.to.date() - from.date()).num_days().max(0));
                        end = self.end_of_period(last);
                    }
                }
                end
            }
        }
    }

    /// The instant each leg of `term` begins, the first at `start`; a leg begins when the one
    /// before it ends.
    fn leg_starts(&self, start: Instant, term: &Term, pauses: &[Pause]) -> Vec<Instant> {
        let mut at = start;
        term.legs()
            .iter()
            .map(|leg| {
                let begins = at;
                at = self.leg_end(at, *leg, pauses);
                begins
            })
            .collect()
    }

    /// When `mark` of `term` begun at `start` is reached.
    pub fn reach(&self, start: Instant, term: &Term, mark: Mark, pauses: &[Pause]) -> Instant {
        let starts = self.leg_starts(start, term, pauses);
        let begins = starts.get(usize::from(mark.leg)).copied().unwrap_or(start);
        self.leg_end(begins, mark.into, pauses)
    }

    /// The end of the whole `term` begun at `start`.
    pub fn term_end(&self, start: Instant, term: &Term, pauses: &[Pause]) -> Instant {
        self.reach(start, term, term.end(), pauses)
    }
}

#[cfg(test)]
mod tests;
