//! Staff accounts: roles, user names, passwords, what a session says about its holder.

use serde::{Deserialize, Serialize};

/// What a member of staff may do. A person may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Tiếp nhận: the desk at the public-administration centre.
    Reception,
    /// Thẩm định: appraises dossiers.
    Specialist,
    /// Phê duyệt: a leader who approves (per agency; see `Staff::delegated_approval`).
    Approver,
    /// Trả kết quả: records and hands out results.
    ResultDesk,
    /// Reads every dossier of the agency and its reports; acts on none.
    Manager,
    /// An agency's administrator: its catalogue, accounts and survey kiosks.
    Admin,
    /// The province's administrator: the holiday calendar and the agencies (creating one,
    /// merging two), which concern every department.
    ProvinceAdmin,
}

impl Role {
    pub const ALL: [Role; 7] =
        [Role::Reception, Role::Specialist, Role::Approver, Role::ResultDesk, Role::Manager, Role::Admin, Role::ProvinceAdmin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reception => "reception",
            Role::Specialist => "specialist",
            Role::Approver => "approver",
            Role::ResultDesk => "result_desk",
            Role::Manager => "manager",
            Role::Admin => "admin",
            Role::ProvinceAdmin => "province_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Reception => "Tiếp nhận",
            Role::Specialist => "Thẩm định",
            Role::Approver => "Phê duyệt",
            Role::ResultDesk => "Trả kết quả",
            Role::Manager => "Lãnh đạo theo dõi",
            Role::Admin => "Quản trị",
            Role::ProvinceAdmin => "Quản trị cấp tỉnh",
        }
    }

    /// Administrators sign in with a second factor.
    pub fn needs_second_factor(self) -> bool {
        matches!(self, Role::Admin | Role::ProvinceAdmin)
    }

    /// Roles with a queue of dossiers to act on.
    pub fn has_queue(self) -> bool {
        matches!(self, Role::Reception | Role::Specialist | Role::Approver | Role::ResultDesk)
    }
}

/// Roles as stored: a comma-separated list, e.g. `reception,specialist`.
pub fn roles_to_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

/// Reads a stored role list; unknown names are an error, not silently dropped.
pub fn roles_from_text(s: &str) -> Option<Vec<Role>> {
    let mut roles = s.split(',').filter(|p| !p.is_empty()).map(Role::parse).collect::<Option<Vec<_>>>()?;
    roles.sort();
    roles.dedup();
    Some(roles)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.")]
    Invalid,
}

/// A login name: lower-case ASCII so that "An" and "an" can never be two accounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// Accepts any letter case and surrounding spaces, as typed on a login form.
    pub fn parse(s: &str) -> Result<Self, UsernameError> {
        let s = s.trim().to_ascii_lowercase();
        let ok = (3..=32).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'));
        if ok { Ok(Username(s)) } else { Err(UsernameError::Invalid) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(Username, UsernameError);

/// Shortest password accepted for a new account (NIST SP 800-63B-4 asks 15 when the password
/// is the only factor).
pub const MIN_PASSWORD_CHARS: usize = 15;
/// Longer passwords are refused before hashing: hashing cost must not be the client's choice.
pub const MAX_PASSWORD_BYTES: usize = 256;

/// Whether a new password may be set.
pub fn check_new_password(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err("Mật khẩu cần ít nhất 15 ký tự.")
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err("Mật khẩu dài quá 256 byte.")
    } else {
        Ok(())
    }
}

/// `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// `POST /api/auth/password`: the signed-in account's own change (forced after a reset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// `POST /api/auth/totp` and `/api/auth/totp/enroll`: six digits from the authenticator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpCode {
    pub code: String,
}

/// `GET /api/auth/totp/enroll`: the secret to put into an authenticator app, as text and as
/// the `otpauth://` link a QR code carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrollment {
    pub secret: String,
    pub uri: String,
}

/// `POST /api/staff/accounts/{username}/reset` (the agency's admin): a temporary password the
/// account must change at its next sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordReset {
    pub password: String,
}

/// The signed-in member of staff (`GET /api/auth/me`, and the answer to a login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub username: Username,
    pub name: String,
    /// The agency whose dossiers this account sees (and only those).
    pub agency: String,
    pub agency_name: String,
    pub roles: Vec<Role>,
    /// An approver who may approve the procedures the province delegated to the department
    /// (ủy quyền phê duyệt).
    pub delegated_approval: bool,
    /// A step of the sign-in still to do (the session may do that and nothing else).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
}

impl Staff {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the account's roles grant `capability` (the route table and the workspace's
    /// menus both ask this).
    pub fn may(&self, capability: Capability) -> bool {
        capability.roles().iter().any(|r| self.has(*r))
    }

