//! A stored dossier read back into core's types (its state, clock, history and public view)
//! and written from them: the rows of `dossier.rs` as the rest of the worker sees them.

use chrono::NaiveDateTime;
use motcua_core::calendar::Timeliness;
use motcua_core::catalogue::Flow;
use motcua_core::date::{parse_iso_datetime, to_iso_datetime};
use motcua_core::dossier::{AttachedDocument, DossierCode};
use motcua_core::tracking::PublicStatus;
use motcua_core::accounts::Role;
use motcua_core::workflow::timing::Timing;
use motcua_core::workflow::transition::{Channel, Dossier};
use motcua_core::workflow::{Action, Apology, Event, Handling, PhaseDue, ResultRecord, State, Supplement};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};
use super::dossier::{DossierRow, EventRow};

pub fn bad(code: &str, what: &str) -> ApiError {
    ApiError::Internal(format!("dossier {code}: bad {what}"))
}

pub fn instant(code: &str, what: &str, s: &str) -> ApiResult<NaiveDateTime> {
    parse_iso_datetime(s).ok_or_else(|| bad(code, what))
}

pub fn from_json<T: DeserializeOwned>(code: &str, what: &str, s: &str) -> ApiResult<T> {
    serde_json::from_str(s).map_err(|e| ApiError::Internal(format!("dossier {code}: {what}: {e}")))
}

pub fn to_json<T: serde::Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))
}

impl DossierRow {
    /// The dossier as core's transitions see it.
    pub fn dossier(&self) -> ApiResult<Dossier> {
        let c = &self.code;
        Ok(Dossier {
            code: self.code()?,
            agency: self.agency_code.clone(),
            procedure: self.procedure_id.clone(),
            procedure_name: self.procedure_name.clone(),
            procedure_version: self.procedure_version,
            field: self.field_id.clone(),
            channel: self.channel,
            state: self.state(),
            handling: self.handling(),
            version: self.version,
            submitted_at: instant(c, "submitted_at", &self.submitted_at)?,
            received_at: self.received_at.as_deref().map(|t| instant(c, "received_at", t)).transpose()?,
            days: self.days,
            timing: self.timing()?,
            supplement: self.supplement()?,
            apology: self.apology()?,
            result: self.result()?,
            applicant_name: self.applicant_name.clone(),
            documents: self.documents()?,
            papers: self.papers()?,
            lang: self.lang(),
        })
    }

    /// The row that stores `d`.
    pub fn of(d: &Dossier) -> ApiResult<DossierRow> {
        let mut row = DossierRow {
            code: d.code.as_str().to_owned(),
            agency_code: d.agency.clone(),
            procedure_id: d.procedure.clone(),
            procedure_name: d.procedure_name.clone(),
            procedure_version: d.procedure_version,
            status: d.state.status,
            channel: d.channel,
            submitted_at: to_iso_datetime(d.submitted_at),
            due_at: String::new(),
            days: d.days,
            version: d.version,
            phase: d.state.phase,
            flow: d.handling.flow,
            delegated: u8::from(d.handling.delegated),
            queue: None,
            step_due_at: None,
            phase_dues: String::new(),
            received_at: d.received_at.map(to_iso_datetime),
            counted_from: None,
            paused_at: None,
            supplement: d.supplement.as_ref().map(to_json).transpose()?,
            apology: d.apology.as_ref().map(to_json).transpose()?,
            result: d.result.as_ref().map(to_json).transpose()?,
            applicant_name: d.applicant_name.clone(),
            documents: to_json(&d.documents)?,
            field_id: d.field.clone(),
            papers: to_json(&d.papers)?,
            clock: None,
            lang: d.lang.tag().to_owned(),
        };
        row.set_state(d.state);
        row.set_timing(&d.timing)?;
        Ok(row)
    }

    /// Anything but `en` is the default, Vietnamese (the column's CHECK allows no other).
    pub fn lang(&self) -> motcua_core::Lang {
        if self.lang == "en" { motcua_core::Lang::En } else { motcua_core::Lang::Vi }
    }

    pub fn code(&self) -> ApiResult<DossierCode> {
        DossierCode::parse(&self.code).map_err(|_| bad(&self.code, "code"))
    }

    pub fn state(&self) -> State {
        State { status: self.status, phase: self.phase }
    }

    pub fn set_state(&mut self, s: State) {
        self.status = s.status;
        self.phase = s.phase;
        self.queue = motcua_core::workflow::queue(s).map(|r| r.as_str().to_owned());
    }

