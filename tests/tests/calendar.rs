//! The calendar API over HTTP: effective working calendars and due-date estimates.

use motcua_core::calendar::{DayKind, DaySource, DueEstimate, YearCalendar};
use motcua_core::date::to_iso_datetime;
use motcua_core::{ErrorBody, ErrorCode};
use motcua_tests::{get, get_query};

fn year(y: i32) -> YearCalendar {
    let a = get(&format!("/api/calendar/{y}"));
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
}

fn day(cal: &YearCalendar, date: &str) -> motcua_core::calendar::DayInfo {
    cal.days.iter().find(|d| motcua_core::date::to_iso(d.date) == date).cloned().unwrap_or_else(|| panic!("{date} missing"))
}

#[test]
fn a_year_lists_every_day_with_its_source() {
    let cal = year(2026);
    assert_eq!(cal.days.len(), 365);
    assert_eq!(cal.working_days as usize, cal.days.iter().filter(|d| d.working).count());
    // Published facts: Tết Bính Ngọ is Tue 17 Feb 2026; 24 Nov is a holiday from 2026;
    // Hùng Kings' day (10/3 lunar) is Sun 26 Apr 2026.
    let tet = day(&cal, "2026-02-17");
    assert!(!tet.working && tet.kind == DayKind::Holiday && tet.name.as_deref() == Some("Tết Nguyên đán"));
    assert!(!day(&cal, "2026-11-24").working);
    assert_eq!(day(&cal, "2026-04-27").kind, DayKind::Compensatory, "Sunday's holiday is taken on Monday");
    let ordinary = day(&cal, "2026-12-01");
    assert!(ordinary.working && ordinary.source == DaySource::Computed);
    assert_eq!(day(&cal, "2026-12-05").kind, DayKind::WeeklyRest);
    assert_eq!(year(2024).days.len(), 366);
}

#[test]
fn decided_days_from_the_data_file_are_served_as_decided() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/calendar.json");
    let data: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for decision in data["decisions"].as_array().unwrap() {
        let y = decision["year"].as_i64().unwrap() as i32;
        let cal = year(y);
        assert!(cal.decision.is_some(), "{y} has a decision");
        for w in decision["working_days"].as_array().into_iter().flatten() {
            let d = day(&cal, w["date"].as_str().unwrap());
            assert!(d.working && d.source == DaySource::Decided && d.kind == DayKind::SwappedWorking, "{d:?}");
        }
        for off in decision["days_off"].as_array().into_iter().flatten() {
            let d = day(&cal, off["date"].as_str().unwrap());
            assert!(!d.working && d.source == DaySource::Decided, "{d:?}");
        }
        if let Some(span) = decision["tet"].as_array() {
            let first = day(&cal, span[0].as_str().unwrap());
            assert!(!first.working && first.source == DaySource::Decided);
        }
    }
}

#[test]
fn years_outside_1900_2100_are_400() {
    for y in ["1899", "2101", "abcd", "20260"] {
        let a = get(&format!("/api/calendar/{y}"));
        assert_eq!(a.status, 400, "{y}");
        assert_eq!(a.json::<ErrorBody>().code, ErrorCode::InvalidQuery);
    }
}

#[test]
fn due_dates_count_working_time_only() {
    // Fri 27 Nov 2026 16:00 + 1 working day: 1 h on Friday, 7 h on Monday → Mon 16:00.
    let a = get_query("/api/calendar/due", &[("from", "2026-11-27T16:00"), ("days", "1")]);
    assert_eq!(a.status, 200, "{}", a.body);
    let e: DueEstimate = a.json();
    assert_eq!(to_iso_datetime(e.due), "2026-11-30T16:00:00");
    assert_eq!(e.leg, motcua_core::calendar::Leg::working_days(1));
    // Received on a Saturday: the clock starts Monday 07:00; half a day (4 h) → Monday 11:00.
    let e: DueEstimate = get_query("/api/calendar/due", &[("from", "2026-11-28T10:00"), ("days", "0,5")]).json();
    assert_eq!(to_iso_datetime(e.counted_from), "2026-11-30T07:00:00");
    assert_eq!(to_iso_datetime(e.due), "2026-11-30T11:00:00");
    // Without `from`: from now, never earlier.
    let e: DueEstimate = get_query("/api/calendar/due", &[("days", "10")]).json();
    assert!(e.due > e.from);
}

#[test]
fn due_refuses_bad_parameters() {
    for pairs in [
        vec![],
        vec![("days", "abc")],
        vec![("days", "366")],
        vec![("days", "1"), ("from", "2026-11-27")],
        vec![("days", "1"), ("from", "2100-06-01T08:00")],
    ] {
        let a = get_query("/api/calendar/due", &pairs);
        assert_eq!(a.status, 400, "{pairs:?}: {}", a.body);
        assert_eq!(a.json::<ErrorBody>().code, ErrorCode::InvalidQuery);
    }
}
