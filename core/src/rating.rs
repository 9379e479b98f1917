//! The citizen's evaluation of a dossier (nine indices, rules.md), the walk-in survey, and the
//! published summary of both.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Timeliness;
use crate::form::FieldError;
use crate::workflow::{Action, Event};

/// The nine indices of a dossier's evaluation, each scored 0, 1 or 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Index {
    /// (1) Total time against the statutory time.
    TotalTime,
    /// (2) Each unit's time against its share.
    UnitTime,
    /// (3) Contacts needed to complete the dossier.
    Contacts,
    /// (4) Agencies contacted.
    Agencies,
    /// (5) Handled at the one-stop office.
    OneStop,
    /// (6) The procedure is published.
    Published,
    /// (7) Staff attitude.
    Attitude,
    /// (8) Feedback and complaints handled on time.
    Feedback,
    /// (9) Online-service use.
    Online,
}

impl Index {
    pub const ALL: [Index; 9] = [
        Index::TotalTime,
        Index::UnitTime,
        Index::Contacts,
        Index::Agencies,
        Index::OneStop,
        Index::Published,
        Index::Attitude,
        Index::Feedback,
        Index::Online,
    ];

    pub fn label_vi(self) -> &'static str {
        match self {
            Index::TotalTime => "Tổng thời gian giải quyết so với quy định",
            Index::UnitTime => "Thời gian của từng bộ phận so với quy định",
            Index::Contacts => "Số lần phải liên hệ để hoàn thiện hồ sơ",
            Index::Agencies => "Số cơ quan phải liên hệ",
            Index::OneStop => "Hồ sơ được giải quyết qua bộ phận một cửa",
            Index::Published => "Thủ tục được công khai",
            Index::Attitude => "Thái độ của cán bộ",
            Index::Feedback => "Phản ánh, kiến nghị được xử lý đúng hạn",
            Index::Online => "Sử dụng dịch vụ công trực tuyến",
        }
    }

    /// Whether the system computes it from the dossier's own record (rules.md: computed, not
    /// asked).
    pub fn computed(self) -> bool {
        matches!(self, Index::TotalTime | Index::UnitTime | Index::OneStop | Index::Published | Index::Online)
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let en = match self {
            Index::TotalTime => "Total processing time against the rules",
            Index::UnitTime => "Each unit's time against the rules",
            Index::Contacts => "Times you had to get in touch to complete the application",
            Index::Agencies => "Agencies you had to get in touch with",
            Index::OneStop => "Handled through the one-stop desk",
            Index::Published => "The procedure is published",
            Index::Attitude => "The officers' attitude",
            Index::Feedback => "Complaints and suggestions handled on time",
            Index::Online => "Online public service used",
        };
        lang.pick(self.label_vi(), en)
    }

    /// `choices_vi` in `lang`.
    pub fn choices(self, lang: crate::i18n::Lang) -> [&'static str; 3] {
        let en = match self {
            Index::Contacts => ["Once", "Twice", "Three times or more"],
            Index::Agencies => ["1 agency", "2 agencies", "3 agencies or more"],
            Index::Attitude => ["Polite and helpful", "Ordinary", "Made things difficult"],
            Index::Feedback => ["No complaint needed, or handled on time", "Handled, but late", "Not handled"],
            _ => ["Met", "Partly met", "Not met"],
        };
        if lang == crate::i18n::Lang::En { en } else { self.choices_vi() }
    }

    /// What each score means, for the indices the citizen answers (score 2, 1, 0).
    pub fn choices_vi(self) -> [&'static str; 3] {
        match self {
            Index::Contacts => ["1 lần", "2 lần", "3 lần trở lên"],
            Index::Agencies => ["1 cơ quan", "2 cơ quan", "3 cơ quan trở lên"],
            Index::Attitude => ["Lịch sự, tận tình", "Bình thường", "Gây khó khăn, phiền hà"],
            Index::Feedback => ["Không phải phản ánh, hoặc được xử lý đúng hạn", "Được xử lý nhưng chậm", "Không được xử lý"],
            _ => ["Đạt", "Đạt một phần", "Không đạt"],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    VerySatisfied,
    Satisfied,
    NotSatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [Satisfaction::VerySatisfied, Satisfaction::Satisfied, Satisfaction::NotSatisfied];

    pub fn label_vi(self) -> &'static str {
        match self {
            Satisfaction::VerySatisfied => "Rất hài lòng",
            Satisfaction::Satisfied => "Hài lòng",
            Satisfaction::NotSatisfied => "Không hài lòng",
        }
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let en = match self {
            Satisfaction::VerySatisfied => "Very satisfied",
            Satisfaction::Satisfied => "Satisfied",
            Satisfaction::NotSatisfied => "Not satisfied",
        };
        lang.pick(self.label_vi(), en)
    }

    pub fn position(self) -> usize {
        Satisfaction::ALL.iter().position(|s| *s == self).expect("listed")
    }
}

