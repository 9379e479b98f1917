//! Importing a catalogue file: the repository's `data/catalogue.json` format, or the TSV of
//! `shared/reference/procedures.tsv`. The same mapping builds the repository's data file
//! (xtask) and an admin's import (worker); the plan says what would be added, amended and
//! repealed before anything is written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::version::{diff, prepare, Change, Decision, Publication};
use super::{field_id, Allotment, Flow, OnlineLevel, ProcedureCode, ProcessStep, Procedure};
use crate::form::FieldError;
use crate::text::fold;

/// The columns of procedures.tsv, in order.
pub const TSV_COLUMNS: [&str; 12] = [
    "code", "name_vi", "field_vi", "agency_vi", "level", "days", "fee_vi", "how_to_submit_vi", "result_vi", "legal_basis_vi",
    "source", "note",
];

/// One row of procedures.tsv, as the csv crate reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct TsvRow {
    pub code: String,
    pub name_vi: String,
    pub field_vi: String,
    pub agency_vi: String,
    pub level: String,
    pub days: String,
    pub fee_vi: String,
    pub how_to_submit_vi: String,
    pub result_vi: String,
    pub legal_basis_vi: String,
    pub source: String,
    pub note: String,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The decision that published a row: the parenthesis after the first source file.
pub fn decision_of_source(source: &str) -> Option<String> {
    let start = source.find('(')?;
    let end = source[start..].find(')')? + start;
    opt(&source[start + 1..end])
}

/// A procedure has an approval step when a department or province leader signs the result.
pub fn flow_of(steps: &[ProcessStep]) -> Option<Flow> {
    if steps.is_empty() {
        return None;
    }
    let approves = steps.iter().any(|s| {
        let who = fold(&s.responsible);
        let what = fold(&s.task);
        who.contains("lanh dao so") || who.contains("ubnd tinh") || who.contains("chu tich") || what.contains("phe duyet")
    });
    Some(if approves { Flow::FourStep } else { Flow::ThreeStep })
}

/// One row of internal-processes.tsv as a step.
pub fn process_step(case: &str, order: u8, task: &str, responsible: &str, allotment: &str) -> ProcessStep {
    ProcessStep {
        case: opt(case),
        order,
        task: task.trim().to_owned(),
        responsible: responsible.trim().to_owned(),
        allotment: Allotment::parse_vi(allotment),
        allotment_text: opt(allotment),
    }
}

impl TsvRow {
    /// The national code, if the row publishes one.
    pub fn code(&self) -> Result<Option<ProcedureCode>, String> {
        opt(&self.code).map(|c| ProcedureCode::parse(&c).map_err(|e| e.to_string())).transpose()
    }

    /// The record the row states, on top of `base` (the version in force) where there is one:
    /// what the TSV does not carry (required documents, internal process, applicants,
    /// conditions, statutory time) stays as it was.
    pub fn to_procedure(&self, id: String, agency: (&str, &str), base: Option<&Procedure>) -> Result<Procedure, String> {
        let code = self.code()?;
        let online = match fold(self.level.trim()).as_str() {
            "toan trinh" => Some(OnlineLevel::Full),
            "mot phan" => Some(OnlineLevel::Partial),
            "" => None,
            other => return Err(format!("{id}: mức độ trực tuyến không rõ {other:?} (toàn trình, một phần hoặc để trống)")),
        };
        let days = opt(&self.days).map(|d| d.parse::<u16>().map_err(|_| format!("{id}: thời hạn {d:?} không phải số ngày"))).transpose()?;
        let internal_process = base.map(|b| b.internal_process.clone()).unwrap_or_default();
        Ok(Procedure {
            code,
            name: self.name_vi.trim().to_owned(),
            field: field_id(&self.field_vi),
            field_name: self.field_vi.trim().to_owned(),
            agency: agency.0.to_owned(),
            agency_name: agency.1.to_owned(),
            implementing_body: opt(&self.agency_vi),
            online,
            days_in_person: days,
            days_online: days.filter(|_| online.is_some_and(OnlineLevel::accepts_online_submission)),
            days_statutory: base.and_then(|b| b.days_statutory),
            // The sources say so in their note: 'nguồn ghi "ngày", không ghi "ngày làm việc"'.
            calendar_days: self.note.contains("nguồn ghi \"ngày\""),
            fees: opt(&self.fee_vi),
            documents: base.map(|b| b.documents.clone()).unwrap_or_default(),
            how_to_submit: opt(&self.how_to_submit_vi),
            result: opt(&self.result_vi),
            applicants: base.and_then(|b| b.applicants.clone()),
            conditions: base.and_then(|b| b.conditions.clone()),
            legal_basis: opt(&self.legal_basis_vi),
            flow: flow_of(&internal_process).or(base.and_then(|b| b.flow)),
            delegated: fold(&self.legal_basis_vi).contains("uy quyen"),
            decision: decision_of_source(&self.source),
            effective_date: None,
            internal_process,
            source: self.source.trim().to_owned(),
            note: opt(&self.note),
            // Kept from the version it amends: an import carries Vietnamese texts only.
            english: base.and_then(|b| b.english.clone()),
            versions_html: None,
            id,
        })
    }
}

