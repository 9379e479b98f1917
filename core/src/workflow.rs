//! The one state machine of a dossier: who may do what, in which status and phase, and where
//! each action leads (rules.md: receive → appraise → (approve →) return result).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::calendar::{Leg, Mark, Term, Timeliness};
use crate::catalogue::{Allotment, Flow, ProcessStep};
use crate::dossier::{DossierCode, DossierStatus};
use crate::duration::WorkingDuration;
use crate::form::FieldError;
use crate::accounts::{Role, Staff};
use crate::text::fold;

/// Everything that can happen to a dossier. The staff actions are checked by `permitted`; the
/// others are done by the applicant or by reception registering a walk-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Submitted online by the applicant.
    Submit,
    /// Registered at the desk by reception (walk-in): received at once.
    RegisterWalkIn,
    /// The applicant sent what a supplement request asked for.
    AnswerSupplement,
    /// The applicant withdraws the dossier before it is resolved.
    Withdraw,
    Accept,
    Refuse,
    RequestSupplement,
    /// Appraisal done: on to approval (4-step) or to the result desk (3-step).
    PassOn,
    /// The approver sends the dossier back to appraisal.
    SendBack,
    Approve,
    RecordResult,
    Return,
    /// Slip 04: the dossier will be late; a reason and a new date, before the due date.
    Apologize,
    /// Reception re-issues the tracking secret after checking the applicant's papers (the old
    /// one was lost): logged like any change, it leaves the status as it is.
    ReissueSecret,
}

impl Action {
    pub const STAFF: [Action; 9] = [
        Action::Accept,
        Action::Refuse,
        Action::RequestSupplement,
        Action::PassOn,
        Action::SendBack,
        Action::Approve,
        Action::RecordResult,
        Action::Return,
        Action::Apologize,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::RegisterWalkIn => "register_walk_in",
            Action::AnswerSupplement => "answer_supplement",
            Action::Withdraw => "withdraw",
            Action::Accept => "accept",
            Action::Refuse => "refuse",
            Action::RequestSupplement => "request_supplement",
            Action::PassOn => "pass_on",
            Action::SendBack => "send_back",
            Action::Approve => "approve",
            Action::RecordResult => "record_result",
            Action::Return => "return",
            Action::Apologize => "apologize",
            Action::ReissueSecret => "reissue_secret",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        [Action::Submit, Action::RegisterWalkIn, Action::AnswerSupplement, Action::Withdraw, Action::ReissueSecret]
            .into_iter()
            .chain(Action::STAFF)
            .find(|a| a.as_str() == s)
    }

    /// As the history and the buttons say it.
    pub fn label_vi(self, flow: Flow) -> &'static str {
        match self {
            Action::Submit => "Nộp hồ sơ trực tuyến",
            Action::RegisterWalkIn => "Tiếp nhận hồ sơ trực tiếp",
            Action::AnswerSupplement => "Công dân bổ sung hồ sơ",
            Action::Withdraw => "Công dân rút hồ sơ",
            Action::Accept => "Tiếp nhận hồ sơ",
            Action::Refuse => "Từ chối",
            Action::RequestSupplement => "Yêu cầu bổ sung",
            Action::PassOn if flow == Flow::FourStep => "Trình phê duyệt",
            Action::PassOn => "Chuyển trả kết quả",
            Action::SendBack => "Trả lại thẩm định",
            Action::Approve => "Phê duyệt",
            Action::RecordResult => "Ghi nhận kết quả",
            Action::Return => "Đã trả kết quả",
            Action::Apologize => "Xin lỗi, hẹn lại ngày trả",
            Action::ReissueSecret => "Cấp lại mã bí mật",
        }
    }

    /// As the applicant's pages say it in `lang`.
    pub fn label(self, flow: Flow, lang: crate::i18n::Lang) -> &'static str {
        let _ = flow;
        if lang == crate::i18n::Lang::Vi {
            return self.label_vi(flow);
        }
        match self {
            Action::Submit => "Submitted online",
            Action::RegisterWalkIn => "Received in person",
            Action::AnswerSupplement => "Papers added by the applicant",
            Action::Withdraw => "Withdrawn by the applicant",
            Action::Accept => "Received",
            Action::Refuse => "Refused",
            Action::RequestSupplement => "More papers requested",
            // The event does not carry the flow: one text fits both.
            Action::PassOn => "Appraisal completed, passed on",
            Action::SendBack => "Sent back to appraisal",
            Action::Approve => "Approved",
            Action::RecordResult => "Result recorded",
            Action::Return => "Result handed over",
            Action::Apologize => "Apology, new date set",
            Action::ReissueSecret => "Secret code reissued",
        }
    }

    /// Whether a comment (reason) must go with the action.
    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Refuse | Action::RequestSupplement | Action::SendBack | Action::Apologize)
    }
}

