//! Shared helpers of the end-to-end tests. `cargo xtask test` starts the stack (wrangler dev on
//! a fresh local D1) and chromedriver, and passes their addresses in `MOTCUA_URL` and
//! `MOTCUA_WEBDRIVER`.

use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

pub mod mail;
pub mod push;

pub fn base_url() -> String {
    std::env::var("MOTCUA_URL").expect("MOTCUA_URL is set by `cargo xtask test` (run the tests through it)")
}

/// A blocking client that returns 4xx/5xx answers instead of failing on them.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

pub struct Answer {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not the expected JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn answer(mut resp: ureq::http::Response<ureq::Body>) -> Answer {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.body_mut().read_to_string().expect("a readable body");
    Answer { status, headers, body }
}

/// GET `path` (with its query) on the stack.
pub fn get(path: &str) -> Answer {
    answer(agent().get(format!("{}{path}", base_url())).call().expect("the stack answers"))
}

/// GET with request headers (say `Accept-Language`).
pub fn get_with(path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = agent().get(format!("{}{path}", base_url()));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    answer(req.call().expect("the stack answers"))
}

/// GET as a browser whose test clock (the `motcua_test_clock` cookie, honoured by the test
/// stack only) shows the catalogue of `day` (YYYY-MM-DD).
pub fn get_on(day: &str, path: &str) -> Answer {
    let req = agent().get(format!("{}{path}", base_url())).header("Cookie", &format!("motcua_test_clock={day}"));
    answer(req.call().expect("the stack answers"))
}

/// Today in Vietnam (UTC+7), the day the worker's rules count in, and the next one.
pub fn today_and_tomorrow() -> (chrono::NaiveDate, chrono::NaiveDate) {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    let today = chrono::DateTime::from_timestamp(secs + 7 * 3600, 0).expect("a valid time").date_naive();
    (today, today.succ_opt().expect("a next day"))
}

/// GET with query pairs, encoded by the client.
pub fn get_query(path: &str, pairs: &[(&str, &str)]) -> Answer {
    let mut req = agent().get(format!("{}{path}", base_url()));
    for (k, v) in pairs {
        req = req.query(*k, *v);
    }
    answer(req.call().expect("the stack answers"))
}

/// POST a JSON body.
pub fn post_json(path: &str, body: &serde_json::Value) -> Answer {
    answer(agent().post(format!("{}{path}", base_url())).send_json(body).expect("the stack answers"))
}

/// POST raw bytes with a content type.
pub fn post_bytes(path: &str, content_type: &str, body: &[u8]) -> Answer {
    answer(
        agent()
            .post(format!("{}{path}", base_url()))
            .header("Content-Type", content_type)
            .send(body)
            .expect("the stack answers"),
    )
}

/// POST a JSON body as the client at `ip`: `wrangler dev` keeps a `CF-Connecting-IP` it is
/// sent (Cloudflare sets its own), so a test can be a client of its own for per-client limits.
pub fn post_json_as(ip: &str, path: &str, body: &serde_json::Value) -> Answer {
    answer(agent().post(format!("{}{path}", base_url())).header("CF-Connecting-IP", ip).send_json(body).expect("the stack answers"))
}

/// `post_bytes` as the client at `ip`.
pub fn post_bytes_as(ip: &str, path: &str, body: &[u8]) -> Answer {
    let req = agent().post(format!("{}{path}", base_url())).header("CF-Connecting-IP", ip).header("Content-Type", "application/octet-stream");
    answer(req.send(body).expect("the stack answers"))
}

/// POST raw bytes as JSON.
pub fn post_raw(path: &str, body: &str) -> Answer {
    answer(
        agent()
            .post(format!("{}{path}", base_url()))
            .header("Content-Type", "application/json")
            .send(body)
            .expect("the stack answers"),
    )
}

pub fn request(method: &str, path: &str) -> Answer {
    let url = format!("{}{path}", base_url());
    let a = agent();
    let resp = match method {
        "POST" => a.post(&url).send_empty(),
        "PUT" => a.put(&url).send_empty(),
        "DELETE" => a.delete(&url).call(),
        "PATCH" => a.patch(&url).send_empty(),
        "HEAD" => a.head(&url).call(),
        other => panic!("method {other} not covered"),
    };
    answer(resp.expect("the stack answers"))
}

/// Decodes a QR code drawn by the worker as SVG (a white `rect`, then one dark square per
/// module in a `path` of `M<x> <y>h<s>v<s>…` moves): painted into a bitmap and read by rqrr,
/// so a test checks what a camera would read, not how the SVG was written.
pub fn decode_qr_svg(svg: &str) -> String {
    let number = |key: &str| -> usize {
        let at = svg.find(&format!("{key}=\"")).unwrap_or_else(|| panic!("svg without {key}")) + key.len() + 2;
        svg[at..].split('"').next().unwrap().parse().expect("a number")
    };
    let (width, height) = (number("width"), number("height"));
    let path = svg.split(" d=\"").nth(1).expect("a path").split('"').next().unwrap();
    let module = path.split('h').nth(1).and_then(|s| s.split('v').next()).and_then(|s| s.parse::<usize>().ok()).expect("module size");
    let mut dark = vec![false; width * height];
    for mv in path.split('M').filter(|m| !m.is_empty()) {
        let mut xy = mv.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty());
        let (x, y): (usize, usize) = (xy.next().unwrap().parse().unwrap(), xy.next().unwrap().parse().unwrap());
        for dy in 0..module {
            for dx in 0..module {
                dark[(y + dy) * width + x + dx] = true;
            }
        }
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| if dark[y * width + x] { 0 } else { 255 });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("a readable QR code").1
}

