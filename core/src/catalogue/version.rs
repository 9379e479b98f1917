//! Versions of a procedure. The province issues, amends and repeals procedures by decisions,
//! each with an effective date; nothing is edited in place. Every publication is a new version,
//! the public sees the one in force on the day, and a dossier keeps the one it was received
//! under.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{days_text, field_id, Procedure, Translation};
use crate::form::{check_schema, schema_text, FieldError, Section};

/// The decision a version is published under (quyết định công bố).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// As written on the decision, e.g. "1234/QĐ-UBND".
    pub number: String,
    #[serde(with = "crate::date::iso")]
    pub date: NaiveDate,
    #[serde(with = "crate::date::iso")]
    pub effective_from: NaiveDate,
}

impl Decision {
    /// A publication takes effect today or later: a dossier already received keeps its
    /// version, so the past cannot change under it.
    pub fn check(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let number = self.number.trim();
        if number.is_empty() || number.chars().count() > 60 {
            errors.push(err("decision_number", "Vui lòng nhập số quyết định (tối đa 60 ký tự), ví dụ 1234/QĐ-UBND."));
        }
        if self.effective_from < today {
            errors.push(err("effective_from", "Ngày có hiệu lực không được trước hôm nay: hồ sơ đã nhận giữ phiên bản cũ."));
        }
        if self.date > self.effective_from {
            errors.push(err("decision_date", "Ngày ký quyết định không được sau ngày có hiệu lực."));
        }
        errors
    }

    /// The wording on the procedure page: "1234/QĐ-UBND ngày 20/11/2026".
    pub fn label(&self) -> String {
        format!("{} ngày {}", self.number.trim(), crate::date::to_vi(self.date))
    }
}

fn err(field: &str, message: &str) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// What a version is, without its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionMeta {
    pub version: u32,
    /// `None`: in force since before the system's records (the loaded catalogue states no date).
    #[serde(with = "crate::date::iso_opt")]
    pub effective_from: Option<NaiveDate>,
    pub decision: String,
    /// This version repeals the procedure (bãi bỏ): its record is the last one in force.
    pub repealed: bool,
}

/// The version in force on `day`: the latest effective date not after it; of two versions
/// effective the same day, the later publication.
pub fn in_force(versions: &[VersionMeta], day: NaiveDate) -> Option<&VersionMeta> {
    versions.iter().filter(|v| v.effective_from.is_none_or(|from| from <= day)).max_by_key(|v| (v.effective_from, v.version))
}

/// One attribute that differs between two versions, as the procedure page words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One entry of a procedure's public history: a version and what it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionEntry {
    #[serde(flatten)]
    pub meta: VersionMeta,
    /// Against the version before it; empty for the first.
    pub changes: Vec<Change>,
}

