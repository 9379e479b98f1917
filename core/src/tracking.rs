//! Tracking: what the public and the applicant see of a dossier, and how the applicant proves
//! who they are. A consumer of the dossier, its workflow and its rating.

use serde::{Deserialize, Serialize};

/// What anyone holding the code may see: nothing that identifies the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStatus {
    pub code: crate::dossier::DossierCode,
    pub procedure: String,
    pub procedure_name: String,
    pub status: crate::dossier::DossierStatus,
    pub status_label: String,
    #[serde(with = "crate::date::iso_datetime")]
    pub submitted_at: chrono::NaiveDateTime,
    #[serde(with = "crate::date::iso_datetime")]
    pub due_at: chrono::NaiveDateTime,
    pub phase: crate::workflow::Phase,
    /// Each step so far, with its timeliness; no names, no comments.
    pub timeline: Vec<crate::workflow::Event>,
    /// A result is recorded (the applicant's own view shows it).
    pub result_ready: bool,
    /// Submitted online (not at the desk).
    pub online: bool,
}

/// `POST /api/dossiers/{code}/lookup`: proof that the caller is the applicant, by the secret of
/// the receipt or the mobile number given in the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupRequest {
    /// The receipt's secret: the only proof (a phone number is known to too many people).
    pub secret: String,
}

/// What the applicant sees: the public status, their own answers, and what staff wrote to
/// them (the timeline here carries the reasons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateView {
    pub status: PublicStatus,
    pub answers: std::collections::BTreeMap<String, String>,
    pub supplement: Option<crate::workflow::Supplement>,
    pub apology: Option<crate::workflow::Apology>,
    pub result: Option<crate::workflow::ResultRecord>,
    /// The applicant's evaluation, once given (it can be given once, after the return).
    pub evaluation: Option<crate::rating::Evaluation>,
    /// The messages sent (or still to send) about the dossier, by e-mail and push.
    #[serde(default)]
    pub notifications: Vec<crate::workflow::transition::NotificationStatus>,
}

/// Wrong proofs allowed per client and dossier in a window before lookups are refused.
pub const LOOKUP_ATTEMPTS: u32 = 5;
/// Wrong proofs allowed per dossier from all clients together in a window: a code known to
/// someone cannot be tried from many addresses.
pub const LOOKUP_ATTEMPTS_PER_DOSSIER: u32 = 20;
/// The window, in minutes.
pub const LOOKUP_WINDOW_MINUTES: i64 = 15;
