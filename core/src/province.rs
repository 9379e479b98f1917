//! The deployment's province (`data/province.json`): configuration, not code. A second
//! province deploys the same build tools with its own file (and its own D1).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Province {
    /// As the pages say it after "tỉnh" ("Quảng Ninh").
    pub name: String,
    /// The installed app's short name beside "Một cửa" ("QN"): a phone's home screen is narrow.
    pub short_name: String,
    /// Under every page: where people apply and ask (the centre, the national portal).
    pub contact: String,
    /// The header's mark, one to three characters ("1": một cửa, the one door).
    pub logo: String,
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
    /// A short name longer than a home screen shows (12 characters), or none.
    BadShortName,
    NoContact,
    /// A mark of no character or of more than three.
    BadLogo,
    NoAgency,
    /// An agency code that could not start a dossier code (core's `AgencyCode`).
    BadCode(String),
    /// A field given to two agencies: its procedures would have no single owner.
    FieldTwice(String),
    /// A field of the catalogue that no agency of the province handles.
    FieldUnowned(String),
}

impl Province {
    /// Checks what the catalogue and the dossier codes rely on.
    pub fn check(self) -> Result<Province, ProvinceError> {
        if self.name.trim().is_empty() {
            return Err(ProvinceError::NoName);
        }
        if self.short_name.trim().is_empty() || self.short_name.chars().count() > 12 {
            return Err(ProvinceError::BadShortName);
        }
        if self.contact.trim().is_empty() {
            return Err(ProvinceError::NoContact);
        }
        if !(1..=3).contains(&self.logo.trim().chars().count()) {
            return Err(ProvinceError::BadLogo);
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

    /// Gives `procedure` to the department that handles its field here: the catalogue of
    /// procedures is national, who handles each is the province's.
    pub fn assign(&self, procedure: &mut crate::catalogue::Procedure) -> Result<(), ProvinceError> {
        let agency = self.agency_of(&procedure.field_name).ok_or_else(|| ProvinceError::FieldUnowned(procedure.field_name.clone()))?;
        procedure.agency.clone_from(&agency.code);
        procedure.agency_name.clone_from(&agency.name);
        Ok(())
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
        named("Quảng Ninh", agencies)
    }

    fn named(name: &str, agencies: Vec<ProvinceAgency>) -> Province {
        Province { name: name.into(), short_name: "QN".into(), contact: "Trung tâm Phục vụ hành chính công tỉnh".into(), logo: "1".into(), agencies }
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
        assert_eq!(named(" ", vec![agency("SNV", &[])]).check(), Err(ProvinceError::NoName));
        let with = |f: fn(&mut Province)| {
            let mut p = province(vec![agency("SNV", &["A"])]);
            f(&mut p);
            p.check()
        };
        assert_eq!(with(|p| p.short_name = "Quảng Ninh mới xa".into()), Err(ProvinceError::BadShortName));
        assert_eq!(with(|p| p.contact = "".into()), Err(ProvinceError::NoContact));
        assert_eq!(with(|p| p.logo = "".into()), Err(ProvinceError::BadLogo));
        assert_eq!(with(|p| p.logo = "QNMC".into()), Err(ProvinceError::BadLogo));
        assert!(with(|p| p.logo = "QN".into()).is_ok());
    }

    #[test]
    fn a_dossier_code_routes_to_its_province() {
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
    fn the_shipped_province_files_are_usable_and_share_a_national_index() {
        let read = |text: &str| serde_json::from_str::<Province>(text).expect("reads as a Province").check().expect("consistent");
        let quang_ninh = read(include_str!("../../data/province.json"));
        let nghe_an = read(include_str!("../../data/provinces/nghe-an.json"));
        let national = National::new(vec![quang_ninh.clone(), nghe_an.clone()]).expect("no agency code in both");
        let code = |s: &str| crate::dossier::DossierCode::parse(s).unwrap();
        assert_eq!(national.route(&code("NASYT-261127-0001")).map(|p| p.name.as_str()), Some("Nghệ An"));
        assert_eq!(national.route(&code("SYT-261127-0001")).map(|p| p.name.as_str()), Some("Quảng Ninh"));

        // Every procedure of the shipped catalogue has its department in either province, and
        // the catalogue as shipped is Quảng Ninh's assignment.
        #[derive(serde::Deserialize)]
        struct File {
            procedures: Vec<crate::catalogue::Procedure>,
        }
        let file: File = serde_json::from_str(include_str!("../../data/catalogue.json")).unwrap();
        assert!(file.procedures.len() > 70);
        for shipped in &file.procedures {
            let mut here = shipped.clone();
            quang_ninh.assign(&mut here).unwrap();
            assert_eq!(&here, shipped, "{} as data/province.json assigns it", shipped.id);
            nghe_an.assign(&mut here).unwrap();
            assert!(here.agency.starts_with("NA") && here.agency_name.ends_with("Nghệ An"), "{}: {}", here.id, here.agency);
        }
        let mut stray = file.procedures[0].clone();
        stray.field_name = "Hộ tịch".into();
        assert_eq!(nghe_an.assign(&mut stray), Err(ProvinceError::FieldUnowned("Hộ tịch".into())));
    }
}
