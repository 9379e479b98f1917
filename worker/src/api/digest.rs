//! The staff's morning digest (Cron Trigger, 07:00 Vietnam time on working days): to every
//! active officer with an e-mail address, the dossiers of their queues overdue, due today and
//! due on the next working day.

use chrono::Datelike;
use motcua_core::calendar::from_unix_millis;
use motcua_core::date::{parse_iso_datetime, to_iso_datetime};
use motcua_core::notify::{Digest, DigestLine};
use motcua_core::accounts::{roles_from_text, Role};
use worker::Env;

use crate::delivery::{email, Outcome};
use crate::error::{ApiError, ApiResult};
use crate::store;

/// The queues an officer's digest covers: those of their roles, or all for a manager.
fn queues_of(roles: &[Role]) -> Vec<&'static str> {
    Role::ALL.into_iter().filter(|r| r.has_queue() && (roles.contains(r) || roles.contains(&Role::Manager))).map(Role::as_str).collect()
}

/// Sends the digest for the morning of `scheduled_ms` (the trigger's time); how many officers
/// got one. Nothing on a day off.
pub async fn send(env: &Env, scheduled_ms: i64) -> ApiResult<usize> {
    let now = from_unix_millis(scheduled_ms).ok_or_else(|| ApiError::Internal("scheduled time".into()))?;
    let calendar = store::calendar::calendar(env, now.year() - 1, now.year() + 1).await?;
    if !calendar.day(now.date()).working {
        return Ok(0);
    }
    let next_day = (1..30).map(|i| now.date() + chrono::Duration::days(i)).find(|d| calendar.day(*d).working).unwrap_or(now.date());
    let until = to_iso_datetime((next_day + chrono::Duration::days(1)).and_time(chrono::NaiveTime::MIN));
    let origin = super::settings(env)?.public_url.clone();
    let db = env.d1("DB")?;
    let mut sent = 0;
    for officer in store::notices::digest_recipients(&db).await? {
        let queues = queues_of(&roles_from_text(&officer.roles).unwrap_or_default());
        if queues.is_empty() {
            continue;
        }
        let lines = store::notices::due_in_queues(&db, &officer.agency_code, &queues, &until)
            .await?
            .into_iter()
            .filter_map(|r| Some(DigestLine { due: parse_iso_datetime(&r.step_due_at)?, code: r.code, procedure_name: r.procedure_name }))
            .collect();
        let Some(digest) = Digest::of(&officer.name, now, next_day, lines) else { continue };
        let id = format!("digest-{}-{}", officer.username, now.date());
        match email::send(env, &officer.email, &digest.message(&origin), &id, &format!("{origin}/can-bo")).await {
            Outcome::Sent => sent += 1,
            Outcome::Retry(e) | Outcome::Failed(e) => worker::console_error!("digest to {}: {e}", officer.username),
            Outcome::Gone => {}
        }
    }
    Ok(sent)
}
