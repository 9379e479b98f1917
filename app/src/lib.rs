//! The app's two bundles share this library: `bin/public.rs` (catalogue: the public pages,
//! kept small for the first-load budget) and `bin/citizen.rs` (submitting and tracking
//! dossiers, loaded only when a citizen goes there).

pub mod api;
pub mod citizen;
pub mod components;
pub mod i18n;
pub mod json;
pub mod pages;
pub mod router;
pub mod staff;
