//! All SQL lives here, each query with the typed row it reads.

pub mod agencies;
pub mod calendar;
pub mod catalogue;
pub mod dossier;
pub mod files;
pub mod limits;
pub mod notices;
pub mod publishing;
pub mod staff;
pub mod rating;
pub mod search;
pub mod stats;

/// Whether a write was refused for a row with the same unique key. D1 reports a constraint
/// only in its error's text ("UNIQUE constraint failed: dossiers.idempotency_key"), so the
/// text is read here, once; `column` narrows it to one key.
pub fn unique_violation(e: &worker::Error, column: Option<&str>) -> bool {
    let text = e.to_string();
    text.contains("UNIQUE constraint failed") && column.is_none_or(|c| text.contains(c))
}
