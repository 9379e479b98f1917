//! A dossier's clock: when it started, its term, each phase's due instant, pauses and new
//! appointments.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{PhaseDue, PhaseMark};
use super::Phase;
use crate::calendar::{Calendar, Pause, Term, Timeliness};

/// Everything about a dossier's deadlines (stored as columns of the dossier). `due_at` and
/// `phase_dues` are derived from `clock` and kept as columns for the queues' indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// Where the clock started: the working time at or after reception.
    pub counted_from: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub phase_dues: Vec<PhaseDue>,
    /// Set while a supplement request waits for the applicant.
    pub paused_at: Option<NaiveDateTime>,
    /// What the dues are computed from. `None` on dossiers stored before terms had units:
    /// their dues are working time and move by the working time paused, as they always did.
    pub clock: Option<Clock>,
}

/// The inputs of a dossier's dues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The time the dossier was received under (it keeps it when the catalogue changes).
    pub term: Term,
    pub marks: Vec<PhaseMark>,
    /// Supplement requests answered: the clock stood still.
    #[serde(default)]
    pub pauses: Vec<Pause>,
    /// Slip 04: the new appointment, replacing the term's end.
    #[serde(default, with = "crate::date::iso_datetime_opt")]
    pub new_due: Option<NaiveDateTime>,
}

impl Timing {
    /// The clock of a dossier received at `at` with `term`, its phases ending at `marks`
    /// (core::workflow::phase_marks). Also used, provisionally, for an online submission:
    /// reception starts it again when it accepts the dossier.
    pub fn start(calendar: &Calendar, at: NaiveDateTime, term: Term, marks: Vec<PhaseMark>) -> Timing {
        let counted_from = calendar.counting_start(at);
        let mut t = Timing {
            counted_from,
            due_at: counted_from,
            phase_dues: Vec::new(),
            paused_at: None,
            clock: Some(Clock { term, marks, pauses: Vec::new(), new_due: None }),
        };
        t.refresh(calendar);
        t
    }

    /// The time the dossier was received under; a dossier stored before terms had units was
    /// given `days` working days.
    pub fn term(&self, days: u16) -> Term {
        self.clock.as_ref().map_or_else(|| Term::working_days(days), |c| c.term.clone())
    }

    /// Recomputes the dues from the clock.
    fn refresh(&mut self, calendar: &Calendar) {
        let Some(clock) = &self.clock else { return };
        let end = calendar.term_end(self.counted_from, &clock.term, &clock.pauses);
        self.due_at = clock.new_due.unwrap_or(end);
        let due_at = self.due_at;
        self.phase_dues = clock
            .marks
            .iter()
            .map(|m| {
                let due = calendar.reach(self.counted_from, &clock.term, m.mark, &clock.pauses);
                // None may end after the dossier itself (an apology moves only the end).
                PhaseDue { phase: m.phase, due: if m.phase == Phase::Return { due_at } else { due.min(due_at) } }
            })
            .collect();
    }

    /// The due instant of a phase; the return phase ends at the dossier's due instant, which
    /// an apology may have moved.
    pub fn phase_due(&self, phase: Phase) -> Option<NaiveDateTime> {
        if phase == Phase::Return {
            return Some(self.due_at);
        }
        self.phase_dues.iter().find(|p| p.phase == phase).map(|p| p.due)
    }

    /// How a hand-over at `now` out of `phase` compares with that phase's due instant.
    pub fn classify(&self, calendar: &Calendar, phase: Phase, now: NaiveDateTime) -> Option<(NaiveDateTime, Timeliness)> {
        self.phase_due(phase).map(|due| (due, calendar.classify(now, due)))
    }

    /// A supplement request: the clock stops now.
    pub fn pause(&mut self, now: NaiveDateTime) {
        self.paused_at.get_or_insert(now);
    }

