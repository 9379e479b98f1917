//! Every way a dossier changes, in one place. `receive` makes a dossier (an online submission,
//! or a walk-in registered at the desk); `apply` takes it one step (a staff action, the
//! applicant's answer to a supplement request, a withdrawal). Each returns everything the change
//! writes — the dossier's new state, its history line, what it adds to the statistics, and the
//! notices it owes the applicant — so the worker and the demo-data generator only load, call
//! and store.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::timing::Timing;
use super::{
    after_supplement, after_withdrawal, holder, next, permitted, phase_marks, Action, ActionRequest, Apology, Handling, RESULT_SIGNATURE_VERSION,
    ResultRecord, State, Supplement, MAX_COMMENT_CHARS,
};
use super::Phase;
use crate::calendar::{Calendar, Term, Timeliness};
use crate::catalogue::{Flow, Procedure};
use crate::dossier::{AttachedDocument, DossierCode, DossierStatus};
use crate::form::{FieldError, MAX_DOCUMENTS};
use crate::i18n::Lang;
use crate::accounts::{Role, Staff};
use super::counters::{PendingCell, PendingMove, StatCounters};

pub use crate::dossier::Channel;

/// A dossier as its transitions see it: everything a rule reads or changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    pub code: DossierCode,
    pub agency: String,
    pub procedure: String,
    pub procedure_name: String,
    /// The catalogue version it was received under.
    pub procedure_version: u32,
    pub field: String,
    pub channel: Channel,
    pub state: State,
    pub handling: Handling,
    /// Grows by one with every event; a change made from an older one is refused.
    pub version: u32,
    pub submitted_at: NaiveDateTime,
    pub received_at: Option<NaiveDateTime>,
    /// Whole days of the statutory time (the clock holds it with its units).
    pub days: u16,
    pub timing: Timing,
    pub supplement: Option<Supplement>,
    pub apology: Option<Apology>,
    pub result: Option<ResultRecord>,
    pub applicant_name: String,
    pub documents: Vec<AttachedDocument>,
    /// Required documents (by index) handed in on paper at the desk.
    pub papers: Vec<u16>,
    /// The applicant's language, chosen when submitting: the language of their e-mails.
    pub lang: Lang,
}

impl Dossier {
    /// Its pending cell, which the dashboard's counts follow from one state to the next.
    pub fn pending_cell(&self) -> Option<PendingCell> {
        PendingCell::of(self.state.status, self.timing.due_at)
    }
}

/// Who acts.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// The applicant, proved by the receipt's secret.
    Applicant,
    Staff(&'a Staff),
}

/// A change asked of an existing dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Staff(ActionRequest),
    AnswerSupplement { documents: Vec<AttachedDocument>, note: String },
    Withdraw,
    /// Reception gives the applicant a new secret (the worker makes and stores it).
    ReissueSecret { version: u32 },
}

/// An officer as the history names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub username: String,
    pub name: String,
    /// The desk they acted at (the phase's holder).
    pub desk: Role,
}

/// The history line a transition writes (slips 05 and 06 are views of these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub version: u32,
    pub at: NaiveDateTime,
    pub action: Action,
    pub phase: Phase,
    pub from: Option<DossierStatus>,
    pub to: DossierStatus,
    pub officer: Option<Officer>,
    pub comment: Option<String>,
    /// What the step records besides the typed comment (facts, not sentences: pages word them).
    pub facts: super::EventFacts,
    /// The due instant of the phase this action completed, and how the hand-over compares.
    pub step_due: Option<NaiveDateTime>,
    pub timeliness: Option<Timeliness>,
}

/// What a notice tells the applicant. The text is chosen when it is delivered, per channel
/// and language; the kinds are the events a comparable service sends word of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Submitted online or registered at the desk: the receipt, with its due date.
    Received,
    /// Reception accepted an online dossier: the due date is fixed.
    Accepted,
    SupplementRequested,
    Refused,
    /// Slip 04: an apology with a new date.
    Apology,
    ResultReady,
    Returned,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 7] = [
        NoticeKind::Received,
        NoticeKind::Accepted,
        NoticeKind::SupplementRequested,
        NoticeKind::Refused,
        NoticeKind::Apology,
        NoticeKind::ResultReady,
        NoticeKind::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Received => "received",
            NoticeKind::Accepted => "accepted",
            NoticeKind::SupplementRequested => "supplement_requested",
            NoticeKind::Refused => "refused",
            NoticeKind::Apology => "apology",
            NoticeKind::ResultReady => "result_ready",
            NoticeKind::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The notice an event owes the applicant, if any: changes the applicant made themselves
    /// and hand-overs inside the department send none.
    pub fn of(action: Action) -> Option<NoticeKind> {
        match action {
            Action::Submit | Action::RegisterWalkIn => Some(NoticeKind::Received),
            Action::Accept => Some(NoticeKind::Accepted),
            Action::RequestSupplement => Some(NoticeKind::SupplementRequested),
            Action::Refuse => Some(NoticeKind::Refused),
            Action::Apologize => Some(NoticeKind::Apology),
            Action::RecordResult => Some(NoticeKind::ResultReady),
            Action::Return => Some(NoticeKind::Returned),
            Action::AnswerSupplement | Action::Withdraw | Action::PassOn | Action::SendBack | Action::Approve | Action::ReissueSecret => None,
        }
    }
}

