use leptos::prelude::*;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::i18n::staff::{s, S};

fn this_year() -> (String, String) {
    let y = crate::components::today::this_year();
    (format!("{y:04}-01-01"), format!("{y:04}-12-31"))
}

/// `/can-bo/danh-gia` (managers): evaluations per officer this year, with the dossiers behind
/// each number.
#[component]
pub fn Officers() -> impl IntoView {
    set_title(s(S::RatingsByOfficer));
    let list = loader(|| async {
        let (from, to) = this_year();
        api::rating_officers(&from, &to).await
    });
    view! {
        <h1>{s(S::RatingsTitle)}</h1>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(r)) if r.officers.is_empty() => view! { <p class="notice">{s(S::NoRatings)}</p> }.into_any(),
            Some(Ok(r)) => view! {
                <h2>{s(S::ByUnit)}</h2>
                <table class="register units">
                    <thead><tr><th>{s(S::Unit)}</th><th>{s(S::RatedDossiers)}</th><th>{s(S::Satisfied)}</th></tr></thead>
                    <tbody>{r.units.into_iter().map(|u| view! {
                        <tr><td>{u.role.label_vi()}</td><td>{u.evaluations}</td><td>{u.satisfied}</td></tr>
                    }).collect_view()}</tbody>
                </table>
                <h2>{s(S::ByOfficer)}</h2>
                <table class="register officers">
                    <thead><tr><th>{s(S::Staff)}</th><th>{s(S::RatedDossiers)}</th><th>{s(S::Satisfied)}</th><th>{s(S::Dossier)}</th></tr></thead>
                    <tbody>{r.officers.into_iter().map(|o| view! {
                        <tr><td>{o.name.clone().unwrap_or_else(|| o.username.clone())}</td><td>{o.evaluations}</td><td>{o.satisfied}</td>
                        <td>{o.dossiers.into_iter().map(|c| view! { <a href=format!("/can-bo/ho-so/{c}")>{c.clone()}</a>" " }).collect_view()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
    }
}
