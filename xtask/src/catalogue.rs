//! The catalogue data file: built from the reference TSVs, loaded into D1 as idempotent SQL.
//!
//! `data/catalogue.json` is the reviewed, committed source of truth. `cargo xtask catalogue`
//! regenerates it from `../shared/reference/` (a maintainer's step); `dev` and `test` only read
//! it, so a clean clone needs nothing outside the repository.

use std::collections::BTreeMap;
use std::path::Path;

use motcua_core::calendar::{Leg, TimeUnit};
use motcua_core::catalogue::import::{flow_of, process_step, TsvRow};
use motcua_core::catalogue::{OnlineLevel, ProcedureSummary, ProcessStep, Procedure};
use motcua_core::form::{check_schema, Section};
use motcua_core::province::Province;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Catalogue {
    pub about: String,
    pub agencies: Vec<AgencyRecord>,
    pub procedures: Vec<Procedure>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AgencyRecord {
    pub code: String,
    pub name: String,
}


#[derive(Deserialize)]
struct TsvStep {
    code: String,
    case_vi: String,
    step: u8,
    task_vi: String,
    responsible_vi: String,
    allotment_vi: String,
}

fn tsv<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    reader.deserialize().collect::<Result<_, _>>().map_err(|e| format!("{}: {e}", path.display()))
}

#[derive(Deserialize)]
struct DocumentsFile {
    procedures: BTreeMap<String, ProcedureDocuments>,
}

#[derive(Deserialize)]
struct ProcedureDocuments {
    source: String,
    documents: Vec<motcua_core::catalogue::RequiredDocument>,
}

/// Adds the required documents checked against their sources (`data/documents.json`).
pub fn add_documents(cat: &mut Catalogue, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: DocumentsFile = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    for (id, docs) in file.procedures {
        let p = cat.procedures.iter_mut().find(|p| p.id == id).ok_or_else(|| format!("documents for unknown procedure {id}"))?;
        p.documents = docs.documents;
        p.note = Some(match p.note.take() {
            Some(n) => format!("{n} Thành phần hồ sơ theo: {}.", docs.source),
            None => format!("Thành phần hồ sơ theo: {}.", docs.source),
        });
    }
    Ok(())
}

/// `data/english.json`: unofficial English names and summaries, by procedure id.
#[derive(Deserialize)]
struct EnglishFile {
    procedures: BTreeMap<String, motcua_core::catalogue::Translation>,
}

/// Adds the English names and summaries of `data/english.json`.
pub fn add_english(cat: &mut Catalogue, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: EnglishFile = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    for (id, english) in file.procedures {
        let p = cat.procedures.iter_mut().find(|p| p.id == id).ok_or_else(|| format!("English for unknown procedure {id}"))?;
        p.english = Some(english);
    }
    Ok(())
}

