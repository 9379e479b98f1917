//! In Chromium (issue #15): a new administrator sets up the second factor, a reset password is
//! changed at the next sign-in, a lost secret comes back by a mailed link, and the desk
//! re-issues a receipt after checking papers.

use fantoccini::{Client, Locator};
use motcua_core::dossier::Receipt;
use motcua_tests::browser::{click, fill, image_loaded, open, phone, phone_with_profile, staff_login, wait_text, wait_text_where};
use motcua_tests::mail::sent_to;
use motcua_tests::{base_url, post_json, Session};
use serde_json::json;

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{tag}.{}.{}", nanos % 10_000_000_000, std::process::id())
}

/// An account made by the agency's admin over the API: (user name, password).
async fn account(roles: &'static [&'static str]) -> (String, String) {
    tokio::task::spawn_blocking(move || {
        let username = unique("tk");
        let password = format!("mat-khau-ban-dau-{}", unique("p"));
        let a = Session::login("quantri").post("/api/staff/accounts", &json!({ "username": username, "name": "Cán Bộ Trình Duyệt", "roles": roles, "password": password }));
        assert_eq!(a.status, 201, "{}", a.body);
        (username, password)
    })
    .await
    .unwrap()
}

async fn sign_in(c: &Client, username: &str, password: &str) {
    open(c, "/can-bo").await;
    wait_text_where(c, "main h1", |t| t == "Đăng nhập cán bộ").await;
    fill(c, "#username", username).await;
    fill(c, "#password", password).await;
    click(c, "form.login button[type=submit]").await;
}

async fn sign_out(c: &Client) {
    c.find(Locator::XPath("//button[normalize-space()='Đăng xuất']")).await.unwrap().click().await.unwrap();
    wait_text_where(c, "main h1", |t| t == "Đăng nhập cán bộ").await;
}

#[tokio::test]
async fn a_new_administrator_sets_up_the_second_factor_then_signs_in_with_a_code() {
    let (name, password) = account(&["admin"]).await;
    let c = phone().await;
    sign_in(&c, &name, &password).await;
    wait_text_where(&c, "main h1", |t| t == "Thiết lập xác thực hai lớp").await;
    image_loaded(&c, ".totp-qr img").await;
    let secret = wait_text(&c, "#totp-secret").await;
    let bytes = motcua_core::totp::from_base32(&secret).expect("a base32 key to type into an app");
    fill(&c, "#totp", "000000").await;
    click(&c, "form.login button[type=submit]").await;
    let said = wait_text(&c, "form.login .error").await;
    assert!(said.starts_with("Mã xác thực không đúng"), "{said}");
    let (user, key) = (name.clone(), bytes.clone());
    let code = tokio::task::spawn_blocking(move || motcua_tests::fresh_totp(&user, &key)).await.unwrap();
    fill(&c, "#totp", &code).await;
    click(&c, "form.login button[type=submit]").await;
    wait_text_where(&c, ".staff-nav span", |t| t.contains("·")).await;
    sign_out(&c).await;

    // The next time: password, then the code of the moment.
    sign_in(&c, &name, &password).await;
    wait_text_where(&c, "main h1", |t| t == "Xác thực hai lớp").await;
    let (user, key) = (name.clone(), bytes);
    let code = tokio::task::spawn_blocking(move || motcua_tests::fresh_totp(&user, &key)).await.unwrap();
    fill(&c, "#totp", &code).await;
    click(&c, "form.login button[type=submit]").await;
    wait_text_where(&c, ".staff-nav span", |t| t.contains("·")).await;
    c.close().await.unwrap();
}

