//! The API's one route table: each operation of `openapi.yaml` (its `operationId`), its method
//! and path, and who may call it. The worker dispatches, answers 405 with `Allow` and asks for a
//! session from it; a test checks it against the spec both ways.

/// An operation of the API, named as `openapi.yaml`'s `operationId` (`Op::id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    ListAgencies,
    Login,
    Logout,
    Me,
    ChangePassword,
    Totp,
    TotpOffer,
    TotpEnroll,
    TotpQr,
    CalendarDue,
    CalendarYear,
    CatalogueKpis,
    SubmitDossier,
    DossierStatus,
    EvaluateDossier,
    DossierLookup,
    DossierQr,
    RecoverSecret,
    DossierResultFile,
    UnsubscribePush,
    SubscribePush,
    AnswerSupplement,
    EmailOptOut,
    EmailOptOutOneClick,
    WithdrawDossier,
    ListFields,
    Health,
    Keys,
    SearchProcedures,
    GetProcedure,
    ProcedureForm,
    ProcedureVersions,
    PushKey,
    RatingSummary,
    ListAccounts,
    CreateAccount,
    DeactivateAccount,
    ResetPassword,
    ListAgenciesAdmin,
    CreateAgency,
    MergeAgency,
    RenameAgency,
    CalendarDecision,
    SaveCalendar,
    PreviewCalendar,
    ImportCatalogue,
    PreviewPublication,
    EditableProcedure,
    RepealProcedure,
    PublishProcedure,
    SearchDossiers,
    RegisterWalkIn,
    StaffDossier,
    StaffAction,
    StaffFile,
    ReissueSecret,
    ListKiosks,
    EnrollKiosk,
    RevokeKiosk,
    StaffQueue,
    RatingCheck,
    RatingOfficers,
    StaffRegister,
    ManagerStats,
    StatsCheck,
    UploadTemplate,
    Stats,
    Survey,
    GetTemplate,
    Upload,
    VerifyResult,
    VerifyQr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    /// HEAD is a GET whose body the runtime drops (RFC 9110 §9.3.2); a method the API does not
    /// use at all (QUERY, PUT) is `None`, answered 405 like a known one on the wrong path.
    pub fn parse(m: &str) -> Option<Method> {
        match m {
            "GET" | "HEAD" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// Who may call an operation, as the router checks it before the handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone; what a handler guards itself (a receipt's secret, a sign-in step) it checks.
    Public,
    /// A member of staff with a finished sign-in whose roles grant the capability; a write also
    /// comes from the site's own pages (same origin).
    Staff(Capability),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub op: Op,
    pub method: Method,
    /// `/api/...`, a `{name}` segment standing for any one segment.
    pub path: &'static str,
}

impl Route {
    pub fn access(&self) -> Access {
        use Capability::*;
        let staff = match self.op {
            Op::StaffQueue | Op::StaffRegister | Op::SearchDossiers | Op::StaffDossier | Op::StaffFile => ReadDossiers,
            Op::StaffAction | Op::ReissueSecret => ActOnDossiers,
            Op::RegisterWalkIn => RegisterWalkIn,
            Op::ManagerStats | Op::RatingOfficers => ReadProgress,
            Op::StatsCheck | Op::RatingCheck => CheckFigures,
            Op::ListAccounts
            | Op::CreateAccount
            | Op::DeactivateAccount
            | Op::ResetPassword
            | Op::EditableProcedure
            | Op::PreviewPublication
            | Op::PublishProcedure
            | Op::ImportCatalogue
            | Op::RepealProcedure
            | Op::UploadTemplate
            | Op::ListKiosks
            | Op::EnrollKiosk
            | Op::RevokeKiosk
            | Op::RenameAgency => AdministerAgency,
            Op::ListAgenciesAdmin => ListAgencies,
            Op::CreateAgency | Op::MergeAgency | Op::CalendarDecision | Op::PreviewCalendar | Op::SaveCalendar => AdministerProvince,
            _ => return Access::Public,
        };
        Access::Staff(staff)
    }
}

use crate::accounts::Capability;

const fn r(op: Op, method: Method, path: &'static str) -> Route {
    Route { op, method, path }
}

use Method::{Delete, Get, Post};

pub const ROUTES: &[Route] = &[
    r(Op::ListAgencies, Get, "/api/agencies"),
    r(Op::Login, Post, "/api/auth/login"),
    r(Op::Logout, Post, "/api/auth/logout"),
    r(Op::Me, Get, "/api/auth/me"),
    r(Op::ChangePassword, Post, "/api/auth/password"),
    r(Op::Totp, Post, "/api/auth/totp"),
    r(Op::TotpOffer, Get, "/api/auth/totp/enroll"),
    r(Op::TotpEnroll, Post, "/api/auth/totp/enroll"),
    r(Op::TotpQr, Get, "/api/auth/totp/enroll.svg"),
    r(Op::CalendarDue, Get, "/api/calendar/due"),
    r(Op::CalendarYear, Get, "/api/calendar/{year}"),
    r(Op::CatalogueKpis, Get, "/api/catalogue/kpis"),
    r(Op::SubmitDossier, Post, "/api/dossiers"),
    r(Op::DossierStatus, Get, "/api/dossiers/{code}"),
    r(Op::EvaluateDossier, Post, "/api/dossiers/{code}/evaluation"),
    r(Op::DossierLookup, Post, "/api/dossiers/{code}/lookup"),
    r(Op::DossierQr, Get, "/api/dossiers/{code}/qr.svg"),
    r(Op::RecoverSecret, Post, "/api/dossiers/{code}/recover"),
    r(Op::DossierResultFile, Post, "/api/dossiers/{code}/result-file"),
    r(Op::UnsubscribePush, Delete, "/api/dossiers/{code}/subscriptions"),
    r(Op::SubscribePush, Post, "/api/dossiers/{code}/subscriptions"),
    r(Op::AnswerSupplement, Post, "/api/dossiers/{code}/supplement"),
    r(Op::EmailOptOut, Get, "/api/dossiers/{code}/unsubscribe"),
    r(Op::EmailOptOutOneClick, Post, "/api/dossiers/{code}/unsubscribe"),
    r(Op::WithdrawDossier, Post, "/api/dossiers/{code}/withdraw"),
    r(Op::ListFields, Get, "/api/fields"),
    r(Op::Health, Get, "/api/health"),
    r(Op::Keys, Get, "/api/keys"),
    r(Op::SearchProcedures, Get, "/api/procedures"),
    r(Op::GetProcedure, Get, "/api/procedures/{code}"),
    r(Op::ProcedureForm, Get, "/api/procedures/{code}/form"),
    r(Op::ProcedureVersions, Get, "/api/procedures/{code}/versions"),
    r(Op::PushKey, Get, "/api/push/key"),
    r(Op::RatingSummary, Get, "/api/ratings/summary"),
    r(Op::ListAccounts, Get, "/api/staff/accounts"),
    r(Op::CreateAccount, Post, "/api/staff/accounts"),
    r(Op::DeactivateAccount, Post, "/api/staff/accounts/{username}/deactivate"),
    r(Op::ResetPassword, Post, "/api/staff/accounts/{username}/reset"),
    r(Op::ListAgenciesAdmin, Get, "/api/staff/agencies"),
    r(Op::CreateAgency, Post, "/api/staff/agencies"),
    r(Op::MergeAgency, Post, "/api/staff/agencies/{code}/merge"),
    r(Op::RenameAgency, Post, "/api/staff/agencies/{code}/rename"),
    r(Op::CalendarDecision, Get, "/api/staff/calendar/{year}"),
    r(Op::SaveCalendar, Post, "/api/staff/calendar/{year}/decision"),
    r(Op::PreviewCalendar, Post, "/api/staff/calendar/{year}/preview"),
    r(Op::ImportCatalogue, Post, "/api/staff/catalogue/import"),
    r(Op::PreviewPublication, Post, "/api/staff/catalogue/preview"),
    r(Op::EditableProcedure, Get, "/api/staff/catalogue/procedures/{id}"),
    r(Op::RepealProcedure, Post, "/api/staff/catalogue/procedures/{id}/repeal"),
    r(Op::PublishProcedure, Post, "/api/staff/catalogue/publish"),
    r(Op::SearchDossiers, Get, "/api/staff/dossiers"),
    r(Op::RegisterWalkIn, Post, "/api/staff/dossiers"),
    r(Op::StaffDossier, Get, "/api/staff/dossiers/{code}"),
    r(Op::StaffAction, Post, "/api/staff/dossiers/{code}/actions"),
    r(Op::StaffFile, Get, "/api/staff/dossiers/{code}/files/{id}"),
    r(Op::ReissueSecret, Post, "/api/staff/dossiers/{code}/secret"),
    r(Op::ListKiosks, Get, "/api/staff/kiosks"),
    r(Op::EnrollKiosk, Post, "/api/staff/kiosks"),
    r(Op::RevokeKiosk, Post, "/api/staff/kiosks/{id}/revoke"),
    r(Op::StaffQueue, Get, "/api/staff/queue"),
    r(Op::RatingCheck, Get, "/api/staff/ratings/check"),
    r(Op::RatingOfficers, Get, "/api/staff/ratings/officers"),
    r(Op::StaffRegister, Get, "/api/staff/register"),
    r(Op::ManagerStats, Get, "/api/staff/stats"),
    r(Op::StatsCheck, Get, "/api/staff/stats/check"),
    r(Op::UploadTemplate, Post, "/api/staff/templates"),
    r(Op::Stats, Get, "/api/stats"),
    r(Op::Survey, Post, "/api/surveys"),
    r(Op::GetTemplate, Get, "/api/templates/{id}"),
    r(Op::Upload, Post, "/api/uploads"),
    r(Op::VerifyResult, Get, "/api/verify/{code}"),
    r(Op::VerifyQr, Get, "/api/verify/{code}/qr.svg"),
];

impl Op {
    /// The `operationId` of `openapi.yaml`.
    pub fn id(self) -> &'static str {
        match self {
            Op::ListAgencies => "listAgencies",
            Op::Login => "login",
            Op::Logout => "logout",
            Op::Me => "me",
            Op::ChangePassword => "changePassword",
            Op::Totp => "totp",
            Op::TotpOffer => "totpOffer",
            Op::TotpEnroll => "totpEnroll",
            Op::TotpQr => "totpQr",
            Op::CalendarDue => "calendarDue",
            Op::CalendarYear => "calendarYear",
            Op::CatalogueKpis => "catalogueKpis",
            Op::SubmitDossier => "submitDossier",
            Op::DossierStatus => "dossierStatus",
            Op::EvaluateDossier => "evaluateDossier",
            Op::DossierLookup => "dossierLookup",
            Op::DossierQr => "dossierQr",
            Op::RecoverSecret => "recoverSecret",
            Op::DossierResultFile => "dossierResultFile",
            Op::UnsubscribePush => "unsubscribePush",
            Op::SubscribePush => "subscribePush",
            Op::AnswerSupplement => "answerSupplement",
            Op::EmailOptOut => "emailOptOut",
            Op::EmailOptOutOneClick => "emailOptOutOneClick",
            Op::WithdrawDossier => "withdrawDossier",
            Op::ListFields => "listFields",
            Op::Health => "health",
            Op::Keys => "keys",
            Op::SearchProcedures => "searchProcedures",
            Op::GetProcedure => "getProcedure",
            Op::ProcedureForm => "procedureForm",
            Op::ProcedureVersions => "procedureVersions",
            Op::PushKey => "pushKey",
            Op::RatingSummary => "ratingSummary",
            Op::ListAccounts => "listAccounts",
            Op::CreateAccount => "createAccount",
            Op::DeactivateAccount => "deactivateAccount",
            Op::ResetPassword => "resetPassword",
            Op::ListAgenciesAdmin => "listAgenciesAdmin",
            Op::CreateAgency => "createAgency",
            Op::MergeAgency => "mergeAgency",
            Op::RenameAgency => "renameAgency",
            Op::CalendarDecision => "calendarDecision",
            Op::SaveCalendar => "saveCalendar",
            Op::PreviewCalendar => "previewCalendar",
            Op::ImportCatalogue => "importCatalogue",
            Op::PreviewPublication => "previewPublication",
            Op::EditableProcedure => "editableProcedure",
            Op::RepealProcedure => "repealProcedure",
            Op::PublishProcedure => "publishProcedure",
            Op::SearchDossiers => "searchDossiers",
            Op::RegisterWalkIn => "registerWalkIn",
            Op::StaffDossier => "staffDossier",
            Op::StaffAction => "staffAction",
            Op::StaffFile => "staffFile",
            Op::ReissueSecret => "reissueSecret",
            Op::ListKiosks => "listKiosks",
            Op::EnrollKiosk => "enrollKiosk",
            Op::RevokeKiosk => "revokeKiosk",
            Op::StaffQueue => "staffQueue",
            Op::RatingCheck => "ratingCheck",
            Op::RatingOfficers => "ratingOfficers",
            Op::StaffRegister => "staffRegister",
            Op::ManagerStats => "managerStats",
            Op::StatsCheck => "statsCheck",
            Op::UploadTemplate => "uploadTemplate",
            Op::Stats => "stats",
            Op::Survey => "survey",
            Op::GetTemplate => "getTemplate",
            Op::Upload => "upload",
            Op::VerifyResult => "verifyResult",
            Op::VerifyQr => "verifyQr",
        }
    }
}

