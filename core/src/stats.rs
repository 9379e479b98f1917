//! Public statistics, a consumer of workflow events: the dashboard's answer over the daily
//! counters (`StatCounters`, which each transition returns: `workflow::counters`), and the
//! headline sentence in the style of the department's own reports.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::text::integer_vi;
pub use crate::workflow::counters::{StatCounters, STAT_COLUMNS};

/// One row of a breakdown (a month, a field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRow {
    pub key: String,
    pub label: String,
    pub counters: StatCounters,
}

/// `GET /api/stats`: the dashboard of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    #[serde(with = "crate::date::iso")]
    pub from: NaiveDate,
    #[serde(with = "crate::date::iso")]
    pub to: NaiveDate,
    pub totals: StatCounters,
    /// In progress now (whatever the period), within their due date or past it.
    pub pending_within: u32,
    pub pending_overdue: u32,
    /// Waiting for the applicant's supplement now: the clock stands still.
    #[serde(default)]
    pub waiting_applicant: u32,
    /// Share of received dossiers submitted online, per mille.
    pub online_permille: Option<u32>,
    /// Share of resolved dossiers resolved early or on time, per mille.
    pub on_time_permille: Option<u32>,
    pub by_month: Vec<StatRow>,
    pub by_field: Vec<StatRow>,
    pub headline: String,
    /// Overall satisfaction of the period's evaluations (issue: ratings), per mille.
    pub satisfied_permille: Option<u32>,
    /// The catalogue: share of procedures online at level 3+ against the target, shortened times.
    pub catalogue: crate::kpi::CatalogueKpis,
}

fn permille(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| (u64::from(part) * 1000 / u64::from(whole)) as u32)
}

const MONTHS_EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// "Quý I/2019", "Tháng 3/2019", "Năm 2019", or "Từ 01/01/2019 đến 15/03/2019"; in English
/// "Q1 2019", "March 2019", "2019", "1 Jan 2019 to 15 Mar 2019".
pub fn period_label(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let month_end = |d: NaiveDate| (d + chrono::Duration::days(1)).month() != d.month();
    let whole_months = from.day() == 1 && month_end(to) && from.year() == to.year();
    let en = lang == Lang::En;
    let year = from.year();
    if whole_months && from.month() == 1 && to.month() == 12 {
        if en { year.to_string() } else { format!("Năm {year}") }
    } else if whole_months && from.month() == to.month() {
        month_label(year, from.month(), lang)
    } else if whole_months && (from.month() - 1) % 3 == 0 && to.month() == from.month() + 2 {
        let q = (from.month() as usize - 1) / 3;
        if en { format!("Q{} {year}", q + 1) } else { format!("Quý {}/{year}", ["I", "II", "III", "IV"][q]) }
    } else if en {
        format!("{} to {}", crate::date::date_text(from, lang), crate::date::date_text(to, lang))
    } else {
        format!("Từ {} đến {}", crate::date::to_vi(from), crate::date::to_vi(to))
    }
}

/// "Tháng 3/2019" / "March 2019".
pub fn month_label(year: i32, month: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} {year}", MONTHS_EN[(month.clamp(1, 12) - 1) as usize]),
        Lang::Vi => format!("Tháng {month}/{year}"),
    }
}

/// Percent with one decimal in the language's way, dropping the zero: "100%", "96,5%" / "96.5%".
fn percent(permille: u32, lang: Lang) -> String {
    let mark = if lang == Lang::En { '.' } else { ',' };
    if permille % 10 == 0 { format!("{}%", permille / 10) } else { format!("{}{mark}{}%", permille / 10, permille % 10) }
}

/// Whole numbers with the language's thousands mark: "7.599" / "7,599".
fn integer(n: u64, lang: Lang) -> String {
    let vi = integer_vi(n);
    if lang == Lang::En { vi.replace('.', ",") } else { vi }
}

