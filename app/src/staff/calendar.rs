use chrono::Datelike;
use leptos::prelude::*;
use motcua_core::calendar::{DayInfo, DayKind, NamedDate, YearCalendar, YearDecision};
use motcua_core::date::{parse_iso, to_iso};

use crate::api;
use crate::components::title::set_title;
use crate::components::today::this_year;
use crate::i18n::staff::{s, sf, S};

/// The form's text of a decision: dates as `YYYY-MM-DD`, lists one day per line ("2027-04-30
/// Nghỉ bù …").
#[derive(Clone, Default)]
struct Form {
    source: String,
    tet_from: String,
    tet_to: String,
    national_day_extra: String,
    days_off: String,
    working_days: String,
}

fn lines_of(days: &[NamedDate]) -> String {
    days.iter().map(|d| format!("{} {}", to_iso(d.date), d.name)).collect::<Vec<_>>().join("\n")
}

fn form_of(d: &YearDecision) -> Form {
    Form {
        source: d.source.clone(),
        tet_from: d.tet.map(|t| to_iso(t.0)).unwrap_or_default(),
        tet_to: d.tet.map(|t| to_iso(t.1)).unwrap_or_default(),
        national_day_extra: d.national_day_extra.map(to_iso).unwrap_or_default(),
        days_off: lines_of(&d.days_off),
        working_days: lines_of(&d.working_days),
    }
}

fn named_days(text: &str, what: &str) -> Result<Vec<NamedDate>, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (date, name) = line.split_once(' ').unwrap_or((line, ""));
            let date = parse_iso(date).ok_or_else(|| sf(S::LineNeedsDate, &[&what, &line]))?;
            Ok(NamedDate { date, name: name.trim().to_owned() })
        })
        .collect()
}

fn decision_of(year: i32, f: &Form) -> Result<YearDecision, String> {
    let tet = match (parse_iso(&f.tet_from), parse_iso(&f.tet_to)) {
        (Some(a), Some(b)) if a <= b => Some((a, b)),
        (None, None) if f.tet_from.is_empty() && f.tet_to.is_empty() => None,
        _ => return Err(s(S::TetNeedsRange).into()),
    };
    Ok(YearDecision {
        year,
        source: f.source.trim().to_owned(),
        tet,
        national_day_extra: parse_iso(&f.national_day_extra),
        days_off: named_days(&f.days_off, s(S::ExtraDaysOff))?,
        working_days: named_days(&f.working_days, s(S::MakeUpDays))?,
    })
}

fn kind_class(d: &DayInfo) -> &'static str {
    match d.kind {
        DayKind::Working => "work",
        DayKind::WeeklyRest => "rest",
        DayKind::Holiday | DayKind::Compensatory => "holiday",
        DayKind::DayOff => "off",
        DayKind::SwappedWorking => "swapped",
    }
}

/// One month as a Monday-first grid; a day's title names it (holiday, swap).
fn month_grid(month: u32, days: Vec<DayInfo>) -> impl IntoView {
    let lead = days.first().map_or(0, |d| d.date.weekday().num_days_from_monday()) as usize;
    let mut cells: Vec<Option<DayInfo>> = vec![None; lead];
    cells.extend(days.into_iter().map(Some));
    let weeks: Vec<Vec<Option<DayInfo>>> = cells.chunks(7).map(<[_]>::to_vec).collect();
    view! {
        <table class="month">
            <caption>{sf(S::Month, &[&month])}</caption>
            <thead><tr><th>{s(S::Mon)}</th><th>{s(S::Tue)}</th><th>{s(S::Wed)}</th><th>{s(S::Thu)}</th><th>{s(S::Fri)}</th><th>{s(S::Sat)}</th><th>{s(S::Sun)}</th></tr></thead>
            <tbody>{weeks.into_iter().map(|w| view! {
                <tr>{w.into_iter().map(|c| match c {
                    Some(d) => view! {
                        <td class=kind_class(&d) title=d.name.clone().unwrap_or_default()>{d.date.day()}</td>
                    }.into_any(),
                    None => view! { <td></td> }.into_any(),
                }).collect_view()}</tr>
            }).collect_view()}</tbody>
        </table>
    }
}

