//! Notifications (issue #14): e-mails through a whole 4-step flow with a supplement, Web Push
//! to a push service on the loopback (decrypted here, as a browser would), a subscription the
//! service says is gone, a delivery retried, and a conflicting change that sends nothing.

use motcua_core::dossier::Receipt;
use motcua_core::tracking::PrivateView;
use motcua_core::workflow::transition::{NoticeKind, NotificationStatus};
use motcua_core::workflow::views::StaffDossier;
use motcua_tests::mail::wait_for;
use motcua_tests::push::{vapid_key_of, PushService, Subscriber};
use motcua_tests::{base_url, get, post_bytes, post_json, Session};
use serde_json::json;

/// Online, 10 working days, 4 steps, approval delegated (SNV).
const PROCEDURE: &str = "1.014199";

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{tag}-{nanos}-{}", std::process::id())
}

fn submit(name: &str, email: Option<&str>) -> Receipt {
    let mut answers = json!({
        "full_name": name, "birth_date": "1987-04-05", "cccd": "022187054321",
        "phone": "0913 555 777", "address": "Số 9 phố Kênh Liêm, Hạ Long", "delivery": "centre"
    });
    if let Some(e) = email {
        answers["email"] = json!(e);
    }
    let a = post_json("/api/dossiers", &json!({ "procedure": PROCEDURE, "idempotency_key": unique("notify"), "answers": answers }));
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()
}

fn act(s: &Session, code: &str, body: serde_json::Value) -> StaffDossier {
    let a = s.post(&format!("/api/staff/dossiers/{code}/actions"), &body);
    assert_eq!(a.status, 200, "{body}: {}", a.body);
    a.json()
}