    pub fn handling(&self) -> Handling {
        Handling { flow: self.flow, delegated: self.delegated != 0 }
    }

    pub fn timing(&self) -> ApiResult<Timing> {
        let c = &self.code;
        Ok(Timing {
            counted_from: instant(c, "counted_from", self.counted_from.as_deref().unwrap_or(&self.submitted_at))?,
            due_at: instant(c, "due_at", &self.due_at)?,
            phase_dues: from_json::<Vec<PhaseDue>>(c, "phase_dues", &self.phase_dues)?,
            paused_at: self.paused_at.as_deref().map(|p| instant(c, "paused_at", p)).transpose()?,
            clock: self.clock.as_deref().map(|j| from_json(c, "clock", j)).transpose()?,
        })
    }

    /// Writes the clock back, with the current phase's due instant for the queue.
    pub fn set_timing(&mut self, t: &Timing) -> ApiResult<()> {
        self.counted_from = Some(to_iso_datetime(t.counted_from));
        self.due_at = to_iso_datetime(t.due_at);
        self.phase_dues = to_json(&t.phase_dues)?;
        self.paused_at = t.paused_at.map(to_iso_datetime);
        self.clock = t.clock.as_ref().map(to_json).transpose()?;
        self.step_due_at = t.phase_due(self.phase).map(to_iso_datetime);
        Ok(())
    }

    pub fn documents(&self) -> ApiResult<Vec<AttachedDocument>> {
        from_json(&self.code, "documents", &self.documents)
    }

    pub fn papers(&self) -> ApiResult<Vec<u16>> {
        from_json(&self.code, "papers", &self.papers)
    }

    pub fn supplement(&self) -> ApiResult<Option<Supplement>> {
        self.supplement.as_deref().map(|s| from_json(&self.code, "supplement", s)).transpose()
    }

    pub fn apology(&self) -> ApiResult<Option<Apology>> {
        self.apology.as_deref().map(|s| from_json(&self.code, "apology", s)).transpose()
    }

    pub fn result(&self) -> ApiResult<Option<ResultRecord>> {
        self.result.as_deref().map(|s| from_json(&self.code, "result", s)).transpose()
    }

    /// What anyone with the code may see: no names, no comments.
    pub fn public(&self, events: &[EventRow]) -> ApiResult<PublicStatus> {
        let state = self.state();
        let flow = self.handling().flow;
        Ok(PublicStatus {
            code: self.code()?,
            procedure: self.procedure_id.clone(),
            procedure_name: self.procedure_name.clone(),
            status: state.status,
            status_label: state.status.label_vi().to_owned(),
            submitted_at: instant(&self.code, "submitted_at", &self.submitted_at)?,
            due_at: instant(&self.code, "due_at", &self.due_at)?,
            phase: state.phase,
            timeline: events.iter().map(|e| event(&self.code, e, flow, Detail::Public)).collect::<ApiResult<_>>()?,
            result_ready: self.result.is_some(),
            online: self.channel == Channel::Online,
        })
    }
}

/// How much of an event a reader sees.
#[derive(Clone, Copy, PartialEq)]
pub enum Detail {
    Public,
    /// The applicant: the reasons written to them, no staff names.
    Applicant,
    Staff,
}

pub fn event(code: &str, e: &EventRow, flow: Flow, detail: Detail) -> ApiResult<Event> {
    let action = Action::parse(&e.action).ok_or_else(|| bad(code, "event action"))?;
    let role = e.role.as_deref().and_then(Role::parse);
    Ok(Event {
        version: e.version,
        at: instant(code, "event time", &e.at)?,
        action,
        label: action.label_vi(flow).to_owned(),
        phase: e.phase,
        from: e.from_status,
        to: e.status,
        actor: e.actor.clone().filter(|_| detail == Detail::Staff),
        role: role.filter(|_| detail == Detail::Staff),
        comment: e.note.clone().filter(|_| detail != Detail::Public),
        facts: match e.facts.as_deref() {
            Some(json) if detail != Detail::Public => from_json(code, "event facts", json)?,
            _ => Default::default(),
        },
        step_due: e.step_due.as_deref().and_then(parse_iso_datetime),
        timeliness: e.timeliness.as_deref().and_then(|t| serde_json::from_str::<Timeliness>(t).ok()),
    })
}