/// Where a dossier stands: its national status and the phase holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub status: DossierStatus,
    pub phase: Phase,
}

impl State {
    pub fn new(status: DossierStatus, phase: Phase) -> Self {
        State { status, phase }
    }
}

/// The four phases of handling; 3-step procedures have no `Approve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Receive,
    Appraise,
    Approve,
    Return,
}

pub fn phase_as_str(p: Phase) -> &'static str {
    match p {
        Phase::Receive => "receive",
        Phase::Appraise => "appraise",
        Phase::Approve => "approve",
        Phase::Return => "return",
    }
}

pub fn phase_parse(s: &str) -> Option<Phase> {
    [Phase::Receive, Phase::Appraise, Phase::Approve, Phase::Return].into_iter().find(|p| phase_as_str(*p) == s)
}

pub fn phase_label_vi(p: Phase) -> &'static str {
    match p {
        Phase::Receive => "Tiếp nhận",
        Phase::Appraise => "Thẩm định",
        Phase::Approve => "Phê duyệt",
        Phase::Return => "Trả kết quả",
    }
}

/// The role that acts on a dossier in a phase.
pub fn holder(phase: Phase) -> Role {
    match phase {
        Phase::Receive => Role::Reception,
        Phase::Appraise => Role::Specialist,
        Phase::Approve => Role::Approver,
        Phase::Return => Role::ResultDesk,
    }
}

/// Where a staff action leads from `from`, or `None` when it is not possible there.
pub fn next(action: Action, from: State, flow: Flow) -> Option<State> {
    use DossierStatus::*;
    use Phase::*;
    if flow == Flow::ThreeStep && from.phase == Approve {
        return None;
    }
    let in_appraisal = from.phase == Appraise && matches!(from.status, Received | InProgress);
    let to = match action {
        Action::Accept if from == State::new(New, Receive) => State::new(Received, Appraise),
        Action::Refuse if from == State::new(New, Receive) => State::new(NotReceived, Receive),
        Action::Refuse if in_appraisal => State::new(Stopped, Appraise),
        Action::RequestSupplement if from == State::new(New, Receive) || in_appraisal => State::new(SupplementRequested, from.phase),
        Action::PassOn if in_appraisal => match flow {
            Flow::FourStep => State::new(InProgress, Approve),
            Flow::ThreeStep => State::new(InProgress, Return),
        },
        Action::SendBack if from == State::new(InProgress, Approve) => State::new(InProgress, Appraise),
        Action::Approve if from == State::new(InProgress, Approve) => State::new(InProgress, Return),
        Action::RecordResult if from == State::new(InProgress, Return) => State::new(Finished, Return),
        Action::Return if from == State::new(Finished, Return) => State::new(Returned, Return),
        // While staff hold it, before the result: afterwards there is nothing left to be late.
        Action::Apologize if from.phase != Receive && from.status != Finished && queue(from).is_some() => from,
        _ => return None,
    };
    Some(to)
}

/// Where a dossier goes when the applicant answers a supplement request.
pub fn after_supplement(from: State) -> Option<State> {
    match from {
        State { status: DossierStatus::SupplementRequested, phase: Phase::Receive } => Some(State::new(DossierStatus::New, Phase::Receive)),
        State { status: DossierStatus::SupplementRequested, phase } => Some(State::new(DossierStatus::InProgress, phase)),
        _ => None,
    }
}

/// Where a dossier goes when the applicant withdraws it: possible until the result is issued
/// (rules.md status 7).
pub fn after_withdrawal(from: State) -> Option<State> {
    use DossierStatus::*;
    matches!(from.status, New | Received | InProgress | SupplementRequested).then_some(State::new(Withdrawn, from.phase))
}

/// What a procedure needs to know for the rules: its flow and whether its approval is
/// delegated by the province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handling {
    pub flow: Flow,
    pub delegated: bool,
}

