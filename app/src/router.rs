//! The public bundle's router. Its three pages need no more than the URL as a signal: which
//! page the path names, the query of the search, the id of a procedure. leptos_router (and the
//! route choice it monomorphises) weighed about a tenth of the public first load; the citizen
//! and staff bundles keep it.
//!
//! Navigation stays in the page as with leptos_router: a click on a same-origin link without
//! `rel="external"`, a target or a modifier key becomes `history.pushState`, and the browser's
//! back and forward buttons move the signal (`popstate`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The path and the query string (with its `?`), as the location has them.
#[derive(Clone, Copy)]
struct Location(RwSignal<(String, String)>);

fn current() -> (String, String) {
    let l = window().location();
    (l.pathname().unwrap_or_else(|_| "/".into()), l.search().unwrap_or_default())
}

/// Starts following the location: call once, above the pages.
pub fn start() {
    let location = Location(RwSignal::new(current()));
    provide_context(location);
    // Back and forward.
    let back = window_event_listener(leptos::ev::popstate, move |_| location.0.set(current()));
    // Links: handled in the page when they stay in this bundle.
    let click = window_event_listener(leptos::ev::click, move |ev| {
        if let Some(href) = internal_link(&ev) {
            ev.prevent_default();
            go(location, &href);
        }
    });
    // The listeners live as long as the page.
    std::mem::forget((back, click));
}

fn location() -> Location {
    use_context::<Location>().expect("router::start() runs above the pages")
}

/// The current path ("/thu-tuc/1.014199").
pub fn path() -> Memo<String> {
    let l = location();
    Memo::new(move |_| l.0.with(|(p, _)| p.clone()))
}

/// The current query string, with its "?" ("" when none).
pub fn search() -> Memo<String> {
    let l = location();
    Memo::new(move |_| l.0.with(|(_, s)| s.clone()))
}

/// A parameter of a query string, decoded.
pub fn param(search: &str, name: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(search).ok().and_then(|p| p.get(name))
}

/// A function that goes to a path with its query within the page, as a link would. Taken when
/// a component is made (event handlers run outside the component's context).
pub fn navigator() -> impl Fn(&str) + Clone + 'static {
    let l = location();
    move |href| go(l, href)
}

fn go(location: Location, href: &str) {
    let w = window();
    if w.history().and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))).is_err() {
        let _ = w.location().set_href(href);
        return;
    }
    w.scroll_to_with_x_and_y(0.0, 0.0);
    location.0.set(current());
}

/// The path and query of a click's link, when the page should follow it itself: a plain
/// left click, on a link of this origin, without a target, a download or `rel="external"`
/// (the citizen's pages are another bundle), and not to a place on this very page.
fn internal_link(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key() {
        return None;
    }
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let a = target.closest("a[href]").ok()??.dyn_into::<web_sys::HtmlAnchorElement>().ok()?;
    let here = window().location();
    let external = a.rel().split_whitespace().any(|r| r == "external");
    if external || !a.target().is_empty() || a.has_attribute("download") || a.origin() != here.origin().ok()? {
        return None;
    }
    let (path, search) = (a.pathname(), a.search());
    let same_page = path == here.pathname().ok()? && search == here.search().ok()?;
    if same_page && !a.hash().is_empty() {
        return None;
    }
    Some(format!("{path}{search}"))
}