/// `data/times.json`: processing times the provincial sources leave out, as the legal text
/// states them, each checked against its article; and why the others stay closed.
#[derive(Deserialize)]
pub struct TimesFile {
    procedures: BTreeMap<String, ProcedureTime>,
    /// Procedures online by decision that still take no dossier: what their source lacks.
    pub closed: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct ProcedureTime {
    /// The article and the text it is read from.
    source: String,
    /// The clause stating the times, verbatim (for the reviewer; not loaded).
    #[allow(dead_code)]
    clause: String,
    /// The bodies' steps in order, in the unit the text states; one step: the procedure's time.
    steps: Vec<TimeStep>,
    /// Other cases of the article with times of their own.
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
struct TimeStep {
    responsible: String,
    task: String,
    days: u16,
    unit: TimeUnit,
}

pub fn read_times(path: &Path) -> Result<TimesFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Adds the times of `data/times.json`. One step is the procedure's time in its unit; several
/// are its internal process, which `Procedure::term` chains when a step is in days (and whose
/// working days add up to the time otherwise).
pub fn add_times(cat: &mut Catalogue, path: &Path) -> Result<(), String> {
    let file = read_times(path)?;
    for (id, t) in file.procedures {
        let p = cat.procedures.iter_mut().find(|p| p.id == id).ok_or_else(|| format!("{}: time for unknown procedure {id}", path.display()))?;
        if p.days_in_person.is_some() || !p.internal_process.is_empty() {
            return Err(format!("{}: {id} already has a published time", path.display()));
        }
        let all_working = t.steps.iter().all(|s| s.unit == TimeUnit::Working);
        if t.steps.len() > 1 {
            p.internal_process = t
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| process_step("", i as u8 + 1, &s.task, &s.responsible, &Leg::of(s.unit, s.days).text(motcua_core::Lang::Vi)))
                .collect();
        }
        if t.steps.len() == 1 || all_working {
            let days = t.steps.iter().map(|s| s.days).sum();
            p.days_in_person = Some(days);
            p.days_online = Some(days).filter(|_| p.online.is_some_and(OnlineLevel::accepts_online_submission));
            p.calendar_days = t.steps[0].unit == TimeUnit::Calendar;
        }
        if p.term(false).is_none() {
            return Err(format!("{}: the steps of {id} make no term", path.display()));
        }
        let said = match &t.note {
            Some(n) => format!("Thời hạn theo: {}. {n}", t.source),
            None => format!("Thời hạn theo: {}.", t.source),
        };
        p.note = Some(match p.note.take() {
            Some(n) => format!("{n} {said}"),
            None => said,
        });
    }
    // The page of a procedure that stays closed says why, in its note.
    for (id, why) in &file.closed {
        let p = cat.procedures.iter_mut().find(|p| &p.id == id).ok_or_else(|| format!("{}: closed reason for unknown procedure {id}", path.display()))?;
        let said = format!("Chưa nhận hồ sơ trên hệ thống vì thời hạn giải quyết chưa xác định được từ nguồn: {why}");
        p.note = Some(match p.note.take() {
            Some(n) => format!("{n} {said}"),
            None => said,
        });
    }
    Ok(())
}

/// `cargo xtask catalogue --report`: how many procedures take online dossiers, and for each
/// one online by decision that does not, what its source lacks.
pub fn report(cat: &Catalogue, times: &TimesFile) -> String {
    let online: Vec<&Procedure> = cat.procedures.iter().filter(|p| p.online.is_some_and(OnlineLevel::accepts_online_submission)).collect();
    let open = online.iter().filter(|p| p.online_term().is_some()).count();
    let mut out = format!(
        "{} procedures; {} online at level 3+ by decision; {open} take online dossiers; {} at the desk only.\n",
        cat.procedures.len(),
        online.len(),
        cat.procedures.iter().filter(|p| p.online_term().is_none() && p.term(false).is_some()).count(),
    );
    let closed: Vec<&&Procedure> = online.iter().filter(|p| p.online_term().is_none()).collect();
    out += &format!("Online by decision but closed ({}):\n", closed.len());
    for p in closed {
        let why = times.closed.get(&p.id).map_or("no source here states its processing time", String::as_str);
        out += &format!("  {} {}: {why}\n", p.id, p.name);
    }
    out
}

#[derive(Deserialize)]
struct FormsFile {
    procedures: BTreeMap<String, ProcedureForm>,
}

#[derive(Deserialize)]
struct ProcedureForm {
    /// The statutory form and article the pages follow: required, for the reviewer (not loaded).
    source: String,
    sections: Vec<Section>,
}

/// The procedures' own form pages (`data/forms.json`), loaded as version 1's form. Every schema
/// passes the checks an admin's publication passes, or nothing is loaded.
pub fn read_forms(path: &Path, cat: &Catalogue) -> Result<BTreeMap<String, Vec<Section>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: FormsFile = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut forms = BTreeMap::new();
    for (id, form) in file.procedures {
        if !cat.procedures.iter().any(|p| p.id == id) {
            return Err(format!("{}: form for unknown procedure {id}", path.display()));
        }
        if form.source.trim().is_empty() {
            return Err(format!("{}: form of {id} names no source", path.display()));
        }
        if let Some(e) = check_schema(&form.sections).first() {
            return Err(format!("{}: form of {id}: {}", path.display(), e.message));
        }
        forms.insert(id, form.sections);
    }
    Ok(forms)
}

