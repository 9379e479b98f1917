use leptos::prelude::*;
use motcua_core::catalogue::{Agency, Field, OnlineLevel, SearchPage};
use motcua_core::query::{LevelFilter, ProcedureQuery};

use crate::api::{self, search_href};
use crate::components::procedure_card::ProcedureCard;
use crate::components::search_box::SearchBox;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::i18n::{t, tf, Msg};

const KEYS: [&str; 6] = ["q", "field", "agency", "level", "delegated", "page"];

/// Results with filters. All state lives in the URL: a shared link or the back button shows
/// exactly these results.
#[component]
pub fn Search() -> impl IntoView {
    set_title(t(Msg::SearchTitle));
    let search = crate::router::search();
    // Lenient: a bad value in a shared or hand-edited link is dropped (and said so), the rest
    // of the search is kept.
    let parsed = Memo::new(move |_| {
        let search = search.get();
        let pairs: Vec<(&str, String)> = KEYS.iter().filter_map(|k| crate::router::param(&search, k).map(|v| (*k, v))).collect();
        ProcedureQuery::parse_lenient(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    });
    let base = Signal::derive(move || parsed.get().0);
    let ignored = move || parsed.get().1.into_iter().map(|e| e.message).collect::<Vec<_>>();
    let results = loader(move || {
        let query = parsed.get().0;
        async move { api::search_procedures(&query).await }
    });
    let fields = loader(api::list_fields);
    let agencies = loader(api::list_agencies);

    view! {
        <h1>{t(Msg::HomeTitle)}</h1>
        <SearchBox base=base/>
        <Filters base=base
            fields=Signal::derive(move || fields.get().and_then(Result::ok).unwrap_or_default())
            agencies=Signal::derive(move || agencies.get().and_then(Result::ok).unwrap_or_default())/>
        {move || {
            let ignored = ignored();
            (!ignored.is_empty()).then(|| view! {
                <div class="notice" role="status">
                    <p>{t(Msg::SearchIgnored)}</p>
                    <ul>{ignored.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
            })
        }}
        <section aria-labelledby="results-h" class="results">
            {move || match results.get() {
                None => view! { <h2 id="results-h" class="sr-only">{t(Msg::Results)}</h2><Loading/> }.into_any(),
                Some(Err(e)) => view! { <h2 id="results-h" class="sr-only">{t(Msg::Results)}</h2><ErrorMessage error=e/> }.into_any(),
                Some(Ok(page)) => view! { <Results page=page base=base.get_untracked()/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Results(page: SearchPage, base: ProcedureQuery) -> impl IntoView {
    let pages = page.pages();
    let heading = if page.total == 0 {
        t(Msg::NoResults).to_owned()
    } else {
        tf(Msg::ResultCount, &[&page.total])
    };
    let link = move |n: u32| search_href(&ProcedureQuery { page: n, ..base.clone() });
    let prev = (page.page > 1).then(|| link((page.page - 1).min(pages.max(1))));
    let next = (page.page < pages).then(|| link(page.page + 1));
    view! {
        <h2 id="results-h" aria-live="polite">{heading}</h2>
        {(page.total == 0).then(|| view! {
            <p>{t(Msg::NoResultsHint)}</p>
        })}
        {(page.total > 0 && page.items.is_empty()).then(|| view! {
            <p>{t(Msg::EmptyPage)}<a href=link(pages.max(1))>{t(Msg::LastPage)}</a></p>
        })}
        <ul class="cards">
            {page.items.into_iter().map(|p| view! { <ProcedureCard p=p/> }).collect_view()}
        </ul>
        {(pages > 1 && page.page <= pages).then(|| view! {
            <nav class="pager" aria-label=t(Msg::Paging)>
                {prev.map(|h| view! { <a href=h rel="prev">{t(Msg::PrevPage)}</a> })}
                <span>{tf(Msg::PageOf, &[&page.page, &pages])}</span>
                {next.map(|h| view! { <a href=h rel="next">{t(Msg::NextPage)}</a> })}
            </nav>
        })}
    }
}

#[component]
fn Filters(
    base: Signal<ProcedureQuery>,
    fields: Signal<Vec<Field>>,
    agencies: Signal<Vec<Agency>>,
) -> impl IntoView {
    let navigate = crate::router::navigator();
    let go = move |change: &dyn Fn(&mut ProcedureQuery)| {
        let mut q = base.get_untracked();
        change(&mut q);
        q.page = 1;
        navigate(&search_href(&q));
    };
    let (go1, go2, go3, go4) = (go.clone(), go.clone(), go.clone(), go);
    let some = |v: String| (!v.is_empty()).then_some(v);
    view! {
        <fieldset class="filters">
            <legend>{t(Msg::Filters)}</legend>
            <label>{t(Msg::FilterField)}
                <select name="field" on:change=move |ev| { let v = some(event_target_value(&ev)); go1(&|q| q.field = v.clone()) }
>
                    <option value="">{t(Msg::AllFields)}</option>
                    {move || fields.get().into_iter().map(|f| {
                        let selected = base.get().field.as_deref() == Some(f.id.as_str());
                        view! { <option value=f.id.clone() selected=selected>{f.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{t(Msg::FilterAgency)}
                <select name="agency" on:change=move |ev| { let v = some(event_target_value(&ev)); go2(&|q| q.agency = v.clone()) }
>
                    <option value="">{t(Msg::AllAgencies)}</option>
                    {move || agencies.get().into_iter().map(|a| {
                        let selected = base.get().agency.as_deref() == Some(a.code.as_str());
                        view! { <option value=a.code.clone() selected=selected>{a.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{t(Msg::FilterLevel)}
                <select name="level" on:change=move |ev| { let v = LevelFilter::parse(&event_target_value(&ev)); go3(&|q| q.level = v) }
                    prop:value=move || base.get().level.map(|l| l.as_str()).unwrap_or_default()>
                    <option value="">{t(Msg::All)}</option>
                    <option value="online">{t(Msg::LevelOnline)}</option>
                    <option value=OnlineLevel::Full.as_str()>{t(Msg::LevelFull)}</option>
                    <option value=OnlineLevel::Partial.as_str()>{t(Msg::LevelPartial)}</option>
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="delegated"
                    prop:checked=move || base.get().delegated == Some(true)
                    on:change=move |ev| { let on = event_target_checked(&ev); go4(&|q| q.delegated = on.then_some(true)) }/>
                {t(Msg::OnlyDelegated)}
            </label>
        </fieldset>
    }
}
