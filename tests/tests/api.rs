//! The public catalogue API, over HTTP against the real local stack.

use std::collections::BTreeSet;

use motcua_core::catalogue::version::ProcedurePage;
use motcua_core::catalogue::{Agency, Field, OnlineLevel, Procedure, SearchPage};
use motcua_core::kpi::CatalogueKpis;
use motcua_core::query::PER_PAGE;
use motcua_core::text::fold;
use motcua_core::{ErrorBody, ErrorCode};
use motcua_tests::{catalogue_file, get, get_query, request};

fn search(pairs: &[(&str, &str)]) -> SearchPage {
    let a = get_query("/api/procedures", pairs);
    assert_eq!(a.status, 200, "{pairs:?}: {}", a.body);
    a.json()
}

/// Every hit of a search, all pages.
fn search_all(pairs: &[(&str, &str)]) -> Vec<motcua_core::catalogue::ProcedureSummary> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = page.to_string();
        let mut with_page = pairs.to_vec();
        with_page.push(("page", &p));
        let result = search(&with_page);
        assert!(result.items.len() as u32 <= PER_PAGE);
        let done = result.items.is_empty();
        out.extend(result.items);
        if done || out.len() as u32 >= result.total {
            break;
        }
    }
    out
}

fn ids(page: &SearchPage) -> Vec<String> {
    page.items.iter().map(|p| p.id.clone()).collect()
}

#[test]
fn health_answers() {
    let a = get("/api/health");
    assert_eq!(a.status, 200);
    assert_eq!(a.json::<serde_json::Value>()["status"], "ok");
}

#[test]
fn every_procedure_of_the_data_file_is_served_once() {
    let file = catalogue_file();
    let expected: BTreeSet<String> =
        file["procedures"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect();
    let all = search_all(&[]);
    let served: BTreeSet<String> = all.iter().map(|p| p.id.clone()).collect();
    // The catalogue was loaded twice by the test setup: still one row per procedure (and one
    // per procedure, not per version, where tests/versions.rs published amendments).
    assert_eq!(all.len(), served.len(), "duplicate rows");
    // The only others: procedures the catalogue tests publish (local keys thu-nghiem-…, test
    // codes 9.…) when this runs again on the same stack.
    let extra: Vec<&String> = served.difference(&expected).collect();
    assert!(extra.iter().all(|id| id.starts_with("thu-nghiem-") || id.starts_with("9.")), "{extra:?}");
    assert!(expected.is_subset(&served), "missing: {:?}", expected.difference(&served).collect::<Vec<_>>());
}

#[test]
fn a_procedure_record_matches_its_summary_and_the_file() {
    let file = catalogue_file();
    for p in file["procedures"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let a = get(&format!("/api/procedures/{id}"));
        assert_eq!(a.status, 200, "{id}");
        let page: ProcedurePage = a.json();
        // Amended by tests/versions.rs or tests/publishing.rs: no longer the file's version.
        if page.version.version != 1 {
            continue;
        }
        let record = Procedure { versions_html: None, ..page.procedure };
        assert_eq!(record.id, id);
        assert_eq!(record.name, p["name"].as_str().unwrap());
        assert_eq!(serde_json::to_value(&record).unwrap(), *p, "{id} differs from the data file");
    }
}

#[test]
fn search_ignores_accents_case_and_d_bar() {
    let variants = ["giay phep lao dong", "GIẤY PHÉP LAO ĐỘNG", "giấy phép lao động"];
    let results: Vec<SearchPage> = variants.iter().map(|q| search(&[("q", q)])).collect();
    assert!(results[0].total > 0, "work-permit procedures exist");
    for r in &results[1..] {
        assert_eq!(ids(r), ids(&results[0]));
    }
    // The work-permit procedures themselves are found, and every hit contains each word.
    let names: Vec<String> = results[0].items.iter().map(|p| fold(&p.name)).collect();
    assert!(names.iter().any(|n| n.contains("giay phep lao dong")), "{names:?}");

    let dang = search(&[("q", "dang ky")]);
    assert!(dang.items.iter().any(|p| p.name.contains("Đăng ký")), "'d' finds 'Đ'");
}

#[test]
fn search_matches_word_prefixes() {
    let full_ids: BTreeSet<String> = search_all(&[("q", "giay phep")]).into_iter().map(|p| p.id).collect();
    let prefix_ids: BTreeSet<String> = search_all(&[("q", "gia phe")]).into_iter().map(|p| p.id).collect();
    assert!(!full_ids.is_empty());
    assert!(full_ids.is_subset(&prefix_ids));
}

#[test]
fn search_finds_a_procedure_by_its_code() {
    let r = search(&[("q", "1.014199")]);
    assert_eq!(r.items.first().map(|p| p.id.as_str()), Some("1.014199"));
}

#[test]
fn name_matches_rank_before_other_matches() {
    // "Người có công" is a field name: it matches every procedure of the field in the body
    // column, and a few in their name. Those must come first.
    let words = ["nguoi", "co", "cong"];
    let hits = search_all(&[("q", &words.join(" "))]);
    // A name match: every word of the query begins some word of the name.
    let in_name: Vec<bool> = hits
        .iter()
        .map(|p| {
            let name = fold(&p.name);
            let name_words: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).collect();
            words.iter().all(|w| name_words.iter().any(|n| n.starts_with(w)))
        })
        .collect();
    assert!(in_name.contains(&true) && in_name.contains(&false), "test needs both kinds: {in_name:?}");
    let first_other = in_name.iter().position(|x| !x).unwrap();
    assert!(in_name[first_other..].iter().all(|x| !x), "a name match ranked after a non-name match: {in_name:?}");
}