/// The password of the demo accounts `cargo xtask test` creates (xtask/src/staff.rs).
pub const DEMO_PASSWORD: &str = "motcua-demo-2026";

/// A signed-in member of staff: the session cookie, sent with the same-origin `Origin` a
/// browser would send.
pub struct Session {
    pub cookie: String,
}

/// The second-factor secret of the demo administrators (xtask/src/staff.rs), as their
/// authenticator app would hold it.
pub const DEMO_TOTP_SECRET: &[u8; 20] = b"motcua-demo-totp-key";

/// A code of `secret` at a step no earlier sign-in of `username` used (a code is good once,
/// and the test binaries sign in one after another on the same stack): the last step used is
/// kept in a file per stack; when the steps the server accepts (one either side of now) are
/// all used, this waits for the clock to give a new one.
pub fn fresh_totp(username: &str, secret: &[u8]) -> String {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let port = base_url().rsplit(':').next().unwrap_or_default().trim_end_matches('/').to_owned();
    let file = std::env::temp_dir().join(format!("motcua-totp-{port}-{username}"));
    let last: Option<u64> = std::fs::read_to_string(&file).ok().and_then(|t| t.trim().parse().ok());
    let deadline = Instant::now() + Duration::from_secs(2 * motcua_core::totp::STEP);
    loop {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs();
        let step = now / motcua_core::totp::STEP;
        let next = last.map_or(step, |l| (l + 1).max(step.saturating_sub(1)));
        // The server takes a step one ahead of its clock too (drift between phone and server).
        if next <= step + 1 {
            std::fs::write(&file, next.to_string()).expect("the temp directory is writable");
            return format!("{:06}", motcua_core::totp::hotp(secret, next));
        }
        assert!(Instant::now() < deadline, "no fresh TOTP step for {username}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn cookie_of(a: &Answer) -> String {
    let set = a.header("set-cookie").expect("a session cookie");
    set.split(';').next().expect("name=value").to_owned()
}

impl Session {
    /// A session of a demo account. Administrators pass the second factor with the demo
    /// secret; their sessions are shared within a test binary (each sign-in spends a TOTP step).
    pub fn login(username: &str) -> Session {
        static ADMINS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
        let mut admins = ADMINS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, cookie)) = admins.iter().find(|(u, _)| u == username) {
            return Session { cookie: cookie.clone() };
        }
        let (session, second_factor) = Session::sign_in(username, DEMO_PASSWORD);
        if second_factor {
            admins.push((username.to_owned(), session.cookie.clone()));
        }
        session
    }

    /// A fresh sign-in through every step the account owes (the demo TOTP secret for an
    /// administrator): the session, and whether a second factor was asked.
    pub fn sign_in(username: &str, password: &str) -> (Session, bool) {
        let a = post_json("/api/auth/login", &serde_json::json!({ "username": username, "password": password }));
        assert_eq!(a.status, 200, "login {username}: {}", a.body);
        let session = Session { cookie: cookie_of(&a) };
        let pending = a.json::<serde_json::Value>()["pending"].as_str().map(str::to_owned);
        match pending.as_deref() {
            None => (session, false),
            Some("totp") => {
                let code = fresh_totp(username, DEMO_TOTP_SECRET);
                let t = session.post("/api/auth/totp", &serde_json::json!({ "code": code }));
                assert_eq!(t.status, 200, "second factor of {username}: {}", t.body);
                (session, true)
            }
            Some("enroll_totp") => {
                // A new administrator: the authenticator takes the offered secret, then its code.
                let offer = session.get("/api/auth/totp/enroll").json::<serde_json::Value>();
                let secret = motcua_core::totp::from_base32(offer["secret"].as_str().expect("a secret")).expect("base32");
                let code = fresh_totp(username, &secret);
                let t = session.post("/api/auth/totp/enroll", &serde_json::json!({ "code": code }));
                assert_eq!(t.status, 200, "second factor set up for {username}: {}", t.body);
                (session, true)
            }
            Some(other) => panic!("{username} owes the sign-in step {other}: change the password first"),
        }
    }

    fn send(&self, method: &str, path: &str, origin: Option<&str>, body: Option<&serde_json::Value>) -> Answer {
        let url = format!("{}{path}", base_url());
        let a = agent();
        let own = base_url();
        let origin = origin.unwrap_or(&own);
        let resp = match (method, body) {
            ("GET", _) => a.get(&url).header("Cookie", &self.cookie).call(),
            ("POST", Some(b)) => a.post(&url).header("Cookie", &self.cookie).header("Origin", origin).send_json(b),
            ("POST", None) => a.post(&url).header("Cookie", &self.cookie).header("Origin", origin).send_empty(),
            (other, _) => panic!("method {other} not covered"),
        };
        answer(resp.expect("the stack answers"))
    }

    pub fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None, None)
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> Answer {
        self.send("POST", path, None, Some(body))
    }

    /// POST raw bytes (a file upload) with the session.
    pub fn post_bytes(&self, path: &str, body: &[u8]) -> Answer {
        let resp = agent()
            .post(format!("{}{path}", base_url()))
            .header("Cookie", &self.cookie)
            .header("Origin", &base_url())
            .header("Content-Type", "application/octet-stream")
            .send(body);
        answer(resp.expect("the stack answers"))
    }

    /// A POST as a page on another site would send it.
    pub fn post_from(&self, origin: &str, path: &str, body: &serde_json::Value) -> Answer {
        self.send("POST", path, Some(origin), Some(body))
    }

    pub fn logout(&self) -> Answer {
        self.send("POST", "/api/auth/logout", None, None)
    }
}

