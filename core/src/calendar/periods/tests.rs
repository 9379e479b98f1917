use chrono::{Datelike, NaiveTime, Weekday};
use proptest::prelude::*;

use super::*;
use crate::calendar::{OfficeHours, YearDecision};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Instant {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

/// The calendar as deployed: the shipped decisions (data/calendar.json), a 15:00 cut-off.
fn shipped() -> Calendar {
    #[derive(serde::Deserialize)]
    struct Data {
        decisions: Vec<YearDecision>,
    }
    let data: Data = serde_json::from_str(include_str!("../../../../data/calendar.json")).unwrap();
    Calendar::new(OfficeHours::default(), NaiveTime::from_hms_opt(15, 0, 0), data.decisions)
}

fn days(n: u16) -> Term {
    Term::single(Leg::Calendar { days: n })
}

fn end(cal: &Calendar, received: Instant, term: &Term) -> Instant {
    cal.term_end(cal.counting_start(received), term, &[])
}

#[test]
fn received_on_a_friday_twelve_days_end_on_the_wednesday_after_next() {
    let cal = shipped();
    // Fri 4 Dec 2026: the period starts on Sat 5 Dec; its twelfth day is Wed 16 Dec.
    assert_eq!(at(2026, 12, 4, 9, 0).weekday(), Weekday::Fri);
    assert_eq!(end(&cal, at(2026, 12, 4, 9, 0), &days(12)), at(2026, 12, 16, 17, 0));
    // Received after the 15:00 cut-off it counts from Monday 7 Dec: the last day is Sat 19
    // Dec, so it ends on Monday 21 Dec.
    assert_eq!(end(&cal, at(2026, 12, 4, 16, 0), &days(12)), at(2026, 12, 21, 17, 0));
}

#[test]
fn a_last_day_in_tet_moves_to_the_first_working_day_after_it() {
    let cal = shipped();
    // Mon 2 Feb 2026 + 12 days = Sat 14 Feb, the first day of the decided Tết span (14–22 Feb).
    assert_eq!(end(&cal, at(2026, 2, 2, 10, 0), &days(12)), at(2026, 2, 23, 17, 0));
}

#[test]
fn a_last_day_on_the_april_and_may_holidays() {
    let cal = shipped();
    // Fri 17 Apr 2026 + 13 days = Thu 30 Apr; 1 May is off too, then the weekend: Mon 4 May.
    assert_eq!(end(&cal, at(2026, 4, 17, 10, 0), &days(13)), at(2026, 5, 4, 17, 0));
}

#[test]
fn a_last_day_on_national_day() {
    let cal = shipped();
    // Thu 20 Aug 2026 + 13 days = Wed 2 Sep (off with 29 Aug – 1 Sep): Thu 3 Sep.
    assert_eq!(end(&cal, at(2026, 8, 20, 10, 0), &days(13)), at(2026, 9, 3, 17, 0));
}

#[test]
fn a_last_day_on_a_swapped_saturday_is_a_working_day() {
    let cal = shipped();
    // Sat 22 Aug 2026 is worked in place of Mon 31 Aug: a period ending then ends then.
    assert_eq!(end(&cal, at(2026, 8, 20, 10, 0), &days(2)), at(2026, 8, 22, 17, 0));
    // An ordinary Saturday is not: Thu 26 Nov 2026 + 2 days = Sat 28 Nov, so Monday 30 Nov.
    assert_eq!(end(&cal, at(2026, 11, 26, 10, 0), &days(2)), at(2026, 11, 30, 17, 0));
}

#[test]
fn across_new_year() {
    let cal = shipped();
    // Wed 23 Dec 2026 + 9 days = Fri 1 Jan 2027 (New Year's Day), then the weekend.
    assert_eq!(end(&cal, at(2026, 12, 23, 10, 0), &days(9)), at(2027, 1, 4, 17, 0));
}

#[test]
fn a_pause_over_tet_adds_the_days_waited_then_the_end_rule_again() {
    let cal = shipped();
    let start = cal.counting_start(at(2026, 2, 2, 9, 0));
    let pause = Pause { from: at(2026, 2, 12, 10, 0), to: at(2026, 2, 24, 10, 0) };
    // Without the pause: Mon 23 Feb. Twelve days waited: last day Sat 14 + 12 = Thu 26 Feb.
    assert_eq!(cal.term_end(start, &days(12), &[]), at(2026, 2, 23, 17, 0));
    assert_eq!(cal.term_end(start, &days(12), &[pause]), at(2026, 2, 26, 17, 0));
    // A pause that ends the day it began adds no day.
    let same_day = Pause { from: at(2026, 2, 12, 10, 0), to: at(2026, 2, 12, 16, 0) };
    assert_eq!(cal.term_end(start, &days(12), &[same_day]), at(2026, 2, 23, 17, 0));
}

#[test]
fn mixed_units_chain_the_commune_and_the_department() {
    let cal = shipped();
    let term = Term::new(vec![Leg::working_days(5), Leg::Calendar { days: 12 }]).unwrap();
    // Mon 30 Nov 2026 09:00: the commune's five working days end Mon 7 Dec 09:00; the
    // department's twelve days run to Sat 19 Dec, so Mon 21 Dec.
    let start = cal.counting_start(at(2026, 11, 30, 9, 0));
    assert_eq!(cal.reach(start, &term, Mark { leg: 0, into: Leg::working_days(5) }, &[]), at(2026, 12, 7, 9, 0));
    assert_eq!(cal.term_end(start, &term, &[]), at(2026, 12, 21, 17, 0));
    // Paused three working days in the commune's step (Wed 2 – Mon 7 Dec, 09:00): the commune
    // ends Thu 10 Dec 09:00 and the department's twelve days run to Tue 22 Dec.
    let pause = Pause { from: at(2026, 12, 2, 9, 0), to: at(2026, 12, 7, 9, 0) };
    assert_eq!(cal.term_end(start, &term, &[pause]), at(2026, 12, 22, 17, 0));
    assert_eq!(term.text(crate::i18n::Lang::Vi), "5 ngày làm việc + 12 ngày");
    assert_eq!(term.unit(), None);
    assert_eq!(term.days(), 17);
}

#[test]
fn a_term_in_days_is_shared_between_phases_in_whole_days() {
    let term = days(12);
    // 5% / 75% / 15% / 5% of 12 days: 0.6, 9.6, 11.4 and 12 days, rounded up.
    let shares = [5, 75, 15, 5].map(|p| WorkingDuration::from_minutes(term.weight_as_duration().minutes() * p / 100));
    let marks: Vec<u16> = term
        .marks(&shares)
        .into_iter()
        .map(|m| match m.into {
            Leg::Calendar { days } => days,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(marks, vec![1, 10, 12, 12]);
    let cal = shipped();
    let start = cal.counting_start(at(2026, 12, 4, 9, 0));
    let dues: Vec<Instant> = term.marks(&shares).into_iter().map(|m| cal.reach(start, &term, m, &[])).collect();
    // Reception's day is Sat 5 Dec: it ends at the close of Monday 7 Dec.
    assert_eq!(dues, vec![at(2026, 12, 7, 17, 0), at(2026, 12, 14, 17, 0), at(2026, 12, 16, 17, 0), at(2026, 12, 16, 17, 0)]);
}

#[test]
fn a_working_term_keeps_the_working_engine() {
    let cal = shipped();
    let start = at(2026, 12, 1, 8, 0);
    let term = Term::working_days(10);
    assert_eq!(cal.term_end(start, &term, &[]), cal.due(start, WorkingDuration::from_days(10)));
    let pause = Pause { from: at(2026, 12, 3, 9, 0), to: at(2026, 12, 7, 9, 0) };
    let unpaused = cal.due(start, WorkingDuration::from_days(10));
    assert_eq!(cal.term_end(start, &term, &[pause]), cal.resume(unpaused, start, pause.from, pause.to));
}

#[test]
fn texts_and_serde() {
    assert_eq!(Leg::Working { minutes: WorkingDuration::from_minutes(240) }.text(crate::i18n::Lang::Vi), "0,5 ngày làm việc");
    assert_eq!(Leg::Working { minutes: WorkingDuration::from_minutes(120) }.text(crate::i18n::Lang::Vi), "0,25 ngày làm việc");
    assert_eq!(Leg::working_days(10).text(crate::i18n::Lang::Vi), "10 ngày làm việc");
    let term = Term::new(vec![Leg::working_days(5), Leg::Calendar { days: 12 }]).unwrap();
    let json = serde_json::to_string(&term).unwrap();
    assert_eq!(json, r#"[{"unit":"working","minutes":2400},{"unit":"calendar","days":12}]"#);
    assert_eq!(serde_json::from_str::<Term>(&json).unwrap(), term);
    assert!(serde_json::from_str::<Term>("[]").is_err());
    assert!(serde_json::from_str::<Term>(r#"[{"unit":"calendar","days":366}]"#).is_err());
}

fn instant() -> impl Strategy<Value = Instant> {
    // Any minute of 2019–2027.
    (0i64..9 * 366 * 24 * 60).prop_map(|m| at(2019, 1, 1, 0, 0) + Duration::minutes(m))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_period_in_days_ends_at_a_close_of_office_on_a_working_day(t in instant(), n in 0u16..=120) {
        let cal = shipped();
        let end = end(&cal, t, &days(n));
        prop_assert!(cal.day(end.date()).working, "{}", end);
        prop_assert_eq!(cal.closing(end.date()), Some(end));
        prop_assert!(end.date() >= cal.counting_start(t).date() + Duration::days(i64::from(n)));
    }

    #[test]
    fn a_period_in_days_is_monotonic(t in instant(), dt in 0i64..20_000, n in 0u16..=120, dn in 0u16..30) {
        let cal = shipped();
        prop_assert!(end(&cal, t, &days(n)) <= end(&cal, t + Duration::minutes(dt), &days(n)));
        prop_assert!(end(&cal, t, &days(n)) <= end(&cal, t, &days(n + dn)));
    }

    #[test]
    fn a_zero_pause_changes_nothing(t in instant(), n in 0u16..=120, w in 0u16..=20, p in instant()) {
        let cal = shipped();
        let start = cal.counting_start(t);
        let term = Term::new(vec![Leg::working_days(w), Leg::Calendar { days: n }]).unwrap();
        let pause = Pause { from: p, to: p };
        prop_assert_eq!(cal.term_end(start, &term, &[pause]), cal.term_end(start, &term, &[]));
    }

    #[test]
    fn a_longer_pause_never_ends_earlier(t in instant(), n in 0u16..=60, p in 0i64..30_000, q in 0i64..30_000, r in 0i64..10_000) {
        let cal = shipped();
        let start = cal.counting_start(t);
        let term = Term::new(vec![Leg::working_days(3), Leg::Calendar { days: n }]).unwrap();
        let from = start + Duration::minutes(p);
        let shorter = Pause { from, to: from + Duration::minutes(q) };
        let longer = Pause { from, to: from + Duration::minutes(q + r) };
        prop_assert!(cal.term_end(start, &term, &[shorter]) <= cal.term_end(start, &term, &[longer]));
        prop_assert!(cal.term_end(start, &term, &[]) <= cal.term_end(start, &term, &[shorter]));
    }
}
