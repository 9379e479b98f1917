//! What the staff workspace reads: queues, a dossier's whole record, the register.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Action, Apology, Event, PhaseDue, ResultRecord, Supplement};
use super::Phase;
use crate::catalogue::{Flow, RequiredDocument};
use crate::dossier::{AttachedDocument, Channel, DossierCode, DossierStatus};
use crate::accounts::Role;

/// One dossier in a queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub code: DossierCode,
    pub procedure_name: String,
    pub applicant_name: String,
    pub status: DossierStatus,
    pub channel: Channel,
    #[serde(with = "crate::date::iso_datetime_opt")]
    pub step_due_at: Option<NaiveDateTime>,
    #[serde(with = "crate::date::iso_datetime")]
    pub due_at: NaiveDateTime,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCount {
    pub role: Role,
    pub total: u32,
    pub overdue: u32,
}

/// `GET /api/staff/queue?role=`: the counts of every queue the account may read, and the
/// dossiers of one, overdue first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub role: Role,
    pub counts: Vec<QueueCount>,
    /// One page (`?page=`, from 1) of `per_page` lines; the role's count says how many pages.
    pub items: Vec<QueueItem>,
    pub page: u32,
    pub per_page: u32,
}

/// `GET /api/staff/dossiers/{code}`: everything about a dossier, and what this account may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffDossier {
    pub code: DossierCode,
    pub procedure: String,
    pub procedure_name: String,
    pub agency: String,
    pub channel: Channel,
    pub status: DossierStatus,
    pub status_label: String,
    pub phase: Phase,
    pub flow: Flow,
    pub delegated: bool,
    /// Sent back with every action (a stale one gets 409).
    pub version: u32,
    #[serde(with = "crate::date::iso_datetime")]
    pub submitted_at: NaiveDateTime,
    #[serde(with = "crate::date::iso_datetime_opt")]
    pub received_at: Option<NaiveDateTime>,
    /// Where the clock started (the working time at or after reception).
    #[serde(with = "crate::date::iso_datetime")]
    pub counted_from: NaiveDateTime,
    #[serde(with = "crate::date::iso_datetime")]
    pub due_at: NaiveDateTime,
    #[serde(with = "crate::date::iso_datetime_opt")]
    pub step_due_at: Option<NaiveDateTime>,
    pub days: u16,
    /// The statutory time the dossier was received under, in its units.
    pub term: crate::calendar::Term,
    pub phase_dues: Vec<PhaseDue>,
    pub answers: BTreeMap<String, String>,
    pub documents: Vec<AttachedDocument>,
    /// Required documents (by index) handed in on paper at the desk.
    #[serde(default)]
    pub papers: Vec<u16>,
    /// The procedure's published list (what a supplement request may name).
    pub required_documents: Vec<RequiredDocument>,
    /// The procedure's own form pages of the dossier's version: the labels of its answers.
    #[serde(default)]
    pub form: Vec<crate::form::Section>,
    pub history: Vec<Event>,
    pub actions: Vec<Action>,
    pub supplement: Option<Supplement>,
    pub apology: Option<Apology>,
    pub result: Option<ResultRecord>,
    /// The notices of the dossier and their delivery.
    #[serde(default)]
    pub notifications: Vec<super::transition::NotificationStatus>,
}

/// A line of the register (slip 06).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterLine {
    pub code: DossierCode,
    pub procedure_name: String,
    pub applicant_name: String,
    pub channel: Channel,
    pub status: DossierStatus,
    #[serde(with = "crate::date::iso_datetime")]
    pub submitted_at: NaiveDateTime,
    #[serde(with = "crate::date::iso_datetime")]
    pub due_at: NaiveDateTime,
    pub result_number: Option<String>,
}

/// `GET /api/staff/register`: one page of slip 06 for a period, and how many lines it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterPage {
    pub items: Vec<RegisterLine>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

impl RegisterPage {
    /// Lines on a page of the register on screen.
    pub const PER_PAGE: u32 = 50;
}

/// `POST /api/dossiers/{code}/supplement`: the applicant's answer to slip 02, proven like a
/// lookup (secret or phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplementAnswer {
    /// The receipt's secret.
    pub secret: String,
    pub documents: Vec<AttachedDocument>,
    #[serde(default)]
    pub note: String,
}