/// What the table says of a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Found<'a> {
    /// The operation, and the path's `{…}` segments in order.
    Route(&'static Route, Vec<&'a str>),
    /// A path of the API that does not take this method: the `Allow` header it gets with 405.
    WrongMethod(&'static str),
    NotFound,
}

/// The `{…}` segments of `path` when it has `pattern`'s shape, with the number of literal
/// segments that matched (the more, the more specific: `/api/calendar/due` is no year).
fn matches<'a>(pattern: &str, path: &'a str) -> Option<(usize, Vec<&'a str>)> {
    let (mut want, mut have) = (pattern.split('/'), path.split('/'));
    let (mut literals, mut params) = (0, Vec::new());
    loop {
        match (want.next(), have.next()) {
            (None, None) => return Some((literals, params)),
            (Some(w), Some(h)) if w.starts_with('{') && w.ends_with('}') => params.push(h),
            (Some(w), Some(h)) if w == h => literals += 1,
            _ => return None,
        }
    }
}

/// The route of `method` and `path` (as sent: "/api/procedures/" names an empty code, a 404
/// of the handler, not the search).
pub fn find<'a>(method: &str, path: &'a str) -> Found<'a> {
    let mut best: Option<(usize, &'static str)> = None;
    for route in ROUTES {
        if let Some((literals, _)) = matches(route.path, path) {
            if best.is_none_or(|(n, _)| literals > n) {
                best = Some((literals, route.path));
            }
        }
    }
    let Some((_, pattern)) = best else { return Found::NotFound };
    let same_path = || ROUTES.iter().filter(move |r| r.path == pattern);
    let wanted = Method::parse(method);
    match same_path().find(|r| Some(r.method) == wanted) {
        Some(route) => Found::Route(route, matches(pattern, path).map(|(_, p)| p).unwrap_or_default()),
        None => {
            let takes = |m| same_path().any(|r| r.method == m);
            Found::WrongMethod(allow(takes(Get), takes(Post), takes(Delete)))
        }
    }
}