/// The report's sentence: "Quý I/2019, sở đã giải quyết 7.599 hồ sơ TTHC, 100% hồ sơ được giải
/// quyết đúng và trước hạn, không có hồ sơ quá hạn." `who` is who resolved them (an agency's
/// official name, or `None` for all of them).
pub fn headline(from: NaiveDate, to: NaiveDate, who: Option<&str>, totals: &StatCounters, pending_overdue: u32, lang: Lang) -> String {
    let period = period_label(from, to, lang);
    let resolved = totals.resolved();
    let en = lang == Lang::En;
    let who = who.unwrap_or(if en { "the agencies" } else { "các cơ quan" });
    if resolved == 0 {
        return if en { format!("{period}: {who} resolved no applications.") } else { format!("{period}, {who} chưa giải quyết hồ sơ TTHC nào.") };
    }
    let on_time = percent(permille(totals.resolved_early + totals.resolved_on_time, resolved).unwrap_or(0), lang);
    let late = totals.resolved_late + pending_overdue;
    let n = integer(u64::from(resolved), lang);
    if en {
        let tail = if late == 0 { "none late".to_owned() } else { format!("{} late", integer(u64::from(late), lang)) };
        format!("{period}: {who} resolved {n} applications, {on_time} of them on time or early, {tail}.")
    } else {
        let tail = if late == 0 { "không có hồ sơ quá hạn".to_owned() } else { format!("{} hồ sơ quá hạn", integer_vi(u64::from(late))) };
        format!("{period}, {who} đã giải quyết {n} hồ sơ TTHC, {on_time} hồ sơ được giải quyết đúng và trước hạn, {tail}.")
    }
}

impl Stats {
    pub fn new(
        (from, to): (NaiveDate, NaiveDate),
        (who, lang): (Option<&str>, Lang),
        totals: StatCounters,
        Pending { within: pending_within, overdue: pending_overdue, waiting: waiting_applicant }: Pending,
        by_month: Vec<StatRow>,
        by_field: Vec<StatRow>,
        satisfied_permille: Option<u32>,
        catalogue: crate::kpi::CatalogueKpis,
    ) -> Stats {
        Stats {
            from,
            to,
            online_permille: permille(totals.received_online, totals.received()),
            on_time_permille: permille(totals.resolved_early + totals.resolved_on_time, totals.resolved()),
            headline: headline(from, to, who, &totals, pending_overdue, lang),
            totals,
            pending_within,
            pending_overdue,
            waiting_applicant,
            by_month,
            by_field,
            satisfied_permille,
            catalogue,
        }
    }
}

/// Dossiers not yet resolved, now: `within` and `overdue` hold `DossierStatus::PENDING`,
/// `waiting` `DossierStatus::WAITING`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pending {
    pub within: u32,
    pub overdue: u32,
    pub waiting: u32,
}

/// Hand-overs of one officer or desk, and their on-time rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnTimeRow {
    pub key: String,
    pub label: String,
    pub early: u32,
    pub on_time: u32,
    pub late: u32,
    /// Early or on time, per mille of all hand-overs.
    pub on_time_permille: Option<u32>,
}

impl OnTimeRow {
    pub fn new(key: String, label: String, early: u32, on_time: u32, late: u32) -> OnTimeRow {
        OnTimeRow { key, label, early, on_time, late, on_time_permille: permille(early + on_time, early + on_time + late) }
    }
}

/// A dossier past its due date and not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueDossier {
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub status_label: String,
    #[serde(with = "crate::date::iso_datetime")]
    pub due_at: chrono::NaiveDateTime,
}

/// `GET /api/staff/stats` (managers): per unit and per officer on-time rates of a period, and
/// the agency's overdue dossiers now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerStats {
    #[serde(with = "crate::date::iso")]
    pub from: NaiveDate,
    #[serde(with = "crate::date::iso")]
    pub to: NaiveDate,
    pub units: Vec<OnTimeRow>,
    pub officers: Vec<OnTimeRow>,
    pub overdue: Vec<OverdueDossier>,
}