/// The committed catalogue data, to check the API against the file it was loaded from.
pub fn catalogue_file() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/catalogue.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("data/catalogue.json")).expect("valid JSON")
}

pub mod browser {
    use super::*;
    use fantoccini::{Client, ClientBuilder, Locator};

    /// A fresh headless Chromium with a phone's viewport (360×740).
    pub async fn phone() -> Client {
        // Profiles under target/ (set by xtask, emptied each run), not left behind in /tmp.
        let root = std::env::var("MOTCUA_CHROME_PROFILES").map(std::path::PathBuf::from).unwrap_or_else(|_| std::env::temp_dir());
        phone_with_profile(&root.join(format!("chrome-{}-{:?}", std::process::id(), std::thread::current().id()))).await
    }

    /// The profile shared by the offline check: one session fills it (service worker, cache,
    /// localStorage), a later one reads it with the server stopped.
    pub fn offline_profile() -> std::path::PathBuf {
        std::path::PathBuf::from(std::env::var("MOTCUA_OFFLINE_PROFILE").expect("MOTCUA_OFFLINE_PROFILE is set by `cargo xtask test`"))
    }

    /// A phone-sized Chromium using the profile in `dir` (kept between sessions).
    pub async fn phone_with_profile(dir: &std::path::Path) -> Client {
        let webdriver = std::env::var("MOTCUA_WEBDRIVER").expect("MOTCUA_WEBDRIVER is set by `cargo xtask test`");
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", dir.display()),
                ],
                "mobileEmulation": { "deviceMetrics": { "width": 360, "height": 740, "pixelRatio": 2.0 } }
            }
        });
        let caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!(),
        };
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&webdriver)
            .await
            .expect("a chromedriver session")
    }

    pub async fn open(client: &Client, path: &str) {
        client.goto(&format!("{}{path}", base_url())).await.expect("navigation");
    }

    /// Polls until `check` holds; panics with `what` after 20 s. A bound, not a timing claim.
    pub async fn until<F, Fut>(what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if check().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("timed out waiting for: {what}");
    }

    pub async fn texts(client: &Client, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for el in client.find_all(Locator::Css(css)).await.unwrap_or_default() {
            out.push(el.text().await.unwrap_or_default());
        }
        out
    }

    pub async fn text(client: &Client, css: &str) -> Option<String> {
        client.find(Locator::Css(css)).await.ok()?.text().await.ok()
    }

    /// Waits for `css` to exist with some text, and returns that text.
    pub async fn wait_text(client: &Client, css: &str) -> String {
        wait_text_where(client, css, |_| true).await
    }

    /// The heading of a finished search ("N thủ tục" or "Không tìm thấy …"), not its loading state.
    pub async fn wait_results(client: &Client) -> String {
        wait_text_where(client, "#results-h", |t| t.ends_with("thủ tục") || t.starts_with("Không tìm thấy")).await
    }

    /// Waits for `css` to have a non-empty text that satisfies `accept`, and returns it.
    pub async fn wait_text_where(client: &Client, css: &str, accept: impl Fn(&str) -> bool) -> String {
        let accept = &accept;
        let found = std::sync::Arc::new(std::sync::Mutex::new(None));
        until(&format!("element {css}"), || {
            let c = client.clone();
            let found = found.clone();
            async move {
                let t = text(&c, css).await.filter(|t| !t.is_empty() && accept(t));
                let ok = t.is_some();
                *found.lock().unwrap() = t;
                ok
            }
        })
        .await;
        let t = found.lock().unwrap().take();
        t.expect("seen by the wait")
    }

    /// Sets an input's value as typing would (date inputs take no keystrokes portably).
    pub async fn fill(client: &Client, css: &str, value: &str) {
        let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                      el.dispatchEvent(new Event('input', { bubbles: true }));";
        client
            .execute(script, vec![serde_json::json!(css), serde_json::json!(value)])
            .await
            .unwrap_or_else(|e| panic!("fill {css}: {e}"));
    }

    /// Answers the phone form's three applicant pages (identity, contacts, how the result comes
    /// back: `centre` or `post`) and goes on to step 4 of `total`.
    pub async fn answer_applicant_pages(client: &Client, total: usize, [name, birth, cccd, phone, address]: [&str; 5], delivery: &str) {
        let next = ".actions button:last-child";
        let step = |n: usize| format!("Bước {n} / {total}");
        assert_eq!(wait_text_where(client, "main .crumbs", |t| t.starts_with("Bước")).await, step(1));
        fill(client, "#full_name", name).await;
        fill(client, "#birth_date", birth).await;
        fill(client, "#cccd", cccd).await;
        click(client, next).await;
        wait_text_where(client, "main .crumbs", |t| t == step(2)).await;
        fill(client, "#phone", phone).await;
        fill(client, "#address", address).await;
        click(client, next).await;
        wait_text_where(client, "main .crumbs", |t| t == step(3)).await;
        click(client, &format!("#delivery-{delivery}")).await;
        click(client, next).await;
        wait_text_where(client, "main .crumbs", |t| t == step(4)).await;
    }

    /// Runs a Chrome DevTools command through chromedriver (e.g. print media emulation).
    pub async fn cdp(client: &Client, cmd: &str, params: serde_json::Value) {
        let webdriver = std::env::var("MOTCUA_WEBDRIVER").expect("MOTCUA_WEBDRIVER");
        let session = client.session_id().await.unwrap().expect("a session");
        let url = format!("{webdriver}/session/{session}/goog/cdp/execute");
        let body = serde_json::json!({ "cmd": cmd, "params": params });
        let status = tokio::task::spawn_blocking(move || agent().post(&url).send_json(body).map(|r| r.status().as_u16()))
            .await
            .unwrap()
            .expect("chromedriver answers");
        assert_eq!(status, 200, "cdp {cmd}");
    }

    /// Waits until the image `css` has loaded (complete, with a width): a QR code drawn by the
    /// worker, say.
    pub async fn image_loaded(client: &Client, css: &str) {
        until(&format!("image {css} loaded"), || {
            let c = client.clone();
            let css = css.to_owned();
            async move {
                c.execute("const i = document.querySelector(arguments[0]); return !!i && i.complete && i.naturalWidth > 0;", vec![serde_json::json!(css)])
                    .await
                    .is_ok_and(|v| v.as_bool() == Some(true))
            }
        })
        .await;
    }

    /// Signs in on the staff bundle with a demo account and waits for the workspace; an
    /// administrator types the code of the demo authenticator when asked.
    pub async fn staff_login(c: &Client, username: &str) {
        open(c, "/can-bo").await;
        wait_text(c, "main h1").await;
        fill(c, "#username", username).await;
        fill(c, "#password", DEMO_PASSWORD).await;
        click(c, "form.login button[type=submit]").await;
        until("the workspace or the second factor", || {
            let c = c.clone();
            async move { c.find(Locator::Css(".staff-nav span")).await.is_ok() || c.find(Locator::Css("#totp")).await.is_ok() }
        })
        .await;
        if c.find(Locator::Css("#totp")).await.is_ok() {
            let user = username.to_owned();
            let code = tokio::task::spawn_blocking(move || fresh_totp(&user, DEMO_TOTP_SECRET)).await.expect("a code");
            fill(c, "#totp", &code).await;
            click(c, "form.login button[type=submit]").await;
        }
        wait_text_where(c, ".staff-nav span", |t| t.contains("·")).await;
    }

    /// The WCAG 2.1 A and AA violations axe-core finds on the page as it stands, one line each
    /// ("rule: selector, selector"). axe-core comes from the repo's pinned npm tools.
    pub async fn axe(client: &Client) -> Vec<String> {
        let source = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/axe-core/axe.min.js"))
            .expect("axe-core in node_modules (npm ci, run by cargo xtask)");
        client.execute(&source, vec![]).await.expect("axe-core loads");
        let script = "const done = arguments[arguments.length - 1]; \
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }) \
              .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))) \
              .catch(e => done(['axe failed: ' + e]));";
        let found = client.execute_async(script, vec![]).await.expect("axe runs");
        serde_json::from_value(found).expect("a list of violations")
    }

    pub async fn click(client: &Client, css: &str) {
        client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
    }

    pub async fn path_and_query(client: &Client) -> String {
        let url = client.current_url().await.expect("a URL");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }
}
