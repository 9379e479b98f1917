//! The run's province (`data/province.json`, or the file xtask passes as `MOTCUA_PROVINCE_FILE`
//! for `--province`) becomes environment values for the message tables and the header:
//! configuration, read once at build time, costing nothing in the bundle.

fn main() {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/province.json");
    println!("cargo:rerun-if-env-changed=MOTCUA_PROVINCE_FILE");
    let path = std::env::var("MOTCUA_PROVINCE_FILE").unwrap_or_else(|_| default.to_owned());
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let province: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    for (key, var) in [("name", "MOTCUA_PROVINCE"), ("contact", "MOTCUA_CONTACT"), ("logo", "MOTCUA_LOGO")] {
        let value = province[key].as_str().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| panic!("{path}: no {key}"));
        println!("cargo:rustc-env={var}={value}");
    }
}
