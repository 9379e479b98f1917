//! The shape the code keeps (issue #14), read from the sources: core's modules import each other
//! without circles, in layers (primitives → catalogue and calendar → dossier and workflow →
//! ratings, statistics and notifications as consumers); no worker handler writes a history event
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
        let code = text.split("#[cfg(test)]").next().unwrap();
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

#[test]
fn core_modules_import_each_other_in_layers_without_circles() {
    let graph = core_graph();
    let layer = |m: &str| match m {
        "rating" | "stats" | "notify" => 3,
        "dossier" | "workflow" => 2,
        "catalogue" | "calendar" | "query" | "kpi" => 1,
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
