use crate::i18n::{t, Msg};

/// Sets the document title: screen readers announce it and browser history shows it.
pub fn set_title(page: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{page} - {}", t(Msg::Brand)));
    }
}
