//! The Worker: a thin adapter from HTTP to core and D1.
//!
//! Static assets (the built app) never reach this code: wrangler's `[assets]` serves them and
//! only `/api/*` runs the Worker (`run_worker_first`).

mod api;
mod error;
mod store;

use worker::{event, Context, Env, Request, Response, Result};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    match api::route(&req, &env).await {
        Ok(resp) => Ok(resp),
        Err(err) => err.into_response(),
    }
}