    /// Whether this administrator may create, reset or deactivate an account holding `roles`:
    /// an agency's admin manages its accounts, but never one holding the province's role (that
    /// would hand the province's calendar and agencies to any agency's admin).
    pub fn may_manage(&self, roles: &[Role]) -> bool {
        self.has(Role::Admin) && (!roles.contains(&Role::ProvinceAdmin) || self.has(Role::ProvinceAdmin))
    }
}

/// What a member of staff may do, whatever route or menu asks. Finer rules stay with their
/// operation: which queue a desk reads, which action the workflow allows in a status, that a
/// dossier or an agency is the account's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    /// Queues, dossier pages and files, the staff search, the register: the desks and managers.
    ReadDossiers,
    /// Workflow actions and re-issued secrets (the workflow says which desk does what).
    ActOnDossiers,
    /// Registering a walk-in dossier: reception.
    RegisterWalkIn,
    /// The agency's progress and the ratings per officer: managers.
    ReadProgress,
    /// The consistency checks of statistics and ratings: managers and the agency's admin.
    CheckFigures,
    /// The agency's accounts, catalogue, form templates, survey kiosks and name: its admin.
    AdministerAgency,
    /// The list of agencies: administrators of an agency or of the province.
    ListAgencies,
    /// The holiday calendar, creating and merging agencies: the province's administrator.
    AdministerProvince,
}

impl Capability {
    pub const ALL: [Capability; 8] = [
        Capability::ReadDossiers,
        Capability::ActOnDossiers,
        Capability::RegisterWalkIn,
        Capability::ReadProgress,
        Capability::CheckFigures,
        Capability::AdministerAgency,
        Capability::ListAgencies,
        Capability::AdministerProvince,
    ];

    /// The roles that grant it: the one permission table.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Capability::ReadDossiers => &[Reception, Specialist, Approver, ResultDesk, Manager],
            Capability::ActOnDossiers => &[Reception, Specialist, Approver, ResultDesk],
            Capability::RegisterWalkIn => &[Reception],
            Capability::ReadProgress => &[Manager],
            Capability::CheckFigures => &[Manager, Admin],
            Capability::AdministerAgency => &[Admin],
            Capability::ListAgencies => &[Admin, ProvinceAdmin],
            Capability::AdministerProvince => &[ProvinceAdmin],
        }
    }
}

/// What a signed-in session must still do before it may work: a password an admin reset is
/// changed first, then an administrator passes (or, the first time, sets up) the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pending {
    ChangePassword,
    EnrollTotp,
    Totp,
}

impl Pending {
    pub fn as_str(self) -> &'static str {
        match self {
            Pending::ChangePassword => "change_password",
            Pending::EnrollTotp => "enroll_totp",
            Pending::Totp => "totp",
        }
    }

    pub fn parse(s: &str) -> Option<Pending> {
        [Pending::ChangePassword, Pending::EnrollTotp, Pending::Totp].into_iter().find(|p| p.as_str() == s)
    }

    /// The step left once the password matched (or was changed: `must_change` false then).
    pub fn next(must_change: bool, roles: &[Role], enrolled: bool) -> Option<Pending> {
        if must_change {
            Some(Pending::ChangePassword)
        } else if !roles.iter().any(|r| r.needs_second_factor()) {
            None
        } else if enrolled {
            Some(Pending::Totp)
        } else {
            Some(Pending::EnrollTotp)
        }
    }
}

/// Failed logins allowed per user name, from any client, in a window before refusing with 429.
pub const LOGIN_ATTEMPTS: u32 = 10;
/// Failed logins allowed per client, for any user name, in the same window: high enough that
/// a whole office behind one address (the centre's) does not reach it by mistyping.
pub const LOGIN_CLIENT_ATTEMPTS: u32 = 200;
/// A session nobody used for this long ends (besides `SESSION_HOURS`).
pub const IDLE_MINUTES: i64 = 30;
/// Sessions end after a working day, whatever happens.
pub const SESSION_HOURS: i64 = 10;

/// When a session was opened and last used: it lives `SESSION_HOURS` from its opening and
/// `IDLE_MINUTES` from its last use, whichever ends first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimes {
    pub opened: chrono::NaiveDateTime,
    pub last_used: chrono::NaiveDateTime,
}

impl SessionTimes {
    pub fn alive(&self, now: chrono::NaiveDateTime) -> bool {
        now < self.opened + chrono::Duration::hours(SESSION_HOURS) && now < self.last_used + chrono::Duration::minutes(IDLE_MINUTES)
    }

    /// Whether a use now should be written down: at most once a minute (a page's burst of
    /// calls costs one write, not one each).
    pub fn worth_touching(&self, now: chrono::NaiveDateTime) -> bool {
        now >= self.last_used + chrono::Duration::minutes(1)
    }
}
pub const SESSION_COOKIE: &str = "motcua_session";

/// Argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): memory-hard,
/// and about a tenth of a second in workerd (README: measured cost).
#[cfg(feature = "password")]
pub mod password {
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};

    pub const MEMORY_KIB: u32 = 19 * 1024;
    pub const PASSES: u32 = 2;

    fn argon2() -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(MEMORY_KIB, PASSES, 1, None).expect("valid parameters"))
    }

    /// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of `password` with a random `salt`.
    pub fn hash(password: &str, salt: &[u8; 16]) -> String {
        let salt = SaltString::encode_b64(salt).expect("16 bytes fit");
        argon2().hash_password(password.as_bytes(), &salt).expect("argon2 with valid parameters").to_string()
    }

    /// Whether `password` matches a stored PHC string (any Argon2 parameters it names). A
    /// password over the limit costs the same work and fails.
    pub fn verify(password: &str, phc: &str) -> bool {
        if password.len() > super::MAX_PASSWORD_BYTES {
            decoy(password);
            return false;
        }
        PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    }

    /// The work of one check, spent when the user name is unknown: a login then takes as long
    /// for a wrong name as for a wrong password, and does not tell which names exist.
    pub fn decoy(password: &str) {
        let within = if password.len() <= super::MAX_PASSWORD_BYTES { password } else { "" };
        let _ = hash(within, &[0; 16]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_follow_the_roles() {
        let with = |roles: &[Role]| Staff {
            username: Username::parse("a.b").unwrap(),
            name: String::new(),
            agency: "SNV".into(),
            agency_name: String::new(),
            roles: roles.to_vec(),
            delegated_approval: false,
            pending: None,
        };
        let may = |roles: &[Role]| Capability::ALL.into_iter().filter(|c| with(roles).may(*c)).collect::<Vec<_>>();
        use Capability::*;
        assert_eq!(may(&[Role::Reception]), [ReadDossiers, ActOnDossiers, RegisterWalkIn]);
        assert_eq!(may(&[Role::Specialist]), [ReadDossiers, ActOnDossiers]);
        // A manager reads everything of the agency and acts on nothing.
        assert_eq!(may(&[Role::Manager]), [ReadDossiers, ReadProgress, CheckFigures]);
        // Administrators read no dossier.
        assert_eq!(may(&[Role::Admin]), [CheckFigures, AdministerAgency, ListAgencies]);
        assert_eq!(may(&[Role::ProvinceAdmin]), [ListAgencies, AdministerProvince]);
        assert_eq!(may(&[]), []);
    }

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" TiepNhan.SNV ").unwrap().as_str(), "tiepnhan.snv");
        for bad in ["", "ab", "có-dấu", "a b c", &"x".repeat(33), "semi;colon"] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn role_lists() {
        assert_eq!(roles_from_text("specialist,reception,specialist"), Some(vec![Role::Reception, Role::Specialist]));
        assert_eq!(roles_from_text("reception,boss"), None);
        assert_eq!(roles_from_text(""), Some(vec![]));
        for r in Role::ALL {
            assert_eq!(roles_from_text(&roles_to_text(&[r])), Some(vec![r]));
        }
    }

    #[test]
    fn new_passwords() {
        assert!(check_new_password("mot-cua-quang-ninh").is_ok());
        assert!(check_new_password("ngắn-quá").is_err());
        // Counted in characters, not bytes: 15 Vietnamese letters are enough.
        assert!(check_new_password("ệệệệệệệệệệệệệệệ").is_ok());
        assert!(check_new_password(&"x".repeat(257)).is_err());
    }

    #[test]
    fn an_agency_admin_never_manages_the_province_role() {
        let mut admin = Staff {
            username: Username::parse("quantri").unwrap(),
            name: "A".into(),
            agency: "SNV".into(),
            agency_name: "Sở Nội vụ".into(),
            roles: vec![Role::Admin],
            delegated_approval: false,
            pending: None,
        };
        assert!(admin.may_manage(&[Role::Reception, Role::Admin]));
        assert!(!admin.may_manage(&[Role::ProvinceAdmin]));
        admin.roles.push(Role::ProvinceAdmin);
        assert!(admin.may_manage(&[Role::ProvinceAdmin]));
        admin.roles = vec![Role::ProvinceAdmin];
        assert!(!admin.may_manage(&[Role::Reception]), "the province's admin does not run an agency's accounts");
    }

    #[test]
    fn a_session_ends_after_ten_hours_or_thirty_idle_minutes() {
        let at = |h: u32, m: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(h, m, 0).unwrap();
        let s = SessionTimes { opened: at(7, 0), last_used: at(9, 0) };
        assert!(s.alive(at(9, 29)));
        assert!(!s.alive(at(9, 30)), "thirty minutes unused");
        let busy = SessionTimes { opened: at(7, 0), last_used: at(16, 50) };
        assert!(busy.alive(at(16, 59)));
        assert!(!busy.alive(at(17, 0)), "ten hours after opening, however busy");
        assert!(!s.worth_touching(at(9, 0)) && s.worth_touching(at(9, 1)));
    }

    #[test]
    fn pending_steps_come_in_order() {
        assert_eq!(Pending::next(true, &[Role::Admin], true), Some(Pending::ChangePassword));
        assert_eq!(Pending::next(false, &[Role::Admin], false), Some(Pending::EnrollTotp));
        assert_eq!(Pending::next(false, &[Role::ProvinceAdmin], true), Some(Pending::Totp));
        assert_eq!(Pending::next(false, &[Role::Reception, Role::Specialist], false), None);
        for p in [Pending::ChangePassword, Pending::EnrollTotp, Pending::Totp] {
            assert_eq!(Pending::parse(p.as_str()), Some(p));
        }
    }

    #[cfg(feature = "password")]
    #[test]
    fn hashing() {
        let phc = password::hash("mot-cua-quang-ninh", &[7; 16]);
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(password::verify("mot-cua-quang-ninh", &phc));
        assert!(!password::verify("mot-cua-quang-ninH", &phc));
        assert!(!password::verify("mot-cua-quang-ninh", "not a hash"));
        assert_ne!(phc, password::hash("mot-cua-quang-ninh", &[8; 16]), "the salt changes the hash");
    }
}

