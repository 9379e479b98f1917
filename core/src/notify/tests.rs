use chrono::NaiveDate;
use crate::i18n::Lang;

use super::*;
use crate::calendar::{Calendar, Term};
use crate::accounts::Role;
use crate::workflow::tests::{procedure, staff};
use crate::workflow::transition::{apply, receive, Actor, Command, Reception, Rules};
use crate::workflow::ActionRequest;

fn at(d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

fn received() -> Transition {
    let p = procedure(&[]);
    let code = DossierCode::new("SNV", at(1, 8).date(), 12).unwrap();
    let r = Reception { code, procedure: &p, procedure_version: 1, term: Term::working_days(10), applicant_name: "Nguyễn Văn <An>".into(), documents: vec![], papers: vec![], lang: crate::i18n::Lang::Vi };
    receive(r, None, at(1, 8), &Calendar::default())
}

#[test]
fn the_receipt_names_the_code_the_dates_and_the_tracking_link() {
    let t = received();
    let notices = Notice::of(&t);
    assert_eq!(notices.len(), 1);
    let m = message(&notices[0], "https://dvc.example", "https://dvc.example/x");
    assert_eq!(m.subject, "[SNV-261201-0012] Đã nhận hồ sơ");
    // Ten working days from Tuesday 1 Dec 2026, 08:00.
    assert!(m.text.contains("Ngày hẹn trả kết quả dự kiến: 08:00 ngày 15/12/2026."), "{}", m.text);
    assert!(m.text.contains("https://dvc.example/ho-so/SNV-261201-0012"));
    assert!(m.text.contains("Ngừng nhận thư về hồ sơ này: https://dvc.example/x"));
    // The name is escaped in HTML, as is everything the applicant or an officer typed.
    assert!(m.html.contains("Nguyễn Văn &lt;An&gt;") && !m.html.contains("<An>"));
    assert!(m.html.starts_with("<!doctype html><html lang=\"vi\">"));
}

#[test]
fn a_supplement_request_says_what_is_missing_and_how_to_answer() {
    let mut t = received();
    let cal = Calendar::default();
    let mut p = procedure(&[]);
    p.documents = vec![crate::catalogue::RequiredDocument { name: "Giấy khám sức khỏe".into(), original: None, count: None, template: None, mandatory: true }];
    let sign = |_: &str| String::new();
    let rules = Rules { calendar: &cal, procedure: Some(&p), sign: &sign, result_file: None };
    let reception = staff(&[Role::Reception], false);
    let ask = ActionRequest {
        action: crate::workflow::Action::RequestSupplement,
        version: 1,
        comment: "Giấy khám đã quá 6 tháng".into(),
        missing: vec![0],
        new_due: None,
        result_number: String::new(),
        result_date: None,
        result_upload: None,
        by_post: false,
    };
    t = apply(&t.dossier, Command::Staff(ask), Actor::Staff(&reception), at(2, 9), &rules).unwrap();
    let n = &Notice::of(&t)[0];
    assert_eq!((n.kind, n.missing.clone()), (NoticeKind::SupplementRequested, vec!["Giấy khám sức khỏe".to_owned()]));
    let m = message(n, "https://dvc.example", "u");
    assert!(m.text.contains("Lý do: Giấy khám đã quá 6 tháng"), "{}", m.text);
    assert!(m.text.contains("Cần bổ sung: Giấy khám sức khỏe."));
    assert!(m.text.contains("Gửi bổ sung"));
}

#[test]
fn a_digest_sorts_what_is_overdue_due_today_and_next() {
    let line = |code: &str, due| DigestLine { code: code.into(), procedure_name: "Cấp giấy phép".into(), due };
    let now = at(7, 7);
    let d = Digest::of("Trần Thẩm", now, at(8, 0).date(), vec![line("A", at(4, 17)), line("B", at(7, 17)), line("C", at(8, 11)), line("D", at(14, 17))]).unwrap();
    let codes = |l: &Vec<DigestLine>| l.iter().map(|x| x.code.clone()).collect::<Vec<_>>();
    assert_eq!((codes(&d.overdue), codes(&d.today), codes(&d.next)), (vec!["A".to_owned()], vec!["B".to_owned()], vec!["C".to_owned()]));
    let m = d.message("https://dvc.example");
    assert_eq!(m.subject, "Hồ sơ cần xử lý — Thứ Hai, 07/12/2026");
    assert!(m.text.contains("https://dvc.example/can-bo/ho-so/A") && !m.text.contains("/D"));
    assert!(Digest::of("X", now, at(8, 0).date(), vec![line("D", at(14, 17))]).is_none(), "nothing to say, no mail");
}

#[test]
fn an_applicant_who_chose_english_gets_english_e_mails() {
    let mut t = received();
    t.dossier.lang = Lang::En;
    let n = &Notice::of(&t)[0];
    assert_eq!(n.lang, Lang::En);
    let m = message(n, "https://dvc.example", "https://dvc.example/x");
    assert_eq!(m.subject, "[SNV-261201-0012] Application received");
    assert!(m.text.starts_with("Dear Nguyễn Văn <An>,"), "{}", m.text);
    assert!(m.text.contains("The result is expected by 15 Dec 2026, 08:00."), "{}", m.text);
    assert!(m.text.contains("Status: Submitted, waiting to be received"), "{}", m.text);
    assert!(m.html.starts_with("<!doctype html><html lang=\"en\">"));
    // A notice queued before the language was recorded reads as Vietnamese.
    let json = serde_json::to_string(n).unwrap().replace(",\"lang\":\"en\"", "");
    let old: Notice = serde_json::from_str(&json).unwrap();
    assert_eq!(message(&old, "https://dvc.example", "x").subject, "[SNV-261201-0012] Đã nhận hồ sơ");
    let r = recovery_message("SNV-261201-0012", "Thủ tục", "Lan", "https://dvc.example/ho-so/SNV-261201-0012#ma=abc", Lang::En);
    assert!(r.text.contains("application SNV-261201-0012 (Thủ tục): https://dvc.example/ho-so/SNV-261201-0012#ma=abc"), "{}", r.text);
}
