//! The Worker: a thin adapter from HTTP to core and D1.
//!
//! Every request runs the Worker first: `/api` goes to the API, everything else to the static
//! assets (the built app), through `assets.rs`.

mod api;
mod assets;
mod error;
mod store;

use worker::{event, Context, Env, Request, Response, Result};

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