/// The `Allow` header of a path taking these methods (HEAD goes with GET).
fn allow(get: bool, post: bool, delete: bool) -> &'static str {
    match (get, post, delete) {
        (true, false, false) => "GET, HEAD",
        (false, true, false) => "POST",
        (true, true, false) => "GET, HEAD, POST",
        (false, true, true) => "POST, DELETE",
        (false, false, true) => "DELETE",
        (true, false, true) => "GET, HEAD, DELETE",
        _ => "GET, HEAD, POST, DELETE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path with each `{…}` segment filled in.
    fn concrete(pattern: &str, fill: &str) -> String {
        pattern.split('/').map(|s| if s.starts_with('{') { fill } else { s }).collect::<Vec<_>>().join("/")
    }

    #[test]
    fn every_route_is_found_by_its_own_path_and_method() {
        for route in ROUTES {
            let path = concrete(route.path, "SNV-261127-0001");
            match find(route.method.as_str(), &path) {
                Found::Route(found, params) => {
                    assert_eq!(found, route, "{path}");
                    assert_eq!(params.len(), route.path.matches('{').count());
                }
                other => panic!("{} {path}: {other:?}", route.method.as_str()),
            }
        }
    }

    #[test]
    fn each_operation_once() {
        let mut ids: Vec<&str> = ROUTES.iter().map(|r| r.op.id()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        let Found::Route(r, params) = find("GET", "/api/calendar/due") else { panic!() };
        assert_eq!((r.op, params), (Op::CalendarDue, vec![]));
        let Found::Route(r, params) = find("GET", "/api/calendar/2027") else { panic!() };
        assert_eq!((r.op, params), (Op::CalendarYear, vec!["2027"]));
        let Found::Route(r, _) = find("GET", "/api/auth/totp/enroll.svg") else { panic!() };
        assert_eq!(r.op, Op::TotpQr);
    }

    #[test]
    fn a_wrong_method_names_the_ones_the_path_takes() {
        assert_eq!(find("POST", "/api/health"), Found::WrongMethod("GET, HEAD"));
        assert_eq!(find("GET", "/api/dossiers"), Found::WrongMethod("POST"));
        assert_eq!(find("QUERY", "/api/procedures"), Found::WrongMethod("GET, HEAD"));
        assert_eq!(find("PUT", "/api/dossiers/SNV-261127-0001/subscriptions"), Found::WrongMethod("POST, DELETE"));
        assert_eq!(find("DELETE", "/api/staff/accounts"), Found::WrongMethod("GET, HEAD, POST"));
        assert_eq!(find("DELETE", "/api/dossiers/SNV-261127-0001/unsubscribe"), Found::WrongMethod("GET, HEAD, POST"));
    }

    #[test]
    fn head_is_a_get_and_unknown_paths_are_not_found() {
        assert!(matches!(find("HEAD", "/api/health"), Found::Route(r, _) if r.op == Op::Health));
        assert_eq!(find("GET", "/api/nothing"), Found::NotFound);
        assert_eq!(find("GET", "/api/procedures/1.014199/form/extra"), Found::NotFound);
        // An empty segment is a value (the handler's 404), not another route.
        assert!(matches!(find("GET", "/api/procedures/"), Found::Route(r, p) if r.op == Op::GetProcedure && p == vec![""]));
    }

    #[test]
    fn staff_paths_and_only_they_need_a_session_and_a_capability() {
        for route in ROUTES {
            assert_eq!(matches!(route.access(), Access::Staff(_)), route.path.starts_with("/api/staff/"), "{}", route.path);
        }
        let Found::Route(r, _) = find("GET", "/api/staff/queue") else { panic!() };
        assert_eq!(r.access(), Access::Staff(Capability::ReadDossiers));
    }
}
