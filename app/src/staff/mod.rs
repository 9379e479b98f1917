//! The staff bundle's pages (`/can-bo…`): sign-in, queues, a dossier with its actions and
//! slips, walk-in registration, the register.

pub mod accounts;
pub mod agencies;
pub mod calendar;
pub mod catalogue;
pub mod dossier;
pub mod home;
pub mod import;
pub mod login;
pub mod officers;
pub mod performance;
pub mod register;
pub mod walk_in;

use leptos::prelude::*;
use motcua_core::date::to_vi_datetime;
use motcua_core::workflow::Event;

use crate::i18n::staff::{s, S};

/// The signed-in account, shared by the pages; `None` until known.
pub fn session() -> RwSignal<Option<Result<motcua_core::accounts::Staff, motcua_core::ErrorBody>>> {
    expect_context()
}

/// The history as a table: the process control slip (05) prints it.
#[component]
pub fn History(events: Vec<Event>) -> impl IntoView {
    view! {
        <table class="history">
            <thead><tr><th>{s(S::Time)}</th><th>{s(S::Step)}</th><th>{s(S::Actor)}</th><th>{s(S::StepDeadline)}</th><th>{s(S::Outcomes)}</th><th>{s(S::Note)}</th></tr></thead>
            <tbody>
                {events.into_iter().map(|e| view! {
                    <tr>
                        <td>{to_vi_datetime(e.at)}</td>
                        <td>{e.label.clone()}</td>
                        <td>{e.actor.clone().unwrap_or_default()}</td>
                        <td>{e.step_due.map(to_vi_datetime).unwrap_or_default()}</td>
                        <td class=move || e.timeliness.map(|t| format!("timing {}", timing_class(t))).unwrap_or_default()>
                            {e.timeliness.map(|t| t.label_vi()).unwrap_or_default()}
                        </td>
                        <td>{e.note(motcua_core::Lang::Vi).unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn timing_class(t: motcua_core::calendar::Timeliness) -> &'static str {
    match t {
        motcua_core::calendar::Timeliness::Early { .. } => "early",
        motcua_core::calendar::Timeliness::OnTime => "on-time",
        motcua_core::calendar::Timeliness::Late { .. } => "late",
    }
}
