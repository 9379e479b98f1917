use super::*;
use crate::catalogue::{Procedure, ProcessStep};
use DossierStatus::*;
use Phase::*;

pub(crate) fn staff(roles: &[Role], delegated_approval: bool) -> Staff {
    Staff {
        username: crate::accounts::Username::parse("canbo").unwrap(),
        name: "Cán bộ".into(),
        agency: "SNV".into(),
        agency_name: "Sở Nội vụ".into(),
        roles: roles.to_vec(),
        delegated_approval,
        pending: None,
    }
}

pub(crate) const FLOWS: [Flow; 2] = [Flow::ThreeStep, Flow::FourStep];
pub(crate) const PHASES: [Phase; 4] = [Receive, Appraise, Approve, Return];

/// The whole rule, written out by hand from rules.md: (role, action, from, flows) → to.
pub(crate) fn expected(role: Role, action: Action, from: State, flow: Flow) -> Option<State> {
    let s = State::new;
    let both = [Flow::ThreeStep, Flow::FourStep];
    let four = [Flow::FourStep];
    let table: Vec<(Role, Action, State, &[Flow], State)> = vec![
        (Role::Reception, Action::Accept, s(New, Receive), &both, s(Received, Appraise)),
        (Role::Reception, Action::Refuse, s(New, Receive), &both, s(NotReceived, Receive)),
        (Role::Reception, Action::RequestSupplement, s(New, Receive), &both, s(SupplementRequested, Receive)),
        (Role::Specialist, Action::Refuse, s(Received, Appraise), &both, s(Stopped, Appraise)),
        (Role::Specialist, Action::Refuse, s(InProgress, Appraise), &both, s(Stopped, Appraise)),
        (Role::Specialist, Action::RequestSupplement, s(Received, Appraise), &both, s(SupplementRequested, Appraise)),
        (Role::Specialist, Action::RequestSupplement, s(InProgress, Appraise), &both, s(SupplementRequested, Appraise)),
        (Role::Specialist, Action::PassOn, s(Received, Appraise), &four, s(InProgress, Approve)),
        (Role::Specialist, Action::PassOn, s(InProgress, Appraise), &four, s(InProgress, Approve)),
        (Role::Specialist, Action::PassOn, s(Received, Appraise), &[Flow::ThreeStep], s(InProgress, Return)),
        (Role::Specialist, Action::PassOn, s(InProgress, Appraise), &[Flow::ThreeStep], s(InProgress, Return)),
        (Role::Specialist, Action::Apologize, s(Received, Appraise), &both, s(Received, Appraise)),
        (Role::Specialist, Action::Apologize, s(InProgress, Appraise), &both, s(InProgress, Appraise)),
        (Role::Approver, Action::SendBack, s(InProgress, Approve), &four, s(InProgress, Appraise)),
        (Role::Approver, Action::Approve, s(InProgress, Approve), &four, s(InProgress, Return)),
        (Role::Approver, Action::Apologize, s(InProgress, Approve), &four, s(InProgress, Approve)),
        (Role::ResultDesk, Action::RecordResult, s(InProgress, Return), &both, s(Finished, Return)),
        (Role::ResultDesk, Action::Return, s(Finished, Return), &both, s(Returned, Return)),
        (Role::ResultDesk, Action::Apologize, s(InProgress, Return), &both, s(InProgress, Return)),
    ];
    table.into_iter().find(|(r, a, f, flows, _)| *r == role && *a == action && *f == from && flows.contains(&flow)).map(|row| row.4)
}

#[test]
fn manager_and_admin_only_read() {
    for phase in PHASES {
        for status in DossierStatus::ALL {
            let st = State::new(status, phase);
            for flow in FLOWS {
                assert!(available(&staff(&[Role::Manager, Role::Admin], true), st, Handling { flow, delegated: false }).is_empty());
            }
        }
    }
}

#[test]
fn several_roles_add_up() {
    let both = staff(&[Role::Reception, Role::Specialist], false);
    let h = Handling { flow: Flow::FourStep, delegated: false };
    assert_eq!(available(&both, State::new(New, Receive), h), vec![Action::Accept, Action::Refuse, Action::RequestSupplement]);
    assert_eq!(
        available(&both, State::new(Received, Appraise), h),
        vec![Action::Refuse, Action::RequestSupplement, Action::PassOn, Action::Apologize]
    );
}

