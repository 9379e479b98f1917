use leptos::prelude::*;
use motcua_core::stats::{StatRow, Stats};
use motcua_core::text::integer_vi;

use crate::i18n::{lang, t, tf, Lang, Msg};

use crate::api;
use crate::components::loader::loader;
use crate::components::period::{span, Period, PeriodButtons};
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;


/// A share with one decimal and the language's decimal mark.
fn share(permille: Option<u32>) -> String {
    let mark = if lang() == Lang::En { '.' } else { ',' };
    permille.map_or("—".into(), |p| format!("{}{mark}{}%", p / 10, p % 10))
}

/// A count with the language's thousands mark.
fn integer(n: u32) -> String {
    let vi = integer_vi(u64::from(n));
    if lang() == Lang::En { vi.replace('.', ",") } else { vi }
}

/// `/thong-ke`: the live transparency dashboard of received and resolved dossiers.
#[component]
pub fn Dashboard() -> impl IntoView {
    set_title(t(Msg::StatsTitle));
    let period = RwSignal::new(Period::Quarter);
    let custom = RwSignal::new(None::<(String, String)>);
    let agency = RwSignal::new(String::new());
    let field = RwSignal::new(String::new());
    let procedure = RwSignal::new(String::new());
    let agencies = loader(|| async { api::list_agencies().await });
    let fields = loader(|| async { api::list_fields().await });
    let query = Memo::new(move |_| {
        let (from, to) = custom.get().unwrap_or_else(|| span(period.get()));
        (from, to, agency.get(), field.get(), procedure.get())
    });
    let stats = loader(move || {
        let (from, to, a, f, p) = query.get();
        async move { api::stats(&from, &to, &a, &f, &p).await }
    });
    let csv = move || {
        let (from, to, a, f, p) = query.get();
        let enc = |v: &str| String::from(js_sys::encode_uri_component(v));
        format!("/api/stats?from={from}&to={to}&agency={}&field={}&procedure={}&format=csv", enc(&a), enc(&f), enc(&p))
    };
    view! {
        <h1>{t(Msg::StatsTitle)}</h1>
        <PeriodButtons period=period active=Signal::derive(move || custom.get().is_none()) on_pick=Callback::new(move |_| custom.set(None))/>
        <details class="custom-range">
            <summary>{t(Msg::ChooseDates)}</summary>
            <CustomRange custom=custom/>
        </details>
        <label for="stats-agency">{t(Msg::FilterAgency)}</label>
        <select id="stats-agency" on:change=move |ev| agency.set(event_target_value(&ev))>
            <option value="">{t(Msg::AllAgencies)}</option>
            {move || agencies.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|a| view! {
                <option value=a.code.clone()>{a.name.clone()}</option>
            }).collect_view()}
        </select>
        <label for="stats-field">{t(Msg::FilterField)}</label>
        <select id="stats-field" on:change=move |ev| field.set(event_target_value(&ev))>
            <option value="">{t(Msg::AllFields)}</option>
            {move || fields.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|f| view! {
                <option value=f.id.clone()>{f.name.clone()}</option>
            }).collect_view()}
        </select>
        <label for="stats-procedure">{t(Msg::ProcedureCodeOptional)}</label>
        <input id="stats-procedure" placeholder=t(Msg::ProcedureExample) on:change=move |ev| procedure.set(event_target_value(&ev).trim().to_owned())/>
        {move || match stats.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(s)) => view! { <Report s=s csv=csv()/> }.into_any(),
        }}
    }
}

#[component]
fn CustomRange(custom: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    view! {
        <div class="range">
            <label>{t(Msg::FromDate)} <input type="date" id="stats-from" on:input=move |ev| from.set(event_target_value(&ev))/></label>
            <label>{t(Msg::ToDate)} <input type="date" id="stats-to" on:input=move |ev| to.set(event_target_value(&ev))/></label>
            <button type="button" on:click=move |_| custom.set(Some((from.get_untracked(), to.get_untracked())))>{t(Msg::Show)}</button>
        </div>
    }
}

