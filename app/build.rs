//! The province's name (`data/province.json`) becomes `MOTCUA_PROVINCE` for the message
//! tables: configuration, read once at build time, costing nothing in the bundle.

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/province.json");
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let province: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let name = province["name"].as_str().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| panic!("{path}: no name"));
    println!("cargo:rustc-env=MOTCUA_PROVINCE={name}");
}
