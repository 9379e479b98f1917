use leptos::prelude::*;

use crate::i18n::{t, Msg};

/// The reporting periods of the public pages (ratings, statistics).
#[derive(Clone, Copy, PartialEq)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

/// The first and last day of the period containing today (in Vietnam), as ISO dates.
pub fn span(p: Period) -> (String, String) {
    use chrono::Datelike;
    let d = crate::components::today::today();
    let (y, m) = (d.year() as u32, d.month());
    let (first, last) = match p {
        Period::Month => (m, m),
        Period::Quarter => ((m - 1) / 3 * 3 + 1, (m - 1) / 3 * 3 + 3),
        Period::Year => (1, 12),
    };
    let days = js_sys::Date::new_with_year_month_day(y, last as i32, 0).get_date();
    (format!("{y:04}-{first:02}-01"), format!("{y:04}-{last:02}-{days:02}"))
}

/// "Tháng này / Quý này / Năm nay" buttons; `active` says whether the choice applies (a
/// custom range may override it).
#[component]
pub fn PeriodButtons(period: RwSignal<Period>, #[prop(into)] active: Signal<bool>, #[prop(optional)] on_pick: Option<Callback<()>>) -> impl IntoView {
    view! {
        <div class="periods" role="group" aria-label=t(Msg::ReportPeriod)>
            {[(Period::Month, t(Msg::ThisMonth)), (Period::Quarter, t(Msg::ThisQuarter)), (Period::Year, t(Msg::ThisYear))].into_iter().map(|(p, label)| {
                let on = move || active.get() && period.get() == p;
                view! {
                    <button type="button" class:current=on aria-pressed=move || on().to_string()
                        on:click=move |_| { if let Some(cb) = on_pick { cb.run(()); } period.set(p); }>{label}</button>
                }
            }).collect_view()}
        </div>
    }
}