#[test]
fn supplement_answer_goes_back_where_it_was_asked() {
    assert_eq!(after_supplement(State::new(SupplementRequested, Receive)), Some(State::new(New, Receive)));
    assert_eq!(after_supplement(State::new(SupplementRequested, Appraise)), Some(State::new(InProgress, Appraise)));
    assert_eq!(after_supplement(State::new(InProgress, Appraise)), None);
}

#[test]
fn queues() {
    assert_eq!(queue(State::new(New, Receive)), Some(Role::Reception));
    assert_eq!(queue(State::new(Received, Appraise)), Some(Role::Specialist));
    assert_eq!(queue(State::new(InProgress, Approve)), Some(Role::Approver));
    assert_eq!(queue(State::new(Finished, Return)), Some(Role::ResultDesk));
    assert_eq!(queue(State::new(SupplementRequested, Appraise)), None);
    assert_eq!(queue(State::new(Returned, Return)), None);
    assert_eq!(queue(State::new(NotReceived, Receive)), None);
}

#[test]
fn a_step_is_overdue_only_while_a_desk_holds_the_dossier() {
    let (due, now) = (Some(at(3, 9)), at(3, 10));
    assert!(step_overdue(Some(Role::Specialist), due, now));
    assert!(!step_overdue(Some(Role::Specialist), due, at(3, 9)), "due at this instant is not yet late");
    assert!(!step_overdue(None, due, now), "waiting for the applicant, or closed");
    assert!(!step_overdue(Some(Role::Reception), None, now));
    assert_eq!(step_due(None, due), None);
}