/// The store's pending cells (`pending_days`: agency, procedure, due day, held, waiting)
/// counted from the dossiers themselves: what the check route compares with the kept ones, and
/// what `cargo xtask deploy` counts again once the new version serves (the previous one, live
/// between the migration and the deploy, did not move them).
pub fn pending_recount_sql() -> String {
    use crate::dossier::DossierStatus;
    let (held, waiting) = (DossierStatus::sql_list(&DossierStatus::PENDING), DossierStatus::sql_list(&DossierStatus::WAITING));
    format!(
        "SELECT agency_code, procedure_id, substr(due_at, 1, 10) AS due_day, SUM(status IN ({held})) AS held, \
         SUM(status IN ({waiting})) AS waiting FROM dossiers WHERE status IN ({held}, {waiting}) GROUP BY 1, 2, 3"
    )
}

/// A period as a dashboard reads its counters: the whole months inside it from the monthly
/// sums, the days before and after them from the daily ones — a quarter reads three month rows
/// per cell, not ninety day rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodParts {
    /// The first days of the first and the last whole month, when there is one.
    pub months: Option<(NaiveDate, NaiveDate)>,
    /// The days around them (or the whole period, without a whole month), inclusive ranges.
    pub days: [Option<(NaiveDate, NaiveDate)>; 2],
}