/// Whether `staff` may take `action` on a dossier of their agency in `state`. Approving a
/// procedure delegated by the province takes an approver holding that delegation.
pub fn permitted(staff: &Staff, action: Action, state: State, handling: Handling) -> bool {
    let Some(_) = next(action, state, handling.flow) else { return false };
    let delegation_ok = action != Action::Approve || !handling.delegated || staff.delegated_approval;
    staff.has(holder(state.phase)) && delegation_ok
}

/// The actions `staff` may take now, in the order the buttons show them.
pub fn available(staff: &Staff, state: State, handling: Handling) -> Vec<Action> {
    Action::STAFF.into_iter().filter(|a| permitted(staff, *a, state, handling)).collect()
}

/// The queue a dossier waits in, if any (dossiers waiting for the applicant or closed wait in
/// none).
pub fn queue(state: State) -> Option<Role> {
    use DossierStatus::*;
    let waiting = match state.phase {
        Phase::Receive => state.status == New,
        Phase::Appraise => matches!(state.status, Received | InProgress),
        Phase::Approve => state.status == InProgress,
        Phase::Return => matches!(state.status, InProgress | Finished),
    };
    waiting.then(|| holder(state.phase))
}

/// The step's due instant an officer should see: only while a desk holds the dossier (one
/// waiting for the applicant, or closed, keeps the due of its last step, which no longer runs).
pub fn step_due(queue: Option<Role>, step_due: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    step_due.filter(|_| queue.is_some())
}

/// Whether a desk holds the dossier past its step's due instant: the "quá hạn" of the queues and
/// of the staff search. The store's queries state the same condition (`queue IS NOT NULL AND
/// step_due_at < now`) so the counts match the lists.
pub fn step_overdue(queue: Option<Role>, due: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    step_due(queue, due).is_some_and(|d| d < now)
}

/// Whether the dossier is closed for good.
pub fn closed(status: DossierStatus) -> bool {
    use DossierStatus::*;
    matches!(status, NotReceived | Withdrawn | Stopped | Returned)
}

/// Shares of the statutory time per phase. A published internal process is grouped into the
/// phases: its first counted step is reception; in a 4-step flow approval runs from the first
/// step of the department's leader through any step at the provincial People's Committee; the
/// clerical steps after approval (or, in a 3-step flow, at the end) are the return; the rest
/// is appraisal. Without a usable process (or when its allotments do not add up to `total`),
/// the default split.
pub fn phase_shares(process: &[ProcessStep], total: WorkingDuration, flow: Flow) -> Vec<(Phase, WorkingDuration)> {
    let first_case = process.first().map(|s| s.case.clone());
    let steps: Vec<_> = process.iter().filter(|s| Some(&s.case) == first_case.as_ref()).collect();
    let mut counted = Vec::new();
    for s in &steps {
        match s.allotment {
            Some(Allotment::Working { minutes }) => counted.push((fold(&s.responsible), WorkingDuration::from_minutes(minutes))),
            Some(Allotment::NotCounted) => {}
            Some(Allotment::CalendarDays { .. }) | None => return default_split(total, flow),
        }
    }
    let sum = counted.iter().fold(WorkingDuration::ZERO, |a, (_, d)| a + *d);
    if counted.is_empty() || sum != total {
        return default_split(total, flow);
    }
    let is_leader = |r: &str| r.contains("lanh dao so") || r.contains("giam doc so");
    let is_province = |r: &str| r.contains("ubnd tinh") || r.contains("uy ban nhan dan tinh");
    let is_clerical = |r: &str| r.contains("van thu") && !is_province(r);
    let approve_span = (flow == Flow::FourStep).then(|| {
        let start = counted.iter().position(|(r, _)| is_leader(r));
        let end = counted.iter().rposition(|(r, _)| is_province(r) || is_leader(r));
        start.zip(end)
    });
    let mut shares = [WorkingDuration::ZERO; 4];
    for (i, (r, d)) in counted.iter().enumerate() {
        let phase = if i == 0 {
            Phase::Receive
        } else if let Some(Some((start, end))) = approve_span {
            if i < start { Phase::Appraise } else if i <= end { Phase::Approve } else { Phase::Return }
        } else if is_clerical(r) && counted[i..].iter().all(|(r, _)| is_clerical(r)) {
            Phase::Return
        } else {
            Phase::Appraise
        };
        shares[phase as usize] = shares[phase as usize] + *d;
    }
    if flow == Flow::FourStep && approve_span.flatten().is_none() {
        return default_split(total, flow);
    }
    let phases = match flow {
        Flow::FourStep => vec![Phase::Receive, Phase::Appraise, Phase::Approve, Phase::Return],
        Flow::ThreeStep => vec![Phase::Receive, Phase::Appraise, Phase::Return],
    };
    phases.into_iter().map(|p| (p, shares[p as usize])).collect()
}

