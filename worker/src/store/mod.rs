//! All SQL lives here, each query with the typed row it reads.

pub mod calendar;
pub mod catalogue;
pub mod dossier;
pub mod files;
pub mod limits;
pub mod notices;
pub mod staff;
pub mod rating;
pub mod search;
pub mod stats;
