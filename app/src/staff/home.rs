use leptos::prelude::*;
use motcua_core::date::to_vi_datetime;
use motcua_core::dossier::DossierStatus;
use motcua_core::accounts::{Capability, Role};
use motcua_core::workflow::search::DossierFilter;
use motcua_core::workflow::views::QueueItem;

use crate::api;
use crate::components::loader::loader;
use crate::components::pager::Pager;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::i18n::staff::{s, sf, S};

/// `/can-bo`: the queues the account may read, overdue first, with counts.
#[component]
pub fn Home() -> AnyView {
    set_title(s(S::Queues));
    let me = crate::staff::session().with_untracked(|s| s.as_ref().and_then(|s| s.as_ref().ok()).cloned());
    let may = |c: Capability| me.as_ref().is_some_and(|s| s.may(c));
    // An administrator reads no dossier: their home is what they administer.
    if !may(Capability::ReadDossiers) {
        return view! {
            <h1>{s(S::Administration)}</h1>
            {may(Capability::AdministerAgency).then(|| view! {
                <p><a href="/can-bo/tai-khoan">{s(S::AccountsAndKiosks)}</a></p>
                <p><a href="/can-bo/danh-muc">{s(S::Catalogue)}</a></p>
            })}
            {may(Capability::AdministerProvince).then(|| view! {
                <p><a href="/can-bo/lich">{s(S::CalendarLink)}</a></p>
                <p><a href="/can-bo/co-quan">{s(S::AgenciesLink)}</a></p>
            })}
            {(may(Capability::AdministerAgency) && !may(Capability::AdministerProvince)).then(|| view! {
                <p><a href="/can-bo/co-quan">{s(S::OwnAgencyLink)}</a></p>
            })}
        }
        .into_any();
    }
    let role = RwSignal::new(None::<Role>);
    let page = RwSignal::new(1u32);
    let queue = loader(move || {
        let (r, p) = (role.get(), page.get());
        async move { api::staff_queue(r, p).await }
    });
    // What the officer searches for; `None` shows the queues.
    let search = RwSignal::new(None::<DossierFilter>);
    view! {
        <Search search=search/>
        {move || match search.get() {
            Some(filter) => view! { <Results filter=filter search=search/> }.into_any(),
            None => match queue.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
                Some(Ok(q)) => {
                    let current = q.role;
                    let pages = q.counts.iter().find(|c| c.role == current).map_or(1, |c| c.total.div_ceil(q.per_page));
                    view! {
                        <h1>{s(S::QueueOf)} {current.label_vi()}</h1>
                        <nav class="queues" aria-label={s(S::Queue)}>
                            {q.counts.iter().map(|c| {
                                let r = c.role;
                                let label = format!("{} ({}{})", r.label_vi(), c.total, if c.overdue > 0 { sf(S::OverdueCount, &[&c.overdue]) } else { String::new() });
                                view! {
                                    <button type="button" class:current=move || r == current aria-pressed=move || (r == current).to_string()
                                        on:click=move |_| { page.set(1); role.set(Some(r)); }>{label}</button>
                                }
                            }).collect_view()}
                        </nav>
                        {if q.items.is_empty() {
                            view! { <p class="notice">{s(S::QueueEmpty)}</p> }.into_any()
                        } else {
                            view! { <DossierList items=q.items/> }.into_any()
                        }}
                        <Pager page=page pages=pages label={s(S::QueuePages)}/>
                    }.into_any()
                }
            },
        }}
    }
    .into_any()
}

/// The search form above the queues: code, name (with or without tone marks), CCCD or phone,
/// and the filters officers ask for most.
#[component]
fn Search(search: RwSignal<Option<DossierFilter>>) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let overdue = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let filter = DossierFilter {
            q: q.get_untracked().trim().to_owned(),
            status: status.get_untracked().parse().ok().and_then(DossierStatus::from_code),
            overdue: overdue.get_untracked(),
            page: 1,
            ..Default::default()
        };
        let empty = filter.q.is_empty() && filter.status.is_none() && !filter.overdue;
        search.set((!empty).then_some(filter));
    };
    let clear = move |_| {
        q.set(String::new());
        status.set(String::new());
        overdue.set(false);
        search.set(None);
    };
    view! {
        <form class="staff-search no-print" role="search" on:submit=submit>
            <label>{s(S::FindDossier)}
                <input type="search" name="q" maxlength="100" autocomplete="off" prop:value=move || q.get()
                    placeholder={s(S::FindDossierHint)}
                    on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label>{s(S::StateLabel)}
                <select name="status" prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{s(S::AnyState)}</option>
                    {DossierStatus::ALL.iter().map(|s| view! { <option value=s.code().to_string()>{s.label_vi()}</option> }).collect_view()}
                </select>
            </label>
            <label class="check"><input type="checkbox" name="overdue" prop:checked=move || overdue.get()
                on:change=move |ev| overdue.set(event_target_checked(&ev))/>{s(S::OnlyOverdue)}</label>
            <button type="submit">{s(S::Find)}</button>
            {move || search.get().is_some().then(|| view! { <button type="button" class="link" on:click=clear>{s(S::BackToQueue)}</button> })}
        </form>
    }
}