pub fn build_from_reference(reference: &Path, province: &Province) -> Result<Catalogue, String> {
    let rows: Vec<TsvRow> = tsv(&reference.join("procedures.tsv"))?;
    let steps: Vec<TsvStep> = tsv(&reference.join("internal-processes.tsv"))?;
    let mut steps_by_code: BTreeMap<String, Vec<ProcessStep>> = BTreeMap::new();
    for s in steps {
        let step = process_step(&s.case_vi, s.step, &s.task_vi, &s.responsible_vi, &s.allotment_vi);
        steps_by_code.entry(s.code.clone()).or_default().push(step);
    }
    let mut uncoded = 0;
    let mut procedures = Vec::new();
    for r in rows {
        let agency = province
            .agency_of(&r.field_vi)
            .map(|a| (a.code.as_str(), a.name.as_str()))
            .ok_or_else(|| format!("no agency of the province (data/province.json) handles field {:?}", r.field_vi))?;
        let code = r.code()?;
        // Three merit procedures have no published code: they get a local key, never a fake code.
        let id = match &code {
            Some(c) => c.as_str().to_owned(),
            None => {
                uncoded += 1;
                format!("khong-ma-{uncoded}")
            }
        };
        // The internal process comes from its own file (the row's mapping keeps a base's).
        let mut p = r.to_procedure(id, agency, None)?;
        p.internal_process = code.as_ref().and_then(|c| steps_by_code.remove(c.as_str())).unwrap_or_default();
        p.flow = flow_of(&p.internal_process);
        procedures.push(p);
    }
    if let Some(code) = steps_by_code.keys().next() {
        return Err(format!("internal process for {code} matches no procedure"));
    }
    Ok(Catalogue {
        about: "Danh mục TTHC thuộc các lĩnh vực của Sở Lao động - Thương binh và Xã hội cũ, \
                gán cho các sở của tỉnh sau sắp xếp năm 2025 theo data/province.json. Sinh bởi \
                `cargo xtask catalogue` từ shared/reference/procedures.tsv và \
                internal-processes.tsv; nguồn của từng thủ tục ở trường `source`."
            .to_owned(),
        agencies: province.agencies.iter().map(|a| AgencyRecord { code: a.code.clone(), name: a.name.clone() }).collect(),
        procedures,
    })
}

/// Gives each procedure to the department of `province` that handles its field, and lists
/// that province's departments as the catalogue's agencies.
pub fn assign(cat: &mut Catalogue, province: &Province) -> Result<(), String> {
    for p in &mut cat.procedures {
        province.assign(p).map_err(|e| format!("{}: {e:?}", p.id))?;
    }
    cat.agencies = province.agencies.iter().map(|a| AgencyRecord { code: a.code.clone(), name: a.name.clone() }).collect();
    Ok(())
}

pub fn read(path: &Path) -> Result<Catalogue, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn sql_opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| sql_text(&x.to_string())).unwrap_or_else(|| "NULL".into())
}

fn sql_num<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "NULL".into())
}

/// The catalogue file as version 1 of each procedure, replacing the version 1 rows loaded
/// before (running it twice leaves the same rows). Versions an admin published, and agencies an
/// admin renamed or created, are left alone: after the first load the catalogue is kept by
/// decisions (issue #8), the file only seeds it.
pub fn to_sql(cat: &Catalogue, forms: &BTreeMap<String, Vec<Section>>) -> String {
    let mut out = String::from(
        "DELETE FROM procedures_fts WHERE rowid IN (SELECT rowid FROM procedures WHERE published_by IS NULL);\n\
         DELETE FROM procedures WHERE published_by IS NULL;\n",
    );
    for a in &cat.agencies {
        out += &format!("INSERT OR IGNORE INTO agencies (code, name) VALUES ({}, {});\n", sql_text(&a.code), sql_text(&a.name));
    }
    for p in &cat.procedures {
        let s: ProcedureSummary = p.summary();
        let record = serde_json::to_string(p).expect("a procedure serialises");
        let effective = p.effective_date.map(|d| d.to_string()).unwrap_or_default();
        out += &format!(
            "INSERT OR IGNORE INTO procedures (id, version, effective_from, decision, published_at, code, name, field_id, field_name, agency_code, agency_name, online, days_in_person, calendar_days, delegated, record, form) \
             VALUES ({}, 1, {}, {}, strftime('%Y-%m-%dT%H:%M:%S', 'now', '+7 hours'), {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {});\n",
            sql_text(&s.id),
            sql_text(&effective),
            sql_text(p.decision.as_deref().unwrap_or("Danh mục ban đầu (data/catalogue.json)")),
            sql_opt(s.code.as_ref().map(|c| c.as_str())),
            sql_text(&s.name),
            sql_text(&s.field),
            sql_text(&s.field_name),
            sql_text(&s.agency),
            sql_text(&s.agency_name),
            sql_opt(s.online.map(|l| l.as_str())),
            sql_num(s.days_in_person),
            u8::from(s.calendar_days),
            u8::from(s.delegated),
            sql_text(&record),
            sql_text(&serde_json::to_string(forms.get(&s.id).map_or(&[][..], Vec::as_slice)).expect("a form serialises")),
        );
        let [name, code, body] = p.search_columns();
        // Only for the row just loaded: an admin's version 1 of the same key keeps its own.
        out += &format!(
            "INSERT INTO procedures_fts (rowid, name, code, body) SELECT rowid, {}, {}, {} FROM procedures WHERE id = {} AND version = 1 AND published_by IS NULL;\n",
            sql_text(&name),
            sql_text(&code),
            sql_text(&body),
            sql_text(&s.id),
        );
    }
    out += "UPDATE aggregates SET value = CAST(value AS INTEGER) + 1 WHERE key = 'catalogue_generation';\n";
    out
}
