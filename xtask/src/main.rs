mod catalogue;
fn main() {
    let cat = catalogue::build_from_reference(std::path::Path::new("../shared/reference")).unwrap();
    std::fs::write("data/catalogue.json", serde_json::to_string_pretty(&cat).unwrap()).unwrap();
}
