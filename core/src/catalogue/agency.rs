//! Agencies (cơ quan): their codes, which dossier codes carry, and the 2025 kind of change — a
//! department merged into another, its procedures moving by a decision while dossiers already
//! received stay with the agency that received them.

use serde::{Deserialize, Serialize};

use super::version::Decision;
use super::Procedure;
use crate::form::FieldError;
use crate::accounts::{NewAccount, Role, Username};

/// 2–10 capital letters or digits, starting with a letter: `SNV`, `SYT`, `SGDDT`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mã cơ quan {0:?} không hợp lệ: 2–10 chữ in hoa hoặc chữ số, bắt đầu bằng chữ (ví dụ SNV)")]
pub struct InvalidAgencyCode(pub String);

impl AgencyCode {
    pub fn parse(s: &str) -> Result<Self, InvalidAgencyCode> {
        let ok = (2..=10).contains(&s.len())
            && s.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
            && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if ok { Ok(AgencyCode(s.to_owned())) } else { Err(InvalidAgencyCode(s.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(AgencyCode, InvalidAgencyCode);

fn name_error(name: &str) -> Option<FieldError> {
    let n = name.trim().chars().count();
    (!(3..=200).contains(&n)).then(|| FieldError { field: "name".into(), message: "Tên cơ quan từ 3 đến 200 ký tự.".into() })
}

/// A new agency and its first admin, who then creates the agency's other accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAgency {
    pub code: String,
    pub name: String,
    pub first_admin: NewAccount,
}

impl NewAgency {
    /// The agency's code and its first admin's user name (lower case, as every sign-in
    /// compares it), or what is wrong field by field.
    pub fn check(&self) -> Result<(AgencyCode, Username), Vec<FieldError>> {
        let mut errors = Vec::new();
        let code = AgencyCode::parse(self.code.trim())
            .map_err(|e| errors.push(FieldError { field: "code".into(), message: e.to_string() }))
            .ok();
        errors.extend(name_error(&self.name));
        if self.first_admin.roles != [Role::Admin] {
            errors.push(FieldError { field: "roles".into(), message: "Tài khoản đầu tiên của cơ quan là quản trị viên.".into() });
        }
        let username = self.first_admin.check().map_err(|more| errors.extend(more)).ok();
        match (code, username) {
            (Some(c), Some(u)) if errors.is_empty() => Ok((c, u)),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rename {
    pub name: String,
}

impl Rename {
    pub fn check(&self) -> Result<String, Vec<FieldError>> {
        match name_error(&self.name) {
            Some(e) => Err(vec![e]),
            None => Ok(self.name.trim().to_owned()),
        }
    }
}

/// Merges the agency in the path into `into` under a decision: its procedures in force on the
/// effective day move there as new versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    pub into: String,
    pub decision: Decision,
}

impl Merge {
    /// The rules of a merge: a valid decision, a receiving agency that exists, is another one
    /// and is not merged itself, and a merging agency not merged already.
    pub fn check(&self, from: &AgencyAdmin, into: Option<&AgencyAdmin>, today: chrono::NaiveDate) -> Vec<FieldError> {
        let mut errors = self.decision.check(today);
        let bad = |m: &str| FieldError { field: "into".into(), message: m.into() };
        match into {
            None => errors.push(bad("Không có cơ quan nhận với mã này.")),
            Some(i) if i.code == from.code => errors.push(bad("Không thể hợp nhất một cơ quan vào chính nó.")),
            Some(i) if i.merged_into.is_some() => errors.push(bad("Cơ quan nhận đã được hợp nhất vào cơ quan khác.")),
            Some(_) => {}
        }
        if from.merged_into.is_some() {
            errors.push(FieldError { field: "code".into(), message: "Cơ quan này đã được hợp nhất.".into() });
        }
        errors
    }
}

/// An agency as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyAdmin {
    pub code: String,
    pub name: String,
    pub merged_into: Option<String>,
    #[serde(with = "crate::date::iso_opt")]
    pub merged_on: Option<chrono::NaiveDate>,
}

/// The records a merge publishes: each procedure of `from` in force, now of `into`.
pub fn moved(current: &[Procedure], from: &str, into: (&str, &str)) -> Vec<Procedure> {
    current
        .iter()
        .filter(|p| p.agency == from)
        .map(|p| Procedure { agency: into.0.to_owned(), agency_name: into.1.to_owned(), versions_html: None, ..p.clone() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_needs_another_unmerged_agency() {
        let day = |s: &str| crate::date::parse_iso(s).unwrap();
        let agency = |code: &str, merged: Option<&str>| AgencyAdmin {
            code: code.into(),
            name: code.into(),
            merged_into: merged.map(Into::into),
            merged_on: None,
        };
        let merge = Merge { into: "SNV".into(), decision: Decision { number: "1/QĐ".into(), date: day("2026-11-27"), effective_from: day("2026-11-27") } };
        let fields = |from: &AgencyAdmin, into: Option<&AgencyAdmin>| -> Vec<String> {
            merge.check(from, into, day("2026-11-27")).into_iter().map(|e| e.field).collect()
        };
        assert!(fields(&agency("SLD", None), Some(&agency("SNV", None))).is_empty());
        assert_eq!(fields(&agency("SNV", None), Some(&agency("SNV", None))), ["into"]);
        assert_eq!(fields(&agency("SLD", Some("SYT")), Some(&agency("SNV", Some("SYT")))), ["into", "code"]);
        assert_eq!(fields(&agency("SLD", None), None), ["into"]);
    }

    #[test]
    fn agency_codes() {
        for ok in ["SNV", "SGDDT", "S1", "SLDTBXH123"] {
            assert_eq!(AgencyCode::parse(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "S", "snv", "1SN", "S-NV", "SLDTBXH1234", "SNV "] {
            assert!(AgencyCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    fn admin() -> NewAccount {
        NewAccount {
            username: "qt.moi".into(),
            name: "Quản trị mới".into(),
            roles: vec![Role::Admin],
            delegated_approval: false,
            password: "mot-mat-khau-du-dai-2026".into(),
            email: None,
        }
    }

    #[test]
    fn a_new_agency_comes_with_an_admin_only() {
        let good = NewAgency { code: "SLD".into(), name: "Sở Lao động".into(), first_admin: admin() };
        let (code, admin_name) = good.check().unwrap();
        assert_eq!(code.as_str(), "SLD");
        assert_eq!(admin_name.as_str(), "qt.moi");
        let mut typed = good.clone();
        typed.first_admin.username = " Admin.SXD ".into();
        assert_eq!(typed.check().unwrap().1.as_str(), "admin.sxd", "stored as every sign-in compares it");
        let mut bad = good.clone();
        bad.code = "sld".into();
        bad.name = "S".into();
        bad.first_admin.roles = vec![Role::Admin, Role::Reception];
        let fields: Vec<String> = bad.check().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "name", "roles"]);
    }
}
