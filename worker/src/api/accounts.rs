//! Account administration (admins only, within their own agency): list, create, reset a
//! password, deactivate. A reset or a deactivation ends the account's sessions in the same
//! batch; no agency admin touches an account holding the province's role.

use motcua_core::date::to_iso_datetime;
use motcua_core::form::FieldError;
use motcua_core::accounts::{check_new_password, password, roles_from_text, roles_to_text, Account, NewAccount, PasswordReset, Staff, Username};
use motcua_core::{ErrorBody, ErrorCode};
use worker::{Request, Response};

use super::{Cx, json, random_bytes, read_json};
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::accounts::NewStaff;

pub async fn list(cx: &Cx<'_>, staff: &Staff) -> ApiResult<Response> {
    let rows = store::accounts::accounts(&cx.db, &staff.agency).await?;
    let accounts = rows
        .into_iter()
        .map(|r| {
            let bad = |what: &str| ApiError::Internal(format!("staff {}: bad {what}", r.username));
            Ok(Account {
                username: Username::parse(&r.username).map_err(|_| bad("username"))?,
                roles: roles_from_text(&r.roles).ok_or_else(|| bad("roles"))?,
                name: r.name,
                delegated_approval: r.delegated_approval != 0,
                active: r.active != 0,
                email: r.email,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    json(&accounts, None)
}

pub async fn create(req: &mut Request, cx: &Cx<'_>, staff: &Staff) -> ApiResult<Response> {
    let new: NewAccount = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm username, name, roles và password.").await?;
    let username = new
        .check()
        .map_err(|fields| ApiError::Unprocessable(ErrorBody { fields, ..ErrorBody::from_code(ErrorCode::Validation) }))?;
    if !staff.may_manage(&new.roles) {
        return Err(province_role());
    }
    let hash = password::hash(&new.password, &random_bytes::<16>()?);
    let stored = store::accounts::create(
        &cx.db,
        &NewStaff {
            username: username.as_str(),
            name: new.name.trim(),
            agency: &staff.agency,
            roles: &roles_to_text(&new.roles),
            delegated_approval: new.delegated_approval,
            password_hash: &hash,
            now: &to_iso_datetime(cx.now),
            email: new.email.as_deref().map(str::trim).filter(|e| !e.is_empty()),
        })
    .await?;
    if !stored {
        return Err(ApiError::Conflict);
    }
    let mut roles = new.roles.clone();
    roles.sort();
    roles.dedup();
    let email = new.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
    let account = Account { username, name: new.name.trim().to_owned(), roles, delegated_approval: new.delegated_approval, active: true, email };
    Ok(json(&account, None)?.with_status(201))
}

fn province_role() -> ApiError {
    ApiError::NotAllowed("Chỉ quản trị cấp tỉnh được quản lý tài khoản có vai trò quản trị cấp tỉnh.")
}

fn no_account() -> ApiError {
    ApiError::NotFound("Không có tài khoản này.")
}

/// Another account of the admin's agency that the admin may manage: its id.
async fn managed(db: &worker::D1Database, staff: &Staff, username: &str) -> ApiResult<i64> {
    let username = Username::parse(username).map_err(|_| no_account())?;
    if username == staff.username {
        return Err(ApiError::Unprocessable(ErrorBody::new(
            ErrorCode::InvalidTransition,
            "Không thể tự khóa hoặc đặt lại tài khoản đang dùng (đổi mật khẩu của mình ở trang tài khoản).",
        )));
    }
    let row = store::accounts::by_username(db, username.as_str()).await?.filter(|r| r.agency_code == staff.agency).ok_or_else(no_account)?;
    if !staff.may_manage(&roles_from_text(&row.roles).unwrap_or_default()) {
        return Err(province_role());
    }
    Ok(row.id)
}

/// `POST /api/staff/accounts/{username}/reset`: a temporary password the admin hands over in
/// person; the account must change it at its next sign-in, and sets up its second factor
/// again if it needs one (a reset is how a lost phone is recovered).
pub async fn reset(req: &mut Request, cx: &Cx<'_>, staff: &Staff, username: &str) -> ApiResult<Response> {
    let db = &cx.db;
    let id = managed(db, staff, username).await?;
    let body: PasswordReset = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm password.").await?;
    check_new_password(&body.password).map_err(|m| {
        ApiError::validation(vec![FieldError { field: "password".into(), message: m.into() }])
    })?;
    let hash = password::hash(&body.password, &random_bytes::<16>()?);
    store::accounts::reset_password(db, id, &hash).await?;
    let mut resp = Response::empty()?.with_status(204);
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

pub async fn deactivate(cx: &Cx<'_>, staff: &Staff, username: &str) -> ApiResult<Response> {
    let db = &cx.db;
    let id = managed(db, staff, username).await?;
    store::accounts::deactivate(db, id).await?;
    let mut resp = Response::empty()?.with_status(204);
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}