#[tokio::test]
async fn an_admin_resets_a_password_and_the_officer_sets_a_new_one_first() {
    let (name, _) = account(&["reception"]).await;
    let c = phone().await;
    staff_login(&c, "quantri").await;
    open(&c, "/can-bo/tai-khoan").await;
    wait_text_where(&c, "main h1", |t| t == "Tài khoản cán bộ").await;
    let row = format!("//tr[td[normalize-space()='{name}']]//button[normalize-space()='Đặt lại mật khẩu']");
    motcua_tests::browser::until("the account's row", || {
        let (c, row) = (c.clone(), row.clone());
        async move { c.find(Locator::XPath(&row)).await.is_ok() }
    })
    .await;
    c.find(Locator::XPath(&row)).await.unwrap().click().await.unwrap();
    let temporary = "mat-khau-tam-trao-tay-2026";
    fill(&c, "#reset-password", temporary).await;
    click(&c, "form.reset button[type=submit]").await;
    let done = wait_text(&c, "form.reset [role=status]").await;
    assert!(done.starts_with(&format!("Đã đặt lại mật khẩu của {name}")), "{done}");
    sign_out(&c).await;

    sign_in(&c, &name, temporary).await;
    wait_text_where(&c, "main h1", |t| t == "Đặt mật khẩu mới").await;
    let chosen = "mot-cau-de-nho-cua-rieng-toi";
    fill(&c, "#current", temporary).await;
    fill(&c, "#new-password", chosen).await;
    fill(&c, "#repeat-password", "mot-cau-khac-han").await;
    click(&c, "form.login button[type=submit]").await;
    assert_eq!(wait_text(&c, "form.login .error").await, "Hai lần nhập mật khẩu mới không giống nhau.");
    fill(&c, "#repeat-password", chosen).await;
    click(&c, "form.login button[type=submit]").await;
    wait_text_where(&c, ".staff-nav span", |t| t.contains("·")).await;
    let (n, p) = (name.clone(), chosen.to_owned());
    let ok = tokio::task::spawn_blocking(move || post_json("/api/auth/login", &json!({ "username": n, "password": p })).status).await.unwrap();
    assert_eq!(ok, 200, "the new password is the account's");
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_mailed_link_opens_the_dossier_and_the_desk_reissues_a_receipt() {
    let address = format!("{}@example.vn", unique("lien-ket"));
    let (a, r): (String, Receipt) = {
        let address = address.clone();
        tokio::task::spawn_blocking(move || {
            let answers = json!({ "full_name": "Mạc Thị Quên Mã", "birth_date": "1993-03-03", "cccd": "022193030303", "phone": "0912 303 303",
                "address": "Hạ Long", "email": address, "delivery": "centre" });
            let key = unique("quen-ma").replace('.', "-");
            let r: Receipt = post_json("/api/dossiers", &json!({ "procedure": "1.014199", "idempotency_key": key, "answers": answers })).json();
            (address, r)
        })
        .await
        .unwrap()
    };
    let code = r.code.as_str().to_owned();
    let c = phone().await;
    open(&c, &format!("/ho-so/{code}")).await;
    wait_text_where(&c, ".facts.status", |t| t.contains(&code)).await;
    click(&c, ".lost-secret summary").await;
    click(&c, "#recover").await;
    let said = wait_text(&c, ".lost-secret [role=status]").await;
    assert!(said.starts_with("Nếu hồ sơ có địa chỉ thư điện tử"), "{said}");
    let link = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Some(m) = sent_to(&a).into_iter().find(|m| m.text.contains("#ma=")) {
                return m.text.split_whitespace().find(|w| w.contains("#ma=")).unwrap().trim_end_matches(['.', ')']).to_owned();
            }
            assert!(std::time::Instant::now() < deadline, "the recovery mail");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    })
    .await
    .unwrap();
    assert!(link.starts_with(&base_url()));
    // Opened from the mail: a fresh page load, not a jump within the page.
    open(&c, "/").await;
    c.goto(&link).await.unwrap();
    let private = wait_text_where(&c, ".facts.private", |t| t.contains("Mạc Thị Quên Mã")).await;
    assert!(private.contains("022193030303"));
    let url = c.current_url().await.unwrap();
    assert!(url.fragment().is_none(), "the secret leaves the address bar: {url}");

    // At the desk: the reception officer re-issues and prints a new receipt.
    // A second browser, with a profile of its own (the first one's is in use).
    let profiles = std::env::var("MOTCUA_CHROME_PROFILES").map(std::path::PathBuf::from).unwrap_or_else(|_| std::env::temp_dir());
    let desk = phone_with_profile(&profiles.join(format!("chrome-desk-{}", std::process::id()))).await;
    staff_login(&desk, "tiepnhan").await;
    open(&desk, &format!("/can-bo/ho-so/{code}")).await;
    wait_text_where(&desk, "main h1", |t| t.contains(&code)).await;
    click(&desk, ".reissue summary").await;
    desk.execute("window.confirm = () => true;", vec![]).await.unwrap();
    click(&desk, "#reissue").await;
    let secret = wait_text(&desk, ".receipt .code.secret").await;
    assert_ne!(secret, r.secret);
    let history = wait_text_where(&desk, "table.history", |t| t.contains("Cấp lại mã bí mật")).await;
    assert!(history.contains("Nguyễn Thị Tiếp"));
    let (old, new) = (r.secret.clone(), secret.clone());
    let statuses = tokio::task::spawn_blocking(move || {
        [old, new].map(|s| post_json(&format!("/api/dossiers/{code}/lookup"), &json!({ "secret": s })).status)
    })
    .await
    .unwrap();
    assert_eq!(statuses, [403, 200]);
    desk.close().await.unwrap();
    c.close().await.unwrap();
}
