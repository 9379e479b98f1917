//! Form templates: uploaded by admins into R2 under their content's hash, served to anyone
//! with their content type and cached for ever (a changed form is a new file, a new URL). The
//! type is kept as the object's metadata; an older version kept templates in KV, read as a
//! fallback.

use motcua_core::catalogue::template::{Template, TemplateKind, MAX_TEMPLATE_BYTES};
use sha2::{Digest, Sha256};
use worker::{HttpMetadata, Request, Response};

use super::{Cx, json, read_capped};
use crate::error::{ApiError, ApiResult};
use crate::store::files::bucket;

fn key(id: &str) -> String {
    format!("templates/{id}")
}

pub async fn upload(req: &mut Request, cx: &Cx<'_>) -> ApiResult<Response> {
    let bytes = read_capped(req, MAX_TEMPLATE_BYTES, ApiError::PayloadTooLarge).await?;
    let kind = TemplateKind::sniff(&bytes).ok_or_else(|| {
        ApiError::UnsupportedWith("Mẫu đơn phải là tệp PDF, Word (.doc, .docx) hoặc Excel (.xlsx), nhận biết theo nội dung tệp.")
    })?;
    let id: String = Sha256::digest(&bytes)[..16].iter().map(|b| format!("{b:02x}")).collect();
    let template = Template { url: Template::url_of(&id), id: id.clone(), kind, size: bytes.len() as u32 };
    let metadata = HttpMetadata { content_type: Some(kind.mime().to_owned()), ..HttpMetadata::default() };
    bucket(cx.env)?.put(key(&id), bytes).http_metadata(metadata).execute().await?;
    Ok(json(&template, None)?.with_status(201))
}

/// The bytes and type of a stored template.
async fn read(cx: &Cx<'_>, id: &str) -> ApiResult<Option<(Vec<u8>, TemplateKind)>> {
    if let Some(object) = bucket(cx.env)?.get(key(id)).execute().await? {
        let bytes = object.body().ok_or_else(|| ApiError::Internal(format!("template {id}: no body")))?.bytes().await?;
        let kind = TemplateKind::sniff(&bytes).ok_or_else(|| ApiError::Internal(format!("template {id}: unknown kind")))?;
        return Ok(Some((bytes, kind)));
    }
    let kv = cx.env.kv("KV")?;
    match (kv.get(&format!("template-meta/{id}")).json::<Template>().await?, kv.get(&format!("template/{id}")).bytes().await?) {
        (Some(t), Some(bytes)) => Ok(Some((bytes, t.kind))),
        _ => Ok(None),
    }
}

pub async fn download(cx: &Cx<'_>, id: &str) -> ApiResult<Response> {
    let missing = || ApiError::NotFound("Không tìm thấy mẫu đơn này.");
    if !Template::id_ok(id) {
        return Err(missing());
    }
    let (bytes, kind) = read(cx, id).await?.ok_or_else(missing)?;
    let mut resp = Response::from_bytes(bytes)?;
    let headers = resp.headers_mut();
    headers.set("Content-Type", kind.mime())?;
    // The URL names the content: it never changes, so browsers and the CDN keep it.
    headers.set("Cache-Control", "public, max-age=31536000, immutable")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Content-Security-Policy", "sandbox; default-src 'none'")?;
    headers.set("Content-Disposition", &format!("attachment; filename=\"mau-don-{id}.{}\"", kind.extension()))?;
    Ok(resp)
}

/// Whether a template with this id was uploaded (a publication may only link those).
pub async fn exists(cx: &Cx<'_>, id: &str) -> ApiResult<bool> {
    if !Template::id_ok(id) {
        return Ok(false);
    }
    Ok(bucket(cx.env)?.head(key(id)).await?.is_some() || cx.env.kv("KV")?.get(&format!("template-meta/{id}")).text().await?.is_some())
}
