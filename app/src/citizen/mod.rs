//! The citizen bundle's pages: submit a dossier, track one, the dossiers kept on this device.

pub mod device;
pub mod mine;
pub mod submit;
pub mod track;
pub mod verify;
