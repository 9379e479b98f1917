use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::calendar::Term;
use crate::workflow::HandedOver;
use crate::workflow::tests::{expected, procedure, staff, FLOWS, PHASES};
use DossierStatus::*;

fn at(d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

fn no_signature(_: &str) -> String {
    "chu-ky".into()
}

/// A dossier of ten working days received on Tuesday 1 Dec 2026, 08:00, in `state`.
fn dossier(state: State, flow: Flow, delegated: bool) -> Dossier {
    let cal = Calendar::default();
    let p = procedure(&[]);
    let term = Term::working_days(10);
    let code = DossierCode::new("SNV", at(1, 8).date(), 1).unwrap();
    let r = Reception { code, procedure: &p, procedure_version: 1, term, applicant_name: "Nguyễn Văn An".into(), documents: vec![], papers: vec![], lang: crate::i18n::Lang::Vi };
    let mut d = receive(r, None, at(1, 8), &cal).dossier;
    d.state = state;
    d.handling = Handling { flow, delegated };
    d
}

/// A request for `action` with every detail it needs, made on Thursday 3 Dec.
fn request(action: Action, version: u32) -> ActionRequest {
    ActionRequest {
        action,
        version,
        comment: "Lý do".into(),
        missing: vec![],
        new_due: Some(at(22, 0).date()),
        result_number: "12/QĐ-SNV".into(),
        result_date: Some(at(2, 0).date()),
        result_upload: None,
        by_post: false,
    }
}

#[test]
fn every_staff_action_in_every_status_phase_and_flow_goes_through_apply() {
    let cal = Calendar::default();
    let rules = Rules { calendar: &cal, procedure: None, sign: &no_signature, result_file: None };
    let mut allowed = 0;
    for role in Role::ALL {
        for action in Action::STAFF {
            for status in DossierStatus::ALL {
                for phase in PHASES {
                    for flow in FLOWS {
                        for delegated in [false, true] {
                            for holds in [false, true] {
                                let from = State::new(status, phase);
                                let want = expected(role, action, from, flow).filter(|_| action != Action::Approve || !delegated || holds);
                                let who = staff(&[role], holds);
                                let d = dossier(from, flow, delegated);
                                let got = apply(&d, Command::Staff(request(action, d.version)), Actor::Staff(&who), at(3, 9), &rules);
                                let case = format!("{role:?} {action:?} {from:?} {flow:?} delegated={delegated} holds={holds}");
                                match (want, got) {
                                    (Some(to), Ok(t)) => {
                                        assert_eq!(t.dossier.state, to, "{case}");
                                        assert_eq!((t.dossier.version, t.event.version), (2, 2), "{case}");
                                        assert_eq!((t.event.from, t.event.to, t.event.phase), (Some(status), to.status, phase), "{case}");
                                        assert_eq!(t.event.officer.as_ref().map(|o| o.desk), Some(holder(phase)), "{case}");
                                        allowed += 1;
                                    }
                                    (None, Err(refusal)) => {
                                        assert!(matches!(refusal, Refusal::OtherDesk | Refusal::NotNow | Refusal::NeedsDelegation), "{case}: {refusal:?}");
                                    }
                                    (want, got) => panic!("{case}: expected {want:?}, got {got:?}"),
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // 19 rows over their flows, each under four delegation combinations, less the approvals
    // of delegated procedures by approvers without the delegation.
    assert_eq!(allowed, 31 * 4 - 1);
}

#[test]
fn refusals_in_their_order() {
    let cal = Calendar::default();
    let rules = Rules { calendar: &cal, procedure: None, sign: &no_signature, result_file: None };
    let d = dossier(State::new(InProgress, Phase::Approve), Flow::FourStep, true);
    let approver = staff(&[Role::Approver], false);
    let go = |r: ActionRequest, who: &Staff| apply(&d, Command::Staff(r), Actor::Staff(who), at(3, 9), &rules).unwrap_err();
    assert_eq!(go(request(Action::Submit, 1), &approver), Refusal::NotStaffAction);
    assert_eq!(go(request(Action::Approve, 7), &approver), Refusal::Stale);
    assert_eq!(go(request(Action::Approve, 1), &staff(&[Role::Specialist], true)), Refusal::OtherDesk);
    assert_eq!(go(request(Action::PassOn, 1), &approver), Refusal::NotNow);
    assert_eq!(go(request(Action::Approve, 1), &approver), Refusal::NeedsDelegation);
    let no_reason = ActionRequest { comment: String::new(), ..request(Action::SendBack, 1) };
    assert!(matches!(go(no_reason, &approver), Refusal::Fields(f) if f[0].field == "comment"));
    // The applicant cannot take a staff action.
    assert_eq!(apply(&d, Command::Staff(request(Action::Approve, 1)), Actor::Applicant, at(3, 9), &rules).unwrap_err(), Refusal::OtherDesk);
}

/// Which events send the applicant word, written out by hand from the issue: the receipt,
/// acceptance, a supplement request, a refusal, an apology, the result ready, the result
/// returned — and nothing for hand-overs inside the department or the applicant's own acts.
fn notifiable(action: Action) -> Option<NoticeKind> {
    use NoticeKind as N;
    let table = [
        (Action::Submit, N::Received),
        (Action::RegisterWalkIn, N::Received),
        (Action::Accept, N::Accepted),
        (Action::RequestSupplement, N::SupplementRequested),
        (Action::Refuse, N::Refused),
        (Action::Apologize, N::Apology),
        (Action::RecordResult, N::ResultReady),
        (Action::Return, N::Returned),
    ];
    table.iter().find(|(a, _)| *a == action).map(|(_, n)| *n)
}

#[test]
fn the_return_records_how_the_result_went_as_a_fact_not_a_sentence() {
    let cal = Calendar::default();
    let rules = Rules { calendar: &cal, procedure: None, sign: &no_signature, result_file: None };
    let desk = staff(&[Role::ResultDesk], false);
    let d = dossier(State::new(Finished, Phase::Return), Flow::FourStep, false);
    for (by_post, way) in [(true, HandedOver::ByPost), (false, HandedOver::AtDesk)] {
        let ret = ActionRequest { by_post, comment: String::new(), ..request(Action::Return, 1) };
        let t = apply(&d, Command::Staff(ret), Actor::Staff(&desk), at(3, 9), &rules).unwrap();
        assert_eq!((t.event.facts.handed_over, t.event.comment.as_deref()), (Some(way), None));
        assert_eq!(crate::notify::Notice::of(&t).iter().map(|n| n.by_post).collect::<Vec<_>>(), [by_post]);
    }
    assert_eq!(HandedOver::ByPost.label(crate::i18n::Lang::En), "Sent by post");
}

/// The history's notes, read back in both languages: the officer's words as typed, each fact
/// worded by the page (written out by hand here, not produced by the code under test).
#[test]
fn history_notes_are_the_typed_words_then_the_facts_in_the_pages_language() {
    use crate::i18n::Lang::{En, Vi};
    use crate::workflow::{Event, EventFacts};
    let event = |comment: Option<&str>, facts: EventFacts| Event {
        version: 2,
        at: at(3, 9),
        action: Action::RequestSupplement,
        label: String::new(),
        phase: Phase::Appraise,
        from: None,
        to: SupplementRequested,
        actor: None,
        role: None,
        comment: comment.map(str::to_owned),
        facts,
        step_due: None,
        timeliness: None,
    };
    let asked = event(Some("Ảnh mờ"), EventFacts { missing: vec!["Giấy khám sức khỏe".into(), "Ảnh 4x6".into()], ..Default::default() });
    assert_eq!(asked.note(Vi).as_deref(), Some("Ảnh mờ — Cần bổ sung: Giấy khám sức khỏe; Ảnh 4x6"));
    assert_eq!(asked.note(En).as_deref(), Some("Ảnh mờ — Still needed: Giấy khám sức khỏe; Ảnh 4x6"));
    let new_date = event(Some("Chờ xác minh"), EventFacts { new_due: Some(at(10, 17)), ..Default::default() });
    assert_eq!(new_date.note(Vi).as_deref(), Some("Chờ xác minh — Hẹn trả mới: 17:00 ngày 10/12/2026"));
    assert_eq!(new_date.note(En).as_deref(), Some("Chờ xác minh — New date: 10 Dec 2026, 17:00"));
    let result = event(None, EventFacts { result_number: Some("7/QĐ-SYT".into()), result_date: NaiveDate::from_ymd_opt(2026, 12, 4), ..Default::default() });
    assert_eq!(result.note(Vi).as_deref(), Some("Kết quả số 7/QĐ-SYT, ngày 04/12/2026"));
    assert_eq!(result.note(En).as_deref(), Some("Result no. 7/QĐ-SYT, dated 4 Dec 2026"));
    assert_eq!(event(None, EventFacts::default()).note(En), None);
}

#[test]
fn supplement_apology_and_result_record_facts_not_sentences() {
    let cal = Calendar::default();
    let rules = Rules { calendar: &cal, procedure: None, sign: &no_signature, result_file: None };
    let specialist = staff(&[Role::Specialist], false);
    let d = dossier(State::new(Received, Phase::Appraise), Flow::FourStep, false);
    let ask = ActionRequest { missing: vec![], comment: "Thiếu chữ ký".into(), ..request(Action::RequestSupplement, 1) };
    let t = apply(&d, Command::Staff(ask), Actor::Staff(&specialist), at(3, 9), &rules).unwrap();
    assert_eq!(t.event.comment.as_deref(), Some("Thiếu chữ ký"), "the typed words, nothing appended");
    assert!(t.event.facts.missing.is_empty());
}

#[test]
fn a_supplement_loop_pauses_the_clock_and_the_answer_resumes_it() {
    let cal = Calendar::default();
    let rules = Rules { calendar: &cal, procedure: None, sign: &no_signature, result_file: None };
    let specialist = staff(&[Role::Specialist], false);
    let d = dossier(State::new(Received, Phase::Appraise), Flow::FourStep, false);
    let due = d.timing.due_at;
    let ask = ActionRequest { missing: vec![], ..request(Action::RequestSupplement, 1) };
    let t = apply(&d, Command::Staff(ask), Actor::Staff(&specialist), at(3, 9), &rules).unwrap();
    assert_eq!((t.dossier.state.status, t.notices.clone()), (SupplementRequested, vec![NoticeKind::SupplementRequested]));
    assert_eq!(t.dossier.timing.paused_at, Some(at(3, 9)));
    let answer = Command::AnswerSupplement { documents: vec![], note: String::new() };
    assert!(matches!(apply(&t.dossier, answer, Actor::Applicant, at(7, 9), &rules), Err(Refusal::Fields(f)) if f[0].field == "documents"));
    let answer = Command::AnswerSupplement { documents: vec![AttachedDocument { upload: "a".repeat(32), document: None, name: None }], note: " Đã bổ sung ".into() };
    let back = apply(&t.dossier, answer, Actor::Applicant, at(7, 9), &rules).unwrap();
    assert_eq!(back.dossier.state, State::new(InProgress, Phase::Appraise));
    assert_eq!(back.dossier.timing.due_at, cal.due(due, crate::duration::WorkingDuration::from_days(2)), "two working days waited");
    assert_eq!((back.event.comment.as_deref(), back.notices.len(), back.dossier.documents.len()), (Some("Đã bổ sung"), 0, 1));
    // Answered twice: the second finds nothing to answer.
    let again = Command::AnswerSupplement { documents: vec![AttachedDocument { upload: "b".repeat(32), document: None, name: None }], note: String::new() };
    assert_eq!(apply(&back.dossier, again, Actor::Applicant, at(7, 10), &rules).unwrap_err(), Refusal::NotNow);
}

#[test]
fn a_result_is_signed_over_the_record_and_a_withdrawal_counts() {
    let cal = Calendar::default();
    let sign = |m: &str| format!("signed:{}", m.lines().count());
    let rules = Rules { calendar: &cal, procedure: None, sign: &sign, result_file: None };
    let desk = staff(&[Role::ResultDesk], false);
    let d = dossier(State::new(InProgress, Phase::Return), Flow::FourStep, false);
    let t = apply(&d, Command::Staff(request(Action::RecordResult, 1)), Actor::Staff(&desk), at(3, 9), &rules).unwrap();
    let result = t.dossier.result.clone().unwrap();
    assert_eq!((result.number.as_str(), result.holder.as_str(), result.signature.as_str()), ("12/QĐ-SNV", "Nguyễn Văn An", "signed:8"));
    assert_eq!(t.counters.resolved(), 1);
    assert_eq!(t.handover.as_ref().map(|h| h.desk), Some(Role::ResultDesk));
    let d = dossier(State::new(InProgress, Phase::Appraise), Flow::FourStep, false);
    let w = apply(&d, Command::Withdraw, Actor::Applicant, at(3, 9), &rules).unwrap();
    assert_eq!((w.dossier.state.status, w.counters.withdrawn, w.notices.len()), (Withdrawn, 1, 0));
    assert_eq!(apply(&w.dossier, Command::Withdraw, Actor::Applicant, at(3, 10), &rules).unwrap_err(), Refusal::NotNow);
}

#[test]
fn a_walk_in_is_received_and_measured_at_once() {
    let cal = Calendar::default();
    let p = procedure(&[]);
    let reception = staff(&[Role::Reception], false);
    let code = DossierCode::new("SNV", at(1, 8).date(), 7).unwrap();
    let r = Reception { code, procedure: &p, procedure_version: 3, term: Term::working_days(10), applicant_name: "Trần B".into(), documents: vec![], papers: vec![1], lang: crate::i18n::Lang::Vi };
    let t = receive(r, Some(&reception), at(1, 8), &cal);
    assert_eq!((t.dossier.state, t.dossier.channel), (State::new(Received, Phase::Appraise), Channel::WalkIn));
    assert_eq!((t.event.action, t.event.timeliness), (Action::RegisterWalkIn, Some(Timeliness::OnTime)), "due at 14:00 the same day");
    assert_eq!((t.counters.received_walk_in, t.notices.clone()), (1, vec![NoticeKind::Received]));
    assert_eq!(t.handover.map(|h| (h.username, h.desk)), Some(("canbo".to_owned(), Role::Reception)));
}

/// One dossier's life: channel, flow and choices among what is possible at each step.
#[derive(Debug, Clone)]
struct Life {
    online: bool,
    four_step: bool,
    choices: Vec<u8>,
}

fn life() -> impl Strategy<Value = Life> {
    (any::<bool>(), any::<bool>(), proptest::collection::vec(any::<u8>(), 0..14)).prop_map(|(online, four_step, choices)| Life { online, four_step, choices })
}

proptest! {
    /// Counters kept transition by transition equal a recount from where the dossiers ended,
    /// and each notifiable event sends exactly one notice, of its kind.
    #[test]
    fn random_workflows_keep_counters_and_notices(lives in proptest::collection::vec(life(), 1..25)) {
        let cal = Calendar::default();
        let rules = Rules { calendar: &cal, procedure: None, sign: &no_signature, result_file: None };
        let everyone = Staff { roles: Role::ALL.to_vec(), ..staff(&[], true) };
        let p = procedure(&[]);
        let mut kept = StatCounters::default();
        let mut recount = StatCounters::default();
        // Dossiers per pending cell: moved transition by transition, and where they ended.
        let mut moved: std::collections::BTreeMap<PendingCell, i64> = Default::default();
        let mut ended: std::collections::BTreeMap<PendingCell, i64> = Default::default();
        for (i, l) in lives.iter().enumerate() {
            let mut p = p.clone();
            p.flow = Some(if l.four_step { Flow::FourStep } else { Flow::ThreeStep });
            let code = DossierCode::new("SNV", at(1, 8).date(), i as u32 + 1).unwrap();
            let r = Reception { code, procedure: &p, procedure_version: 1, term: Term::working_days(10), applicant_name: "A".into(), documents: vec![], papers: vec![], lang: crate::i18n::Lang::Vi };
            let mut now = at(1, 8);
            let first = receive(r, (!l.online).then_some(&everyone), now, &cal);
            let mut transitions = vec![first];
            for pick in &l.choices {
                let d = transitions.last().unwrap().dossier.clone();
                now += chrono::Duration::hours(i64::from(*pick % 40) + 1);
                let command = if *pick == 255 {
                    Command::Withdraw
                } else if d.state.status == SupplementRequested {
                    Command::AnswerSupplement { documents: vec![AttachedDocument { upload: "c".repeat(32), document: None, name: None }], note: String::new() }
                } else {
                    let actions = crate::workflow::available(&everyone, d.state, d.handling);
                    if actions.is_empty() {
                        break;
                    }
                    let action = actions[usize::from(*pick) % actions.len()];
                    // A new date for an apology: the next working day after the due one.
                    let new_due = (1..10).map(|k| d.timing.due_at.date() + chrono::Duration::days(k)).find(|day| cal.closing(*day).is_some());
                    let result_date = now.date().max(d.received_at.unwrap_or(d.submitted_at).date());
                    Command::Staff(ActionRequest { new_due, result_date: Some(result_date), ..request(action, d.version) })
                };
                match apply(&d, command, Actor::Staff(&everyone), now, &rules) {
                    Ok(t) => transitions.push(t),
                    // An apology past the due date, say: the dossier stays as it is.
                    Err(Refusal::Fields(_)) | Err(Refusal::NotNow) => continue,
                    Err(other) => prop_assert!(false, "{other:?}"),
                }
            }
            for t in &transitions {
                kept.add(&t.counters);
                if let Some(c) = t.pending.out_of { *moved.entry(c).or_default() -= 1; }
                if let Some(c) = t.pending.into { *moved.entry(c).or_default() += 1; }
                prop_assert_eq!(t.notices.clone(), notifiable(t.event.action).into_iter().collect::<Vec<_>>(), "{:?}", t.event.action);
                prop_assert_eq!(t.event.version, t.dossier.version);
            }
            // Recount from the history: receptions, refusals, withdrawals and results by how
            // the result compared with the due date.
            let events: Vec<&EventRecord> = transitions.iter().map(|t| &t.event).collect();
            let count = |a: Action| events.iter().filter(|e| e.action == a).count() as u32;
            recount.received_online += count(Action::Accept);
            recount.received_walk_in += count(Action::RegisterWalkIn);
            recount.refused += count(Action::Refuse);
            recount.withdrawn += count(Action::Withdraw);
            for e in events.iter().filter(|e| e.action == Action::RecordResult) {
                match e.timeliness.expect("a result is measured") {
                    Timeliness::Early { .. } => recount.resolved_early += 1,
                    Timeliness::OnTime => recount.resolved_on_time += 1,
                    Timeliness::Late { .. } => recount.resolved_late += 1,
                }
            }
            let last = &transitions.last().unwrap().dossier;
            prop_assert_eq!(last.version as usize, transitions.len());
            if let Some(c) = PendingCell::of(last.state.status, last.timing.due_at) {
                *ended.entry(c).or_default() += 1;
            }
        }
        prop_assert_eq!(kept, recount);
        moved.retain(|_, n| *n != 0);
        prop_assert_eq!(moved, ended);
    }
}

#[test]
fn an_apology_buys_at_most_the_statutory_time_once_more() {
    let cal = Calendar::default();
    let rules = Rules { calendar: &cal, procedure: None, sign: &no_signature, result_file: None };
    let specialist = staff(&[Role::Specialist], false);
    let d = dossier(State::new(InProgress, Phase::Appraise), Flow::FourStep, false);
    // Ten working days from Wednesday 2 Dec end on Tuesday 15 Dec; ten more on Tuesday 29 Dec.
    assert_eq!(d.timing.due_at.date(), at(15, 0).date());
    let on = |day: u32| Command::Staff(ActionRequest { new_due: Some(at(day, 0).date()), ..request(Action::Apologize, 1) });
    let t = apply(&d, on(29), Actor::Staff(&specialist), at(3, 9), &rules).unwrap();
    assert_eq!(t.dossier.timing.due_at.date(), at(29, 0).date());
    match apply(&d, on(30), Actor::Staff(&specialist), at(3, 9), &rules) {
        Err(Refusal::Fields(f)) => assert!(f[0].field == "new_due" && f[0].message.contains("29/12/2026"), "{f:?}"),
        other => panic!("a date past the bound: {other:?}"),
    }
}

#[test]
fn only_reception_reissues_a_secret_and_the_dossier_keeps_its_step() {
    let cal = Calendar::default();
    let rules = Rules { calendar: &cal, procedure: None, sign: &no_signature, result_file: None };
    let d = dossier(State::new(InProgress, Phase::Approve), Flow::FourStep, false);
    let specialist = staff(&[Role::Specialist], false);
    assert_eq!(apply(&d, Command::ReissueSecret { version: 0 }, Actor::Staff(&specialist), at(3, 9), &rules).unwrap_err(), Refusal::OtherDesk);
    let reception = staff(&[Role::Reception], false);
    assert_eq!(apply(&d, Command::ReissueSecret { version: 0 }, Actor::Staff(&reception), at(3, 9), &rules).unwrap_err(), Refusal::Stale);
    let t = apply(&d, Command::ReissueSecret { version: d.version }, Actor::Staff(&reception), at(3, 9), &rules).unwrap();
    assert_eq!((t.dossier.state, t.dossier.version, t.event.action), (d.state, d.version + 1, Action::ReissueSecret));
    assert!(t.notices.is_empty() && t.handover.is_none());
    assert_eq!(apply(&d, Command::ReissueSecret { version: d.version }, Actor::Applicant, at(3, 9), &rules).unwrap_err(), Refusal::OtherDesk);
}
