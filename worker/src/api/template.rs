//! Form templates: uploaded by admins into KV under their content's hash, served to anyone
//! with their content type and cached for ever (a changed form is a new file, a new URL).

use motcua_core::catalogue::template::{Template, TemplateKind, MAX_TEMPLATE_BYTES};
use motcua_core::staff::{Role, Staff};
use motcua_core::{ErrorBody, ErrorCode};
use sha2::{Digest, Sha256};
use worker::{Env, Request, Response};

use super::json;
use crate::error::{ApiError, ApiResult};

fn meta_key(id: &str) -> String {
    format!("template-meta/{id}")
}

pub async fn upload(req: &mut Request, env: &Env, staff: &Staff) -> ApiResult<Response> {
    if !staff.has(Role::Admin) {
        return Err(ApiError::NotAllowed("Chỉ quản trị viên được tải lên mẫu đơn."));
    }
    let declared = req.headers().get("Content-Length")?.and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_TEMPLATE_BYTES) {
        return Err(ApiError::PayloadTooLarge);
    }
    let bytes = req.bytes().await.map_err(|_| ApiError::BadRequest(ErrorBody::from_code(ErrorCode::InvalidBody)))?;
    if bytes.len() > MAX_TEMPLATE_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let kind = TemplateKind::sniff(&bytes).ok_or_else(|| {
        ApiError::UnsupportedWith("Mẫu đơn phải là tệp PDF, Word (.doc, .docx) hoặc Excel (.xlsx), nhận biết theo nội dung tệp.")
    })?;
    let id: String = Sha256::digest(&bytes)[..16].iter().map(|b| format!("{b:02x}")).collect();
    let template = Template { url: Template::url_of(&id), id: id.clone(), kind, size: bytes.len() as u32 };
    let kv = env.kv("KV")?;
    kv.put_bytes(&format!("template/{id}"), &bytes)?.execute().await?;
    kv.put(&meta_key(&id), serde_json::to_string(&template).map_err(|e| ApiError::Internal(e.to_string()))?)?.execute().await?;
    Ok(json(&template, None)?.with_status(201))
}

pub async fn download(env: &Env, id: &str) -> ApiResult<Response> {
    let missing = || ApiError::NotFound("Không tìm thấy mẫu đơn này.");
    if !Template::id_ok(id) {
        return Err(missing());
    }
    let kv = env.kv("KV")?;
    let template = kv.get(&meta_key(id)).json::<Template>().await?.ok_or_else(missing)?;
    let bytes = kv.get(&format!("template/{id}")).bytes().await?.ok_or_else(missing)?;
    let mut resp = Response::from_bytes(bytes)?;
    let headers = resp.headers_mut();
    headers.set("Content-Type", template.kind.mime())?;
    // The URL names the content: it never changes, so browsers and the CDN keep it.
    headers.set("Cache-Control", "public, max-age=31536000, immutable")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Content-Disposition", &format!("attachment; filename=\"mau-don-{id}.{}\"", template.kind.extension()))?;
    Ok(resp)
}

/// Whether a template with this id was uploaded (a publication may only link those).
pub async fn exists(env: &Env, id: &str) -> ApiResult<bool> {
    Ok(Template::id_ok(id) && env.kv("KV")?.get(&meta_key(id)).text().await?.is_some())
}
