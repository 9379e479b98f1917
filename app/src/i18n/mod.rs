//! The app's two languages. Every text of the public and citizen pages is a [`Msg`]; `vi.rs` and
//! `en.rs` are one exhaustive `match` each, so a message without its English text does not
//! compile (and costs no more WASM than the strings themselves).
//!
//! The language is chosen once per page load: from the phone's stored choice, else Vietnamese.
//! Switching stores the choice and reloads, so no text needs to be reactive (a signal per
//! string would cost kilobytes of the first load) and URLs stay the same.

mod en;
mod msg;
pub mod staff;
mod vi;

use std::cell::Cell;
use std::fmt::Display;

pub use motcua_core::i18n::Lang;
pub use msg::Msg;

const KEY: &str = "motcua.lang";

thread_local! {
    static LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The language of this page load.
pub fn lang() -> Lang {
    LANG.with(|l| {
        *l.get().get_or_insert_with(|| {
            let stored = storage().and_then(|s| s.get_item(KEY).ok().flatten());
            let chosen = if stored.as_deref() == Some("en") { Lang::En } else { Lang::Vi };
            l.set(Some(chosen));
            chosen
        })
    })
}

/// Fixes the language of this page load (the staff workspace is Vietnamese).
pub fn only(l: Lang) {
    LANG.with(|c| c.set(Some(l)));
}

/// Sets `<html lang>` to the chosen language: screen readers pronounce by it, and browsers
/// offer translation by it. Each bundle's `main` calls it before mounting.
pub fn init() {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang().tag());
    }
}

/// Remembers the choice on this device and shows the same page again in it.
pub fn switch_to(to: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, to.tag());
    }
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// The text of `m` in the page's language. Inlined with the tables, so each call keeps only
/// its own two strings: the public bundle does not carry the citizen pages' texts.
#[inline(always)]
pub fn t(m: Msg) -> &'static str {
    match lang() {
        Lang::Vi => vi::text(m),
        Lang::En => en::text(m),
    }
}

/// The text of `m` with each `{}` replaced by the next argument, in order.
#[inline(always)]
pub fn tf(m: Msg, args: &[&dyn Display]) -> String {
    fill(t(m), args)
}

fn fill(text: &str, args: &[&dyn Display]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut parts = text.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        out.push_str(part);
    }
    out
}
