//! Today as the department counts it: Vietnam's date (UTC+7), whatever the device's time zone
//! (a laptop set to UTC showed yesterday's register between midnight and 07:00).

use chrono::Datelike;

pub fn today() -> chrono::NaiveDate {
    motcua_core::calendar::from_unix_millis(js_sys::Date::now() as i64).map(|t| t.date()).unwrap_or_default()
}

pub fn this_year() -> i32 {
    today().year()
}
