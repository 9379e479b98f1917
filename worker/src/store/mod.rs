//! All SQL lives here, each query with the typed row it reads.

pub mod accounts;
pub mod agencies;
pub mod calendar;
pub mod catalogue;
pub mod dossier;
pub mod files;
pub mod limits;
pub mod notices;
pub mod publishing;
pub mod rating;
pub mod record;
pub mod search;
pub mod stats;

/// Whether a write was refused for a row with the same unique key. D1 reports a constraint
/// only in its error's text ("UNIQUE constraint failed: dossiers.idempotency_key"), so the
/// text is read here, once; `column` narrows it to one key.
pub fn unique_violation(e: &worker::Error, column: Option<&str>) -> bool {
    let text = e.to_string();
    text.contains("UNIQUE constraint failed") && column.is_none_or(|c| text.contains(c))
}

/// A dossier status as stored: its number (core's `DossierStatus::code`, which the indexes
/// order by), read back as the status or refused as a bad row.
pub(crate) fn status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<motcua_core::dossier::DossierStatus, D::Error> {
    use serde::Deserialize;
    let code = u8::deserialize(d)?;
    motcua_core::dossier::DossierStatus::from_code(code).ok_or_else(|| serde::de::Error::custom(format!("no dossier status {code}")))
}

/// `status` for a column that may be NULL (an event's previous status, none for the first).
pub(crate) fn status_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<motcua_core::dossier::DossierStatus>, D::Error> {
    use serde::Deserialize;
    match Option::<u8>::deserialize(d)? {
        None => Ok(None),
        Some(code) => motcua_core::dossier::DossierStatus::from_code(code).map(Some).ok_or_else(|| serde::de::Error::custom(format!("no dossier status {code}"))),
    }
}
