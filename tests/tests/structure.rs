//! The shape the code keeps (issue #14), read from the sources: core's modules import each other
//! without circles, in layers (primitives → catalogue and calendar → dossier and workflow →
//! ratings, statistics, notifications and tracking as consumers); no worker handler writes a history event
//! by hand. No stack needed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Core's top-level modules and the other top-level modules each one's code (tests aside) uses.
fn core_graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&root).unwrap().with_extension("");
        let rel = rel.to_string_lossy().into_owned();
        let module = rel.split('/').next().unwrap().to_owned();
        if module == "lib" || rel.ends_with("tests") || rel.ends_with("property") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = without_tests(&text);
        let uses = graph.entry(module.clone()).or_default();
        for piece in code.split("crate::").skip(1) {
            let name: String = piece.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if !name.is_empty() && name != module {
                uses.insert(name);
            }
        }
    }
    graph
}

/// `text` without its test-only items: each `#[cfg(test)]` and the item after it, to the end
/// of its braces, its `;` or `,` (a field or variant), or the end of the block around it — a
/// test module in the middle of a file hides nothing after it. Braces in strings and char
/// literals do not count.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let end = item_end(item);
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Where the item starting `text` ends (a byte offset).
fn item_end(text: &str) -> usize {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let (mut depth, mut k) = (0usize, 0);
    while k < chars.len() {
        let (i, c) = chars[k];
        match c {
            // A string: to its closing quote, escapes skipped.
            '"' => {
                k += 1;
                while k < chars.len() && chars[k].1 != '"' {
                    k += if chars[k].1 == '\\' { 2 } else { 1 };
                }
            }
            // A char literal ('{', '"', '\''), not a lifetime ('a).
            '\'' if chars.get(k + 1).is_some_and(|(_, q)| *q == '\\') => k += 3,
            '\'' if chars.get(k + 2).is_some_and(|(_, q)| *q == '\'') => k += 2,
            '{' => depth += 1,
            '}' if depth <= 1 => return if depth == 1 { i + 1 } else { i },
            '}' => depth -= 1,
            ';' | ',' if depth == 0 => return i + 1,
            _ => {}
        }
        k += 1;
    }
    text.len()
}

#[test]
fn core_modules_import_each_other_in_layers_without_circles() {
    assert_eq!(without_tests("a\n#[cfg(test)]\nmod t { fn x() { crate::b } }\nc #[cfg(test)] use d;\ne"), "a\n\nc \ne");
    // A test-only field, and braces in a test's strings and chars, hide nothing after them.
    assert_eq!(without_tests("struct S { #[cfg(test)] f: u8, g: u8 } crate::x"), "struct S {  g: u8 } crate::x");
    assert_eq!(without_tests("#[cfg(test)]\nmod t { fn f() { let _ = (\"}\", '}', '{'); } }\ncrate::y"), "\ncrate::y");
    assert_eq!(without_tests("fn f() { #[cfg(test)] }\ncrate::z"), "fn f() { }\ncrate::z");
    let graph = core_graph();
    let layer = |m: &str| match m {
        "rating" | "stats" | "notify" | "tracking" => 3,
        "dossier" | "workflow" | "province" => 2,
        "catalogue" | "calendar" | "query" | "kpi" | "settings" => 1,
        _ => 0,
    };
    for (module, uses) in &graph {
        for used in uses {
            assert!(
                layer(used) <= layer(module),
                "core::{module} (layer {}) uses core::{used} (layer {})",
                layer(module),
                layer(used)
            );
        }
    }
    // Within a layer: no circle.
    fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
        graph.get(from).into_iter().flatten().any(|n| n == to || (seen.insert(n.clone()) && reaches(graph, n, to, seen)))
    }
    for module in graph.keys() {
        assert!(!reaches(&graph, module, module, &mut BTreeSet::new()), "core::{module} is in an import circle");
    }
}

#[test]
fn no_worker_handler_writes_a_history_event_by_hand() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../worker/src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for forbidden in ["EventRecord {", "INSERT INTO dossier_events"] {
            let allowed = file.ends_with("store/dossier.rs") && forbidden.starts_with("INSERT");
            assert!(allowed || !text.contains(forbidden), "{} contains `{forbidden}`: transitions come from core::workflow::transition", file.display());
        }
    }
}

/// The app's two message tables (issue #16): the compiler checks that each has every message;
/// this checks that a text and its translation take the same parameters, in the same number.
#[test]
fn every_app_message_has_the_same_placeholders_in_both_languages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/i18n");
    let table = |file: &str| -> BTreeMap<String, String> {
        std::fs::read_to_string(root.join(file))
            .unwrap()
            .lines()
            .filter_map(|l| l.trim().strip_prefix("Msg::"))
            .filter_map(|l| l.split_once(" => "))
            .map(|(name, text)| (name.to_owned(), text.to_owned()))
            .collect()
    };
    let (vi, en) = (table("vi.rs"), table("en.rs"));
    assert!(vi.len() > 100, "one arm per line in vi.rs: found {}", vi.len());
    assert_eq!(vi.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
    for (name, text) in &vi {
        assert_eq!(text.matches("{}").count(), en[name].matches("{}").count(), "Msg::{name}: {text} / {}", en[name]);
    }
}