/// `POST /api/staff/catalogue/import`: the file's text, the decision it is published under,
/// and whether to write. `repeal_missing`: the file is the agency's whole catalogue, so the
/// agency's procedures it leaves out are repealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRequest {
    pub file: String,
    pub decision: Decision,
    pub dry_run: bool,
    #[serde(default)]
    pub repeal_missing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    pub id: String,
    pub name: String,
    pub changes: Vec<Change>,
}

/// What an import does (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub added: Vec<ImportLine>,
    pub amended: Vec<ImportLine>,
    pub repealed: Vec<ImportLine>,
    /// Procedures of other agencies: left to their own admins.
    pub skipped: Vec<ImportLine>,
    pub unchanged: u32,
    /// Rows that cannot be published; an import with any is not written.
    pub errors: Vec<FieldError>,
    pub written: bool,
}

/// The agency a new procedure goes to: the one that owns its field in the catalogue in force,
/// else the importing admin's.
pub fn agency_for_field<'a>(field: &str, current: &'a [Procedure], own: (&'a str, &'a str)) -> (&'a str, &'a str) {
    current
        .iter()
        .find(|p| p.field == field)
        .map(|p| (p.agency.as_str(), p.agency_name.as_str()))
        .unwrap_or(own)
}

/// The procedures a file states, keyed as the catalogue keys them. Rows without a code match a
/// procedure in force by name, else get the next free local key (`khong-ma-N`), never a code.
pub fn read_rows(rows: &[TsvRow], current: &[Procedure], own: (&str, &str)) -> (Vec<Procedure>, Vec<FieldError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut next_local = (1..).map(|n| format!("khong-ma-{n}")).filter(|k| !current.iter().any(|p| &p.id == k));
    for (i, row) in rows.iter().enumerate() {
        let line = format!("dòng {}", i + 2);
        let id = match row.code() {
            Ok(Some(c)) => c.as_str().to_owned(),
            Ok(None) => match current.iter().find(|p| p.code.is_none() && p.name == row.name_vi.trim()) {
                Some(p) => p.id.clone(),
                None => next_local.next().expect("an endless supply of keys"),
            },
            Err(e) => {
                errors.push(FieldError { field: line, message: e });
                continue;
            }
        };
        let base = current.iter().find(|p| p.id == id);
        let agency = match base {
            Some(b) => (b.agency.as_str(), b.agency_name.as_str()),
            None => agency_for_field(&field_id(&row.field_vi), current, own),
        };
        match row.to_procedure(id, agency, base) {
            Ok(p) => out.push(p),
            Err(e) => errors.push(FieldError { field: line, message: e }),
        }
    }
    (out, errors)
}

