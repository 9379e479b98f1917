//! Catalogue indicators as the 2019 report states them: procedures online at level 3 and above
//! against the 70% target, and procedures with shortened processing times.

use serde::{Deserialize, Serialize};

use crate::catalogue::{OnlineLevel, Procedure};

/// The province's target share of procedures online at level 3 and above.
pub const ONLINE_TARGET_PERCENT: u32 = 70;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LevelCounts {
    pub full: u32,
    pub partial: u32,
    pub offline: u32,
    /// The source publishes no online class.
    pub unknown: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueKpis {
    pub total: u32,
    pub by_level: LevelCounts,
    pub online_level3_plus: u32,
    /// Share at level 3+ in percent, one decimal.
    pub online_share_percent: f64,
    pub target_percent: u32,
    pub meets_target: bool,
    pub shortened: u32,
}

impl CatalogueKpis {
    pub fn from_counts(by_level: LevelCounts, shortened: u32) -> Self {
        let total = by_level.full + by_level.partial + by_level.offline + by_level.unknown;
        let online = by_level.full + by_level.partial;
        let share = if total == 0 { 0.0 } else { (online as f64 * 1000.0 / total as f64).round() / 10.0 };
        CatalogueKpis {
            total,
            by_level,
            online_level3_plus: online,
            online_share_percent: share,
            target_percent: ONLINE_TARGET_PERCENT,
            // Compare in integers: 70.0% must meet a 70% target without float doubt.
            meets_target: total > 0 && online * 100 >= ONLINE_TARGET_PERCENT * total,
            shortened,
        }
    }

    pub fn from_procedures<'a>(procs: impl IntoIterator<Item = &'a Procedure>) -> Self {
        let mut levels = LevelCounts::default();
        let mut shortened = 0;
        for p in procs {
            match p.online {
                Some(OnlineLevel::Full) => levels.full += 1,
                Some(OnlineLevel::Partial) => levels.partial += 1,
                Some(OnlineLevel::Offline) => levels.offline += 1,
                None => levels.unknown += 1,
            }
            shortened += u32::from(p.shortened());
        }
        CatalogueKpis::from_counts(levels, shortened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_and_target() {
        let k = CatalogueKpis::from_counts(LevelCounts { full: 50, partial: 6, offline: 0, unknown: 24 }, 3);
        assert_eq!(k.total, 80);
        assert_eq!(k.online_level3_plus, 56);
        assert_eq!(k.online_share_percent, 70.0);
        assert!(k.meets_target);
        let k = CatalogueKpis::from_counts(LevelCounts { full: 50, partial: 0, offline: 0, unknown: 22 }, 0);
        assert_eq!(k.online_share_percent, 69.4);
        assert!(!k.meets_target);
    }

    #[test]
    fn empty_catalogue_meets_nothing() {
        let k = CatalogueKpis::from_counts(LevelCounts::default(), 0);
        assert_eq!(k.online_share_percent, 0.0);
        assert!(!k.meets_target);
    }
}