/// The dossiers matching a search, a page at a time.
#[component]
fn Results(filter: DossierFilter, search: RwSignal<Option<DossierFilter>>) -> impl IntoView {
    let page = RwSignal::new(filter.page);
    Effect::new(move |_| {
        let p = page.get();
        if search.with_untracked(|f| f.as_ref().is_some_and(|f| f.page != p)) {
            search.update(|f| if let Some(f) = f { f.page = p });
        }
    });
    let asked = filter.clone();
    let found = loader(move || {
        let f = asked.clone();
        async move { api::search_dossiers(&f).await }
    });
    view! {
        <h1>{s(S::SearchResults)}</h1>
        {move || match found.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(found)) => {
                let pages = found.pages();
                let count = if found.more {
                    sf(S::MoreMatches, &[&found.total])
                } else {
                    sf(S::Matches, &[&found.total])
                };
                view! {
                    <p class="count" role="status">{count}</p>
                    {(!found.items.is_empty()).then(|| view! { <DossierList items=found.items/> })}
                    <Pager page=page pages=pages label={s(S::ResultPages)}/>
                }.into_any()
            }
        }}
    }
}

/// Dossiers as the queues and the search list them, overdue ones marked.
#[component]
fn DossierList(items: Vec<QueueItem>) -> impl IntoView {
    view! {
        <ol class="queue">
            {items.into_iter().map(|i| view! {
                <li class:overdue=i.overdue>
                    <a href=format!("/can-bo/ho-so/{}", i.code.as_str())><strong>{i.code.as_str().to_owned()}</strong></a>
                    {s(S::Dot)} {i.applicant_name} {s(S::Dot)} {i.procedure_name}
                    <br/><small>{i.status.label_vi()}
                    {i.step_due_at.map(|d| sf(S::StepDueShort, &[&to_vi_datetime(d)]))}
                    {i.overdue.then_some(s(S::OverdueMark))}
                    {(i.channel == motcua_core::dossier::Channel::WalkIn).then_some(s(S::InPersonMark))}</small>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// Links of the workspace, by what the account may do (core's `Capability`, as the API checks).
#[component]
pub fn StaffNav(staff: motcua_core::accounts::Staff) -> impl IntoView {
    let may = |c: Capability| staff.may(c);
    let reads = may(Capability::ReadDossiers);
    let session = crate::staff::session();
    let on_logout = move |_| {
        leptos::task::spawn_local(async move {
            let _ = api::logout().await;
            session.set(Some(Err(motcua_core::ErrorBody::from_code(motcua_core::ErrorCode::Unauthorized))));
        });
    };
    view! {
        <nav class="staff-nav" aria-label={s(S::Staff)}>
            <span>{staff.name.clone()} {s(S::Dot)} {staff.agency_name.clone()}</span>
            {reads.then(|| view! { <a href="/can-bo">{s(S::Queue)}</a> })}
            {may(Capability::RegisterWalkIn).then(|| view! { <a href="/can-bo/tiep-nhan">{s(S::WalkIn)}</a> })}
            {reads.then(|| view! { <a href="/can-bo/so-theo-doi">{s(S::Register)}</a> })}
            {may(Capability::ReadProgress).then(|| view! { <a href="/can-bo/thong-ke">{s(S::Progress)}</a> })}
            {may(Capability::ReadProgress).then(|| view! { <a href="/can-bo/danh-gia">{s(S::RatingsByOfficer)}</a> })}
            {may(Capability::AdministerAgency).then(|| view! { <a href="/can-bo/tai-khoan">{s(S::AccountsNav)}</a> })}
            {may(Capability::AdministerAgency).then(|| view! { <a href="/can-bo/danh-muc">{s(S::CatalogueNav)}</a> })}
            {may(Capability::AdministerProvince).then(|| view! { <a href="/can-bo/lich">{s(S::CalendarNav)}</a> })}
            {may(Capability::ListAgencies).then(|| view! { <a href="/can-bo/co-quan">{s(S::Agencies)}</a> })}
            <a href="/can-bo/mat-khau">{s(S::ChangePassword)}</a>
            <button type="button" class="link" on:click=on_logout>{s(S::SignOut)}</button>
        </nav>
    }
}