/// A notice as the staff page and the applicant's view list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationStatus {
    pub kind: NoticeKind,
    /// `email` or `push`.
    pub channel: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    /// When it was queued, or last tried.
    #[serde(with = "crate::date::iso_datetime")]
    pub at: NaiveDateTime,
    pub attempts: u32,
    /// Why the last attempt failed (staff only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What an officer's measured hand-over adds to the per-officer and per-desk counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub username: String,
    pub desk: Role,
    pub timeliness: Timeliness,
}

/// Everything one change writes, in one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub dossier: Dossier,
    pub event: EventRecord,
    pub counters: StatCounters,
    /// Where the dossier moves among the dashboard's pending cells.
    pub pending: PendingMove,
    pub handover: Option<Handover>,
    pub notices: Vec<NoticeKind>,
}

/// Why a change is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Another change came first: the version sent is not the dossier's (409).
    Stale,
    /// A staff request naming an action that is not a staff action (400).
    NotStaffAction,
    /// The dossier waits at another desk's step (403).
    OtherDesk,
    /// The province delegated this approval: an approver holding the delegation must act (403).
    NeedsDelegation,
    /// Not possible in the dossier's present status (422).
    NotNow,
    /// Details to mend, field by field (422).
    Fields(Vec<FieldError>),
}

/// What the rules need besides the dossier: the calendar, the version's published record (its
/// papers, its process for dossiers stored before clocks had marks), and the signer of results.
pub struct Rules<'a> {
    pub calendar: &'a Calendar,
    pub procedure: Option<&'a Procedure>,
    pub sign: &'a dyn Fn(&str) -> String,
    /// The SHA-256 (hex) of the result file a result record names, as stored: the signature
    /// covers the file too.
    pub result_file: Option<&'a str>,
}

/// A new dossier's facts, before its first event.
pub struct Reception<'a> {
    pub code: DossierCode,
    pub procedure: &'a Procedure,
    pub procedure_version: u32,
    pub term: Term,
    pub applicant_name: String,
    pub documents: Vec<AttachedDocument>,
    pub papers: Vec<u16>,
    pub lang: Lang,
}

fn field(field: &str, message: &str) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

fn officer(staff: &Staff, desk: Role) -> Officer {
    Officer { username: staff.username.as_str().to_owned(), name: staff.name.clone(), desk }
}

/// A dossier received: online by the applicant (its clock provisional until reception accepts
/// it), or at the desk by `reception` (received and measured at once).
pub fn receive(r: Reception<'_>, reception: Option<&Staff>, now: NaiveDateTime, calendar: &Calendar) -> Transition {
    let flow = r.procedure.flow.unwrap_or(Flow::FourStep);
    let marks = phase_marks(&r.procedure.internal_process, &r.term, flow);
    let timing = Timing::start(calendar, now, r.term.clone(), marks);
    let (action, state) = match reception {
        None => (Action::Submit, State::new(DossierStatus::New, Phase::Receive)),
        Some(_) => (Action::RegisterWalkIn, State::new(DossierStatus::Received, Phase::Appraise)),
    };
    // At the desk the reception step is done on the spot.
    let measured = reception.and_then(|_| timing.classify(calendar, Phase::Receive, now));
    let dossier = Dossier {
        code: r.code,
        agency: r.procedure.agency.clone(),
        procedure: r.procedure.id.clone(),
        procedure_name: r.procedure.name.clone(),
        procedure_version: r.procedure_version,
        field: r.procedure.field.clone(),
        channel: if reception.is_some() { Channel::WalkIn } else { Channel::Online },
        state,
        handling: Handling { flow, delegated: r.procedure.delegated },
        version: 1,
        submitted_at: now,
        received_at: reception.map(|_| now),
        days: r.term.days(),
        timing,
        supplement: None,
        apology: None,
        result: None,
        applicant_name: r.applicant_name,
        documents: r.documents,
        papers: r.papers,
        lang: r.lang,
    };
    let event = EventRecord {
        version: 1,
        at: now,
        action,
        phase: state.phase,
        from: None,
        to: state.status,
        officer: reception.map(|s| officer(s, Role::Reception)),
        comment: None,
        facts: Default::default(),
        step_due: measured.map(|(due, _)| due),
        timeliness: measured.map(|(_, t)| t),
    };
    finish(None, dossier, event)
}

