//! `data/calendar.json`: the government's decisions per year, loaded into D1 as idempotent SQL.

use std::path::Path;

use motcua_core::calendar::YearDecision;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CalendarData {
    pub decisions: Vec<YearDecision>,
}

pub fn read(path: &Path) -> Result<CalendarData, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let data: CalendarData = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    for d in &data.decisions {
        d.validate().map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(data)
}

pub fn to_sql(data: &CalendarData) -> String {
    // Years an admin edited (edited_by set) stay as the admin left them.
    let mut out = String::from("DELETE FROM calendar_decisions WHERE edited_by IS NULL;\n");
    for d in &data.decisions {
        let body = serde_json::to_string(d).expect("a decision serialises").replace('\'', "''");
        out += &format!("INSERT OR IGNORE INTO calendar_decisions (year, body) VALUES ({}, '{body}');\n", d.year);
    }
    out
}
