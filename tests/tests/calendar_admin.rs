//! Calendar administration (issue #8): an admin edits a year's decision, previews the year's
//! working days, saves it, and the public calendar and deadlines count with it. Far years are
//! used so that no other test's deadlines move.

use motcua_core::calendar::{DayKind, YearCalendar, YearDecision};
use motcua_core::ErrorBody;
use motcua_tests::browser::{click, fill, open, phone, staff_login, wait_text, wait_text_where};
use motcua_tests::{get, post_json, Session};
use serde_json::json;

fn day_of(table: &YearCalendar, date: &str) -> (bool, DayKind) {
    let d = table.days.iter().find(|d| d.date.to_string() == date).expect("a day of the year");
    (d.working, d.kind)
}

#[test]
fn a_previewed_decision_changes_nothing_until_saved_then_the_public_calendar_counts_with_it() {
    let admin = Session::login("quantri.tinh");
    // 1 June 2096 is a Friday, 4 June a Monday, 9 June a Saturday.
    let decision = json!({
        "year": 2096, "source": "Thông báo thử 1/TB-BNV",
        "days_off": [{ "date": "2096-06-04", "name": "Nghỉ thêm (thử)" }],
        "working_days": [{ "date": "2096-06-09", "name": "Làm bù (thử)" }]
    });
    let public_before: YearCalendar = get("/api/calendar/2096").json();
    assert_eq!(day_of(&public_before, "2096-06-04"), (true, DayKind::Working));

    let a = admin.post("/api/staff/calendar/2096/preview", &decision);
    assert_eq!(a.status, 200, "{}", a.body);
    let preview: YearCalendar = a.json();
    assert_eq!(day_of(&preview, "2096-06-04"), (false, DayKind::DayOff));
    assert_eq!(day_of(&preview, "2096-06-09"), (true, DayKind::SwappedWorking));
    assert_eq!(preview.working_days, public_before.working_days, "one day off, one day worked");
    let still: YearCalendar = get("/api/calendar/2096").json();
    assert_eq!(still, public_before, "a preview saves nothing");

    let a = admin.post("/api/staff/calendar/2096/decision", &decision);
    assert_eq!(a.status, 200, "{}", a.body);
    let public: YearCalendar = get("/api/calendar/2096").json();
    assert_eq!(day_of(&public, "2096-06-04"), (false, DayKind::DayOff));
    assert_eq!(public.decision.as_deref(), Some("Thông báo thử 1/TB-BNV"));
    let stored: YearDecision = admin.get("/api/staff/calendar/2096").json();
    assert_eq!(stored.days_off.len(), 1);

    // Deadlines count with it: one working day from Friday 1 June 2096 17:00 is Tuesday 5 June
    // (Monday 4 June is now off).
    let due: serde_json::Value = get("/api/calendar/due?days=1&from=2096-06-01T17:00").json();
    assert!(due["due"].as_str().unwrap().starts_with("2096-06-05"), "{due}");
}

#[test]
fn bad_decisions_are_refused_with_a_reason_and_other_roles_are_refused() {
    let admin = Session::login("quantri.tinh");
    let cases = [
        json!({ "year": 2095, "source": "x", "days_off": [{ "date": "2094-12-31", "name": "năm khác" }] }),
        json!({ "year": 2094, "source": "x" }),
        json!({ "year": 2095, "source": " " }),
    ];
    for body in &cases {
        let a = admin.post("/api/staff/calendar/2095/decision", body);
        assert_eq!(a.status, 422, "{body}: {}", a.body);
        assert!(!a.json::<ErrorBody>().fields.is_empty());
    }
    assert_eq!(admin.get("/api/staff/calendar/abc").status, 400);
    // A Tết span that ends before it starts cannot even be read as a decision.
    let backwards = json!({ "year": 2095, "source": "x", "tet": ["2095-02-10", "2095-02-05"] });
    assert_eq!(admin.post("/api/staff/calendar/2095/decision", &backwards).status, 400);
    let decision = json!({ "year": 2095, "source": "x" });
    for user in ["quantri", "tiepnhan", "pheduyet", "lanhdao", "canbo.syt"] {
        let s = Session::login(user);
        assert_eq!(s.get("/api/staff/calendar/2095").status, 403, "{user}");
        assert_eq!(s.post("/api/staff/calendar/2095/preview", &decision).status, 403, "{user}");
        assert_eq!(s.post("/api/staff/calendar/2095/decision", &decision).status, 403, "{user}");
    }
    assert_eq!(post_json("/api/staff/calendar/2095/decision", &decision).status, 401);
}

#[tokio::test]
async fn an_admin_edits_a_year_in_the_browser_with_a_preview_of_its_working_days() {
    // From a known state: 2097 with a decision that changes no day (a rerun finds its own).
    let reset = json!({ "year": 2097, "source": "Chưa có quyết định (thử)" });
    let a = tokio::task::spawn_blocking(move || Session::login("quantri.tinh").post("/api/staff/calendar/2097/decision", &reset)).await.unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let public: YearCalendar = tokio::task::spawn_blocking(|| get("/api/calendar/2097").json()).await.unwrap();
    let c = phone().await;
    staff_login(&c, "quantri.tinh").await;
    open(&c, "/can-bo/lich").await;
    wait_text_where(&c, "main h1", |t| t == "Lịch làm việc").await;
    fill(&c, "#cal-year", "2097").await;
    click(&c, "form.calendar-admin button[type=submit]").await;
    wait_text_where(&c, "main .year-status", |t| t.starts_with("Năm 2097")).await;
    fill(&c, "#cal-source", "Thông báo thử 2/TB-BNV").await;
    // A Monday off: 3 June 2097.
    fill(&c, "#cal-off", "2097-06-03 Nghỉ thêm thử").await;
    c.find(fantoccini::Locator::XPath("//button[normalize-space()='Xem trước các ngày làm việc']")).await.unwrap().click().await.unwrap();
    let summary = wait_text_where(&c, ".calendar-preview .notice", |t| t.starts_with("Năm 2097")).await;
    assert_eq!(summary, format!("Năm 2097: {} ngày làm việc.", public.working_days - 1), "one working day fewer than today's calendar");
    let cell = wait_text(&c, ".calendar-preview .month td.off").await;
    assert_eq!(cell, "3");
    c.find(fantoccini::Locator::XPath("//button[normalize-space()='Lưu lịch năm']")).await.unwrap().click().await.unwrap();
    wait_text_where(&c, "main .notice", |t| t.starts_with("Đã lưu lịch năm 2097")).await;
    let saved: YearCalendar = tokio::task::spawn_blocking(|| get("/api/calendar/2097").json()).await.unwrap();
    assert_eq!(saved.working_days, public.working_days - 1);
    c.close().await.unwrap();
}