/// An account as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub username: Username,
    pub name: String,
    pub roles: Vec<Role>,
    pub delegated_approval: bool,
    pub active: bool,
    /// Where the morning digest of the account's queues goes, if anywhere.
    #[serde(default)]
    pub email: Option<String>,
}

/// `POST /api/staff/accounts`: a new account in the admin's own agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub name: String,
    pub roles: Vec<Role>,
    #[serde(default)]
    pub delegated_approval: bool,
    pub password: String,
    /// Optional: the morning digest of the account's queues is sent there.
    #[serde(default)]
    pub email: Option<String>,
}

impl NewAccount {
    /// Field-level checks, in Vietnamese, before anything is stored.
    pub fn check(&self) -> Result<Username, Vec<crate::form::FieldError>> {
        let mut errors = Vec::new();
        let err = |f: &str, m: &str| crate::form::FieldError { field: f.into(), message: m.into() };
        let username = Username::parse(&self.username).map_err(|e| errors.push(err("username", &e.to_string()))).ok();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(err("name", "Nhập họ và tên (tối đa 100 ký tự)."));
        }
        if self.roles.is_empty() {
            errors.push(err("roles", "Chọn ít nhất một vai trò."));
        }
        if self.delegated_approval && !self.roles.contains(&Role::Approver) {
            errors.push(err("delegated_approval", "Chỉ người có vai trò phê duyệt mới được giao ủy quyền."));
        }
        if let Err(m) = check_new_password(&self.password) {
            errors.push(err("password", m));
        }
        if self.email.as_deref().is_some_and(|e| !e.trim().is_empty() && !crate::form::email_ok(e.trim())) {
            errors.push(err("email", "Địa chỉ thư điện tử không hợp lệ."));
        }
        match username {
            Some(u) if errors.is_empty() => Ok(u),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod account_tests {
    use super::*;

    fn account() -> NewAccount {
        NewAccount {
            username: "ChuyenVien.Moi".into(),
            name: "Nguyễn Văn Mới".into(),
            roles: vec![Role::Specialist],
            delegated_approval: false,
            password: "mot-mat-khau-du-dai".into(),
            email: Some("nv.moi@snv.quangninh.gov.vn".into()),
        }
    }

    fn fields(a: &NewAccount) -> Vec<String> {
        a.check().err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn new_accounts() {
        assert_eq!(account().check().unwrap().as_str(), "chuyenvien.moi");
        assert_eq!(fields(&NewAccount { username: "x".into(), ..account() }), ["username"]);
        assert_eq!(fields(&NewAccount { roles: vec![], ..account() }), ["roles"]);
        assert_eq!(fields(&NewAccount { email: Some("khong-phai-thu".into()), ..account() }), ["email"]);
        assert!(fields(&NewAccount { email: Some(" ".into()), ..account() }).is_empty(), "an empty address is none");
        assert_eq!(fields(&NewAccount { delegated_approval: true, ..account() }), ["delegated_approval"]);
        assert!(NewAccount { delegated_approval: true, roles: vec![Role::Approver], ..account() }.check().is_ok());
        assert_eq!(fields(&NewAccount { password: "ngan".into(), name: " ".into(), ..account() }), ["name", "password"]);
    }
}
