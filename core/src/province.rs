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

/// Why a set of provinces cannot share one national index of dossier codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NationalError {
    /// Two provinces use the same agency code: codes beginning with it would have two homes.
    AgencyTwice(String),
    Province(ProvinceError),
}

/// A national deployment: one D1 per province, one index from agency code to province. A
/// dossier code begins with its agency's code (`DossierCode`), so it names its province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct National {
    provinces: Vec<Province>,
}

impl National {
    /// Checks each province, and that no agency code is used by two of them.
    pub fn new(provinces: Vec<Province>) -> Result<National, NationalError> {
        let mut seen = std::collections::BTreeSet::new();
        let mut checked = Vec::with_capacity(provinces.len());
        for p in provinces {
            let p = p.check().map_err(NationalError::Province)?;
            if let Some(a) = p.agencies.iter().find(|a| !seen.insert(a.code.clone())) {
                return Err(NationalError::AgencyTwice(a.code.clone()));
            }
            checked.push(p);
        }
        Ok(National { provinces: checked })
    }

    /// The province whose database holds `code`.
    pub fn route(&self, code: &crate::dossier::DossierCode) -> Option<&Province> {
        self.provinces.iter().find(|p| p.agencies.iter().any(|a| a.code == code.agency()))
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
    fn a_dossier_code_routes_to_its_province() {
        let named = |name: &str, agencies| Province { name: name.into(), agencies };
        let national = National::new(vec![
            named("Quảng Ninh", vec![agency("SNV", &["Việc làm"]), agency("SYT", &["Trẻ em"])]),
            named("Hải Phòng", vec![agency("HPSNV", &["Việc làm"])]),
        ])
        .unwrap();
        let code = |s: &str| crate::dossier::DossierCode::parse(s).unwrap();
        assert_eq!(national.route(&code("SYT-261127-0001")).map(|p| p.name.as_str()), Some("Quảng Ninh"));
        assert_eq!(national.route(&code("HPSNV-261127-0001")).map(|p| p.name.as_str()), Some("Hải Phòng"));
        assert_eq!(national.route(&code("SGDDT-261127-0001")), None);
        // One agency code in two provinces: refused, a code would have two homes.
        let twice = National::new(vec![named("A", vec![agency("SNV", &[])]), named("B", vec![agency("SNV", &[])])]);
        assert_eq!(twice, Err(NationalError::AgencyTwice("SNV".into())));
    }

    #[test]
    fn the_shipped_province_file_is_usable() {
        let text = include_str!("../../data/province.json");
        let p: Province = serde_json::from_str(text).expect("data/province.json reads as a Province");
        let p = p.check().expect("data/province.json is consistent");
        assert!(p.agency_of("Người có công").is_some());
    }
}