/// Where a phase ends on a dossier's term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseMark {
    pub phase: Phase,
    pub mark: Mark,
}

/// Where each phase ends on `term`. A term in working time alone is shared as `phase_shares`
/// says (the published internal process, or the default split); a term in days or in mixed
/// units in the default proportions of its weight (a day of either unit weighs the same), each
/// phase ending at the end of the day its share falls in (calendar::periods).
pub fn phase_marks(process: &[ProcessStep], term: &Term, flow: Flow) -> Vec<PhaseMark> {
    let shares = match term.legs() {
        [Leg::Working { minutes }] => phase_shares(process, *minutes, flow),
        _ => default_split(term.weight_as_duration(), flow),
    };
    let durations: Vec<WorkingDuration> = shares.iter().map(|(_, d)| *d).collect();
    shares.iter().zip(term.marks(&durations)).map(|((phase, _), mark)| PhaseMark { phase: *phase, mark }).collect()
}

/// Due instant of each phase of a dossier, for the queues and the control slip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseDue {
    pub phase: Phase,
    #[serde(with = "crate::date::iso_datetime")]
    pub due: NaiveDateTime,
}

/// A staff action as sent: `version` is the dossier's version the member of staff saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRequest {
    pub action: Action,
    pub version: u32,
    #[serde(default)]
    pub comment: String,
    /// Supplement: indices in the procedure's published documents.
    #[serde(default)]
    pub missing: Vec<u16>,
    /// Apology: the new appointment date.
    #[serde(default, with = "crate::date::iso_opt")]
    pub new_due: Option<NaiveDate>,
    #[serde(default)]
    pub result_number: String,
    #[serde(default, with = "crate::date::iso_opt")]
    pub result_date: Option<NaiveDate>,
    /// An upload id (`POST /api/uploads`) of the result document.
    #[serde(default)]
    pub result_upload: Option<String>,
    /// Return: sent by post rather than handed over at the desk.
    #[serde(default)]
    pub by_post: bool,
}

pub const MAX_COMMENT_CHARS: usize = 2000;

fn err(field: &str, message: &str) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

impl ActionRequest {
    /// The checks that need no storage: reasons, the documents asked for, dates. `documents`:
    /// how many documents the procedure publishes; `due`: the dossier's current due instant.
    pub fn check(&self, documents: usize, now: NaiveDateTime, due: NaiveDateTime, received: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let comment = self.comment.trim();
        if self.action.needs_reason() && comment.is_empty() {
            errors.push(err("comment", "Vui lòng ghi rõ lý do."));
        }
        if comment.chars().count() > MAX_COMMENT_CHARS {
            errors.push(err("comment", "Nội dung tối đa 2000 ký tự."));
        }
        if self.action == Action::RequestSupplement {
            // Staff may ask only for documents on the procedure's published list.
            if self.missing.iter().any(|i| usize::from(*i) >= documents) {
                errors.push(err("missing", "Chỉ được yêu cầu các giấy tờ có trong danh mục thành phần hồ sơ đã công bố."));
            } else if documents > 0 && self.missing.is_empty() {
                errors.push(err("missing", "Chọn ít nhất một giấy tờ cần bổ sung."));
            }
        }
        if self.action == Action::Apologize {
            if now >= due {
                errors.push(err("new_due", "Đã quá hạn: phiếu xin lỗi phải gửi trước ngày hẹn trả."));
            }
            match self.new_due {
                None => errors.push(err("new_due", "Chọn ngày hẹn trả mới.")),
                Some(d) if d <= due.date() => errors.push(err("new_due", "Ngày hẹn mới phải sau ngày hẹn hiện tại.")),
                Some(_) => {}
            }
        }
        if self.action == Action::RecordResult {
            let number = self.result_number.trim();
            if number.is_empty() || number.chars().count() > 60 {
                errors.push(err("result_number", "Nhập số văn bản kết quả (tối đa 60 ký tự)."));
            }
            match self.result_date {
                None => errors.push(err("result_date", "Nhập ngày ký văn bản kết quả.")),
                Some(d) if d > now.date() || d < received => {
                    errors.push(err("result_date", "Ngày ký phải trong khoảng từ ngày nhận hồ sơ đến hôm nay."))
                }
                Some(_) => {}
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// How the result desk handed the result over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandedOver {
    AtDesk,
    ByPost,
}

impl HandedOver {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::*;
        match (self, lang) {
            (HandedOver::AtDesk, Vi) => "Trả kết quả trực tiếp",
            (HandedOver::ByPost, Vi) => "Gửi kết quả qua bưu chính",
            (HandedOver::AtDesk, En) => "Handed over at the desk",
            (HandedOver::ByPost, En) => "Sent by post",
        }
    }
}

/// What a history line records besides its action and the typed comment: facts, never a
/// sentence stored in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFacts {
    /// A supplement request: the papers asked for, by their published (official) names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// An apology (slip 04): the new due instant.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::date::iso_datetime_opt")]
    pub new_due: Option<NaiveDateTime>,
    /// The result recorded: its number and date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::date::iso_opt")]
    pub result_date: Option<NaiveDate>,
    /// The return: how the result went to the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_over: Option<HandedOver>,
}

impl EventFacts {
    pub fn is_empty(&self) -> bool {
        *self == EventFacts::default()
    }