#[component]
fn Report(s: Stats, csv: String) -> impl IntoView {
    let totals = s.totals;
    let tiles = vec![
        (Msg::TileReceived, totals.received(), tf(Msg::TileOnline, &[&share(s.online_permille)])),
        (Msg::TileResolved, totals.resolved(), tf(Msg::TileOnTime, &[&share(s.on_time_permille)])),
        (Msg::TilePendingWithin, s.pending_within, String::new()),
        (Msg::TilePendingOverdue, s.pending_overdue, String::new()),
        (Msg::TileWaiting, s.waiting_applicant, t(Msg::TilePaused).to_owned()),
        (Msg::TileRefused, totals.refused, String::new()),
        (Msg::TileWithdrawn, totals.withdrawn, String::new()),
    ];
    let k = &s.catalogue;
    let level3 = tf(
        Msg::Level3Share,
        &[&k.online_level3_plus, &motcua_core::text::decimal((k.online_share_percent * 100.0).round() as u64, lang()), &k.target_percent],
    ) + t(if k.meets_target { Msg::TargetMet } else { Msg::TargetNotMet });
    view! {
        <p class="lead sentence headline">{s.headline.clone()}</p>
        <ul class="tiles">
            {tiles.into_iter().map(|(label, n, note)| view! {
                <li><span class="n">{integer(n)}</span><span>{t(label)}</span>{(!note.is_empty()).then(|| view! { <small>{note}</small> })}</li>
            }).collect_view()}
        </ul>
        <dl class="facts">
            <dt>{t(Msg::KpiLevel3)}</dt><dd class="level3">{level3}</dd>
            <dt>{t(Msg::KpiShortened)}</dt><dd>{format!("{}/{}", k.shortened, k.total)}</dd>
            <dt>{t(Msg::KpiSatisfaction)}</dt><dd>{share(s.satisfied_permille)}</dd>
        </dl>
        <h2>{t(Msg::ByMonth)}</h2>
        <Chart rows=s.by_month.clone()/>
        <Table rows=s.by_month caption=t(Msg::ByMonthCaption)/>
        <h2>{t(Msg::ByField)}</h2>
        <FieldChart rows=s.by_field.clone()/>
        <Table rows=s.by_field caption=t(Msg::ByFieldCaption)/>
        <p><a class="button" href=csv download>{t(Msg::DownloadFigures)}</a></p>
    }
}

/// Resolved dossiers per month, stacked early / on time / late; the table below carries the
/// same numbers for screen readers.
#[component]
fn Chart(rows: Vec<StatRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">{t(Msg::NoFigures)}</p> }.into_any();
    }
    let max = rows.iter().map(|r| r.counters.resolved().max(r.counters.received())).max().unwrap_or(1).max(1);
    let bar = 40u32;
    // At least six slots wide: one month alone is a bar, not a wall.
    let width = rows.len().max(6) as u32 * (bar + 12) + 12;
    let height = 120u32;
    let scale = |n: u32| n * height / max;
    view! {
        <svg class="chart" viewBox=format!("0 0 {width} {}", height + 20) role="img" aria-label=t(Msg::ChartByMonth)>
            {rows.into_iter().enumerate().map(|(i, r)| {
                let x = 12 + i as u32 * (bar + 12);
                let c = r.counters;
                let (e, o, l) = (scale(c.resolved_early), scale(c.resolved_on_time), scale(c.resolved_late));
                let month = r.key.get(5..7).unwrap_or_default().to_owned();
                view! {
                    <g>
                        <rect class="early" x=x y=height - e width=bar height=e/>
                        <rect class="on-time" x=x y=height - e - o width=bar height=o/>
                        <rect class="late" x=x y=height - e - o - l width=bar height=l/>
                        <text x=x + bar / 2 y=height + 14 text-anchor="middle">{month}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <p class="legend"><span class="early">"■ " {t(Msg::Early)}</span> " " <span class="on-time">"■ " {t(Msg::OnTime)}</span> " " <span class="late">"■ " {t(Msg::Late)}</span></p>
    }
    .into_any()
}

/// Received dossiers per field, as horizontal bars (the table below has the numbers).
#[component]
fn FieldChart(rows: Vec<StatRow>) -> impl IntoView {
    let max = rows.iter().map(|r| r.counters.received()).max().unwrap_or(0).max(1);
    let line = 22u32;
    let height = rows.len() as u32 * line + 4;
    view! {
        <svg class="chart fields" viewBox=format!("0 0 320 {height}") role="img" aria-label=t(Msg::ChartByField)>
            {rows.into_iter().enumerate().map(|(i, r)| {
                let y = 2 + i as u32 * line;
                let w = r.counters.received() * 150 / max;
                view! {
                    <g>
                        <text x="0" y=y + 14>{r.label.chars().take(24).collect::<String>()}</text>
                        <rect class="early" x="165" y=y + 3 width=w.max(1) height="14"/>
                        <text x=170 + w y=y + 14>{r.counters.received()}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn Table(rows: Vec<StatRow>, caption: &'static str) -> impl IntoView {
    // Eight columns do not fit a phone: the table scrolls in its own box, which the keyboard
    // can reach, instead of widening the page.
    view! {
        <div class="scroll" role="region" tabindex="0" aria-label=caption>
        <table class="register stats">
            <caption>{caption}</caption>
            <thead><tr><th><span class="sr-only">{t(Msg::RowHeader)}</span></th><th>{t(Msg::ReceivedOnline)}</th><th>{t(Msg::ReceivedInPerson)}</th><th>{t(Msg::Early)}</th><th>{t(Msg::OnTime)}</th><th>{t(Msg::Late)}</th><th>{t(Msg::Refused)}</th><th>{t(Msg::WithdrawnShort)}</th></tr></thead>
            <tbody>{rows.into_iter().map(|r| {
                let c = r.counters;
                view! { <tr><th scope="row">{r.label}</th><td>{c.received_online}</td><td>{c.received_walk_in}</td><td>{c.resolved_early}</td>
                    <td>{c.resolved_on_time}</td><td>{c.resolved_late}</td><td>{c.refused}</td><td>{c.withdrawn}</td></tr> }
            }).collect_view()}</tbody>
        </table>
        </div>
    }
}