fn at(d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

fn request(action: Action) -> ActionRequest {
    ActionRequest {
        action,
        version: 1,
        comment: String::new(),
        missing: vec![],
        new_due: None,
        result_number: String::new(),
        result_date: None,
        result_upload: None,
        by_post: false,
    }
}

fn fields(r: Result<(), Vec<FieldError>>) -> Vec<String> {
    r.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
}

#[test]
fn action_checks() {
    let received = at(1, 8).date();
    let (now, due) = (at(3, 9), at(10, 17));
    assert_eq!(fields(request(Action::Refuse).check(3, now, due, received)), ["comment"]);
    assert_eq!(fields(request(Action::Accept).check(3, now, due, received)), Vec::<String>::new());
    // Supplement: only published documents, and at least one when there are any.
    let mut sup = ActionRequest { comment: "Thiếu bản sao".into(), ..request(Action::RequestSupplement) };
    assert_eq!(fields(sup.check(3, now, due, received)), ["missing"]);
    sup.missing = vec![3];
    assert_eq!(fields(sup.check(3, now, due, received)), ["missing"]);
    sup.missing = vec![2];
    assert!(sup.check(3, now, due, received).is_ok());
    sup.missing = vec![];
    assert!(sup.check(0, now, due, received).is_ok(), "a procedure without a published list: the reason says it");
    // Apology: before the due instant, with a later date.
    let mut apology = ActionRequest { comment: "Cần xác minh thêm".into(), new_due: Some(at(10, 0).date()), ..request(Action::Apologize) };
    assert_eq!(fields(apology.check(0, now, due, received)), ["new_due"]);
    apology.new_due = Some(at(15, 0).date());
    assert!(apology.check(0, now, due, received).is_ok());
    assert_eq!(fields(apology.check(0, at(10, 18), due, received)), ["new_due"]);
    // Result: a number and a date between reception and today.
    let mut result = ActionRequest { result_number: "123/QĐ-SNV".into(), result_date: Some(at(4, 0).date()), ..request(Action::RecordResult) };
    assert_eq!(fields(result.check(0, now, due, received)), ["result_date"]);
    result.result_date = Some(at(2, 0).date());
    assert!(result.check(0, now, due, received).is_ok());
    result.result_number = " ".into();
    assert_eq!(fields(result.check(0, now, due, received)), ["result_number"]);
}

pub(crate) fn procedure(steps: &[(&str, Option<Allotment>)]) -> Procedure {
    Procedure {
        id: "1.001806".into(),
        code: None,
        name: "Thủ tục".into(),
        field: "bao-tro-xa-hoi".into(),
        field_name: "Bảo trợ xã hội".into(),
        agency: "SYT".into(),
        agency_name: "Sở Y tế".into(),
        implementing_body: None,
        online: None,
        days_in_person: Some(10),
        days_online: None,
        days_statutory: None,
        calendar_days: false,
        fees: None,
        documents: vec![],
        how_to_submit: None,
        result: None,
        applicants: None,
        conditions: None,
        legal_basis: None,
        flow: Some(Flow::FourStep),
        delegated: false,
        decision: None,
        effective_date: None,
        internal_process: steps
            .iter()
            .enumerate()
            .map(|(i, (who, a))| ProcessStep {
                case: None,
                order: i as u8 + 1,
                task: String::new(),
                responsible: (*who).into(),
                allotment_text: None,
                allotment: *a,
            })
            .collect(),
        source: String::new(),
        note: None,
        english: None,
        versions_html: None,
    }
}

fn days(tenths: u32) -> WorkingDuration {
    WorkingDuration::from_minutes(tenths * 48)
}

#[test]
fn published_process_grouped_into_phases() {
    let w = |tenths: u32| Some(Allotment::Working { minutes: tenths * 48 });
    // Cao Bằng QĐ 2022/QĐ-UBND, procedure 1.001806 (rules.md).
    let p = procedure(&[
        ("Bộ phận tiếp nhận và trả kết quả Sở Y tế tại TTPVHCC tỉnh", w(5)),
        ("Lãnh đạo Phòng Bảo trợ xã hội và Trẻ em", w(5)),
        ("Chuyên viên Phòng BTXH và Trẻ em", w(70)),
        ("Lãnh đạo Phòng BTXH và Trẻ em Sở Y tế", w(5)),
        ("Lãnh đạo Sở Y tế", w(10)),
        ("Bộ phận Văn thư Sở Y tế", w(5)),
        ("Bộ phận tiếp nhận và trả kết quả Sở Y tế tại TTPVHCC tỉnh", Some(Allotment::NotCounted)),
    ]);
    assert_eq!(
        phase_shares(&p.internal_process, days(100), Flow::FourStep),
        vec![(Receive, days(5)), (Appraise, days(80)), (Approve, days(10)), (Return, days(5))]
    );
    // In a 3-step flow the leader's step is part of appraisal; the clerical step stays last.
    assert_eq!(phase_shares(&p.internal_process, days(100), Flow::ThreeStep), vec![(Receive, days(5)), (Appraise, days(90)), (Return, days(5))]);
    // Through the provincial People's Committee: approval runs to its last step.
    let q = procedure(&[
        ("Bộ phận tiếp nhận và trả kết quả", w(5)),
        ("Chuyên viên Phòng BTXH và Trẻ em", w(20)),
        ("Lãnh đạo Sở Y tế", w(10)),
        ("Bộ phận Văn thư Sở Y tế", w(5)),
        ("Chuyên viên Phòng Khoa giáo - Văn xã", w(45)),
        ("Văn thư Văn phòng UBND tỉnh", w(5)),
    ]);
    assert_eq!(
        phase_shares(&q.internal_process, days(90), Flow::FourStep),
        vec![(Receive, days(5)), (Appraise, days(20)), (Approve, days(65)), (Return, days(0))]
    );
    // Allotments that do not add up to the time given: the default split.
    assert_eq!(phase_shares(&p.internal_process, days(120), Flow::FourStep), default_split(days(120), Flow::FourStep));
    assert_eq!(phase_shares(&procedure(&[]).internal_process, days(100), Flow::ThreeStep), default_split(days(100), Flow::ThreeStep));
}

#[test]
fn signed_message_v1_names_every_field_trimmed() {
    let code = DossierCode::parse("SNV-261127-0001").unwrap();
    let r = ResultRecord {
        version: 1,
        number: " 12/QĐ-SNV ".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        holder: "Nguyễn Văn An".into(),
        upload: None,
        file_sha256: None,
        signature: String::new(),
    };
    assert_eq!(r.signed_message(&code, "1.014199"), "motcua-result-v1\nSNV-261127-0001\n1.014199\n12/QĐ-SNV\n2026-12-03\nNguyễn Văn An");
    let old: ResultRecord = serde_json::from_str(r#"{"number":"1","date":"2026-12-03","holder":"An","signature":"ab"}"#).unwrap();
    assert_eq!(old.version, 1, "records signed before versions were stored");
}

#[test]
fn the_applicant_may_withdraw_until_the_result() {
    for status in DossierStatus::ALL {
        let open = matches!(status, New | Received | InProgress | SupplementRequested);
        assert_eq!(after_withdrawal(State::new(status, Appraise)).is_some(), open, "{status:?}");
    }
    assert_eq!(after_withdrawal(State::new(New, Receive)), Some(State::new(Withdrawn, Receive)));
    assert_eq!(queue(State::new(Withdrawn, Appraise)), None);
}

#[test]
fn a_result_signature_covers_every_field_and_no_separator_forges_another() {
    let code = DossierCode::new("SNV", NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), 7).unwrap();
    let record = |number: &str, holder: &str, file: Option<&str>, version: u8| ResultRecord {
        version,
        number: number.into(),
        date: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
        holder: holder.into(),
        upload: None,
        file_sha256: file.map(str::to_owned),
        signature: String::new(),
    };
    // Version 1 keeps its exact bytes, so results signed before still verify.
    assert_eq!(
        record("12/QĐ", "An", None, 1).signed_message(&code, "1.001"),
        format!("motcua-result-v1\n{}\n1.001\n12/QĐ\n2026-03-09\nAn", code.as_str())
    );
    // Version 1 could be fooled: a line break moved from one field to the next reads the same.
    let (a, b) = (record("12\n2026-03-09", "An", None, 1), record("12", "2026-03-09\nAn", None, 1));
    assert_eq!(a.signed_message(&code, "1.001"), b.signed_message(&code, "1.001"));
    let v2 = |n: &str, h: &str| record(n, h, None, 2).signed_message(&code, "1.001");
    assert_ne!(v2("12\n2026-03-09", "An"), v2("12", "2026-03-09\nAn"));
    assert_ne!(v2("1", "2:An"), v2("1\n2:", "An"));
    let v2 = record("12/QĐ", "An", Some("ab".repeat(32).as_str()), 2).signed_message(&code, "1.001");
    assert_eq!(v2, format!("motcua-result-v2\n{}:{}\n3:SNV\n5:1.001\n6:12/QĐ\n10:2026-03-09\n2:An\n64:{}", code.as_str().len(), code.as_str(), "ab".repeat(32)));
    assert_ne!(v2, record("12/QĐ", "An", Some("cd".repeat(32).as_str()), 2).signed_message(&code, "1.001"), "another file");
    assert_ne!(v2, record("12/QĐ", "An", Some("ab".repeat(32).as_str()), 2).signed_message(&code, "1.002"), "another procedure");
}

#[test]
fn default_split_sums_to_the_total() {
    for days in [1, 3, 5, 10, 25] {
        let total = WorkingDuration::from_days(days);
        for flow in [Flow::ThreeStep, Flow::FourStep] {
            let split = default_split(total, flow);
            let sum = split.iter().fold(WorkingDuration::ZERO, |a, (_, d)| a + *d);
            assert_eq!(sum, total);
            assert_eq!(split.len(), if flow == Flow::FourStep { 4 } else { 3 });
        }
    }
    let cal = crate::calendar::Calendar::default();
    let split = default_split(WorkingDuration::from_days(10), Flow::FourStep);
    let shares: Vec<WorkingDuration> = split.iter().map(|(_, d)| *d).collect();
    let dues = cal.step_dues(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(7, 0, 0).unwrap(), &shares);
    assert_eq!(dues.last(), Some(&cal.due(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(7, 0, 0).unwrap(), WorkingDuration::from_days(10))));
    assert!(dues.windows(2).all(|w| w[0] <= w[1]));
}