    /// Each fact worded in `lang`, in the order a reader wants them.
    fn texts(&self, lang: crate::i18n::Lang) -> Vec<String> {
        use crate::date::{date_text, datetime_text};
        use crate::i18n::Lang::*;
        let mut out = Vec::new();
        if let Some(n) = &self.result_number {
            let date = self.result_date.map(|d| date_text(d, lang)).unwrap_or_default();
            out.push(match lang {
                Vi => format!("Kết quả số {n}, ngày {date}"),
                En => format!("Result no. {n}, dated {date}"),
            });
        }
        if let Some(h) = self.handed_over {
            out.push(h.label(lang).to_owned());
        }
        if !self.missing.is_empty() {
            let list = self.missing.join("; ");
            out.push(match lang {
                Vi => format!("Cần bổ sung: {list}"),
                En => format!("Still needed: {list}"),
            });
        }
        if let Some(due) = self.new_due {
            out.push(match lang {
                Vi => format!("Hẹn trả mới: {}", datetime_text(due, lang)),
                En => format!("New date: {}", datetime_text(due, lang)),
            });
        }
        out
    }
}

/// One line of a dossier's history (append-only; the control slip 05 is a view of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub version: u32,
    #[serde(with = "crate::date::iso_datetime")]
    pub at: NaiveDateTime,
    pub action: Action,
    pub label: String,
    pub phase: Phase,
    pub from: Option<DossierStatus>,
    pub to: DossierStatus,
    /// Who, as "name (role)": only in the staff view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Only in the staff view and the applicant's own view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// What the step recorded besides the typed comment (papers asked for, a new date, the
    /// result, how it was handed over): facts each page words in its language. Only in the
    /// staff view and the applicant's own view.
    #[serde(default, skip_serializing_if = "EventFacts::is_empty")]
    pub facts: EventFacts,
    /// The due instant of the phase this action completed, and how it compares.
    #[serde(default, with = "crate::date::iso_datetime_opt")]
    pub step_due: Option<NaiveDateTime>,
    #[serde(default)]
    pub timeliness: Option<Timeliness>,
}

impl Event {
    /// The line's note in `lang`: what the officer or applicant typed, as typed, then the facts
    /// it records worded for the page.
    pub fn note(&self, lang: crate::i18n::Lang) -> Option<String> {
        let mut parts: Vec<String> = self.comment.iter().cloned().collect();
        parts.extend(self.facts.texts(lang));
        (!parts.is_empty()).then(|| parts.join(" — "))
    }

    /// The event's label in `lang`: in Vietnamese as recorded, in English from its action.
    pub fn action_label(&self, lang: crate::i18n::Lang) -> String {
        match lang {
            crate::i18n::Lang::Vi => self.label.clone(),
            crate::i18n::Lang::En => self.action.label(Flow::ThreeStep, lang).to_owned(),
        }
    }
}