/// Scores of the nine indices, in `Index::ALL` order.
pub type Scores = [u8; 9];

fn timeliness_score(t: Option<Timeliness>) -> Option<u8> {
    t.map(|t| match t {
        Timeliness::Early { .. } => 2,
        Timeliness::OnTime => 1,
        Timeliness::Late { .. } => 0,
    })
}

/// The indices the system knows from the dossier itself: (1) the return against the dossier's
/// due date (early 2, on time 1, late 0); (2) the worst hand-over of any unit; (5) handled
/// through the one-stop office (received and returned there: 2); (6) a published procedure (2
/// when it is in the catalogue); (9) submitted online (2) or at the desk (0). `None` for the
/// indices the citizen answers.
pub fn computed_scores(history: &[Event], online: bool, published: bool) -> [Option<u8>; 9] {
    let returned = history.iter().rev().find(|e| e.action == Action::Return);
    let total = returned.and_then(|e| timeliness_score(e.timeliness)).unwrap_or(0);
    let units = history.iter().filter_map(|e| timeliness_score(e.timeliness)).min().unwrap_or(total);
    let one_stop = if returned.is_some() { 2 } else { 0 };
    Index::ALL.map(|i| match i {
        Index::TotalTime => Some(total),
        Index::UnitTime => Some(units),
        Index::OneStop => Some(one_stop),
        Index::Published => Some(if published { 2 } else { 0 }),
        Index::Online => Some(if online { 2 } else { 0 }),
        _ => None,
    })
}

/// `POST /api/dossiers/{code}/evaluation`: the applicant's answers (proven like a lookup).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationRequest {
    /// The receipt's secret.
    pub secret: String,
    /// Scores of the asked indices (3, 4, 7, 8), 0–2 each.
    pub contacts: u8,
    pub agencies: u8,
    pub attitude: u8,
    pub feedback: u8,
    pub ease: Satisfaction,
    pub overall: Satisfaction,
    #[serde(default)]
    pub comment: String,
}

pub const MAX_RATING_COMMENT_CHARS: usize = 1000;

impl EvaluationRequest {
    /// The whole evaluation: computed indices from the record, the asked ones from the answers.
    pub fn scores(&self, computed: [Option<u8>; 9]) -> Result<Scores, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, v) in [("contacts", self.contacts), ("agencies", self.agencies), ("attitude", self.attitude), ("feedback", self.feedback)] {
            if v > 2 {
                errors.push(FieldError { field: field.into(), message: "Chọn một trong ba mức.".into() });
            }
        }
        if self.comment.trim().chars().count() > MAX_RATING_COMMENT_CHARS {
            errors.push(FieldError { field: "comment".into(), message: "Góp ý tối đa 1000 ký tự.".into() });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut i = 0;
        Ok(Index::ALL.map(|index| {
            let asked = match index {
                Index::Contacts => self.contacts,
                Index::Agencies => self.agencies,
                Index::Attitude => self.attitude,
                Index::Feedback => self.feedback,
                _ => 0,
            };
            let v = computed[i].unwrap_or(asked);
            i += 1;
            v
        }))
    }
}

/// A stored evaluation, as the applicant sees it after sending it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub code: String,
    #[serde(with = "crate::date::iso_datetime")]
    pub at: chrono::NaiveDateTime,
    pub scores: Scores,
    pub ease: Satisfaction,
    pub overall: Satisfaction,
    pub comment: String,
}

/// `POST /api/surveys`: the walk-in survey's three questions and a comment. From an enrolled
/// kiosk (its token in `X-Kiosk-Token`) or from a receipt's link (`dossier` + `secret`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyRequest {
    pub simplified: bool,
    pub fast: bool,
    pub good: bool,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub dossier: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
}

