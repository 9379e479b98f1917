pub mod layout;
pub mod loader;
pub mod period;
pub mod procedure_card;
pub mod receipt;
pub mod search_box;
pub mod status;
pub mod title;
