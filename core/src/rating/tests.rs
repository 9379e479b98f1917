use super::*;
use crate::workflow::Phase;
use crate::dossier::DossierStatus;
use crate::duration::WorkingDuration;
use chrono::NaiveDateTime;

fn at(d: u32) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap().and_hms_opt(9, 0, 0).unwrap()
}

fn event(action: Action, timeliness: Option<Timeliness>) -> Event {
    Event {
        version: 1,
        at: at(1),
        action,
        label: String::new(),
        phase: Phase::Appraise,
        from: None,
        to: DossierStatus::InProgress,
        actor: None,
        role: None,
        comment: None,
        facts: Default::default(),
        step_due: None,
        timeliness,
    }
}

const EARLY: Option<Timeliness> = Some(Timeliness::Early { by: WorkingDuration::ZERO });
const LATE: Option<Timeliness> = Some(Timeliness::Late { by: WorkingDuration::ZERO });

#[test]
fn computed_from_an_early_online_dossier() {
    let h = [event(Action::Submit, None), event(Action::Accept, EARLY), event(Action::PassOn, EARLY), event(Action::Return, EARLY)];
    let c = computed_scores(&h, true, true);
    assert_eq!(c, [Some(2), Some(2), None, None, Some(2), Some(2), None, None, Some(2)]);
}

#[test]
fn a_late_unit_and_an_on_time_return_at_the_desk() {
    let h = [
        event(Action::RegisterWalkIn, EARLY),
        event(Action::RequestSupplement, None),
        event(Action::AnswerSupplement, None),
        event(Action::PassOn, LATE),
        event(Action::Return, Some(Timeliness::OnTime)),
    ];
    let c = computed_scores(&h, false, true);
    assert_eq!(c[0], Some(1), "returned on the due day");
    assert_eq!(c[1], Some(0), "one unit was late");
    assert_eq!(c[8], Some(0), "not online");
    // Not returned (yet): no one-stop return, and the total counts as not met.
    let c = computed_scores(&h[..4], false, false);
    assert_eq!((c[0], c[4], c[5]), (Some(0), Some(0), Some(0)));
}

fn request() -> EvaluationRequest {
    EvaluationRequest {
        secret: "s".into(),
        contacts: 2,
        agencies: 1,
        attitude: 2,
        feedback: 0,
        ease: Satisfaction::Satisfied,
        overall: Satisfaction::VerySatisfied,
        comment: String::new(),
    }
}

#[test]
fn computed_indices_are_not_asked() {
    let computed = [Some(1), Some(0), None, None, Some(2), Some(2), None, None, Some(0)];
    // The request's own values for computed indices do not exist: only 3, 4, 7, 8 come from it.
    assert_eq!(request().scores(computed).unwrap(), [1, 0, 2, 1, 2, 2, 2, 0, 0]);
    let bad = EvaluationRequest { attitude: 3, comment: "x".repeat(1001), ..request() };
    let fields: Vec<String> = bad.scores(computed).unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["attitude", "comment"]);
}

#[test]
fn counters_round_trip_through_columns_and_sum() {
    let scores = [2, 2, 1, 0, 2, 2, 2, 2, 0];
    let e = Counters::of_evaluation(&scores, Satisfaction::Satisfied, Satisfaction::NotSatisfied);
    assert_eq!(Counters::from_columns(&e.to_columns()), Some(e.clone()));
    assert_eq!(e.to_columns().len(), COLUMNS.len());
    let s = Counters::of_survey(&SurveyRequest { simplified: true, fast: true, good: false, comment: String::new(), dossier: None, secret: None });
    assert_eq!((s.surveys, s.survey_all, s.survey_good), (1, 0, 0));
}

#[test]
fn the_report_sentence() {
    let from = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2019, 3, 31).unwrap();
    let c = Counters { surveys: 54, survey_all: 54, survey_simplified: 54, survey_fast: 54, survey_good: 54, ..Counters::default() };
    assert_eq!(
        c.summary(from, to).sentence,
        "54/54 phiếu khảo sát đánh giá thủ tục hành chính đơn giản, thời gian giải quyết nhanh, phong cách phục vụ tốt."
    );
    let mut c = Counters { evaluations: 1250, ..Counters::default() };
    c.overall = [1000, 199, 51];
    let s = c.summary(from, to);
    assert_eq!(s.satisfied_permille, Some(959));
    assert_eq!(s.sentence, "1.199/1.250 lượt đánh giá hồ sơ hài lòng hoặc rất hài lòng (95,9%).");
    assert_eq!(Counters::default().summary(from, to).sentence, "Chưa có phiếu khảo sát hay lượt đánh giá nào trong kỳ này.");
}

#[test]
fn the_report_sentence_in_english() {
    use crate::i18n::Lang::En;
    let from = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2019, 3, 31).unwrap();
    let mut c = Counters { surveys: 54, survey_all: 54, evaluations: 1250, ..Counters::default() };
    c.overall = [1000, 199, 51];
    assert_eq!(
        sentence(&c.summary(from, to), En),
        "54 of 54 survey forms found the procedures simple, handling fast and service good; 1,199 of 1,250 ratings satisfied or very satisfied (95.9%)."
    );
    assert_eq!(sentence(&Counters::default().summary(from, to), En), "No survey forms or ratings in this period yet.");
}

#[test]
fn index_averages() {
    let mut c = Counters::default();
    c.scores[0] = [1, 1, 2]; // one 0, one 1, two 2s
    let s = c.summary(at(1).date(), at(2).date());
    assert_eq!(s.indices[0].counts, [2, 1, 1]);
    assert_eq!(s.indices[0].average_x100, Some(125));
    assert_eq!(s.indices[1].average_x100, None);
}

#[test]
fn every_index_and_satisfaction_has_english_words() {
    use crate::i18n::Lang;
    for i in Index::ALL {
        assert!(i.label(Lang::En).is_ascii() && i.label(Lang::Vi) == i.label_vi(), "{i:?}");
        assert!(i.choices(Lang::En).iter().all(|c| c.is_ascii() && !c.is_empty()), "{i:?}");
        assert_eq!(i.choices(Lang::Vi), i.choices_vi());
    }
    for s in Satisfaction::ALL {
        assert!(s.label(Lang::En).is_ascii() && s.label(Lang::En) != s.label_vi());
    }
}