/// Slip 02: what the applicant must add, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    #[serde(with = "crate::date::iso_datetime")]
    pub at: NaiveDateTime,
    pub missing: Vec<String>,
    pub reason: String,
}

/// Slip 04: the apology and the new appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Apology {
    #[serde(with = "crate::date::iso_datetime")]
    pub at: NaiveDateTime,
    pub reason: String,
    #[serde(with = "crate::date::iso_datetime")]
    pub previous_due: NaiveDateTime,
    #[serde(with = "crate::date::iso_datetime")]
    pub new_due: NaiveDateTime,
}

/// The result document, signed by the worker (`GET /api/verify/{code}?sig=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRecord {
    /// How the signed message is encoded (1 before files were covered; records keep theirs).
    #[serde(default = "first_version")]
    pub version: u8,
    pub number: String,
    #[serde(with = "crate::date::iso")]
    pub date: NaiveDate,
    pub holder: String,
    #[serde(default)]
    pub upload: Option<String>,
    /// SHA-256 (hex) of the result file, when one was attached: the signature covers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_sha256: Option<String>,
    /// Ed25519 signature of `signed_message`, hex.
    pub signature: String,
}

fn first_version() -> u8 {
    1
}

/// The encoding results are signed with today.
pub const RESULT_SIGNATURE_VERSION: u8 = 2;

impl ResultRecord {
    /// The exact bytes signed for this record of dossier `code` under `procedure`, in the
    /// encoding of its version.
    pub fn signed_message(&self, code: &DossierCode, procedure: &str) -> String {
        match self.version {
            1 => signed_message_v1(code.as_str(), procedure, &self.number, self.date, &self.holder),
            _ => signed_message_v2(&[
                code.as_str(),
                code.agency(),
                procedure,
                self.number.trim(),
                &crate::date::to_iso(self.date),
                self.holder.trim(),
                self.file_sha256.as_deref().unwrap_or(""),
            ]),
        }
    }
}

/// Version 1, one field per line: a field holding a line break could pass for another record,
/// so it is only verified, never made.
fn signed_message_v1(code: &str, procedure: &str, number: &str, date: NaiveDate, holder: &str) -> String {
    format!("motcua-result-v1\n{code}\n{procedure}\n{}\n{}\n{}", number.trim(), crate::date::to_iso(date), holder.trim())
}

/// Version 2: each field prefixed by its length in bytes (`12:` then the bytes), so no content
/// of one field can be read as a boundary: the dossier code, its agency, the procedure, the
/// result's number and date, the holder and the SHA-256 of the file (empty when none).
fn signed_message_v2(fields: &[&str]) -> String {
    let mut out = String::from("motcua-result-v2");
    for f in fields {
        out.push('\n');
        out.push_str(&f.len().to_string());
        out.push(':');
        out.push_str(f);
    }
    out
}

/// `GET /api/verify/{code}?sig=`: a genuine, unchanged result record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub code: String,
    pub procedure: String,
    pub procedure_name: String,
    pub number: String,
    #[serde(with = "crate::date::iso")]
    pub date: NaiveDate,
    pub holder: String,
    pub agency_name: String,
}

/// `GET /api/keys`: the key results are signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    pub algorithm: String,
    /// 32 bytes, hex.
    pub public_key: String,
}

/// The default split of a procedure's time when it publishes no internal process: reception
/// and return 5% each, approval 15%, the rest to appraisal. Shares sum to `total` exactly.
pub fn default_split(total: WorkingDuration, flow: Flow) -> Vec<(Phase, WorkingDuration)> {
    let t = total.minutes();
    let pct = |p: u32| WorkingDuration::from_minutes(t * p / 100);
    let (receive, ret) = (pct(5), pct(5));
    let approve = if flow == Flow::FourStep { pct(15) } else { WorkingDuration::ZERO };
    let appraise = total.saturating_sub(receive + ret + approve);
    let mut out = vec![(Phase::Receive, receive), (Phase::Appraise, appraise)];
    if flow == Flow::FourStep {
        out.push((Phase::Approve, approve));
    }
    out.push((Phase::Return, ret));
    out
}

pub mod counters;
pub mod search;
pub mod timing;
pub mod transition;
pub mod views;

#[cfg(test)]
pub(crate) mod tests;