#[test]
fn filters_narrow_to_what_they_say() {
    let fields: Vec<Field> = get("/api/fields").json();
    for f in &fields {
        let hits = search_all(&[("field", &f.id)]);
        assert_eq!(hits.len() as u32, f.procedures, "count of field {}", f.id);
        assert!(hits.iter().all(|p| p.field == f.id));
    }
    let agencies: Vec<Agency> = get("/api/agencies").json();
    assert!(!agencies.is_empty());
    for a in &agencies {
        let hits = search_all(&[("agency", &a.code)]);
        assert_eq!(hits.len() as u32, a.procedures, "count of agency {}", a.code);
        assert!(hits.iter().all(|p| p.agency == a.code));
    }
    let full = search_all(&[("level", "full")]);
    assert!(!full.is_empty() && full.iter().all(|p| p.online == Some(OnlineLevel::Full)));
    let online = search_all(&[("level", "online")]);
    assert!(online.iter().all(|p| p.online.is_some_and(OnlineLevel::accepts_online_submission)));
    let delegated = search_all(&[("delegated", "true")]);
    assert!(!delegated.is_empty() && delegated.iter().all(|p| p.delegated));
    let not_delegated = search_all(&[("delegated", "false")]);
    assert_eq!(delegated.len() + not_delegated.len(), search_all(&[]).len());
    // Text and filters combine.
    let both = search_all(&[("q", "giay phep"), ("field", "viec-lam")]);
    assert!(!both.is_empty() && both.iter().all(|p| p.field == "viec-lam" && fold(&p.name).contains("giay phep")));
}

#[test]
fn pages_do_not_overlap() {
    let one = search(&[("page", "1")]);
    let two = search(&[("page", "2")]);
    assert_eq!(one.total, two.total);
    assert_eq!(one.items.len() as u32, PER_PAGE.min(one.total));
    let a: BTreeSet<String> = ids(&one).into_iter().collect();
    assert!(ids(&two).iter().all(|id| !a.contains(id)));
    let far = search(&[("page", "500")]);
    assert!(far.items.is_empty());
}

#[test]
fn kpis_agree_with_the_catalogue() {
    let k: CatalogueKpis = get("/api/catalogue/kpis").json();
    assert_eq!(k.total, search(&[]).total);
    assert_eq!(k.by_level.full, search(&[("level", "full")]).total);
    assert_eq!(k.online_level3_plus, search(&[("level", "online")]).total);
    let share = k.online_level3_plus as f64 * 100.0 / k.total as f64;
    assert!((k.online_share_percent - share).abs() < 0.06);
    assert_eq!(k.meets_target, share >= k.target_percent as f64);
}

#[test]
fn unknown_codes_and_paths_are_404_with_the_error_body() {
    for path in ["/api/procedures/9.999999", "/api/procedures/khong-co", "/api/procedures/", "/api/nothing-here"] {
        let a = get(path);
        assert_eq!(a.status, 404, "{path}");
        let body: ErrorBody = a.json();
        assert_eq!(body.code, ErrorCode::NotFound);
        assert!(!body.message.is_empty());
    }
}