impl PeriodParts {
    /// `from` ≤ `to` (the route refuses the others).
    pub fn of(from: NaiveDate, to: NaiveDate) -> PeriodParts {
        let first_of = |d: NaiveDate| d.with_day(1).expect("day 1");
        let next_month = |d: NaiveDate| first_of(d).checked_add_months(chrono::Months::new(1)).expect("a month later");
        let first = if from.day() == 1 { from } else { next_month(from) };
        let end = match to.succ_opt() {
            Some(next) if next.day() == 1 => to,
            _ => first_of(to).pred_opt().expect("a day before"),
        };
        if first > end {
            return PeriodParts { months: None, days: [Some((from, to)), None] };
        }
        let before = (from < first).then(|| (from, first.pred_opt().expect("a day before")));
        let after = (end < to).then(|| (end.succ_opt().expect("a day after"), to));
        PeriodParts { months: Some((first, first_of(end))), days: [before, after] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_2019_sentence() {
        let totals = StatCounters { resolved_early: 7000, resolved_on_time: 599, received_walk_in: 7599, ..StatCounters::default() };
        assert_eq!(
            headline(d(2019, 1, 1), d(2019, 3, 31), Some("sở"), &totals, 0, Lang::Vi),
            "Quý I/2019, sở đã giải quyết 7.599 hồ sơ TTHC, 100% hồ sơ được giải quyết đúng và trước hạn, không có hồ sơ quá hạn."
        );
        let late = StatCounters { resolved_early: 180, resolved_on_time: 13, resolved_late: 7, ..StatCounters::default() };
        assert_eq!(
            headline(d(2026, 11, 1), d(2026, 11, 30), Some("Sở Nội vụ"), &late, 2, Lang::Vi),
            "Tháng 11/2026, Sở Nội vụ đã giải quyết 200 hồ sơ TTHC, 96,5% hồ sơ được giải quyết đúng và trước hạn, 9 hồ sơ quá hạn."
        );
        assert_eq!(headline(d(2026, 1, 1), d(2026, 12, 31), Some("sở"), &StatCounters::default(), 0, Lang::Vi), "Năm 2026, sở chưa giải quyết hồ sơ TTHC nào.");
        assert_eq!(headline(d(2026, 1, 1), d(2026, 12, 31), None, &StatCounters::default(), 0, Lang::Vi), "Năm 2026, các cơ quan chưa giải quyết hồ sơ TTHC nào.");
    }

    #[test]
    fn the_sentence_in_english() {
        let totals = StatCounters { resolved_early: 7000, resolved_on_time: 599, received_walk_in: 7599, ..StatCounters::default() };
        assert_eq!(
            headline(d(2019, 1, 1), d(2019, 3, 31), None, &totals, 0, Lang::En),
            "Q1 2019: the agencies resolved 7,599 applications, 100% of them on time or early, none late."
        );
        let late = StatCounters { resolved_early: 180, resolved_on_time: 13, resolved_late: 7, ..StatCounters::default() };
        assert_eq!(
            headline(d(2026, 11, 1), d(2026, 11, 30), Some("Sở Nội vụ"), &late, 2, Lang::En),
            "November 2026: Sở Nội vụ resolved 200 applications, 96.5% of them on time or early, 9 late."
        );
        assert_eq!(headline(d(2026, 1, 1), d(2026, 12, 31), None, &StatCounters::default(), 0, Lang::En), "2026: the agencies resolved no applications.");
    }

    #[test]
    fn on_time_rates() {
        assert_eq!(OnTimeRow::new("a".into(), "A".into(), 6, 3, 1).on_time_permille, Some(900));
        assert_eq!(OnTimeRow::new("a".into(), "A".into(), 0, 0, 0).on_time_permille, None);
    }

    #[test]
    fn every_day_of_a_period_is_read_once_from_its_whole_month_or_its_own_row() {
        let start = d(2023, 11, 1);
        for a in 0..140 {
            for b in a..140 {
                let (from, to) = (start + chrono::Duration::days(a), start + chrono::Duration::days(b));
                let parts = PeriodParts::of(from, to);
                let mut read: Vec<NaiveDate> = Vec::new();
                if let Some((first, last)) = parts.months {
                    assert!(first.day() == 1 && last.day() == 1 && first <= last, "{from} {to}: {parts:?}");
                    let mut day = first;
                    while day <= last || day.month() == last.month() && day.year() == last.year() {
                        read.push(day);
                        day = day.succ_opt().unwrap();
                    }
                }
                for (x, y) in parts.days.into_iter().flatten() {
                    assert!(x <= y, "{from} {to}: {parts:?}");
                    read.extend(x.iter_days().take_while(|day| *day <= y));
                }
                read.sort();
                let want: Vec<NaiveDate> = from.iter_days().take_while(|day| *day <= to).collect();
                assert_eq!(read, want, "{from} {to}: {parts:?}");
            }
        }
        // A quarter is three months and no day; a month less a day is days only.
        assert_eq!(PeriodParts::of(d(2026, 10, 1), d(2026, 12, 31)), PeriodParts { months: Some((d(2026, 10, 1), d(2026, 12, 1))), days: [None, None] });
        assert_eq!(PeriodParts::of(d(2026, 2, 1), d(2026, 2, 27)), PeriodParts { months: None, days: [Some((d(2026, 2, 1), d(2026, 2, 27))), None] });
    }

    #[test]
    fn period_labels() {
        let both = |from, to| (period_label(from, to, Lang::Vi), period_label(from, to, Lang::En));
        assert_eq!(both(d(2026, 4, 1), d(2026, 6, 30)), ("Quý II/2026".into(), "Q2 2026".into()));
        assert_eq!(both(d(2026, 2, 1), d(2026, 2, 28)), ("Tháng 2/2026".into(), "February 2026".into()));
        assert_eq!(both(d(2026, 2, 1), d(2026, 2, 27)), ("Từ 01/02/2026 đến 27/02/2026".into(), "1 Feb 2026 to 27 Feb 2026".into()));
        assert_eq!(both(d(2026, 2, 1), d(2026, 4, 30)), ("Từ 01/02/2026 đến 30/04/2026".into(), "1 Feb 2026 to 30 Apr 2026".into()));
        assert_eq!(both(d(2026, 1, 1), d(2026, 12, 31)), ("Năm 2026".into(), "2026".into()));
    }

}

#[cfg(test)]
mod property;