/// Compares the file's procedures with those in force on the decision's effective day and
/// prepares each publication. Only procedures of the admin's agency may change; the records
/// returned are the ones to write (added and amended, then the repealed as they stand).
pub fn plan(
    incoming: Vec<Procedure>,
    current: &[Procedure],
    request: &ImportRequest,
    own_agency: &str,
    today: chrono::NaiveDate,
) -> (ImportReport, Vec<(Procedure, bool)>) {
    let mut report = ImportReport { errors: request.decision.check(today), ..Default::default() };
    let mut writes = Vec::new();
    let by_id: BTreeMap<&str, &Procedure> = current.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut seen = std::collections::BTreeSet::new();
    for p in incoming {
        let line_of = |changes| ImportLine { id: p.id.clone(), name: p.name.clone(), changes };
        if !seen.insert(p.id.clone()) {
            report.errors.push(FieldError { field: p.id.clone(), message: "Thủ tục xuất hiện hai lần trong tệp.".into() });
            continue;
        }
        let existing = by_id.get(p.id.as_str()).copied();
        if p.agency != own_agency || existing.is_some_and(|e| e.agency != own_agency) {
            report.skipped.push(line_of(Vec::new()));
            continue;
        }
        // Imports carry records only: the form pages stay the version's (the caller keeps them).
        let prepared = match prepare(&Publication { procedure: p.clone(), decision: request.decision.clone(), form: None }, today) {
            Ok(prepared) => prepared,
            Err(errors) => {
                // The decision's own errors are reported once, above.
                let own = errors.into_iter().filter(|e| !["decision_number", "decision_date", "effective_from"].contains(&e.field.as_str()));
                report.errors.extend(own.map(|e| FieldError { field: format!("{} · {}", p.id, e.field), message: e.message }));
                continue;
            }
        };
        match existing {
            None => {
                report.added.push(line_of(Vec::new()));
                writes.push((prepared, false));
            }
            Some(before) => {
                // The decision is the import's own: what changed is the rest of the record.
                let changes = diff(before, &prepared);
                if changes.is_empty() {
                    report.unchanged += 1;
                } else {
                    report.amended.push(line_of(changes));
                    writes.push((prepared, false));
                }
            }
        }
    }
    if request.repeal_missing {
        for p in current.iter().filter(|p| p.agency == own_agency && !seen.contains(&p.id)) {
            report.repealed.push(ImportLine { id: p.id.clone(), name: p.name.clone(), changes: Vec::new() });
            writes.push((p.clone(), true));
        }
    }
    (report, writes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> chrono::NaiveDate {
        crate::date::parse_iso(s).unwrap()
    }

    fn row(code: &str, name: &str, field: &str, days: &str) -> TsvRow {
        TsvRow {
            code: code.into(),
            name_vi: name.into(),
            field_vi: field.into(),
            agency_vi: "Sở Nội vụ".into(),
            level: "Toàn trình".into(),
            days: days.into(),
            fee_vi: String::new(),
            how_to_submit_vi: String::new(),
            result_vi: String::new(),
            legal_basis_vi: String::new(),
            source: "tệp (QĐ 1/QĐ-UBND ngày 1/1/2026)".into(),
            note: String::new(),
        }
    }

    fn current() -> Vec<Procedure> {
        let own = ("SNV", "Sở Nội vụ");
        let mut work = row("1.000001", "Cấp phép", "Việc làm", "10").to_procedure("1.000001".into(), own, None).unwrap();
        work.documents.push(crate::catalogue::RequiredDocument {
            name: "Tờ khai".into(),
            original: Some(true),
            count: Some(1),
            template: None,
            mandatory: true,
        });
        let health = row("1.000002", "Bảo trợ", "Bảo trợ xã hội", "5").to_procedure("1.000002".into(), ("SYT", "Sở Y tế"), None).unwrap();
        let local = row("", "Thăm viếng", "Người có công", "5").to_procedure("khong-ma-1".into(), own, None).unwrap();
        vec![work, health, local]
    }

    fn request(dry_run: bool, repeal_missing: bool) -> ImportRequest {
        ImportRequest {
            file: String::new(),
            decision: Decision { number: "9/QĐ-UBND".into(), date: day("2026-11-27"), effective_from: day("2026-11-27") },
            dry_run,
            repeal_missing,
        }
    }

    #[test]
    fn rows_keep_what_the_tsv_does_not_carry_and_match_uncoded_rows_by_name() {
        let cur = current();
        let rows = [
            row("1.000001", "Cấp phép", "Việc làm", "7"),
            row("", "Thăm viếng", "Người có công", "5"),
            row("", "Thủ tục mới không mã", "Việc làm", "3"),
            row("1.00001", "Mã sai", "Việc làm", "3"),
            row("1.000009", "Số ngày sai", "Việc làm", "ba"),
        ];
        let (procs, errors) = read_rows(&rows, &cur, ("SNV", "Sở Nội vụ"));
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["dòng 5", "dòng 6"]);
        let ids: Vec<&str> = procs.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["1.000001", "khong-ma-1", "khong-ma-2"], "by name, then the next free key");
        assert_eq!(procs[0].documents.len(), 1, "documents are not in the TSV: kept");
        assert_eq!(procs[0].days_in_person, Some(7));
        assert_eq!(procs[2].agency, "SNV", "a new procedure goes to the agency owning its field");
    }

    #[test]
    fn the_plan_lists_added_amended_unchanged_and_repealed() {
        let cur = current();
        let own = ("SNV", "Sở Nội vụ");
        let amended = row("1.000001", "Cấp phép", "Việc làm", "7");
        let (incoming, _) = read_rows(&[amended, row("1.000003", "Mới", "Việc làm", "4")], &cur, own);
        let (report, writes) = plan(incoming.clone(), &cur, &request(true, false), "SNV", day("2026-11-27"));
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.added.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["1.000003"]);
        assert_eq!(report.amended[0].changes.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), [
            "Thời hạn giải quyết (nộp trực tiếp)",
            "Thời hạn giải quyết (nộp trực tuyến)"
        ]);
        assert!(report.repealed.is_empty(), "nothing repealed unless asked");
        assert_eq!(writes.len(), 2);
        let (report, writes) = plan(incoming, &cur, &request(false, true), "SNV", day("2026-11-27"));
        assert_eq!(report.repealed.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["khong-ma-1"], "only the own agency's");
        assert!(writes.iter().any(|(p, repeal)| *repeal && p.id == "khong-ma-1"));
    }

    #[test]
    fn other_agencies_are_skipped_duplicates_and_bad_decisions_are_errors() {
        let cur = current();
        let own = ("SNV", "Sở Nội vụ");
        let (incoming, _) = read_rows(
            &[row("1.000002", "Bảo trợ", "Bảo trợ xã hội", "4"), row("1.000003", "A", "Việc làm", "4"), row("1.000003", "A", "Việc làm", "4")],
            &cur,
            own,
        );
        let mut req = request(true, false);
        req.decision.effective_from = day("2026-11-01");
        let (report, writes) = plan(incoming, &cur, &req, "SNV", day("2026-11-27"));
        let fields: Vec<&str> = report.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["effective_from", "decision_date", "1.000003"]);
        assert_eq!(report.skipped.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["1.000002"], "another agency's");
        assert!(writes.is_empty());
    }
}
