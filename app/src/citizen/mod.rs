//! The citizen bundle's pages: submit a dossier, track one, the dossiers kept on this device.

pub mod device;
pub mod evaluate;
pub mod mine;
pub mod push;
pub mod ratings;
pub mod stats;
pub mod submit;
pub mod survey;
pub mod track;
pub mod verify;
