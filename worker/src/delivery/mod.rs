//! Notices delivered after the response. A transition writes its notices in its own batch
//! (store::notices::queue); the handler then puts one message per event on the `NOTICES`
//! queue, whose consumer (`deliver`) sends each notice on its channel and records the outcome
//! (sent; failed with the reason; or still queued, retried with backoff). A Cron Trigger
//! (`sweep`) puts back events whose notices stayed queued — a lost message, a restart.
//!
//! A channel is a module with a `send` answering an `Outcome` (email.rs, push.rs); adding one
//! (SMS, Zalo) is a new module and an arm in `send_one`, nothing in the handlers.

pub mod email;
pub mod push;

use motcua_core::date::to_iso_datetime;
use motcua_core::notify::{message, Notice};
use serde::{Deserialize, Serialize};
use worker::{console_error, Env};

use crate::api::{now, sha256_hex};
use crate::error::ApiResult;
use crate::store;
use crate::store::notices::NoticeRow;

/// One queue message: the notices of one event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub code: String,
    pub version: u32,
}

/// What a channel answers.
pub enum Outcome {
    Sent,
    /// Worth another try (the service is down, busy, or answered 5xx).
    Retry(String),
    /// Never deliverable as it is.
    Failed(String),
    /// The push subscription no longer exists at its service (404/410).
    Gone,
}

/// Attempts before a notice is given up as failed.
pub const MAX_ATTEMPTS: u32 = 5;

/// Puts an event's notices on the queue, once its batch committed. A failure here loses
/// nothing: the rows stay queued and the sweep sends them.
/// `enqueue`, after the response is sent: the runtime keeps the request's work alive for it.
pub fn after_response(ctx: &worker::Context, env: &Env, code: &str, version: u32) {
    let (env, code) = (env.clone(), code.to_owned());
    ctx.wait_until(async move { enqueue(&env, &code, version).await });
}

pub async fn enqueue(env: &Env, code: &str, version: u32) {
    let sent = async { env.queue("NOTICES")?.send(Job { code: code.to_owned(), version }).await };
    if let Err(e) = sent.await {
        console_error!("notices of {code} v{version} not queued ({e}); the sweep will send them");
    }
}

/// The unsubscribe link's token for a dossier: without it nobody can stop another's mail.
pub fn unsubscribe_token(env: &Env, code: &str) -> ApiResult<String> {
    let pepper = crate::api::pepper(env)?;
    Ok(sha256_hex(&format!("{pepper}:unsubscribe:{code}"))[..32].to_owned())
}

/// Seconds before the `attempts`-th retry: the base (the setting `notice_retry_seconds`)
/// doubled each time.
fn backoff(base: u32, attempts: u32) -> u32 {
    base.saturating_mul(1 << attempts.saturating_sub(1).min(10))
}

/// Sends the queued notices of one event; `Some(seconds)` when some must be tried again then.
pub async fn deliver(env: &Env, job: &Job) -> ApiResult<Option<u32>> {
    let db = env.d1("DB")?;
    let mut retry = None;
    for row in store::notices::queued(&db, &job.code, job.version).await? {
        let attempts = row.attempts + 1;
        let (status, error) = match send_one(env, &row).await {
            Outcome::Sent => ("sent", None),
            Outcome::Failed(e) => ("failed", Some(e)),
            Outcome::Gone => {
                if let Some(id) = row.target.as_deref().and_then(|t| t.parse().ok()) {
                    store::notices::forget(&db, id).await?;
                }
                ("failed", Some("gone: the subscription no longer exists".to_owned()))
            }
            Outcome::Retry(e) if attempts >= MAX_ATTEMPTS => ("failed", Some(e)),
            Outcome::Retry(e) => {
                let wait = backoff(crate::api::settings(env)?.notice_retry_seconds, attempts);
                retry = Some(retry.map_or(wait, |r: u32| r.min(wait)));
                ("queued", Some(e))
            }
        };
        store::notices::record(&db, row.id, status, attempts, error.as_deref(), &to_iso_datetime(now()?)).await?;
    }
    Ok(retry)
}

async fn send_one(env: &Env, row: &NoticeRow) -> Outcome {
    let Ok(notice) = serde_json::from_str::<Notice>(&row.facts) else {
        return Outcome::Failed("unreadable notice".into());
    };
    let Ok(token) = unsubscribe_token(env, &row.dossier_code) else { return Outcome::Retry("TRACKING_PEPPER is not set".into()) };
    let unsubscribe = format!("{}/api/dossiers/{}/unsubscribe?token={token}", row.origin, row.dossier_code);
    let words = message(&notice, &row.origin, &unsubscribe);
    let Ok(db) = env.d1("DB") else { return Outcome::Retry("no database".into()) };
    match row.channel.as_str() {
        "email" => match store::notices::email_of(&db, &row.dossier_code).await {
            Ok(Some(to)) => email::send(env, &to, &words, &format!("{}-{}-{}", row.dossier_code, row.event_version, row.id), &unsubscribe).await,
            Ok(None) => Outcome::Failed("no e-mail address, or the applicant stopped e-mails".into()),
            Err(e) => Outcome::Retry(format!("{e:?}")),
        },
        "push" => {
            let subscription = match row.target.as_deref() {
                Some(id) => store::notices::subscription(&db, id).await,
                None => return Outcome::Failed("no subscription".into()),
            };
            match subscription {
                Ok(Some(s)) => {
                    let payload = serde_json::json!({
                        "code": notice.code,
                        "status": notice.status,
                        "status_label": notice.status.label_vi(),
                        "title": words.title,
                        "body": words.body,
                        "url": words.url,
                    });
                    push::send(env, &s.endpoint, &s.p256dh, &s.auth, payload.to_string().as_bytes()).await
                }
                Ok(None) => Outcome::Failed("the subscription was removed".into()),
                Err(e) => Outcome::Retry(format!("{e:?}")),
            }
        }
        other => Outcome::Failed(format!("no channel {other}")),
    }
}

/// The Cron Trigger's sweep: events whose notices stayed queued over ten minutes go back on
/// the queue.
pub async fn sweep(env: &Env) -> ApiResult<usize> {
    let before = to_iso_datetime(now()? - chrono::Duration::minutes(10));
    let stale = store::notices::stale(&env.d1("DB")?, &before).await?;
    for p in &stale {
        enqueue(env, &p.dossier_code, p.event_version).await;
    }
    Ok(stale.len())
}