/// Core's route table and `openapi.yaml` name the same operations, each with the same method
/// and path: nothing is routed that the spec does not describe, nothing described is unrouted.
#[test]
fn the_route_table_and_the_openapi_spec_list_the_same_operations() {
    use motcua_core::routes::ROUTES;
    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).expect("openapi.yaml");
    let paths = spec.split("\npaths:\n").nth(1).and_then(|s| s.split("\ncomponents:").next()).expect("a paths section");
    let mut described = BTreeSet::new();
    let (mut path, mut method) = (String::new(), String::new());
    for line in paths.lines() {
        if line.starts_with("  /") && line.ends_with(':') {
            path = line.trim().trim_end_matches(':').to_owned();
        } else if let Some(m) = line.strip_prefix("    ").and_then(|m| m.strip_suffix(':')).filter(|m| ["get", "post", "delete", "put", "patch"].contains(m)) {
            method = m.to_uppercase();
        } else if let Some(id) = line.strip_prefix("      operationId: ") {
            described.insert((method.clone(), path.clone(), id.trim().to_owned()));
        }
    }
    let routed: BTreeSet<(String, String, String)> = ROUTES.iter().map(|r| (r.method.as_str().to_owned(), r.path.to_owned(), r.op.id().to_owned())).collect();
    assert!(described.len() > 50, "the spec was read: {} operations", described.len());
    assert_eq!(routed.difference(&described).collect::<Vec<_>>(), Vec::<&(String, String, String)>::new(), "routed, not in openapi.yaml");
    assert_eq!(described.difference(&routed).collect::<Vec<_>>(), Vec::<&(String, String, String)>::new(), "in openapi.yaml, not routed");
}

/// The worker finds routes only through the table: no path is matched by hand.
#[test]
fn the_worker_matches_no_api_path_by_hand() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../worker/src"), &mut files);
    let by_hand: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|s| s.contains("[\"api\",")))
        .map(|f| f.display().to_string())
        .collect();
    assert!(by_hand.is_empty(), "{by_hand:?}");
}

/// The app's client calls the API through functions named after its operations (the
/// `operationId`s of openapi.yaml, in snake case): one vocabulary from the spec to the pages.
#[test]
fn the_apps_client_functions_are_named_after_the_operations() {
    use motcua_core::routes::ROUTES;
    let snake = |id: &str| id.chars().flat_map(|c| if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }).collect::<String>();
    let operations: BTreeSet<String> = ROUTES.iter().map(|r| snake(r.op.id())).collect();
    let api = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/api.rs")).expect("app/src/api.rs");
    let functions: Vec<&str> = api.lines().filter_map(|l| l.strip_prefix("pub async fn ")).filter_map(|l| l.split('(').next()).collect();
    assert!(functions.len() > 40, "{functions:?}");
    let strays: Vec<&&str> = functions.iter().filter(|f| !operations.contains(**f)).collect();
    assert!(strays.is_empty(), "client functions named after no operation: {strays:?}");
}

/// The string literals of a Rust source, comments and raw strings (JSON examples) left out.
fn string_literals(src: &str) -> Vec<String> {
    let chars: Vec<char> = src.chars().collect();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < chars.len() {
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 1;
            }
            // A raw string (r"…", r#"…"#, br"…"), not a raw identifier (r#type).
            'r' if (i == 0 || !chars[i - 1].is_alphanumeric() || chars[i - 1] == 'b')
                && chars[i + 1..].iter().skip_while(|c| **c == '#').next() == Some(&'"') =>
            {
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                let start = i + 2 + hashes;
                let rest: String = chars[start..].iter().collect();
                i = start + rest.find(&close).map_or(rest.chars().count(), |end| rest[..end].chars().count() + close.len());
            }
            // A char literal: escaped ('\'', '\n'), or plain ('x'); a lifetime ('a) is passed by.
            '\'' if chars.get(i + 1) == Some(&'\\') => i += 3,
            '\'' if chars.get(i + 2) == Some(&'\'') => i += 2,
            '"' => {
                let mut text = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                out.push(text);
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Every word the app shows is a message of one of its tables (issue #16): no sentence sits in a
/// page's code, where a second language could not reach it. Vietnamese letters betray them.
#[test]
fn the_app_shows_no_text_outside_its_message_tables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let vietnamese = |s: &str| s.chars().any(|c| matches!(c, 'À'..='ỹ') && c.is_alphabetic());
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(root.join("i18n"))) {
        let src = std::fs::read_to_string(file).unwrap();
        for text in string_literals(&src).into_iter().filter(|t| vietnamese(t)) {
            found.push(format!("{}: {text}", file.strip_prefix(&root).unwrap().display()));
        }
    }
    assert!(files.len() > 40, "{files:?}");
    assert!(found.is_empty(), "texts outside app/src/i18n:\n{}", found.join("\n"));
    assert_eq!(string_literals(r#"f("Đã lưu", 'x', "a\"b") // "bỏ qua""#), ["Đã lưu", "a\"b"]);
    assert_eq!(string_literals(r##"let r#type = "Mới"; /* "cũ" */ br"thô" r#"thô"#"##), ["Mới"]);
    assert_eq!(string_literals(r#"('x'"một", ''', "hai")"#), ["một", "hai"]);
}

#[test]
fn the_pending_migration_names_the_statuses_core_counts_as_pending() {
    use motcua_core::dossier::DossierStatus;
    // The dashboard's query names the partial index (`INDEXED BY dossiers_held_due`): with
    // another list of held statuses SQLite could not use it and the dashboard would fail.
    let sql = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../worker/migrations/0021_pending_days.sql")).unwrap();
    let held = DossierStatus::sql_list(&DossierStatus::PENDING);
    let waiting = DossierStatus::sql_list(&DossierStatus::WAITING);
    assert!(sql.contains(&format!("CREATE INDEX dossiers_held_due ON dossiers(due_at) WHERE status IN ({held});")), "{held}");
    assert!(sql.contains(&format!("SUM(status IN ({held})), SUM(status = {waiting})")), "{held} / {waiting}");
    assert!(sql.contains(&format!("WHERE status IN ({held}, {waiting})")), "{held}, {waiting}");
}