/// Polls `check` on the staff view of `code` until it holds (bounded).
fn staff_until(s: &Session, code: &str, what: &str, check: impl Fn(&StaffDossier) -> bool) -> StaffDossier {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let d: StaffDossier = s.get(&format!("/api/staff/dossiers/{code}")).json();
        if check(&d) {
            return d;
        }
        assert!(std::time::Instant::now() < deadline, "{code}: {what}: {:?}", d.notifications);
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn a_dossier_with_an_email_is_told_of_each_step_and_nothing_personal() {
    let address = format!("{}@example.vn", unique("cong-dan"));
    let r = submit("Trịnh Thu Thư", Some(&address));
    let code = r.code.as_str().to_owned();
    let subjects = |n: usize| wait_for(&address, n).into_iter().map(|m| m.subject).collect::<Vec<_>>();
    assert_eq!(subjects(1), [format!("[{code}] Đã nhận hồ sơ")]);

    let (reception, specialist, approver, desk) = (Session::login("tiepnhan"), Session::login("thamdinh"), Session::login("pheduyet"), Session::login("traketqua"));
    let d = act(&reception, &code, json!({ "action": "accept", "version": 1 }));
    subjects(2);
    let d = act(&specialist, &code, json!({ "action": "request_supplement", "version": d.version, "comment": "Thiếu hộ chiếu còn hạn" }));
    let asked = wait_for(&address, 3);
    assert_eq!(asked[2].subject, format!("[{code}] Cần bổ sung hồ sơ"));
    assert!(asked[2].text.contains("Lý do: Thiếu hộ chiếu còn hạn") && asked[2].text.contains("Gửi bổ sung"), "{}", asked[2].text);
    // The applicant answers: no mail for their own act.
    let up = post_bytes("/api/uploads", "application/octet-stream", b"%PDF-1.4\n% ho chieu\n%%EOF\n");
    let id = up.json::<serde_json::Value>()["id"].as_str().unwrap().to_owned();
    let a = post_json(&format!("/api/dossiers/{code}/supplement"), &json!({ "secret": r.secret, "documents": [{ "upload": id }] }));
    assert_eq!(a.status, 200, "{}", a.body);
    let d = act(&specialist, &code, json!({ "action": "pass_on", "version": d.version + 1 }));
    let d = act(&approver, &code, json!({ "action": "approve", "version": d.version }));
    let (today, _) = motcua_tests::today_and_tomorrow();
    let d = act(&desk, &code, json!({ "action": "record_result", "version": d.version, "result_number": "77/GP-SNV", "result_date": today.to_string() }));
    act(&desk, &code, json!({ "action": "return", "version": d.version }));

    let all = wait_for(&address, 5);
    // Each event's mail; the last two events came a moment apart, and a queue does not promise
    // which of their mails is sent first.
    let mut kinds: Vec<&str> = all.iter().map(|m| m.subject.split("] ").nth(1).unwrap_or_default()).collect();
    kinds[3..].sort();
    assert_eq!(kinds, ["Đã nhận hồ sơ", "Hồ sơ đã được tiếp nhận", "Cần bổ sung hồ sơ", "Hồ sơ đã có kết quả", "Đã trả kết quả"]);
    let result = all.iter().find(|m| m.subject.ends_with("Hồ sơ đã có kết quả")).unwrap();
    assert!(result.text.contains("77/GP-SNV") && result.text.contains(&format!("{}/xac-minh/{code}?sig=", base_url())), "{}", result.text);
    for m in &all {
        // The name, never the CCCD, the birth date, the phone or the address.
        // Whole values in each way they are written: a bare "1987" or "0913" also turns up by
        // chance in the hex of a signature or an unsubscribe token.
        for personal in ["022187054321", "1987-04-05", "05/04/1987", "0913 555 777", "0913555777", "Kênh Liêm"] {
            assert!(!m.text.contains(personal) && !m.html.contains(personal) && !m.headers.contains(personal), "{}: {personal}", m.subject);
        }
        assert!(m.text.contains("Trịnh Thu Thư") && m.text.contains(&format!("{}/ho-so/{code}", base_url())));
        assert!(m.headers.contains("List-Unsubscribe: <") && m.html.contains("lang=\"vi\""));
    }

    // The staff page and the applicant's view list them as sent.
    let d = staff_until(&desk, &code, "five e-mails sent", |d| d.notifications.iter().filter(|n| n.status == "sent").count() == 5);
    let listed: Vec<(NoticeKind, &str)> = d.notifications.iter().map(|n: &NotificationStatus| (n.kind, n.channel.as_str())).collect();
    assert_eq!(listed[0], (NoticeKind::Received, "email"));
    let view: PrivateView = post_json(&format!("/api/dossiers/{code}/lookup"), &json!({ "secret": r.secret })).json();
    assert_eq!(view.notifications.len(), 5);
    assert!(view.notifications.iter().all(|n| n.error.is_none()), "reasons are for staff");

    // The link in the mail stops the mail about this dossier (a wrong token does nothing).
    let link = all[0].text.lines().find_map(|l| l.split(": ").nth(1).filter(|u| u.contains("/unsubscribe?token="))).expect("an unsubscribe link").to_owned();
    let path = link.strip_prefix(&base_url()).unwrap();
    assert_eq!(get(&path.replace("token=", "token=x")).status, 404);
    let page = get(path);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Đã ngừng nhận thư") && page.body.contains(&code));
}

fn subscribe(code: &str, secret: &str, endpoint: &str, who: &Subscriber) -> motcua_tests::Answer {
    post_json(
        &format!("/api/dossiers/{code}/subscriptions"),
        &json!({ "secret": secret, "subscription": { "endpoint": endpoint, "keys": { "p256dh": who.p256dh(), "auth": who.auth() } } }),
    )
}

#[test]
fn push_messages_are_encrypted_for_the_subscription_and_signed() {
    let service = PushService::start();
    let browser = Subscriber::new(3);
    let r = submit("Đoàn Văn Đẩy", None);
    let code = r.code.as_str().to_owned();
    let key: motcua_core::notify::PushKey = get("/api/push/key").json();
    // Only the receipt's secret subscribes, and only to an https (here: loopback) endpoint.
    assert_eq!(subscribe(&code, "sai-ma-bi-mat", &service.endpoint("a"), &browser).status, 403);
    assert_eq!(subscribe(&code, &r.secret, "ftp://push.example/x", &browser).status, 422);
    assert_eq!(subscribe(&code, &r.secret, &service.endpoint("a"), &browser).status, 201);

    let reception = Session::login("tiepnhan");
    act(&reception, &code, json!({ "action": "accept", "version": 1 }));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while service.received("a").is_empty() {
        assert!(std::time::Instant::now() < deadline, "no push received");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let pushed = &service.received("a")[0];
    assert_eq!(pushed.headers.get("content-encoding").map(String::as_str), Some("aes128gcm"));
    let audience = format!("http://127.0.0.1:{}", service.port);
    assert_eq!(vapid_key_of(&pushed.headers["authorization"], &audience), key.public_key);
    let payload: serde_json::Value = serde_json::from_slice(&browser.decrypt(&pushed.body)).expect("JSON");
    assert_eq!(payload["code"], code.as_str());
    assert_eq!(payload["status"], "received");
    assert_eq!(payload["status_label"], "Đã tiếp nhận");
    assert_eq!(payload["title"], "Hồ sơ đã được tiếp nhận");
    assert_eq!(payload["url"], format!("{}/ho-so/{code}", base_url()));
    // No personal data rides along either.
    assert!(!String::from_utf8_lossy(&browser.decrypt(&pushed.body)).contains("022187054321"));
}

#[test]
fn a_gone_subscription_ends_and_a_failed_delivery_is_retried_with_its_status_shown() {
    let service = PushService::start();
    let (gone, flaky) = (Subscriber::new(5), Subscriber::new(6));
    let r = submit("Lương Thị Thử Lại", None);
    let code = r.code.as_str().to_owned();
    assert_eq!(subscribe(&code, &r.secret, &service.endpoint("gone"), &gone).status, 201);
    assert_eq!(subscribe(&code, &r.secret, &service.endpoint("flaky"), &flaky).status, 201);
    service.answer("gone", &[410]);
    service.answer("flaky", &[503, 503]);
    let reception = Session::login("tiepnhan");
    act(&reception, &code, json!({ "action": "accept", "version": 1 }));
    let d = staff_until(&reception, &code, "both push notices settled", |d| {
        let push: Vec<&NotificationStatus> = d.notifications.iter().filter(|n| n.channel == "push").collect();
        push.len() == 2 && push.iter().all(|n| n.status != "queued")
    });
    let push: Vec<&NotificationStatus> = d.notifications.iter().filter(|n| n.channel == "push").collect();
    let failed = push.iter().find(|n| n.status == "failed").expect("the gone one failed");
    assert!(failed.error.as_deref().unwrap_or_default().starts_with("gone"), "{failed:?}");
    let sent = push.iter().find(|n| n.status == "sent").expect("the flaky one got through");
    assert_eq!(sent.attempts, 3, "two 503 answers, then delivered");
    assert_eq!(service.received("flaky").iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 201]);
    // The gone subscription no longer exists: the next change goes to the other only.
    let d = act(&Session::login("thamdinh"), &code, json!({ "action": "request_supplement", "version": 2, "comment": "Thiếu bản dịch" }));
    staff_until(&reception, &code, "the supplement notice sent", |d| d.notifications.iter().any(|n| n.kind == NoticeKind::SupplementRequested && n.status == "sent"));
    assert_eq!(d.notifications.iter().filter(|n| n.kind == NoticeKind::SupplementRequested).count(), 1);
    assert_eq!(service.received("gone").len(), 1);
    let unsubscribe = |endpoint: String| {
        let body = json!({ "secret": r.secret, "subscription": { "endpoint": endpoint, "keys": { "p256dh": flaky.p256dh(), "auth": flaky.auth() } } });
        motcua_tests::agent().delete(format!("{}/api/dossiers/{code}/subscriptions", base_url())).force_send_body().send_json(&body).unwrap().status().as_u16()
    };
    assert_eq!(unsubscribe(service.endpoint("gone")), 404, "removed when the service said 410");
    assert_eq!(unsubscribe(service.endpoint("flaky")), 204);
}

#[test]
fn a_conflicting_change_sends_nothing() {
    let address = format!("{}@example.vn", unique("xung-dot"));
    let r = submit("Phan Văn Hai Người", Some(&address));
    let code = r.code.as_str().to_owned();
    let (a, b) = (Session::login("tiepnhan"), Session::login("tiepnhan"));
    let body = json!({ "action": "accept", "version": 1 });
    let (first, second) = std::thread::scope(|s| {
        let one = s.spawn(|| a.post(&format!("/api/staff/dossiers/{code}/actions"), &body).status);
        let two = s.spawn(|| b.post(&format!("/api/staff/dossiers/{code}/actions"), &body).status);
        (one.join().unwrap(), two.join().unwrap())
    });
    let mut statuses = [first, second];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let d = staff_until(&a, &code, "two notices settled", |d| d.notifications.len() == 2 && d.notifications.iter().all(|n| n.status == "sent"));
    assert_eq!(d.notifications.iter().map(|n| n.kind).collect::<Vec<_>>(), [NoticeKind::Received, NoticeKind::Accepted]);
    assert_eq!(wait_for(&address, 2).len(), 2, "one acceptance mail, not two");
}

/// The browser side: the tracking page turns notifications on, and a staff action shows a
/// notification through the service worker. Chromium cannot subscribe to a push service
/// offline (it needs Google's), so the page's PushManager hands out a subscription of the
/// loopback service instead; what the worker sends there is decrypted here and delivered to the
/// real service worker through the DevTools protocol, as the push service would.
#[tokio::test]
async fn turning_on_notifications_on_the_tracking_page_then_a_staff_action_shows_one() {
    use motcua_tests::browser::{cdp, click, fill, open, phone, until, wait_text_where};
    let service = PushService::start();
    let browser = Subscriber::new(9);
    let r = tokio::task::spawn_blocking(|| submit("Mạc Văn Trình Duyệt", None)).await.unwrap();
    let code = r.code.as_str().to_owned();
    let c = phone().await;
    open(&c, &format!("/ho-so/{code}")).await;
    wait_text_where(&c, ".facts.status", |t| t.contains(&code)).await;
    cdp(&c, "Browser.setPermission", json!({ "permission": { "name": "notifications" }, "setting": "granted", "origin": base_url() })).await;
    let stub = "const [endpoint, p256dh, auth] = arguments; \
                PushManager.prototype.subscribe = () => Promise.resolve({ endpoint, \
                  toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }) });";
    c.execute(stub, vec![json!(service.endpoint("page")), json!(browser.p256dh()), json!(browser.auth())]).await.unwrap();
    fill(&c, "#proof", &r.secret).await;
    click(&c, "form.proof button").await;
    wait_text_where(&c, "#notify-h", |t| t == "Thông báo về hồ sơ").await;
    click(&c, "#push-on").await;
    let said = wait_text_where(&c, ".notify [role=status], .notify [role=alert]", |t| !t.is_empty()).await;
    assert!(said.starts_with("Đã bật thông báo"), "{said}");

    let (reception, service2, code2) = (Session::login("tiepnhan"), service.clone(), code.clone());
    let accepted = tokio::task::spawn_blocking(move || act(&reception, &code2, json!({ "action": "accept", "version": 1 }))).await.unwrap();
    until("the push service received the message", || {
        let s = service2.clone();
        async move { !s.received("page").is_empty() }
    })
    .await;
    let plain = String::from_utf8(browser.decrypt(&service.received("page")[0].body)).unwrap();
    // Delivered to the page's service worker as the push service would (its registration is
    // the first of this fresh profile).
    let webdriver = std::env::var("MOTCUA_WEBDRIVER").unwrap();
    let session = c.session_id().await.unwrap().unwrap();
    let delivered = tokio::task::spawn_blocking(move || {
        let cdp = |body: serde_json::Value| motcua_tests::agent().post(format!("{webdriver}/session/{session}/goog/cdp/execute")).send_json(body);
        // The domain answers only once enabled ("ServiceWorker domain not enabled" otherwise).
        assert!(cdp(json!({ "cmd": "ServiceWorker.enable", "params": {} })).is_ok_and(|r| r.status() == 200));
        // Every id a profile of this thread may have given the registration: the protocol
        // answers 200 for an id with no registration too, so stopping at the first 200 missed
        // the real one when an earlier test's session had taken a lower id (seen failing 2 runs in 4).
        (0..8).fold(false, |delivered, id| {
            let body = json!({ "cmd": "ServiceWorker.deliverPushMessage", "params": { "origin": base_url(), "registrationId": id.to_string(), "data": plain } });
            cdp(body).is_ok_and(|r| r.status() == 200) || delivered
        })
    })
    .await
    .unwrap();
    assert!(delivered, "the service worker took the push");
    let shown = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    until("the service worker shows the notification", || {
        let (c, shown) = (c.clone(), shown.clone());
        async move {
            let script = "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready \
                          .then((r) => r.getNotifications()).then((list) => done(list.map((n) => n.title + ' | ' + n.body).join('\\n')));";
            let text = c.execute_async(script, vec![]).await.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            *shown.lock().unwrap() = text.clone();
            !text.is_empty()
        }
    })
    .await;
    let shown = shown.lock().unwrap().clone();
    let due = motcua_core::date::to_vi_datetime(accepted.due_at);
    assert_eq!(shown, format!("Hồ sơ đã được tiếp nhận | {code}: Bộ phận một cửa đã tiếp nhận hồ sơ {code}. Ngày hẹn trả kết quả: {due}."));
    c.close().await.unwrap();
}

#[test]
fn the_morning_digest_tells_an_officer_what_their_queue_has_due() {
    use chrono::Datelike;
    use motcua_core::calendar::YearCalendar;
    let admin = Session::login("quantri");
    let username = unique("sang").replace('-', ".");
    let address = format!("{username}@snv.example.vn");
    // An approver: that queue holds only what other tests left at approval, so the list (the
    // most urgent first, at most 200) surely reaches this test's dossier.
    let account = json!({ "username": username, "name": "Cán Bộ Buổi Sáng", "roles": ["approver"], "delegated_approval": true, "password": "mat-khau-buoi-sang-2026", "email": address });
    let a = admin.post("/api/staff/accounts", &account);
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.json::<serde_json::Value>()["email"], address.as_str());
    let r = submit("Hà Văn Chờ Phê Duyệt", None);
    let code = r.code.as_str().to_owned();
    let d = act(&Session::login("tiepnhan"), &code, json!({ "action": "accept", "version": 1 }));
    let d = act(&Session::login("thamdinh"), &code, json!({ "action": "pass_on", "version": d.version }));
    let due = d.step_due_at.expect("the approval's due time").date();
    // 07:00 on the morning the approval falls due (the trigger's hour, 00:00 UTC): due today.
    let days: Vec<(chrono::NaiveDate, bool)> = [due.year()]
        .iter()
        .flat_map(|y| get(&format!("/api/calendar/{y}")).json::<YearCalendar>().days.into_iter().map(|d| (d.date, d.working)))
        .collect();
    assert!(days.iter().any(|(d, working)| *d == due && *working), "a due date falls on a working day");
    let millis = due.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis();
    let fired = get(&format!("/cdn-cgi/local/scheduled?cron=0+0+*+*+*&time={millis}"));
    assert_eq!(fired.status, 200, "{}", fired.body);
    let digest = &wait_for(&address, 1)[0];
    assert!(digest.subject.starts_with("Hồ sơ cần xử lý — "), "{}", digest.subject);
    let after = digest.text.split("Đến hạn hôm nay").nth(1).expect("a section of what is due today");
    let today = after.split("Đến hạn ngày làm việc tiếp theo").next().unwrap_or(after);
    assert!(today.contains(&code), "the dossier awaiting approval is due today: {}", digest.text);
    assert!(digest.text.contains("Kính gửi Cán Bộ Buổi Sáng"));
}
