pub mod home;
pub mod not_found;
pub mod procedure;
pub mod search;