/// `/can-bo/lich`: the admin edits a year's government decision (official Tết span, swapped
/// Saturdays, extra days off), previews the year's working days and saves it.
#[component]
pub fn CalendarAdmin() -> impl IntoView {
    set_title(s(S::WorkingCalendar));
    let year = RwSignal::new(this_year());
    let form = RwSignal::new(Form::default());
    let preview = RwSignal::new(None::<YearCalendar>);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let load = move || {
        let y = year.get_untracked();
        preview.set(None);
        done.set(None);
        leptos::task::spawn_local(async move {
            match api::calendar_decision(y).await {
                Ok(d) => {
                    status.set(if d.source.is_empty() {
                        sf(S::YearByLaw, &[&y])
                    } else {
                        sf(S::YearByDecision, &[&y, &d.source])
                    });
                    form.set(form_of(&d));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(e.message)),
            }
        });
    };
    load();
    let fail = move |e: motcua_core::ErrorBody| problem.set(Some(e.fields.first().map_or(e.message.clone(), |f| f.message.clone())));
    let on_preview = move |_| {
        let y = year.get_untracked();
        match decision_of(y, &form.get_untracked()) {
            Err(m) => problem.set(Some(m)),
            Ok(d) => leptos::task::spawn_local(async move {
                match api::preview_calendar(y, &d).await {
                    Ok(table) => {
                        problem.set(None);
                        preview.set(Some(table));
                    }
                    Err(e) => fail(e),
                }
            }),
        }
    };
    let on_save = move |_| {
        let y = year.get_untracked();
        match decision_of(y, &form.get_untracked()) {
            Err(m) => problem.set(Some(m)),
            Ok(d) => leptos::task::spawn_local(async move {
                match api::save_calendar(y, &d).await {
                    Ok(_) => {
                        problem.set(None);
                        done.set(Some(sf(S::YearSaved, &[&y])));
                    }
                    Err(e) => fail(e),
                }
            }),
        }
    };
    let field = move |id, label, kind, get, set| form_input(form, id, label, kind, get, set);
    let area = move |id, label, get, set| form_area(form, id, label, get, set);
    view! {
        <h1>{s(S::WorkingCalendar)}</h1>
        <p class="hint">{s(S::CalendarHint)}</p>
        <form class="walk-in calendar-admin" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(); } novalidate>
            <label for="cal-year">{s(S::Year)}</label>
            <input id="cal-year" type="number" min="1900" max="2100" prop:value=move || year.get().to_string()
                on:input=move |ev| if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }/>
            <button type="submit">{s(S::OpenYear)}</button>
        </form>
        <p class="year-status" role="status">{move || status.get()}</p>
        <form class="walk-in calendar-admin" on:submit=|ev| ev.prevent_default() novalidate>
            {field("cal-source", s(S::CalendarDecision), "text", |f| f.source.clone(), |f, v| f.source = v)}
            {field("cal-tet-from", s(S::TetFrom), "date", |f| f.tet_from.clone(), |f, v| f.tet_from = v)}
            {field("cal-tet-to", s(S::TetUntil), "date", |f| f.tet_to.clone(), |f, v| f.tet_to = v)}
            {field("cal-national", s(S::NationalDaySecond), "date", |f| f.national_day_extra.clone(), |f, v| f.national_day_extra = v)}
            {area("cal-off", s(S::ExtraDaysOffLines), |f| f.days_off.clone(), |f, v| f.days_off = v)}
            {area("cal-work", s(S::MakeUpSaturdays), |f| f.working_days.clone(), |f, v| f.working_days = v)}
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || done.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            <button type="button" on:click=on_preview>{s(S::PreviewWorkingDays)}</button>
            <button type="button" class="primary" on:click=on_save>{s(S::SaveYear)}</button>
        </form>
        {move || preview.get().map(|t| view! { <YearPreview t=t/> })}
    }
}

/// A line of the decision's form, bound to one of its texts.
fn form_input(form: RwSignal<Form>, id: &'static str, label: &'static str, kind: &'static str, get: fn(&Form) -> String, set: fn(&mut Form, String)) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id type=kind prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
    }
}

/// A list of the decision's form (a day per line), bound to one of its texts.
fn form_area(form: RwSignal<Form>, id: &'static str, label: &'static str, get: fn(&Form) -> String, set: fn(&mut Form, String)) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <textarea id=id rows="4" prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))></textarea>
    }
}

/// The year as the decision would make it: its working days, month by month.
#[component]
fn YearPreview(t: YearCalendar) -> impl IntoView {
    let mut months: Vec<Vec<DayInfo>> = vec![Vec::new(); 12];
    for d in t.days {
        months[d.date.month0() as usize].push(d);
    }
    view! {
        <section class="calendar-preview" aria-label={s(S::Preview)}>
            <p class="notice" role="status">{sf(S::WorkingDaysInYear, &[&t.year, &t.working_days])}</p>
            <p class="legend"><span class="work">{s(S::DayWorking)}</span><span class="rest">{s(S::DayWeekly)}</span>
                <span class="holiday">{s(S::DayHoliday)}</span><span class="off">{s(S::DayDecreed)}</span><span class="swapped">{s(S::DayMakeUp)}</span></p>
            <div class="months">{months.into_iter().enumerate().map(|(i, days)| month_grid(i as u32 + 1, days)).collect_view()}</div>
        </section>
    }
}
