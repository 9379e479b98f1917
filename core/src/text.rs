//! Vietnamese text folding and the full-text query built from what a user types.
//!
//! Users type without tone marks ("giay phep lao dong"), in capitals, or with "d" for "đ".
//! The index stores folded text and the query is folded the same way, here, so the two can
//! never disagree. SQLite's `remove_diacritics` alone is not enough: "đ" (U+0111) has no
//! canonical decomposition and would never match "d".

use unicode_normalization::UnicodeNormalization;

/// Lower-case, tone-mark-free, `đ`→`d` form of `s`; everything else kept as is.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

// The marks NFD splits off Vietnamese letters all sit in the combining diacritical block.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// A cell of a CSV export as a spreadsheet may open it: text beginning with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be read as a formula (an applicant's name typed as
/// `=HYPERLINK(…)`), so it gets a leading apostrophe, which spreadsheets show as text (OWASP,
/// "CSV Injection").
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}").into() } else { s.into() }
}

/// A non-negative amount given in hundredths, with the language's decimal mark: "0,25" / "0.25".
pub fn decimal(hundredths: u64, lang: crate::i18n::Lang) -> String {
    let vi = decimal_vi(hundredths);
    if lang == crate::i18n::Lang::En { vi.replace(',', ".") } else { vi }
}

/// A non-negative amount given in hundredths, written the Vietnamese way: "0,25", "69,4", "7".
/// Integer arithmetic only: the app ships no float formatting for this.
pub fn decimal_vi(hundredths: u64) -> String {
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole},{}", f / 10),
        f => format!("{whole},{f:02}"),
    }
}

/// A count written the Vietnamese way, thousands grouped with dots: "7.599", "1.000.000".
pub fn integer_vi(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The longest query we accept: enough for any procedure name, small enough to bound work.
pub const MAX_QUERY_CHARS: usize = 200;

/// Words of a query beyond these are ignored: every word is a prefix expansion in the index,
/// and no procedure name needs more to be found.
pub const MAX_QUERY_TERMS: usize = 12;

/// A search as the FTS5 index understands it: every word of the user's text must start a word
/// of the record (prefix match), in any order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtsQuery {
    terms: Vec<String>,
}

