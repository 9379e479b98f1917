//! The languages the service speaks: Vietnamese, the official one and the default, and English
//! for foreign workers and their employers. Texts are chosen at the edge (the worker for API
//! messages, the app for pages) from codes; each table is an exhaustive `match`, so a code
//! without its English text does not compile.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The BCP 47 tag, as `<html lang>` and `Content-Language` take it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The text in this language of a pair: every label table in core gives both texts in one
    /// arm, so an English text cannot be missing.
    #[inline]
    pub fn pick(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// The language an `Accept-Language` header prefers among ours (RFC 9110 §12.5.4: the
    /// highest weight wins, the earlier listed on a tie; `*` stands for any language not
    /// listed; names and parameters are case-insensitive); Vietnamese when it names neither.
    pub fn negotiate(header: &str) -> Lang {
        let header = header.to_ascii_lowercase();
        // (weight in thousandths, position in the header) per language, and for `*`.
        let (mut vi, mut en, mut any) = (None, None, None);
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let range = parts.next().unwrap_or_default().trim();
            let weight = parts.find_map(|p| p.trim().strip_prefix("q=").map(quality)).unwrap_or(1000);
            let slot = match range.split('-').next() {
                Some("vi") => &mut vi,
                Some("en") => &mut en,
                Some("*") => &mut any,
                _ => continue,
            };
            slot.get_or_insert((weight, position));
        }
        let (vi, en) = (vi.or(any), en.or(any));
        match (vi, en) {
            (Some((wv, pv)), Some((we, pe))) if we > 0 && (we > wv || (we == wv && pe < pv)) => Lang::En,
            (None, Some((we, _))) if we > 0 => Lang::En,
            _ => Lang::Vi,
        }
    }
}

/// `q=0.8` as thousandths (800); malformed weights count as 0, so the range is ignored.
fn quality(q: &str) -> u16 {
    let q = q.trim();
    let (int, frac) = q.split_once('.').unwrap_or((q, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let thousandths: u16 = format!("{frac:0<3}").parse().unwrap_or(0);
    match int {
        "1" if thousandths == 0 => 1000,
        "0" => thousandths,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preferred_of_our_languages_wins_and_vietnamese_is_the_default() {
        assert_eq!(Lang::negotiate(""), Lang::Vi);
        assert_eq!(Lang::negotiate("fr-FR, de;q=0.9"), Lang::Vi);
        assert_eq!(Lang::negotiate("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("EN"), Lang::En);
        assert_eq!(Lang::negotiate("vi-VN,vi;q=0.9,en;q=0.8"), Lang::Vi);
        assert_eq!(Lang::negotiate("vi;q=0.5, en;q=0.8"), Lang::En);
        assert_eq!(Lang::negotiate("en;q=0.8, vi;q=0.8"), Lang::En, "a tie goes to the first listed");
        assert_eq!(Lang::negotiate("en;q=0, vi;q=0.1"), Lang::Vi, "q=0 means not acceptable");
        assert_eq!(Lang::negotiate("en;q=0"), Lang::Vi);
        assert_eq!(Lang::negotiate("en;q=0, vi;q=0"), Lang::Vi, "neither acceptable: the default");
        assert_eq!(Lang::negotiate("en;q=abc"), Lang::Vi, "a malformed weight is ignored");
        assert_eq!(Lang::negotiate("de, en;q=1.0"), Lang::En);
        assert_eq!(Lang::negotiate("en;Q=0, vi;q=0.1"), Lang::Vi, "parameter names are case-insensitive");
        assert_eq!(Lang::negotiate("vi;q=0, *"), Lang::En, "the wildcard stands for English here");
        assert_eq!(Lang::negotiate("*"), Lang::Vi, "a tie under the wildcard keeps the default");
        assert_eq!(Lang::negotiate("en-US;q=0.5, *;q=0.9"), Lang::Vi);
    }

    #[test]
    fn tags_are_bcp47_and_serde_names_match() {
        for lang in [Lang::Vi, Lang::En] {
            assert_eq!(serde_json::to_string(&lang).unwrap(), format!("\"{}\"", lang.tag()));
        }
    }
}
