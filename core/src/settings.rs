//! The deployment's settings (`[vars]` of wrangler.toml), read into one typed struct and
//! checked together: a bad value is named once, before any dossier depends on it. Secrets
//! (the tracking pepper, signing and VAPID keys) are not settings and are read where used.

use chrono::NaiveTime;

use crate::calendar::OfficeHours;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Office hours per weekday (`OFFICE_HOURS`, `OfficeHours::parse`; default Mon–Fri
    /// 07:00–11:30 and 13:30–17:00).
    pub office_hours: OfficeHours,
    /// Receptions after this time count from the next working morning (`RECEPTION_CUTOFF`).
    pub reception_cutoff: Option<NaiveTime>,
    /// The sender of e-mails (`EMAIL_FROM`).
    pub email_from: String,
    /// The contact VAPID push messages carry (`VAPID_SUBJECT`).
    pub vapid_subject: String,
    /// The service's address in links sent without a request to take it from (`PUBLIC_URL`).
    pub public_url: String,
    /// The first retry's delay of a failed notice, doubled at each attempt (`NOTICE_RETRY_SECONDS`).
    pub notice_retry_seconds: u32,
    /// Anonymous submissions and uploads per client address and hour (`SUBMIT_LIMIT_PER_HOUR`,
    /// `UPLOAD_LIMIT_PER_HOUR`).
    pub submit_limit_per_hour: u32,
    pub upload_limit_per_hour: u32,
    /// The name authenticator apps show beside administrators' codes (`TOTP_ISSUER`).
    pub totp_issuer: String,
    /// The test stack only: a cookie sets the catalogue's day (`TEST_CLOCK = "on"`).
    pub test_clock: bool,
    /// The test and dev stacks only: push endpoints on the loopback (`PUSH_LOOPBACK = "on"`).
    pub push_loopback: bool,
}

/// A setting that cannot be used: its name and the value found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub name: &'static str,
    pub value: String,
}

impl Settings {
    /// Reads every setting through `var` (absent or blank: the default).
    pub fn read(var: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingError> {
        let get = |name: &str| var(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let bad = |name: &'static str, value: &str| SettingError { name, value: value.to_owned() };
        let number = |name: &'static str, default: u32| match get(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| bad(name, &v)),
        };
        let text = |name: &str, default: &str| get(name).unwrap_or_else(|| default.to_owned());
        let on = |name: &str| get(name).as_deref() == Some("on");
        let office_hours = match get("OFFICE_HOURS") {
            None => OfficeHours::default(),
            Some(v) => OfficeHours::parse(&v).map_err(|_| bad("OFFICE_HOURS", &v))?,
        };
        let reception_cutoff = match get("RECEPTION_CUTOFF") {
            None => None,
            Some(v) => Some(crate::date::parse_clock(&v).ok_or_else(|| bad("RECEPTION_CUTOFF", &v))?),
        };
        let public_url = text("PUBLIC_URL", "http://127.0.0.1:8787");
        if !(public_url.starts_with("https://") || public_url.starts_with("http://")) || public_url.ends_with('/') {
            return Err(bad("PUBLIC_URL", &public_url));
        }
        Ok(Settings {
            office_hours,
            reception_cutoff,
            email_from: text("EMAIL_FROM", "thongbao@motcua.local"),
            vapid_subject: text("VAPID_SUBJECT", "mailto:thongbao@motcua.local"),
            public_url,
            notice_retry_seconds: number("NOTICE_RETRY_SECONDS", 30)?,
            submit_limit_per_hour: number("SUBMIT_LIMIT_PER_HOUR", 200)?,
            upload_limit_per_hour: number("UPLOAD_LIMIT_PER_HOUR", 1000)?,
            totp_issuer: text("TOTP_ISSUER", "motcua"),
            test_clock: on("TEST_CLOCK"),
            push_loopback: on("PUSH_LOOPBACK"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<Settings, SettingError> {
        Settings::read(|name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn nothing_set_is_the_defaults() {
        let s = read(&[]).unwrap();
        assert_eq!(s.office_hours, OfficeHours::default());
        assert_eq!((s.reception_cutoff, s.notice_retry_seconds, s.submit_limit_per_hour, s.upload_limit_per_hour), (None, 30, 200, 1000));
        assert_eq!((s.test_clock, s.push_loopback), (false, false));
        assert_eq!(read(&[("RECEPTION_CUTOFF", " "), ("TEST_CLOCK", "")]).unwrap(), s, "blank is unset");
    }

    #[test]
    fn each_setting_is_read() {
        let s = read(&[("RECEPTION_CUTOFF", "15:00"), ("SUBMIT_LIMIT_PER_HOUR", "30"), ("TEST_CLOCK", "on"), ("PUBLIC_URL", "https://motcua.example.vn")]).unwrap();
        assert_eq!(s.reception_cutoff, NaiveTime::from_hms_opt(15, 0, 0));
        assert_eq!((s.submit_limit_per_hour, s.test_clock), (30, true));
        assert_eq!(s.public_url, "https://motcua.example.vn");
    }

    #[test]
    fn a_bad_value_is_named() {
        let named = |vars: &[(&str, &str)]| read(vars).map(|_| ()).map_err(|e| e.name);
        assert_eq!(named(&[("SUBMIT_LIMIT_PER_HOUR", "many")]), Err("SUBMIT_LIMIT_PER_HOUR"));
        assert_eq!(named(&[("NOTICE_RETRY_SECONDS", "-1")]), Err("NOTICE_RETRY_SECONDS"));
        assert_eq!(named(&[("RECEPTION_CUTOFF", "3pm")]), Err("RECEPTION_CUTOFF"));
        assert_eq!(named(&[("OFFICE_HOURS", "whenever")]), Err("OFFICE_HOURS"));
        assert_eq!(named(&[("PUBLIC_URL", "motcua.example.vn")]), Err("PUBLIC_URL"));
        assert_eq!(named(&[("PUBLIC_URL", "https://motcua.example.vn/")]), Err("PUBLIC_URL"));
    }
}
