//! Run by `cargo xtask test` after it stopped the server (`--ignored`): the phone that used the
//! site before opens "Hồ sơ của tôi" with no server at all, from its service worker's cache and
//! the statuses it kept.

use motcua_tests::browser::{offline_profile, open, phone_with_profile, wait_text};

#[tokio::test]
#[ignore = "needs the server stopped; cargo xtask test runs it"]
async fn my_dossiers_open_with_the_server_stopped() {
    let code = std::fs::read_to_string(offline_profile().with_extension("code")).expect("the online half ran first");
    // Nothing answers on the stack's port any more.
    assert!(motcua_tests::agent().get(format!("{}/api/health", motcua_tests::base_url())).call().is_err());
    let c = phone_with_profile(&offline_profile()).await;
    open(&c, "/ho-so").await;
    assert_eq!(wait_text(&c, "main h1").await, "Hồ sơ của tôi");
    let mine = wait_text(&c, "ul.mine").await;
    assert!(mine.contains(code.trim()), "{mine}");
    c.close().await.unwrap();
}
