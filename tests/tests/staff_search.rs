//! Finding dossiers at the desk (#19): search by code, name without tone marks, CCCD or phone,
//! within the officer's own agency; pages whose counts match what can be listed; the register
//! exported whole; and the same search typed in the workspace in Chromium.

use motcua_core::dossier::DossierCode;
use motcua_core::workflow::search::{DossierPage, PER_PAGE};
use motcua_core::dossier::Receipt;
use motcua_core::workflow::views::RegisterPage;
use motcua_core::{ErrorBody, ErrorCode};
use motcua_tests::Session;
use serde_json::json;

/// A 3-step procedure of the health department (SYT), registered at the desk by canbo.syt.
const THREE_STEP: &str = "1.012990";

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// A made-up given name no other test uses: letters only, as the name field wants.
fn unique_word() -> String {
    let mut n = nanos() ^ (u128::from(std::process::id()) << 64);
    let mut w = String::new();
    for _ in 0..8 {
        w.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    let mut c = w.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap()
}

/// Registers a walk-in at SYT for `name` with this CCCD and phone; answers its code.
fn walk_in(s: &Session, name: &str, cccd: &str, phone: &str) -> DossierCode {
    let answers = json!({
        "full_name": name,
        "birth_date": "1990-05-01",
        "cccd": cccd,
        "phone": phone,
        "address": "Phường Bãi Cháy, Hạ Long, Quảng Ninh",
        "delivery": "centre"
    });
    // The clock alone is not unique: four desks register at once and two may read the same
    // nanosecond (then the second key is a 409 for another body).
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let key = format!("search-{}-{}", nanos(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let a = s.post("/api/staff/dossiers", &json!({ "procedure": THREE_STEP, "idempotency_key": key, "answers": answers }));
    assert_eq!(a.status, 201, "{}", a.body);
    a.json::<Receipt>().code
}

fn search(s: &Session, query: &[(&str, &str)]) -> DossierPage {
    let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", urlencoding(v))).collect();
    let a = s.get(&format!("/api/staff/dossiers?{}", q.join("&")));
    assert_eq!(a.status, 200, "{query:?}: {}", a.body);
    a.json()
}

fn urlencoding(v: &str) -> String {
    v.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[test]
fn officers_find_a_dossier_by_name_without_tone_marks_cccd_phone_or_code() {
    let s = Session::login("canbo.syt");
    let word = unique_word();
    let n = nanos();
    let cccd = format!("022190{:06}", n % 1_000_000);
    let phone = format!("091{:07}", (n / 7) % 10_000_000);
    let code = walk_in(&s, &format!("Đặng Thị {word}"), &cccd, &phone);
    let international = format!("+84 {} {} {}", &phone[1..4], &phone[4..7], &phone[7..]);
    let folded = format!("dang thi {}", word.to_lowercase());
    for typed in [folded.as_str(), &format!("Đặng Thị {word}"), &word.to_lowercase(), &cccd, &phone, &international, code.as_str(), &code.as_str().to_lowercase()] {
        let found = search(&s, &[("q", typed)]);
        assert_eq!((found.total, found.more), (1, false), "{typed}");
        assert_eq!(found.items[0].code, code, "{typed}");
        assert_eq!(found.items[0].applicant_name, format!("Đặng Thị {word}"));
    }
    // Filters narrow the same search.
    let with = |k: &str, v: &str| search(&s, &[("q", &cccd), (k, v)]).total;
    assert_eq!((with("status", "2"), with("status", "10")), (1, 0), "received, not finished");
    assert_eq!((with("queue", "specialist"), with("queue", "result_desk")), (1, 0));
    assert_eq!((with("phase", "appraise"), with("procedure", THREE_STEP), with("procedure", "1.014199")), (1, 1, 0));
    assert_eq!(with("overdue", "1"), 0, "received today, due later");
    // Another agency's officer finds nothing, whatever is typed.
    let other = Session::login("tiepnhan");
    for typed in [cccd.as_str(), code.as_str(), &folded] {
        assert_eq!(search(&other, &[("q", typed)]).total, 0, "{typed} is SYT's");
    }
    // Bad filters are refused with the reason, and only a session may search.
    for q in ["status=99", "page=0", "page=51", "phase=sleep", "queue=admin", "overdue=maybe"] {
        let a = s.get(&format!("/api/staff/dossiers?{q}"));
        assert_eq!(a.status, 400, "{q}: {}", a.body);
        assert_eq!(a.json::<ErrorBody>().code, ErrorCode::InvalidQuery);
    }
    assert_eq!(motcua_tests::get("/api/staff/dossiers?q=dang").status, 401);
}

#[test]
fn pages_hold_every_match_once_with_a_count_that_matches() {
    let s = Session::login("canbo.syt");
    let word = unique_word();
    let n = nanos();
    let codes: Vec<DossierCode> =
        (0..PER_PAGE + 1).map(|i| walk_in(&s, &format!("Phan Văn {word}"), &format!("022190{:06}", (n + u128::from(i)) % 1_000_000), "0912 000 111")).collect();
    let first = search(&s, &[("q", &word)]);
    assert_eq!((first.total, first.per_page, first.items.len(), first.pages()), (PER_PAGE + 1, PER_PAGE, PER_PAGE as usize, 2));
    let second = search(&s, &[("q", &word), ("page", "2")]);
    assert_eq!(second.items.len(), 1);
    let mut listed: Vec<&DossierCode> = first.items.iter().chain(&second.items).map(|i| &i.code).collect();
    // Newest first: the last one registered leads the first page.
    assert_eq!(listed[0], codes.last().unwrap());
    listed.sort();
    listed.dedup();
    let mut created: Vec<&DossierCode> = codes.iter().collect();
    created.sort();
    assert_eq!(listed, created);
    // The queue pages the same way, and its count is what its pages hold.
    let q: motcua_core::workflow::views::Queue = s.get("/api/staff/queue?role=specialist").json();
    let total = q.counts.iter().find(|c| c.role == q.role).unwrap().total;
    assert!(total > PER_PAGE && q.items.len() == PER_PAGE as usize, "{total} waiting, {} listed", q.items.len());
    let last_page = total.div_ceil(PER_PAGE);
    let last: motcua_core::workflow::views::Queue = s.get(&format!("/api/staff/queue?role=specialist&page={last_page}")).json();
    assert!(!last.items.is_empty() && last.items.len() <= PER_PAGE as usize);
}

#[test]
fn the_register_exports_the_whole_day_beyond_five_hundred_lines() {
    let s = Session::login("canbo.syt");
    let n = nanos();
    // 501 dossiers today, registered from four desks at once.
    let created: Vec<DossierCode> = std::thread::scope(|scope| {
        let desks: Vec<_> = (0..4u128)
            .map(|d| {
                scope.spawn(move || {
                    let s = Session::login("canbo.syt");
                    (0..126u128)
                        .filter(|i| d * 126 + i < 501)
                        .map(|i| walk_in(&s, "Vũ Thị Sổ", &format!("022190{:06}", (n + d * 1000 + i) % 1_000_000), "0912 000 111"))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        desks.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(created.len(), 501);
    let page: RegisterPage = s.get("/api/staff/register").json();
    assert!(page.total >= 501 && page.items.len() == page.per_page as usize, "{} lines, {} on the page", page.total, page.items.len());
    let pages = page.total.div_ceil(page.per_page);
    let last: RegisterPage = s.get(&format!("/api/staff/register?page={pages}")).json();
    assert!(!last.items.is_empty());
    let csv = s.get("/api/staff/register?format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() >= page.total as usize, "every line of the day: {} of {}", rows.len(), page.total);
    // Numbered 1, 2, 3 … across the chunks, each dossier once.
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0].parse::<usize>().unwrap(), i + 1);
    }
    let mut codes: Vec<&str> = rows.iter().map(|r| r.get(1).unwrap()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), rows.len(), "no line twice");
    assert!(created.iter().all(|c| codes.binary_search(&c.as_str()).is_ok()), "every dossier registered today");
    assert_eq!(s.get("/api/staff/register?page=0").status, 400);
    // The count (kept per day, migration 0019) is exactly the lines listed: read between two
    // equal counts, so another test's walk-in in between cannot blur it.
    let total = || s.get("/api/staff/register").json::<RegisterPage>().total;
    let exact = (0..5).find_map(|_| {
        let before = total();
        let lines = csv::Reader::from_reader(s.get("/api/staff/register?format=csv").body.as_bytes()).records().count();
        (before == total()).then_some((before as usize, lines))
    });
    let (counted, listed) = exact.expect("a quiet moment to count in");
    assert_eq!(counted, listed, "the register's count is its number of lines");
}

#[tokio::test]
async fn an_officer_types_a_name_without_tone_marks_and_opens_the_dossier() {
    use motcua_tests::browser::{click, fill, open, phone, staff_login, wait_text, wait_text_where};
    let word = unique_word();
    let code = walk_in(&Session::login("canbo.syt"), &format!("Hồ Thị {word}"), "022190000777", "0912 000 111");
    let c = phone().await;
    staff_login(&c, "canbo.syt").await;
    open(&c, "/can-bo").await;
    wait_text_where(&c, "main h1", |t| t.starts_with("Hàng đợi")).await;
    fill(&c, "form.staff-search input[type=search]", &format!("ho thi {}", word.to_lowercase())).await;
    click(&c, "form.staff-search button[type=submit]").await;
    wait_text_where(&c, "main p.count", |t| t == "1 hồ sơ khớp.").await;
    let listed = wait_text(&c, "ol.queue li").await;
    assert!(listed.contains(code.as_str()) && listed.contains(&format!("Hồ Thị {word}")), "{listed}");
    click(&c, "ol.queue li a").await;
    wait_text_where(&c, "main h1", |t| t.contains(code.as_str())).await;
    // Back to the queues from a search.
    open(&c, "/can-bo").await;
    wait_text_where(&c, "main h1", |t| t.starts_with("Hàng đợi")).await;
    fill(&c, "form.staff-search input[type=search]", "khong co ai ten nay").await;
    click(&c, "form.staff-search button[type=submit]").await;
    wait_text_where(&c, "main p.count", |t| t == "0 hồ sơ khớp.").await;
    click(&c, "form.staff-search button.link").await;
    wait_text_where(&c, "main h1", |t| t.starts_with("Hàng đợi")).await;
    c.close().await.unwrap();
}
