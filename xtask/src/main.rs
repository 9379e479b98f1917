mod catalogue;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("sql") {
        let cat = catalogue::read(std::path::Path::new("data/catalogue.json")).unwrap();
        std::fs::write("target/catalogue.sql", catalogue::to_sql(&cat)).unwrap();
        return;
    }
    let cat = catalogue::build_from_reference(std::path::Path::new("../shared/reference")).unwrap();
    std::fs::write("data/catalogue.json", serde_json::to_string_pretty(&cat).unwrap()).unwrap();
}
