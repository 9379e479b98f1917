//! The Worker: a thin adapter from HTTP to core and D1.
//!
//! Every request runs the Worker first: `/api` goes to the API, everything else to the static
//! assets (the built app), through `assets.rs`. Notices are delivered after the response by
//! the queue consumer; a Cron Trigger sweeps what was left and sends the staff's digest.

mod api;
mod assets;
mod delivery;
mod error;
mod security;
mod store;

use worker::{console_error, event, Context, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, ctx: Context) -> Result<Response> {
    let path = req.path();
    let https = req.url()?.scheme() == "https";
    if path != "/api" && !path.starts_with("/api/") {
        return security::harden(assets::serve(req, &env).await?, security::Surface::App, https);
    }
    let lang = motcua_core::Lang::negotiate(&req.headers().get("Accept-Language")?.unwrap_or_default());
    let resp = match api::route(&mut req, &env, &ctx).await {
        Ok(resp) => resp,
        Err(err) => err.into_response(lang)?,
    };
    security::harden(resp, security::Surface::Api, https)
}

/// The `NOTICES` queue: each message the notices of one event. A failure is retried per
/// message (never by failing the batch, which would send the others twice).
#[event(queue)]
async fn queue(batch: MessageBatch<delivery::Job>, env: Env, _ctx: Context) -> Result<()> {
    for message in batch.messages()? {
        match delivery::deliver(&env, message.body()).await {
            Ok(None) => message.ack(),
            Ok(Some(seconds)) => message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(seconds).build()),
            Err(e) => {
                console_error!("delivery of {:?}: {e:?}", message.body());
                message.retry();
            }
        }
    }
    Ok(())
}

/// Cron Triggers (wrangler.toml): every five minutes the sweep; at 07:00 Vietnam time (00:00
/// UTC) the staff's morning digest, on working days.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let outcome = if event.cron() == api::DIGEST_CRON {
        api::digest::send(&env, event.schedule() as i64).await.map(|n| format!("digest sent to {n} officers"))
    } else {
        housekeeping(&env, event.schedule() as i64).await
    };
    match outcome {
        Ok(done) => worker::console_log!("cron {}: {done}", event.cron()),
        Err(e) => console_error!("cron {}: {e:?}", event.cron()),
    }
}

/// Every five minutes: notices left queued go back on the queue, expired rate-limit windows
/// and uploads no dossier named within a day are deleted, files an older version kept in KV
/// move to R2. Counted from the trigger's own time (`scheduled_ms`), as the digest is.
async fn housekeeping(env: &Env, scheduled_ms: i64) -> error::ApiResult<String> {
    let now = motcua_core::calendar::from_unix_millis(scheduled_ms).ok_or_else(|| error::ApiError::Internal("scheduled time".into()))?;
    let iso = |t: chrono::NaiveDateTime| motcua_core::date::to_iso_datetime(t);
    let db = env.d1("DB")?;
    let queued = delivery::sweep(env).await?;
    let purged = store::limits::purge(&db, &iso(now - chrono::Duration::hours(24))).await?;
    let swept = store::files::sweep_unattached(env, &db, &iso(now - chrono::Duration::hours(24))).await?;
    let moved = store::files::migrate_from_kv(env, &db, &iso(now)).await?;
    let keyed = store::search::key_older(&db, 200).await?;
    Ok(format!(
        "{queued} events queued again, {purged} rate-limit windows purged, {swept} unattached uploads deleted, {moved} files moved from KV, \
         {keyed} older dossiers given search keys"
    ))
}