/// The dossier `d` after `command` by `actor` at `now`.
pub fn apply(d: &Dossier, command: Command, actor: Actor<'_>, now: NaiveDateTime, rules: &Rules<'_>) -> Result<Transition, Refusal> {
    match (command, actor) {
        (Command::Staff(request), Actor::Staff(staff)) => act(d, request, staff, now, rules),
        (Command::AnswerSupplement { documents, note }, _) => answer_supplement(d, documents, &note, now, rules.calendar),
        (Command::Withdraw, _) => withdraw(d, now),
        (Command::ReissueSecret { version }, Actor::Staff(staff)) => reissue_secret(d, version, staff, now),
        (Command::Staff(_) | Command::ReissueSecret { .. }, Actor::Applicant) => Err(Refusal::OtherDesk),
    }
}

/// The new state's history line, counters, hand-over and notices, from its event; `before`:
/// the dossier it changed (none for a new one).
fn finish(before: Option<&Dossier>, dossier: Dossier, event: EventRecord) -> Transition {
    let counters = StatCounters::of_event(event.action, event.timeliness);
    let pending = PendingMove::between(before.and_then(Dossier::pending_cell), dossier.pending_cell());
    let handover = match (&event.officer, event.timeliness) {
        (Some(o), Some(t)) => Some(Handover { username: o.username.clone(), desk: o.desk, timeliness: t }),
        _ => None,
    };
    let notices = NoticeKind::of(event.action).into_iter().collect();
    Transition { dossier, event, counters, pending, handover, notices }
}

/// The next version of `d` in `to`, with its event.
fn step(d: &Dossier, to: State, action: Action, phase: Phase, now: NaiveDateTime) -> (Dossier, EventRecord) {
    let mut next = d.clone();
    next.version = d.version + 1;
    next.state = to;
    let event = EventRecord {
        version: next.version,
        at: now,
        action,
        phase,
        from: Some(d.state.status),
        to: to.status,
        officer: None,
        comment: None,
        facts: Default::default(),
        step_due: None,
        timeliness: None,
    };
    (next, event)
}

fn act(d: &Dossier, request: ActionRequest, staff: &Staff, now: NaiveDateTime, rules: &Rules<'_>) -> Result<Transition, Refusal> {
    if !Action::STAFF.contains(&request.action) {
        return Err(Refusal::NotStaffAction);
    }
    if request.version != d.version {
        return Err(Refusal::Stale);
    }
    let from = d.state;
    if !staff.has(holder(from.phase)) {
        return Err(Refusal::OtherDesk);
    }
    let to = next(request.action, from, d.handling.flow).ok_or(Refusal::NotNow)?;
    if !permitted(staff, request.action, from, d.handling) {
        return Err(Refusal::NeedsDelegation);
    }
    let published = rules.procedure.map_or(&[][..], |p| p.documents.as_slice());
    let received = d.received_at.unwrap_or(d.timing.counted_from).date();
    request.check(published.len(), now, d.timing.due_at, received).map_err(Refusal::Fields)?;
    // The phase this action completes, when it hands the dossier on, and how it compares. The
    // result and its return are measured against the dossier's due date.
    let handed_over = match request.action {
        Action::Return | Action::RecordResult => Some(Phase::Return),
        _ if to.phase != from.phase => Some(from.phase),
        _ => None,
    };
    let measured = handed_over.and_then(|p| d.timing.classify(rules.calendar, p, now));
    let comment = request.comment.trim().to_owned();
    let (mut next, mut event) = step(d, to, request.action, from.phase, now);
    event.comment = (!comment.is_empty()).then(|| comment.clone());
    match request.action {
        Action::Accept => {
            // Reception fixes the clock from now; the dossier keeps the term and phases it was
            // submitted under.
            let term = d.timing.term(d.days);
            let marks = match &d.timing.clock {
                Some(clock) => clock.marks.clone(),
                None => phase_marks(rules.procedure.map_or(&[][..], |p| &p.internal_process), &term, d.handling.flow),
            };
            next.timing = Timing::start(rules.calendar, now, term, marks);
            next.received_at = Some(now);
        }
        Action::RequestSupplement => {
            let names: Vec<String> = request.missing.iter().filter_map(|i| published.get(usize::from(*i)).map(|p| p.name.clone())).collect();
            event.facts.missing = names.clone();
            next.supplement = Some(Supplement { at: now, missing: names, reason: comment });
            next.timing.pause(now);
        }
        Action::Apologize => {
            let new_due = apology_due(d, request.new_due, rules.calendar)?;
            next.apology = Some(Apology { at: now, reason: comment.clone(), previous_due: d.timing.due_at, new_due });
            event.facts.new_due = Some(new_due);
            next.timing.reschedule(rules.calendar, new_due);
        }
        Action::RecordResult => {
            let record = result_record(d, &request, rules)?;
            event.facts.result_number = Some(record.number.clone());
            event.facts.result_date = Some(record.date);
            next.result = Some(record);
        }
        Action::Return => {
            event.facts.handed_over = Some(if request.by_post { super::HandedOver::ByPost } else { super::HandedOver::AtDesk });
        }
        _ => {}
    }
    event.officer = Some(officer(staff, holder(from.phase)));
    event.step_due = measured.map(|(due, _)| due);
    event.timeliness = measured.map(|(_, t)| t);
    Ok(finish(Some(d), next, event))
}

