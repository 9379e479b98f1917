//! What each workflow event adds to the daily statistics counters (day × agency × field ×
//! procedure). A transition returns them, so they live with the workflow; `stats` reads them.

use serde::{Deserialize, Serialize};

use chrono::{NaiveDate, NaiveDateTime};

use super::Action;
use crate::calendar::Timeliness;
use crate::dossier::DossierStatus;

/// Counts of one day × agency × field × procedure (or their sum over a period).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatCounters {
    pub received_online: u32,
    pub received_walk_in: u32,
    pub resolved_early: u32,
    pub resolved_on_time: u32,
    pub resolved_late: u32,
    /// Not received at reception, or stopped at appraisal.
    pub refused: u32,
    pub withdrawn: u32,
}

/// The store's columns, in `to_columns` order.
pub const STAT_COLUMNS: [&str; 7] =
    ["received_online", "received_walk_in", "resolved_early", "resolved_on_time", "resolved_late", "refused", "withdrawn"];

impl StatCounters {
    /// The actions that count (the store's recount reads their events only).
    pub const COUNTED: [Action; 5] = [Action::Accept, Action::RegisterWalkIn, Action::RecordResult, Action::Refuse, Action::Withdraw];

    /// What one event adds. A dossier is received when reception accepts it (online) or
    /// registers it (walk-in); resolved when its result is recorded, measured against its due
    /// date; refused when reception or appraisal refuses it.
    pub fn of_event(action: Action, timeliness: Option<Timeliness>) -> StatCounters {
        let mut c = StatCounters::default();
        match action {
            Action::Accept => c.received_online = 1,
            Action::RegisterWalkIn => c.received_walk_in = 1,
            Action::RecordResult => match timeliness {
                Some(Timeliness::Early { .. }) => c.resolved_early = 1,
                Some(Timeliness::Late { .. }) => c.resolved_late = 1,
                _ => c.resolved_on_time = 1,
            },
            Action::Refuse => c.refused = 1,
            Action::Withdraw => c.withdrawn = 1,
            _ => {}
        }
        c
    }

    pub fn is_zero(&self) -> bool {
        *self == StatCounters::default()
    }

    pub fn to_columns(&self) -> [u32; 7] {
        [self.received_online, self.received_walk_in, self.resolved_early, self.resolved_on_time, self.resolved_late, self.refused, self.withdrawn]
    }

    pub fn from_columns(v: [u32; 7]) -> StatCounters {
        let [received_online, received_walk_in, resolved_early, resolved_on_time, resolved_late, refused, withdrawn] = v;
        StatCounters { received_online, received_walk_in, resolved_early, resolved_on_time, resolved_late, refused, withdrawn }
    }

    pub fn add(&mut self, other: &StatCounters) {
        let sum: Vec<u32> = self.to_columns().iter().zip(other.to_columns()).map(|(a, b)| a + b).collect();
        *self = StatCounters::from_columns(sum.try_into().expect("seven"));
    }

    pub fn received(&self) -> u32 {
        self.received_online + self.received_walk_in
    }

    pub fn resolved(&self) -> u32 {
        self.resolved_early + self.resolved_on_time + self.resolved_late
    }
}

/// Where an unresolved dossier counts on the dashboard: held by the department (within time or
/// overdue, by its due day) or waiting for the applicant's supplement. The store keeps how many
/// dossiers of each agency × procedure are in each cell, so the dashboard sums days, not
/// dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PendingCell {
    pub due_day: NaiveDate,
    pub waiting: bool,
}

impl PendingCell {
    /// The cell of a dossier in `status` due at `due_at`; none once it is out of the
    /// department's hands (or not yet in them: an online dossier before reception).
    pub fn of(status: DossierStatus, due_at: NaiveDateTime) -> Option<PendingCell> {
        let waiting = if DossierStatus::PENDING.contains(&status) {
            false
        } else if DossierStatus::WAITING.contains(&status) {
            true
        } else {
            return None;
        };
        Some(PendingCell { due_day: due_at.date(), waiting })
    }
}

/// How one transition moves its dossier among the pending cells: out of one, into another
/// (neither when it stays where it was).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PendingMove {
    pub out_of: Option<PendingCell>,
    pub into: Option<PendingCell>,
}

impl PendingMove {
    pub fn between(before: Option<PendingCell>, after: Option<PendingCell>) -> PendingMove {
        if before == after { PendingMove::default() } else { PendingMove { out_of: before, into: after } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duration::WorkingDuration;

    #[test]
    fn events_count_once_where_they_belong() {
        let early = Some(Timeliness::Early { by: WorkingDuration::ZERO });
        assert_eq!(StatCounters::of_event(Action::Accept, None).received_online, 1);
        assert_eq!(StatCounters::of_event(Action::RegisterWalkIn, early).received_walk_in, 1);
        assert_eq!(StatCounters::of_event(Action::RecordResult, early).resolved_early, 1);
        assert_eq!(StatCounters::of_event(Action::RecordResult, Some(Timeliness::Late { by: WorkingDuration::ZERO })).resolved_late, 1);
        assert_eq!(StatCounters::of_event(Action::Refuse, None).refused, 1);
        assert_eq!(StatCounters::of_event(Action::Withdraw, None).withdrawn, 1);
        for a in [Action::Submit, Action::PassOn, Action::Approve, Action::Return, Action::RequestSupplement, Action::Apologize] {
            assert!(StatCounters::of_event(a, early).is_zero(), "{a:?}");
        }
    }

    #[test]
    fn held_and_waiting_dossiers_have_a_cell_by_due_day_and_others_none() {
        let due = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(17, 0, 0).unwrap();
        let held = Some(PendingCell { due_day: due.date(), waiting: false });
        assert_eq!(PendingCell::of(DossierStatus::Received, due), held);
        assert_eq!(PendingCell::of(DossierStatus::InProgress, due), held);
        assert_eq!(PendingCell::of(DossierStatus::SupplementRequested, due), Some(PendingCell { due_day: due.date(), waiting: true }));
        for s in [DossierStatus::New, DossierStatus::NotReceived, DossierStatus::FinancialObligation, DossierStatus::Withdrawn, DossierStatus::Stopped, DossierStatus::Finished, DossierStatus::Returned] {
            assert_eq!(PendingCell::of(s, due), None, "{s:?}");
        }
        assert_eq!(PendingMove::between(held, held), PendingMove::default());
        assert_eq!(PendingMove::between(None, held), PendingMove { out_of: None, into: held });
    }
}
