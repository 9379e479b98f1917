//! Account administration (admins only, within their own agency): list, create, deactivate.
//! Deactivating ends the account's sessions in the same batch.

use motcua_core::date::to_iso_datetime;
use motcua_core::staff::{password, roles_from_text, roles_to_text, Account, NewAccount, Role, Staff, Username};
use motcua_core::{ErrorBody, ErrorCode};
use worker::{Env, Request, Response};

use super::{json, now, random_bytes, read_json};
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::staff::NewStaff;

fn admin(staff: &Staff) -> ApiResult<()> {
    if staff.has(Role::Admin) { Ok(()) } else { Err(ApiError::NotAllowed("Chỉ quản trị viên được quản lý tài khoản.")) }
}

pub async fn list(env: &Env, staff: &Staff) -> ApiResult<Response> {
    admin(staff)?;
    let rows = store::staff::accounts(&env.d1("DB")?, &staff.agency).await?;
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

pub async fn create(req: &mut Request, env: &Env, staff: &Staff) -> ApiResult<Response> {
    admin(staff)?;
    let new: NewAccount = read_json(req, 4096, "Dữ liệu gửi lên phải là JSON gồm username, name, roles và password.").await?;
    let username = new
        .check()
        .map_err(|fields| ApiError::Unprocessable(ErrorBody { fields, ..ErrorBody::from_code(ErrorCode::Validation) }))?;
    let hash = password::hash(&new.password, &random_bytes::<16>()?);
    let stored = store::staff::create(
        &env.d1("DB")?,
        &NewStaff {
            username: username.as_str(),
            name: new.name.trim(),
            agency: &staff.agency,
            roles: &roles_to_text(&new.roles),
            delegated_approval: new.delegated_approval,
            password_hash: &hash,
            now: &to_iso_datetime(now()?),
            email: new.email.as_deref().map(str::trim).filter(|e| !e.is_empty()),
        },
    )
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

pub async fn deactivate(env: &Env, staff: &Staff, username: &str) -> ApiResult<Response> {
    admin(staff)?;
    let username = Username::parse(username).map_err(|_| ApiError::NotFound("Không có tài khoản này."))?;
    if username == staff.username {
        return Err(ApiError::Unprocessable(ErrorBody::new(ErrorCode::InvalidTransition, "Không thể tự khóa tài khoản đang dùng.")));
    }
    if !store::staff::deactivate(&env.d1("DB")?, &staff.agency, username.as_str()).await? {
        return Err(ApiError::NotFound("Không có tài khoản này."));
    }
    let mut resp = Response::empty()?.with_status(204);
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}
