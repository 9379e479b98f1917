//! The Worker: a thin adapter from HTTP to core and D1.
//!
//! Every request runs the Worker first: `/api` goes to the API, everything else to the static
//! assets (the built app), through `assets.rs`. Notices are delivered after the response by
//! the queue consumer; a Cron Trigger sweeps what was left and sends the staff's digest.

mod api;
mod assets;
mod delivery;
mod error;
mod store;

use worker::{console_error, event, Context, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let path = req.path();
    if path != "/api" && !path.starts_with("/api/") {
        return assets::serve(req, &env).await;
    }
    match api::route(&mut req, &env).await {
        Ok(resp) => Ok(resp),
        Err(err) => err.into_response(),
    }
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
        delivery::sweep(&env).await.map(|n| format!("{n} events queued again"))
    };
    match outcome {
        Ok(done) => worker::console_log!("cron {}: {done}", event.cron()),
        Err(e) => console_error!("cron {}: {e:?}", event.cron()),
    }
}
