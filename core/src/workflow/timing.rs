//! A dossier's clock: when it started, each phase's due instant, pauses and new appointments.

use chrono::NaiveDateTime;

use super::PhaseDue;
use crate::calendar::{Calendar, Phase, Timeliness};
use crate::duration::WorkingDuration;

/// Everything about a dossier's deadlines (stored as columns of the dossier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// Where the clock started: the working time at or after reception.
    pub counted_from: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub phase_dues: Vec<PhaseDue>,
    /// Set while a supplement request waits for the applicant.
    pub paused_at: Option<NaiveDateTime>,
}

impl Timing {
    /// The clock of a dossier received at `at` with `total` working time split into `shares`
    /// (core::workflow::phase_shares). Also used, provisionally, for an online submission:
    /// reception starts it again when it accepts the dossier.
    pub fn start(calendar: &Calendar, at: NaiveDateTime, total: WorkingDuration, shares: &[(Phase, WorkingDuration)]) -> Timing {
        let counted_from = calendar.counting_start(at);
        let durations: Vec<WorkingDuration> = shares.iter().map(|(_, d)| *d).collect();
        let dues = calendar.step_dues(counted_from, &durations);
        Timing {
            counted_from,
            due_at: calendar.due(counted_from, total),
            phase_dues: shares.iter().zip(dues).map(|((phase, _), due)| PhaseDue { phase: *phase, due }).collect(),
            paused_at: None,
        }
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

    /// The complete dossier is back: every due instant still ahead moves later by the working
    /// time the applicant took (rules.md; Calendar::resume).
    pub fn resume(&mut self, calendar: &Calendar, now: NaiveDateTime) {
        let Some(paused) = self.paused_at.take() else { return };
        let shift = |due: NaiveDateTime| if due > paused { calendar.resume(due, self.counted_from, paused, now) } else { due };
        self.due_at = shift(self.due_at);
        let dues: Vec<PhaseDue> = self.phase_dues.iter().map(|p| PhaseDue { phase: p.phase, due: shift(p.due) }).collect();
        self.phase_dues = dues;
    }

    /// Slip 04: a new appointment. Phases due later than it keep their dates; none may end
    /// after the dossier itself.
    pub fn reschedule(&mut self, new_due: NaiveDateTime) {
        self.due_at = new_due;
        for p in &mut self.phase_dues {
            p.due = p.due.min(new_due);
        }
        if let Some(ret) = self.phase_dues.iter_mut().find(|p| p.phase == Phase::Return) {
            ret.due = new_due;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn days(n: u32) -> WorkingDuration {
        WorkingDuration::from_days(n)
    }

    fn shares() -> Vec<(Phase, WorkingDuration)> {
        let half = WorkingDuration::from_hours(4);
        vec![(Phase::Receive, half), (Phase::Appraise, days(8)), (Phase::Approve, days(1)), (Phase::Return, half)]
    }

    #[test]
    fn start_splits_the_time_into_phase_dues() {
        let cal = Calendar::with_decisions(Vec::new());
        // Tuesday 1 Dec 2026, 08:00; 10 working days.
        let t = Timing::start(&cal, at(12, 1, 8, 0), days(10), &shares());
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
        let mut t = Timing::start(&cal, at(12, 1, 8, 0), days(10), &shares());
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
        let mut t = Timing::start(&cal, at(12, 1, 8, 0), days(10), &shares());
        let new_due = cal.closing(NaiveDate::from_ymd_opt(2026, 12, 22).unwrap()).unwrap();
        t.reschedule(new_due);
        assert_eq!(t.due_at, at(12, 22, 17, 0));
        assert_eq!(t.phase_due(Phase::Return), Some(new_due));
        assert_eq!(t.phase_due(Phase::Appraise), Some(at(12, 11, 14, 0)), "the appraisal's own due does not move");
        assert!(matches!(t.classify(&cal, Phase::Return, at(12, 21, 9, 0)), Some((_, Timeliness::Early { .. }))));
        assert!(matches!(t.classify(&cal, Phase::Return, at(12, 22, 16, 0)), Some((_, Timeliness::OnTime))));
        assert!(matches!(t.classify(&cal, Phase::Appraise, at(12, 14, 9, 0)), Some((_, Timeliness::Late { .. }))));
    }
}