/// The attributes a citizen reads, as text, in the order the page shows them. The diff and the
/// page use the same wording so a change reads as it appears.
fn attributes(p: &Procedure) -> Vec<(&'static str, Option<String>)> {
    let documents = (!p.documents.is_empty()).then(|| {
        p.documents
            .iter()
            .map(|d| {
                let kind = match d.original {
                    Some(true) => " (bản chính)",
                    Some(false) => " (bản sao)",
                    None => "",
                };
                let optional = if d.mandatory { "" } else { " — không bắt buộc" };
                let template = d.template.as_deref().map(|t| format!(" — mẫu đơn: {t}")).unwrap_or_default();
                format!("{}{kind}{optional}{template}", d.name)
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let process = (!p.internal_process.is_empty()).then(|| {
        p.internal_process
            .iter()
            .map(|s| format!("{}. {} — {} ({})", s.order, s.task, s.responsible, s.allotment_text.as_deref().unwrap_or("chưa công bố")))
            .collect::<Vec<_>>()
            .join("\n")
    });
    // The page's facts, less those that belong to the version (its decision and date) or never
    // change (the code is the key), with what the page shows elsewhere.
    let mut all = vec![("Tên thủ tục", Some(p.name.clone()))];
    let elsewhere = ["Mã thủ tục", "Quyết định công bố", "Ngày có hiệu lực", "Thời hạn theo quy định"];
    all.extend(p.facts(crate::i18n::Lang::Vi).into_iter().filter(|(label, _)| !elsewhere.contains(label)));
    all.extend([
        ("Thời hạn theo quy định", days_text(p.days_statutory, p.calendar_days, crate::i18n::Lang::Vi)),
        ("Thành phần hồ sơ", documents),
        ("Quy trình nội bộ", process),
        ("Tên tiếng Anh (bản dịch không chính thức)", p.english.as_ref().map(|t| t.name.clone())),
        ("Tóm tắt tiếng Anh", p.english.as_ref().and_then(|t| t.summary.clone())),
    ]);
    all
}

/// Field-by-field differences from `before` to `after` (decision and dates excluded: they
/// belong to the version, not to what changed).
pub fn diff(before: &Procedure, after: &Procedure) -> Vec<Change> {
    diff_with_forms((before, &[]), (after, &[]))
}

/// The same, with each side's own form pages compared as well.
pub fn diff_with_forms(before: (&Procedure, &[Section]), after: (&Procedure, &[Section])) -> Vec<Change> {
    let (before, before_form) = before;
    let (after, after_form) = after;
    let mut changes = diff_records(before, after);
    let (b, a) = (schema_text(before_form), schema_text(after_form));
    if b != a {
        changes.push(Change { label: "Biểu mẫu trực tuyến".into(), before: b, after: a });
    }
    changes
}

fn diff_records(before: &Procedure, after: &Procedure) -> Vec<Change> {
    attributes(before)
        .into_iter()
        .zip(attributes(after))
        .filter(|((_, b), (_, a))| b != a)
        .map(|((label, b), (_, a))| Change { label: label.to_owned(), before: b, after: a })
        .collect()
}

/// An admin's draft: a whole procedure record (new, or an amendment of one in force) and the
/// decision that publishes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub procedure: Procedure,
    pub decision: Decision,
    /// The procedure's own form pages, asked after the applicant section (empty: that section
    /// only). Kept with the version, outside the record: the public pages never load it.
    /// Absent: the pages of the version this one amends stay (a client that edits the record
    /// only does not wipe the form).
    #[serde(default)]
    pub form: Option<Vec<Section>>,
}

/// A repeal (bãi bỏ) of a procedure by a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repeal {
    pub decision: Decision,
}

/// What the admin sees before publishing: the record as the public will see it and what it
/// changes against the version in force on its effective date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub procedure: Procedure,
    /// `None`: a new procedure.
    pub amends: Option<VersionMeta>,
    pub changes: Vec<Change>,
    /// A version already scheduled to take effect later: on its day it replaces this one
    /// whole (each version is a complete record), so the admin is told before publishing.
    #[serde(default)]
    pub replaced_by: Option<VersionMeta>,
    pub form: Vec<Section>,
}

/// The first version taking effect after `day`, if one is scheduled.
pub fn scheduled_after(versions: &[VersionMeta], day: NaiveDate) -> Option<&VersionMeta> {
    versions.iter().filter(|v| v.effective_from.is_some_and(|d| d > day)).min_by_key(|v| (v.effective_from, v.version))
}

/// `GET /api/procedures/{id}`: the record in force on the day (with `versions_html`, the
/// page's block on versions the worker renders) and its version, which says whether, and by
/// which decision, it was repealed. The public app reads only the record: its first load has
/// no room for this type's parser, and the block already says all of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedurePage {
    #[serde(flatten)]
    pub procedure: Procedure,
    pub version: VersionMeta,
}

/// What an admin edits from: every version (also those not yet in effect) and the record of
/// the latest, the base of an amendment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Editable {
    pub versions: Vec<VersionMeta>,
    pub latest: Procedure,
    /// The latest version's own form pages.
    #[serde(default)]
    pub form: Vec<Section>,
}

/// The longest processing time accepted, in days (the longest published is a few months).
const MAX_DAYS: u16 = 365;

