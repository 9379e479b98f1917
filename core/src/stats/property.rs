//! The counters kept event by event equal a recount from where the dossiers ended, over random
//! workflows driven through core's state machine.

use proptest::prelude::*;

use super::*;
use crate::calendar::Timeliness;
use crate::workflow::Phase;
use crate::catalogue::Flow;
use crate::dossier::DossierStatus;
use crate::duration::WorkingDuration;
use crate::accounts::{Role, Staff, Username};
use crate::workflow::{after_supplement, available, Action, Handling, State};

fn everyone() -> Staff {
    Staff {
        username: Username::parse("moi.vai.tro").unwrap(),
        name: "Mọi vai trò".into(),
        agency: "SNV".into(),
        agency_name: "Sở Nội vụ".into(),
        roles: Role::ALL.to_vec(),
        delegated_approval: true,
        pending: None,
    }
}

/// One dossier's life: its channel, flow, and a list of choices (indices into what is possible
/// at each step; the last one also picks the timeliness of a recorded result).
#[derive(Debug, Clone)]
struct Life {
    online: bool,
    four_step: bool,
    choices: Vec<u8>,
}

fn life() -> impl Strategy<Value = Life> {
    (any::<bool>(), any::<bool>(), proptest::collection::vec(any::<u8>(), 0..14)).prop_map(|(online, four_step, choices)| Life { online, four_step, choices })
}

fn timeliness(pick: u8) -> Timeliness {
    match pick % 3 {
        0 => Timeliness::Early { by: WorkingDuration::from_hours(1) },
        1 => Timeliness::OnTime,
        _ => Timeliness::Late { by: WorkingDuration::from_hours(1) },
    }
}

proptest! {
    #[test]
    fn counters_equal_a_recount_of_final_states(lives in proptest::collection::vec(life(), 1..40)) {
        let staff = everyone();
        let mut kept = StatCounters::default();
        let mut recount = StatCounters::default();
        for l in &lives {
            let handling = Handling { flow: if l.four_step { Flow::FourStep } else { Flow::ThreeStep }, delegated: false };
            let (mut state, first) = if l.online {
                (State::new(DossierStatus::New, Phase::Receive), Action::Submit)
            } else {
                (State::new(DossierStatus::Received, Phase::Appraise), Action::RegisterWalkIn)
            };
            kept.add(&StatCounters::of_event(first, Some(Timeliness::OnTime)));
            let mut accepted = false;
            let mut result: Option<Timeliness> = None;
            for pick in &l.choices {
                // Now and then the applicant withdraws.
                if *pick == 255 {
                    if let Some(next) = crate::workflow::after_withdrawal(state) {
                        kept.add(&StatCounters::of_event(Action::Withdraw, None));
                        state = next;
                    }
                    continue;
                }
                if let Some(next) = after_supplement(state) {
                    kept.add(&StatCounters::of_event(Action::AnswerSupplement, None));
                    state = next;
                    continue;
                }
                let actions = available(&staff, state, handling);
                if actions.is_empty() {
                    break;
                }
                let action = actions[usize::from(*pick) % actions.len()];
                let t = timeliness(pick / 3);
                kept.add(&StatCounters::of_event(action, Some(t)));
                accepted |= action == Action::Accept;
                if action == Action::RecordResult {
                    result = Some(t);
                }
                state = crate::workflow::next(action, state, handling.flow).expect("available means possible");
            }
            // Recount from where the dossier ended.
            if l.online && accepted {
                recount.received_online += 1;
            }
            if !l.online {
                recount.received_walk_in += 1;
            }
            if matches!(state.status, DossierStatus::Finished | DossierStatus::Returned) {
                match result.expect("a result was recorded") {
                    Timeliness::Early { .. } => recount.resolved_early += 1,
                    Timeliness::OnTime => recount.resolved_on_time += 1,
                    Timeliness::Late { .. } => recount.resolved_late += 1,
                }
            }
            if matches!(state.status, DossierStatus::NotReceived | DossierStatus::Stopped) {
                recount.refused += 1;
            }
            if state.status == DossierStatus::Withdrawn {
                recount.withdrawn += 1;
            }
        }
        prop_assert_eq!(kept, recount);
    }
}