/// Surveys a kiosk may send in a window, and the window in minutes: a real queue of
/// respondents stays well below; a script does not.
pub const KIOSK_SURVEYS: u32 = 30;
pub const KIOSK_WINDOW_MINUTES: i64 = 10;

/// `POST /api/staff/kiosks`: an enrolled survey kiosk. The token is shown once; the kiosk keeps
/// it (the enrollment link `/khao-sat#token=…` carries it to the device).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskEnrollment {
    pub id: i64,
    pub name: String,
    pub token: String,
}

/// `GET /api/staff/kiosks`: an agency's survey kiosks; a revoked one's token is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kiosk {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub active: bool,
}

/// `GET /api/staff/ratings/officers`: per officer and per unit (the desk: reception,
/// appraisal, approval, result), the evaluated dossiers they handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerResults {
    pub officers: Vec<OfficerResult>,
    pub units: Vec<UnitResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResult {
    pub role: crate::accounts::Role,
    pub evaluations: u32,
    pub satisfied: u32,
    pub dossiers: Vec<String>,
}

/// One officer's evaluated dossiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerResult {
    pub username: String,
    pub name: Option<String>,
    pub evaluations: u32,
    /// Rated satisfied or very satisfied overall.
    pub satisfied: u32,
    pub dossiers: Vec<String>,
}

/// Counts of one question or index: how many answered each option.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexSummary {
    pub index: Option<Index>,
    pub label: String,
    /// Answers scored 2, 1 and 0.
    pub counts: [u32; 3],
    /// Average score × 100 (0–200), `None` without answers.
    pub average_x100: Option<u32>,
}

/// `GET /api/ratings/summary`: evaluations and surveys of a period, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingSummary {
    #[serde(with = "crate::date::iso")]
    pub from: NaiveDate,
    #[serde(with = "crate::date::iso")]
    pub to: NaiveDate,
    pub evaluations: u32,
    pub indices: Vec<IndexSummary>,
    /// Very satisfied, satisfied, not satisfied.
    pub ease: [u32; 3],
    pub overall: [u32; 3],
    /// Overall very satisfied or satisfied, percent (one decimal, × 10), `None` without any.
    pub satisfied_permille: Option<u32>,
    pub surveys: u32,
    pub survey_simplified: u32,
    pub survey_fast: u32,
    pub survey_good: u32,
    /// Surveys answering yes to all three questions.
    pub survey_all: u32,
    /// The report's own sentence, from the numbers.
    pub sentence: String,
}

/// Raw counters as stored per month, agency, field and procedure (summed over a period).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub evaluations: u32,
    /// Per index, answers scored 0, 1, 2.
    pub scores: [[u32; 3]; 9],
    pub ease: [u32; 3],
    pub overall: [u32; 3],
    pub surveys: u32,
    pub survey_simplified: u32,
    pub survey_fast: u32,
    pub survey_good: u32,
    pub survey_all: u32,
}

impl Counters {
    /// The counters of one evaluation.
    pub fn of_evaluation(scores: &Scores, ease: Satisfaction, overall: Satisfaction) -> Counters {
        let mut c = Counters { evaluations: 1, ..Counters::default() };
        for (i, s) in scores.iter().enumerate() {
            c.scores[i][usize::from(*s).min(2)] = 1;
        }
        c.ease[ease.position()] = 1;
        c.overall[overall.position()] = 1;
        c
    }

    /// The counters of one survey.
    pub fn of_survey(s: &SurveyRequest) -> Counters {
        Counters {
            surveys: 1,
            survey_simplified: u32::from(s.simplified),
            survey_fast: u32::from(s.fast),
            survey_good: u32::from(s.good),
            survey_all: u32::from(s.simplified && s.fast && s.good),
            ..Counters::default()
        }
    }

    /// In column order: evaluations, s1_0..s9_2, ease_0..2, overall_0..2, surveys,
    /// survey_simplified, survey_fast, survey_good, survey_all (the store's columns).
    pub fn to_columns(&self) -> Vec<u32> {
        let mut v = vec![self.evaluations];
        v.extend(self.scores.iter().flatten());
        v.extend(self.ease);
        v.extend(self.overall);
        v.extend([self.surveys, self.survey_simplified, self.survey_fast, self.survey_good, self.survey_all]);
        v
    }