/// Checks a draft and returns the record as it will be published: the field id follows the
/// field's name and the decision fields are the publication's own. Agency names are the
/// caller's (the worker fills them from its agencies).
pub fn prepare(publication: &Publication, today: NaiveDate) -> Result<Procedure, Vec<FieldError>> {
    let mut errors = publication.decision.check(today);
    errors.extend(check_schema(publication.form.as_deref().unwrap_or_default()));
    let mut p = publication.procedure.clone();
    p.name = p.name.trim().to_owned();
    p.field_name = p.field_name.trim().to_owned();
    let id_ok = !p.id.is_empty()
        && p.id.len() <= 40
        && p.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && p.code.as_ref().is_none_or(|c| c.as_str() == p.id);
    if !id_ok {
        errors.push(err("id", "Mã thủ tục phải là mã quốc gia (ví dụ 1.014199) hoặc khóa chỉ gồm chữ, số, dấu chấm, gạch nối."));
    }
    if p.name.is_empty() || p.name.chars().count() > 500 {
        errors.push(err("name", "Vui lòng nhập tên thủ tục (tối đa 500 ký tự)."));
    }
    if p.field_name.is_empty() || p.field_name.chars().count() > 120 {
        errors.push(err("field_name", "Vui lòng nhập lĩnh vực (tối đa 120 ký tự)."));
    }
    for (key, days) in [("days_in_person", p.days_in_person), ("days_online", p.days_online), ("days_statutory", p.days_statutory)] {
        if days.is_some_and(|d| d == 0 || d > MAX_DAYS) {
            errors.push(err(key, "Thời hạn phải từ 1 đến 365 ngày."));
        }
    }
    if let Some(t) = p.english.as_mut() {
        t.name = t.name.trim().to_owned();
        t.summary = t.summary.take().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        if t.name.is_empty() || t.name.chars().count() > Translation::MAX_NAME {
            errors.push(err("name_en", "Tên tiếng Anh: nhập tên (tối đa 500 ký tự), hoặc bỏ trống cả tên và tóm tắt."));
        }
        if t.summary.as_ref().is_some_and(|s| s.chars().count() > Translation::MAX_SUMMARY) {
            errors.push(err("summary_en", "Tóm tắt tiếng Anh tối đa 2000 ký tự."));
        }
    }
    if p.documents.iter().any(|d| d.name.trim().is_empty()) {
        errors.push(err("documents", "Mỗi giấy tờ trong thành phần hồ sơ cần có tên."));
    }
    // A template is one uploaded here, or an official one on an https site.
    let template_ok = |t: &str| {
        t.strip_prefix("/api/templates/").is_some_and(super::template::Template::id_ok) || (t.starts_with("https://") && t.len() <= 500)
    };
    if p.documents.iter().filter_map(|d| d.template.as_deref()).any(|t| !template_ok(t)) {
        errors.push(err("documents", "Mẫu đơn phải là tệp đã tải lên hệ thống hoặc một địa chỉ https."));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    p.field = field_id(&p.field_name);
    // Rendered by the worker when served; a draft's own would be HTML from the client.
    p.versions_html = None;
    p.decision = Some(publication.decision.label());
    p.effective_date = Some(publication.decision.effective_from);
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{OnlineLevel, RequiredDocument};

    fn day(s: &str) -> NaiveDate {
        crate::date::parse_iso(s).unwrap()
    }

    fn meta(version: u32, from: &str) -> VersionMeta {
        VersionMeta { version, effective_from: Some(day(from)), decision: format!("QĐ {version}"), repealed: false }
    }

    #[test]
    fn the_version_in_force_is_the_latest_effective_one() {
        let versions = [meta(1, "2019-01-01"), meta(2, "2026-12-01"), meta(3, "2026-11-28")];
        assert_eq!(in_force(&versions, day("2018-12-31")), None, "nothing before the first");
        let undated = VersionMeta { effective_from: None, ..meta(1, "2019-01-01") };
        assert_eq!(in_force(std::slice::from_ref(&undated), day("1990-01-01")), Some(&undated), "undated: always in force");
        assert_eq!(in_force(&versions, day("2019-01-01")).unwrap().version, 1);
        assert_eq!(in_force(&versions, day("2026-11-27")).unwrap().version, 1);
        assert_eq!(in_force(&versions, day("2026-11-28")).unwrap().version, 3, "on its effective day");
        assert_eq!(in_force(&versions, day("2026-11-30")).unwrap().version, 3);
        // Version 2 was published first but takes effect later: it replaces 3 on its day.
        assert_eq!(in_force(&versions, day("2026-12-01")).unwrap().version, 2);
    }

    #[test]
    fn a_later_scheduled_version_is_found_for_the_warning() {
        let versions = [meta(1, "2019-01-01"), meta(2, "2026-12-01"), meta(3, "2026-11-30")];
        assert_eq!(scheduled_after(&versions, day("2026-11-27")).map(|v| v.version), Some(3), "the first to take effect");
        assert_eq!(scheduled_after(&versions, day("2026-12-01")), None);
    }

    #[test]
    fn of_two_versions_effective_the_same_day_the_later_publication_wins() {
        let versions = [meta(1, "2019-01-01"), meta(2, "2026-12-01"), meta(4, "2026-12-01"), meta(3, "2026-12-01")];
        assert_eq!(in_force(&versions, day("2026-12-01")).unwrap().version, 4);
    }

    fn procedure() -> Procedure {
        serde_json::from_value(serde_json::json!({
            "id": "1.000001", "code": "1.000001", "name": "Cấp giấy phép thử", "field": "viec-lam",
            "field_name": "Việc làm", "agency": "SNV", "agency_name": "Sở Nội vụ",
            "implementing_body": null, "online": "full", "days_in_person": 10, "days_online": 10,
            "days_statutory": null, "fees": null, "documents": [], "how_to_submit": null,
            "result": null, "applicants": null, "conditions": null, "legal_basis": null,
            "flow": "three_step", "delegated": false, "decision": "QĐ cũ", "effective_date": null,
            "internal_process": [], "source": "test", "note": null
        }))
        .unwrap()
    }

    #[test]
    fn diff_names_each_changed_attribute_with_both_texts() {
        let before = procedure();
        let mut after = before.clone();
        after.days_in_person = Some(7);
        after.documents.push(RequiredDocument { name: "Tờ khai".into(), original: Some(true), count: Some(1), template: None, mandatory: true });
        after.decision = Some("QĐ mới".into());
        let changes = diff(&before, &after);
        assert_eq!(
            changes,
            vec![
                Change {
                    label: "Thời hạn giải quyết (nộp trực tiếp)".into(),
                    before: Some("10 ngày làm việc".into()),
                    after: Some("7 ngày làm việc".into())
                },
                Change { label: "Thành phần hồ sơ".into(), before: None, after: Some("Tờ khai (bản chính)".into()) },
            ],
            "the decision itself is not a change of the record"
        );
        assert!(diff(&before, &before).is_empty());
    }

    fn publication(from: &str) -> Publication {
        Publication {
            procedure: procedure(),
            decision: Decision { number: "1234/QĐ-UBND".into(), date: day("2026-11-20"), effective_from: day(from) },
            form: None,
        }
    }

    #[test]
    fn a_publication_takes_its_decision_and_normalises_the_field() {
        let mut pb = publication("2026-11-28");
        pb.procedure.field_name = " Bảo trợ xã hội ".into();
        pb.procedure.versions_html = Some("<script>alert(1)</script>".into());
        let p = prepare(&pb, day("2026-11-27")).unwrap();
        assert_eq!(p.versions_html, None, "never stored from a draft");
        assert_eq!(p.decision.as_deref(), Some("1234/QĐ-UBND ngày 20/11/2026"));
        assert_eq!(p.effective_date, Some(day("2026-11-28")));
        assert_eq!((p.field.as_str(), p.field_name.as_str()), ("bao-tro-xa-hoi", "Bảo trợ xã hội"));
    }

    #[test]
    fn bad_drafts_are_refused_field_by_field() {
        let fields = |pb: &Publication| -> Vec<String> {
            prepare(pb, day("2026-11-27")).unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(&publication("2026-11-26")), ["effective_from"], "no retroactive versions");
        let mut pb = publication("2026-11-27");
        pb.decision.date = day("2026-11-28");
        pb.decision.number = " ".into();
        assert_eq!(fields(&pb), ["decision_number", "decision_date"]);
        let mut pb = publication("2026-11-27");
        pb.procedure.id = "1.000001; DROP".into();
        pb.procedure.name = String::new();
        pb.procedure.days_in_person = Some(0);
        pb.procedure.days_online = Some(400);
        assert_eq!(fields(&pb), ["id", "name", "days_in_person", "days_online"]);
        // An online procedure whose time is not published is faithful data (it just cannot
        // take online dossiers until the time is known): accepted.
        let mut pb = publication("2026-11-27");
        pb.procedure.days_online = None;
        pb.procedure.online = Some(OnlineLevel::Partial);
        assert!(prepare(&pb, day("2026-11-27")).is_ok());
        let mut pb = publication("2026-11-27");
        pb.procedure.id = "1.000002".into();
        assert_eq!(fields(&pb), ["id"], "the key and the national code agree");
        let mut pb = publication("2026-11-27");
        let doc = |template: &str| RequiredDocument {
            name: "Tờ khai".into(),
            original: None,
            count: None,
            template: Some(template.into()),
            mandatory: true,
        };
        pb.procedure.documents = vec![doc("/api/templates/0123456789abcdef0123456789abcdef"), doc("https://dichvucong.gov.vn/mau.docx")];
        assert!(prepare(&pb, day("2026-11-27")).is_ok());
        pb.procedure.documents.push(doc("javascript:alert(1)"));
        assert_eq!(fields(&pb), ["documents"], "no script links on the public page");
    }
}