/// Slip 04's new date: a working day's close, at most the statutory time once more after the
/// date it moves.
fn apology_due(d: &Dossier, asked: Option<chrono::NaiveDate>, calendar: &Calendar) -> Result<NaiveDateTime, Refusal> {
    let date = asked.ok_or_else(|| Refusal::Fields(vec![field("new_due", "Chọn ngày hẹn trả mới.")]))?;
    let new_due = calendar.closing(date).ok_or_else(|| Refusal::Fields(vec![field("new_due", "Ngày hẹn mới phải là ngày làm việc.")]))?;
    let latest = calendar.term_end(d.timing.due_at, &d.timing.term(d.days), &[]);
    if new_due.date() > latest.date() {
        let message = format!(
            "Ngày hẹn mới không được muộn hơn {}: tối đa thêm một lần thời hạn giải quyết, tính từ ngày hẹn hiện tại.",
            crate::date::to_vi(latest.date())
        );
        return Err(Refusal::Fields(vec![field("new_due", &message)]));
    }
    Ok(new_due)
}

/// The result as recorded, signed over the dossier's code and procedure.
fn result_record(d: &Dossier, request: &ActionRequest, rules: &Rules<'_>) -> Result<ResultRecord, Refusal> {
    let date = request.result_date.ok_or_else(|| Refusal::Fields(vec![field("result_date", "Nhập ngày ký văn bản kết quả.")]))?;
    let mut record = ResultRecord {
        version: RESULT_SIGNATURE_VERSION,
        number: request.result_number.trim().to_owned(),
        date,
        holder: d.applicant_name.clone(),
        upload: request.result_upload.clone(),
        file_sha256: rules.result_file.map(str::to_owned),
        signature: String::new(),
    };
    record.signature = (rules.sign)(&record.signed_message(&d.code, &d.procedure));
    Ok(record)
}

fn answer_supplement(d: &Dossier, documents: Vec<AttachedDocument>, note: &str, now: NaiveDateTime, calendar: &Calendar) -> Result<Transition, Refusal> {
    let to = after_supplement(d.state).ok_or(Refusal::NotNow)?;
    let mut errors = Vec::new();
    if documents.is_empty() {
        errors.push(field("documents", "Vui lòng đính kèm giấy tờ cần bổ sung."));
    } else if d.documents.len() + documents.len() > MAX_DOCUMENTS {
        errors.push(field("documents", "Hồ sơ đã đủ số tệp tối đa."));
    }
    let note = note.trim();
    if note.chars().count() > MAX_COMMENT_CHARS {
        errors.push(field("note", "Ghi chú tối đa 2000 ký tự."));
    }
    if !errors.is_empty() {
        return Err(Refusal::Fields(errors));
    }
    let (mut next, mut event) = step(d, to, Action::AnswerSupplement, to.phase, now);
    // Before reception the clock has not started: nothing to resume.
    if d.state.phase == Phase::Receive {
        next.timing.paused_at = None;
    } else {
        next.timing.resume(calendar, now);
    }
    next.documents.extend(documents);
    next.supplement = None;
    event.comment = (!note.is_empty()).then(|| note.to_owned());
    Ok(finish(Some(d), next, event))
}

/// Only reception, which checks the applicant's papers at the desk, re-issues a secret; the
/// dossier keeps its status whatever it is.
fn reissue_secret(d: &Dossier, version: u32, staff: &Staff, now: NaiveDateTime) -> Result<Transition, Refusal> {
    if !staff.has(Role::Reception) {
        return Err(Refusal::OtherDesk);
    }
    if version != d.version {
        return Err(Refusal::Stale);
    }
    let (next, mut event) = step(d, d.state, Action::ReissueSecret, d.state.phase, now);
    event.officer = Some(officer(staff, Role::Reception));
    Ok(finish(Some(d), next, event))
}

fn withdraw(d: &Dossier, now: NaiveDateTime) -> Result<Transition, Refusal> {
    let to = after_withdrawal(d.state).ok_or(Refusal::NotNow)?;
    let (mut next, event) = step(d, to, Action::Withdraw, d.state.phase, now);
    next.supplement = None;
    Ok(finish(Some(d), next, event))
}

#[cfg(test)]
mod tests;