impl FtsQuery {
    /// `None` when the text holds no searchable word (empty, only punctuation).
    pub fn parse(raw: &str) -> Option<Self> {
        let folded = fold(raw);
        let terms: Vec<String> = folded
            .split_whitespace()
            .filter_map(|chunk| {
                // A chunk such as "1.014199" or "lao-dong" becomes a quoted phrase of its parts,
                // so codes match as written; quotes are the only FTS5 syntax we must neutralise.
                let mut parts: Vec<&str> = chunk
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|p| !p.is_empty())
                    .collect();
                // A code with a province's suffix ("1.014199.h05") is the national code.
                if parts.len() == 3 && parts[0].len() == 1 && parts[1].len() == 6 && parts[..2].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
                    parts.truncate(2);
                }
                (!parts.is_empty()).then(|| format!("\"{}\"*", parts.join(" ")))
            })
            .take(MAX_QUERY_TERMS)
            .collect();
        (!terms.is_empty()).then_some(FtsQuery { terms })
    }

    /// The expression over every indexed column.
    pub fn as_str(&self) -> String {
        self.terms.join(" ")
    }

    /// The whole text as one phrase in one column (`name : "tro cap"*`): records whose name
    /// holds the words in this order rank first.
    pub fn phrase_in_column(&self, column: &str) -> String {
        let words: Vec<&str> = self.terms.iter().map(|t| t.trim_end_matches('*').trim_matches('"')).collect();
        format!("{column} : \"{}\"*", words.join(" "))
    }

    /// The same expression restricted to one column, e.g. `name`: ranking puts records whose
    /// name holds every word before those that match only elsewhere.
    pub fn in_column(&self, column: &str) -> String {
        self.terms.iter().map(|t| format!("{column} : {t}")).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_never_start_a_formula() {
        for (cell, want) in [("=1+2", "'=1+2"), ("+84", "'+84"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx")] {
            assert_eq!(csv_cell(cell), want);
        }
        for plain in ["Nguyễn Văn An", "12/QĐ-SNV", "", "a=b"] {
            assert_eq!(csv_cell(plain), plain);
        }
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_tones_case_and_d_bar() {
        assert_eq!(fold("Giấy phép lao động"), "giay phep lao dong");
        assert_eq!(fold("GIẤY PHÉP"), "giay phep");
        assert_eq!(fold("Đăng ký"), "dang ky");
        assert_eq!(fold("Người có công"), "nguoi co cong");
        assert_eq!(fold("Ưu đãi, trợ cấp"), "uu dai, tro cap");
    }

    #[test]
    fn decimals_the_vietnamese_way() {
        assert_eq!(decimal_vi(0), "0");
        assert_eq!(decimal_vi(25), "0,25");
        assert_eq!(decimal_vi(50), "0,5");
        assert_eq!(decimal_vi(6940), "69,4");
        assert_eq!(decimal_vi(700), "7");
        assert_eq!(decimal_vi(105), "1,05");
    }

    #[test]
    fn accented_and_plain_queries_are_the_same_query() {
        let a = FtsQuery::parse("giấy phép lao động").unwrap();
        let b = FtsQuery::parse("giay phep lao dong").unwrap();
        let c = FtsQuery::parse("  GIAY   Phep LAO ĐỘNG ").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a.as_str(), r#""giay"* "phep"* "lao"* "dong"*"#);
    }

    #[test]
    fn codes_become_phrases() {
        assert_eq!(FtsQuery::parse("1.014199").unwrap().as_str(), r#""1 014199"*"#);
    }

    #[test]
    fn phrases_and_suffixed_codes() {
        assert_eq!(FtsQuery::parse("trợ cấp").unwrap().phrase_in_column("name"), r#"name : "tro cap"*"#);
        assert_eq!(FtsQuery::parse("1.014199.H05").unwrap(), FtsQuery::parse("1.014199").unwrap());
    }

    #[test]
    fn column_filter_applies_to_every_term() {
        let q = FtsQuery::parse("lao động 1.014199").unwrap();
        assert_eq!(q.in_column("name"), r#"name : "lao"* name : "dong"* name : "1 014199"*"#);
    }

    #[test]
    fn long_queries_keep_their_first_words() {
        let q = FtsQuery::parse(&"a ".repeat(100)).unwrap();
        assert_eq!(q.as_str().matches('*').count(), MAX_QUERY_TERMS);
    }

    #[test]
    fn nothing_searchable_gives_none() {
        assert_eq!(FtsQuery::parse(""), None);
        assert_eq!(FtsQuery::parse("  ... !! "), None);
    }

    #[test]
    fn fts_syntax_cannot_be_injected() {
        let q = FtsQuery::parse(r#"lao" OR "x NEAR(a b) *"#).unwrap();
        // Every term is quoted: outside the quotes only prefix stars and spaces remain.
        let text = q.as_str();
        let outside: String = text.split('"').step_by(2).collect();
        assert!(outside.chars().all(|c| c == '*' || c == ' '), "{outside}");
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn every_term_is_one_balanced_quoted_prefix(s in "\\PC{0,60}") {
            if let Some(q) = FtsQuery::parse(&s) {
                prop_assert_eq!(q.as_str().matches('"').count() % 2, 0);
                prop_assert!(q.as_str().ends_with('*'));
            }
        }
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, text) in [(0, "0"), (54, "54"), (999, "999"), (7599, "7.599"), (100_000, "100.000"), (1_000_000, "1.000.000")] {
            assert_eq!(integer_vi(n), text);
        }
    }

}
