//! The deployment's province (`data/province.json`): configuration, not code. A second
//! province deploys the same build tools with its own file (and its own D1).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Province {
    /// As the pages say it after "tỉnh" ("Quảng Ninh").
    pub name: String,
    pub agencies: Vec<ProvinceAgency>,
}

/// A department of the province and the catalogue fields it handles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceAgency {
    pub code: String,
    pub name: String,
    pub fields: Vec<String>,
}

/// Why a province file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvinceError {
    NoName,
    NoAgency,
    /// An agency code that could not start a dossier code (core's `AgencyCode`).
    BadCode(String),
    /// A field given to two agencies: its procedures would have no single owner.
    FieldTwice(String),
}

impl Province {
    /// Checks what the catalogue and the dossier codes rely on.
    pub fn check(self) -> Result<Province, ProvinceError> {
        if self.name.trim().is_empty() {
            return Err(ProvinceError::NoName);
        }
        if self.agencies.is_empty() {
            return Err(ProvinceError::NoAgency);
        }
        let mut seen = std::collections::BTreeSet::new();
        for a in &self.agencies {
            if crate::catalogue::agency::AgencyCode::parse(&a.code).is_err() {
                return Err(ProvinceError::BadCode(a.code.clone()));
            }
            if let Some(f) = a.fields.iter().find(|f| !seen.insert(f.as_str())) {
                return Err(ProvinceError::FieldTwice(f.clone()));
            }
        }
        Ok(self)
    }

    /// The agency that handles `field`.
    pub fn agency_of(&self, field: &str) -> Option<&ProvinceAgency> {
        self.agencies.iter().find(|a| a.fields.iter().any(|f| f == field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency(code: &str, fields: &[&str]) -> ProvinceAgency {
        ProvinceAgency { code: code.into(), name: format!("Sở {code}"), fields: fields.iter().map(|f| f.to_string()).collect() }
    }

    fn province(agencies: Vec<ProvinceAgency>) -> Province {
        Province { name: "Quảng Ninh".into(), agencies }
    }

    #[test]
    fn each_field_goes_to_its_one_agency() {
        let p = province(vec![agency("SNV", &["Người có công", "Việc làm"]), agency("SYT", &["Trẻ em"])]).check().unwrap();
        assert_eq!(p.agency_of("Việc làm").map(|a| a.code.as_str()), Some("SNV"));
        assert_eq!(p.agency_of("Trẻ em").map(|a| a.code.as_str()), Some("SYT"));
        assert_eq!(p.agency_of("Hộ tịch"), None);
    }

    #[test]
    fn a_file_the_catalogue_cannot_use_is_refused() {
        assert_eq!(province(vec![agency("SNV", &["A"]), agency("SYT", &["A"])]).check(), Err(ProvinceError::FieldTwice("A".into())));
        assert_eq!(province(vec![agency("snv", &["A"])]).check(), Err(ProvinceError::BadCode("snv".into())));
        assert_eq!(province(vec![]).check(), Err(ProvinceError::NoAgency));
        assert_eq!(Province { name: " ".into(), agencies: vec![agency("SNV", &[])] }.check(), Err(ProvinceError::NoName));
    }

    #[test]
    fn the_shipped_province_file_is_usable() {
        let text = include_str!("../../data/province.json");
        let p: Province = serde_json::from_str(text).expect("data/province.json reads as a Province");
        let p = p.check().expect("data/province.json is consistent");
        assert!(p.agency_of("Người có công").is_some());
    }
}
