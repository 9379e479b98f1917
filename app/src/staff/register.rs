use leptos::prelude::*;
use motcua_core::date::to_vi_datetime;

use crate::api;
use crate::components::loader::loader;
use crate::components::pager::Pager;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::i18n::staff::{s, sf, S};

fn today() -> String {
    motcua_core::date::to_iso(crate::components::today::today())
}

/// `/can-bo/so-theo-doi`: the register of dossiers (slip 06) for a span of days, printable.
#[component]
pub fn Register() -> impl IntoView {
    set_title(s(S::RegisterTitle));
    let from = RwSignal::new(today());
    let to = RwSignal::new(today());
    let page = RwSignal::new(1u32);
    // A new period starts at its first page.
    Effect::new(move |_| {
        let _ = (from.get(), to.get());
        page.set(1);
    });
    let lines = loader(move || {
        let (f, t, p) = (from.get(), to.get(), page.get());
        async move { api::staff_register(&f, &t, p).await }
    });
    view! {
        <h1>{s(S::RegisterH1)}</h1>
        <div class="no-print range">
            <label>{s(S::FromDay)} <input type="date" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/></label>
            <label>{s(S::ToDay)} <input type="date" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev))/></label>
            <button type="button" on:click=|_| { let _ = window().print(); }>{s(S::PrintRegister)}</button>
            <a class="button" download href=move || format!("/api/staff/register?from={}&to={}&format=csv", from.get(), to.get())>{s(S::DownloadCsv)}</a>
        </div>
        {move || match lines.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(register)) => view! {
                <p class="count" role="status">{sf(S::RegisterCount, &[&register.total])}
                    {(register.total > register.per_page).then_some(s(S::CsvHasAll))}</p>
                <table class="register">
                    <thead><tr><th>{s(S::LineNo)}</th><th>{s(S::DossierCode)}</th><th>{s(S::Applicant)}</th><th>{s(S::Procedure)}</th><th>{s(S::Received)}</th><th>{s(S::ResultDueShort)}</th><th>{s(S::State)}</th><th>{s(S::ResultNumberShort)}</th></tr></thead>
                    <tbody>{register.items.into_iter().enumerate().map(|(i, l)| view! {
                        <tr><td>{(register.page - 1) * register.per_page + i as u32 + 1}</td><td><a href=format!("/can-bo/ho-so/{}", l.code.as_str())>{l.code.as_str().to_owned()}</a></td>
                        <td>{l.applicant_name}</td><td>{l.procedure_name}</td><td>{to_vi_datetime(l.submitted_at)}</td>
                        <td>{to_vi_datetime(l.due_at)}</td><td>{l.status.label_vi()}</td><td>{l.result_number.unwrap_or_default()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
                <Pager page=page pages=register.total.div_ceil(register.per_page) label={s(S::RegisterPages)}/>
            }.into_any(),
        }}
    }
}