#[test]
fn bad_query_values_are_400_never_500() {
    let long = "a".repeat(201);
    let cases: [(&str, &str); 10] = [
        ("page", "0"),
        ("page", "-1"),
        ("page", "x"),
        ("page", "501"),
        ("level", "4"),
        ("delegated", "yes"),
        ("field", "không hợp lệ"),
        ("agency", "x'; DROP TABLE procedures;--"),
        ("q", &long),
        ("page", ""),
    ];
    for (k, v) in cases {
        let a = get_query("/api/procedures", &[(k, v)]);
        assert_eq!(a.status, 400, "{k}={v}: {}", a.body);
        let body: ErrorBody = a.json();
        assert_eq!(body.code, ErrorCode::InvalidQuery);
    }
    // Text that is only FTS syntax or punctuation is a search for nothing, not an error.
    for q in ["\"", "*", "NEAR(", "AND OR NOT", "'; --", "()"] {
        let a = get_query("/api/procedures", &[("q", q)]);
        assert_eq!(a.status, 200, "q={q}: {}", a.body);
    }
}

#[test]
fn wrong_methods_are_405_with_allow() {
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/api/procedures", "/api/procedures/1.014199", "/api/fields", "/api/agencies", "/api/catalogue/kpis"] {
            let a = request(method, path);
            assert_eq!(a.status, 405, "{method} {path}");
            assert_eq!(a.header("allow"), Some("GET, HEAD"));
            assert_eq!(a.json::<ErrorBody>().code, ErrorCode::MethodNotAllowed);
        }
    }
}

#[test]
fn head_answers_as_get() {
    for path in ["/api/health", "/api/procedures/1.014199", "/api/procedures?q=lao", "/api/calendar/2026"] {
        // (The body is the runtime's to drop; the client reads none for HEAD either way.)
        let (head, got) = (request("HEAD", path), get(path));
        assert_eq!(head.status, 200, "{path}");
        assert_eq!(head.header("content-type"), got.header("content-type"), "{path}");
        assert_eq!(head.header("cache-control"), got.header("cache-control"), "{path}");
    }
    assert_eq!(request("HEAD", "/api/procedures/9.999999").status, 404);
}

#[test]
fn the_app_is_served_for_deep_links() {
    for path in ["/", "/thu-tuc", "/thu-tuc/1.014199", "/nop-ho-so/1.014199", "/ho-so", "/can-bo/tiep-nhan"] {
        let a = get(path);
        assert_eq!(a.status, 200, "{path}");
        assert!(a.body.contains("<html lang=\"vi\">"), "{path}");
    }
    // A path no page answers: the app still comes (it shows its not-found page), as a 404.
    for path in ["/khong-co-trang", "/thu-tuc/1.014199/thua", "/anh.png"] {
        let a = get(path);
        assert_eq!(a.status, 404, "{path}");
        assert!(a.body.contains("<html lang=\"vi\">"), "{path}");
    }
}

#[test]
fn app_files_are_sent_as_the_precompressed_build_output() {
    let index = get("/").body;
    let wasm = index
        .split('"')
        .find(|s| s.starts_with('/') && s.ends_with("_bg.wasm"))
        .expect("index.html references the app's wasm")
        .to_owned();
    let url = format!("{}{wasm}", motcua_tests::base_url());
    let mut br = motcua_tests::agent().get(&url).header("Accept-Encoding", "br").call().unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("br"));
    assert_eq!(br.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/wasm"));
    let sent = br.body_mut().with_config().limit(20_000_000).read_to_vec().unwrap();
    // Exactly the file xtask compressed at build time, much smaller than the wasm itself.
    let dist = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/dist");
    let built = std::fs::read(format!("{dist}{wasm}.br")).expect("the build wrote a .br file");
    let raw = std::fs::read(format!("{dist}{wasm}")).unwrap();
    assert_eq!(sent, built);
    assert!(sent.len() < raw.len() / 2, "{} of {}", sent.len(), raw.len());
}

/// The province is configuration (`data/province.json`): the installed app is named after it.
#[test]
fn the_installed_app_is_named_after_the_configured_province() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/province.json");
    let province: motcua_core::province::Province = serde_json::from_str(&std::fs::read_to_string(path).expect("data/province.json")).expect("a province");
    let manifest = get("/manifest.webmanifest");
    assert_eq!(manifest.status, 200);
    let name = manifest.json::<serde_json::Value>()["name"].as_str().map(str::to_owned);
    assert_eq!(name, Some(format!("Một cửa - Thủ tục hành chính tỉnh {}", province.name)));
}