    pub fn from_columns(v: &[u32]) -> Option<Counters> {
        if v.len() != COLUMNS.len() {
            return None;
        }
        let mut c = Counters { evaluations: v[0], ..Counters::default() };
        for i in 0..9 {
            c.scores[i] = [v[1 + i * 3], v[2 + i * 3], v[3 + i * 3]];
        }
        c.ease = [v[28], v[29], v[30]];
        c.overall = [v[31], v[32], v[33]];
        (c.surveys, c.survey_simplified, c.survey_fast, c.survey_good, c.survey_all) = (v[34], v[35], v[36], v[37], v[38]);
        Some(c)
    }

    pub fn summary(&self, from: NaiveDate, to: NaiveDate) -> RatingSummary {
        let indices = Index::ALL
            .iter()
            .zip(self.scores)
            .map(|(index, [zero, one, two])| {
                let n = zero + one + two;
                IndexSummary {
                    index: Some(*index),
                    label: index.label_vi().to_owned(),
                    counts: [two, one, zero],
                    average_x100: (n > 0).then(|| (200 * two + 100 * one) / n),
                }
            })
            .collect();
        let rated = self.overall.iter().sum::<u32>();
        let satisfied = self.overall[0] + self.overall[1];
        let mut summary = RatingSummary {
            from,
            to,
            evaluations: self.evaluations,
            indices,
            ease: self.ease,
            overall: self.overall,
            satisfied_permille: (rated > 0).then(|| satisfied * 1000 / rated),
            surveys: self.surveys,
            survey_simplified: self.survey_simplified,
            survey_fast: self.survey_fast,
            survey_good: self.survey_good,
            survey_all: self.survey_all,
            sentence: String::new(),
        };
        summary.sentence = sentence(&summary, crate::i18n::Lang::Vi);
        summary
    }
}

/// The store's counter columns, in `Counters::to_columns` order.
pub const COLUMNS: [&str; 39] = [
    "evaluations",
    "s1_0", "s1_1", "s1_2", "s2_0", "s2_1", "s2_2", "s3_0", "s3_1", "s3_2",
    "s4_0", "s4_1", "s4_2", "s5_0", "s5_1", "s5_2", "s6_0", "s6_1", "s6_2",
    "s7_0", "s7_1", "s7_2", "s8_0", "s8_1", "s8_2", "s9_0", "s9_1", "s9_2",
    "ease_0", "ease_1", "ease_2", "overall_0", "overall_1", "overall_2",
    "surveys", "survey_simplified", "survey_fast", "survey_good", "survey_all",
];

/// "54/54 phiếu khảo sát đánh giá thủ tục hành chính đơn giản, thời gian giải quyết nhanh,
/// phong cách phục vụ tốt; 120/125 lượt đánh giá hồ sơ hài lòng (96,0%)." In English: "54 of 54
/// survey forms found the procedures simple, handling fast and service good; 120 of 125 ratings
/// satisfied or very satisfied (96.0%)."
pub fn sentence(s: &RatingSummary, lang: crate::i18n::Lang) -> String {
    let en = lang == crate::i18n::Lang::En;
    let int = |n: u32| {
        let vi = crate::text::integer_vi(u64::from(n));
        if en { vi.replace('.', ",") } else { vi }
    };
    let mut parts = Vec::new();
    if s.surveys > 0 {
        let (all, of) = (int(s.survey_all), int(s.surveys));
        parts.push(if en {
            format!("{all} of {of} survey forms found the procedures simple, handling fast and service good")
        } else {
            format!("{all}/{of} phiếu khảo sát đánh giá thủ tục hành chính đơn giản, thời gian giải quyết nhanh, phong cách phục vụ tốt")
        });
    }
    if let Some(p) = s.satisfied_permille {
        let rated: u32 = s.overall.iter().sum();
        let (yes, of) = (int(s.overall[0] + s.overall[1]), int(rated));
        let (whole, tenth) = (p / 10, p % 10);
        parts.push(if en {
            format!("{yes} of {of} ratings satisfied or very satisfied ({whole}.{tenth}%)")
        } else {
            format!("{yes}/{of} lượt đánh giá hồ sơ hài lòng hoặc rất hài lòng ({whole},{tenth}%)")
        });
    }
    if parts.is_empty() {
        return lang.pick("Chưa có phiếu khảo sát hay lượt đánh giá nào trong kỳ này.", "No survey forms or ratings in this period yet.").into();
    }
    let mut text = parts.join("; ");
    text.push('.');
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or(text)
}

#[cfg(test)]
mod tests;