    /// The complete dossier is back: every due instant still ahead moves later by the time the
    /// applicant took, in the unit of its term (rules.md; calendar::periods).
    pub fn resume(&mut self, calendar: &Calendar, now: NaiveDateTime) {
        let Some(paused) = self.paused_at.take() else { return };
        let counted_from = self.counted_from;
        let shift = |due: NaiveDateTime| if due > paused { calendar.resume(due, counted_from, paused, now) } else { due };
        match &mut self.clock {
            Some(clock) => {
                clock.pauses.push(Pause { from: paused, to: now });
                clock.new_due = clock.new_due.map(shift);
                self.refresh(calendar);
            }
            None => {
                self.due_at = shift(self.due_at);
                self.phase_dues = self.phase_dues.iter().map(|p| PhaseDue { phase: p.phase, due: shift(p.due) }).collect();
            }
        }
    }

    /// Slip 04: a new appointment. Phases due later than it keep their dates; none may end
    /// after the dossier itself.
    pub fn reschedule(&mut self, calendar: &Calendar, new_due: NaiveDateTime) {
        match &mut self.clock {
            Some(clock) => {
                clock.new_due = Some(new_due);
                self.refresh(calendar);
            }
            None => {
                self.due_at = new_due;
                for p in &mut self.phase_dues {
                    p.due = if p.phase == Phase::Return { new_due } else { p.due.min(new_due) };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duration::WorkingDuration;
    use chrono::NaiveDate;

    fn at(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn days(n: u32) -> WorkingDuration {
        WorkingDuration::from_days(n)
    }

    fn start(cal: &Calendar, at: NaiveDateTime) -> Timing {
        let half = WorkingDuration::from_hours(4);
        let shares = [(Phase::Receive, half), (Phase::Appraise, days(8)), (Phase::Approve, days(1)), (Phase::Return, half)];
        let term = Term::working_days(10);
        let durations: Vec<WorkingDuration> = shares.iter().map(|(_, d)| *d).collect();
        let marks = shares.iter().zip(term.marks(&durations)).map(|((phase, _), mark)| PhaseMark { phase: *phase, mark }).collect();
        Timing::start(cal, at, term, marks)
    }

    #[test]
    fn start_splits_the_time_into_phase_dues() {
        let cal = Calendar::with_decisions(Vec::new());
        // Tuesday 1 Dec 2026, 08:00; 10 working days.
        let t = start(&cal, at(12, 1, 8, 0));
        assert_eq!(t.counted_from, at(12, 1, 8, 0));
        assert_eq!(t.phase_due(Phase::Receive), Some(at(12, 1, 14, 0)), "4 h: 3½ in the morning, ½ after lunch");
        assert_eq!(t.phase_due(Phase::Appraise), Some(at(12, 11, 14, 0)));
        assert_eq!(t.phase_due(Phase::Approve), Some(at(12, 14, 14, 0)));
        assert_eq!(t.due_at, at(12, 15, 8, 0));
        assert_eq!(t.phase_due(Phase::Return), Some(t.due_at));
    }

    #[test]
    fn a_supplement_pause_moves_every_later_due() {
        let cal = Calendar::with_decisions(Vec::new());
        let mut t = start(&cal, at(12, 1, 8, 0));
        let before = t.clone();
        // Asked on Thursday 3 Dec at 09:00, answered on Monday 7 Dec at 09:00: two working
        // days pass while the applicant gathers the papers.
        t.pause(at(12, 3, 9, 0));
        t.pause(at(12, 4, 9, 0));
        t.resume(&cal, at(12, 7, 9, 0));
        assert_eq!(t.paused_at, None);
        assert_eq!(t.due_at, at(12, 17, 8, 0), "two working days later");
        assert_eq!(t.phase_due(Phase::Receive), before.phase_due(Phase::Receive), "already past when paused");
        assert_eq!(t.phase_due(Phase::Appraise), Some(at(12, 15, 14, 0)));
        // Resuming twice changes nothing.
        let once = t.clone();
        t.resume(&cal, at(12, 8, 9, 0));
        assert_eq!(t, once);
    }

    #[test]
    fn an_apology_sets_the_new_date() {
        let cal = Calendar::with_decisions(Vec::new());
        let mut t = start(&cal, at(12, 1, 8, 0));
        let new_due = cal.closing(NaiveDate::from_ymd_opt(2026, 12, 22).unwrap()).unwrap();
        t.reschedule(&cal, new_due);
        assert_eq!(t.due_at, at(12, 22, 17, 0));
        assert_eq!(t.phase_due(Phase::Return), Some(new_due));
        assert_eq!(t.phase_due(Phase::Appraise), Some(at(12, 11, 14, 0)), "the appraisal's own due does not move");
        assert!(matches!(t.classify(&cal, Phase::Return, at(12, 21, 9, 0)), Some((_, Timeliness::Early { .. }))));
        assert!(matches!(t.classify(&cal, Phase::Return, at(12, 22, 16, 0)), Some((_, Timeliness::OnTime))));
        assert!(matches!(t.classify(&cal, Phase::Appraise, at(12, 14, 9, 0)), Some((_, Timeliness::Late { .. }))));
    }

    #[test]
    fn a_dossier_in_days_pauses_in_days() {
        use crate::calendar::{Leg, Mark};
        let cal = Calendar::with_decisions(Vec::new());
        let term = Term::single(Leg::Calendar { days: 12 });
        let marks = vec![
            PhaseMark { phase: Phase::Receive, mark: Mark { leg: 0, into: Leg::Calendar { days: 1 } } },
            PhaseMark { phase: Phase::Appraise, mark: Mark { leg: 0, into: Leg::Calendar { days: 10 } } },
            PhaseMark { phase: Phase::Return, mark: term.end() },
        ];
        // Friday 4 Dec 2026: the twelfth day is Wednesday 16 Dec.
        let mut t = Timing::start(&cal, at(12, 4, 9, 0), term.clone(), marks);
        assert_eq!(t.due_at, at(12, 16, 17, 0));
        assert_eq!(t.phase_due(Phase::Receive), Some(at(12, 7, 17, 0)), "Saturday's share ends on Monday");
        assert_eq!(t.phase_due(Phase::Appraise), Some(at(12, 14, 17, 0)));
        // Asked Tue 8 Dec, answered Fri 11 Dec: three days waited.
        t.pause(at(12, 8, 10, 0));
        t.resume(&cal, at(12, 11, 15, 0));
        assert_eq!(t.due_at, at(12, 21, 17, 0), "Sat 19 Dec, so Monday 21");
        assert_eq!(t.phase_due(Phase::Appraise), Some(at(12, 17, 17, 0)));
        assert_eq!(t.phase_due(Phase::Receive), Some(at(12, 7, 17, 0)), "already past when paused");
        assert_eq!(t.term(0), term);
        // The clock is stored as JSON and read back the same.
        let clock = t.clock.clone().unwrap();
        let json = serde_json::to_string(&clock).unwrap();
        assert_eq!(serde_json::from_str::<Clock>(&json).unwrap(), clock);
    }

    #[test]
    fn a_dossier_stored_before_terms_keeps_moving_by_working_time() {
        let cal = Calendar::with_decisions(Vec::new());
        let fresh = start(&cal, at(12, 1, 8, 0));
        let mut legacy = Timing { clock: None, ..fresh.clone() };
        let mut fresh = fresh;
        for t in [&mut legacy, &mut fresh] {
            t.pause(at(12, 3, 9, 0));
            t.resume(&cal, at(12, 7, 9, 0));
        }
        assert_eq!((legacy.due_at, &legacy.phase_dues), (fresh.due_at, &fresh.phase_dues));
        assert_eq!(legacy.term(10), Term::working_days(10));
        let new_due = at(12, 28, 17, 0);
        legacy.reschedule(&cal, new_due);
        fresh.reschedule(&cal, new_due);
        assert_eq!((legacy.due_at, &legacy.phase_dues), (fresh.due_at, &fresh.phase_dues));
    }
}
