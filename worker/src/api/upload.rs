//! Attachments: stored in KV under the SHA-256 of their content, recognised by their bytes.

use motcua_core::form::{FileKind, Upload, MAX_UPLOAD_BYTES};
use motcua_core::{ErrorBody, ErrorCode};
use sha2::{Digest, Sha256};
use worker::{Env, Request, Response};

use super::json;
use crate::error::{ApiError, ApiResult};

/// Uploads not attached to a dossier within this time disappear (KV expiry).
const TTL_SECONDS: u64 = 30 * 24 * 3600;

pub fn meta_key(id: &str) -> String {
    format!("upload-meta/{id}")
}

pub async fn upload(req: &mut Request, env: &Env) -> ApiResult<Response> {
    let declared = req.headers().get("Content-Length")?.and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD_BYTES) {
        return Err(ApiError::PayloadTooLarge);
    }
    let bytes = req.bytes().await.map_err(|_| ApiError::BadRequest(ErrorBody::from_code(ErrorCode::InvalidBody)))?;
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let kind = FileKind::sniff(&bytes).ok_or(ApiError::UnsupportedMediaType)?;
    let id: String = Sha256::digest(&bytes)[..16].iter().map(|b| format!("{b:02x}")).collect();
    let upload = Upload { id: id.clone(), kind, size: bytes.len() as u32 };
    let kv = env.kv("KV")?;
    kv.put_bytes(&format!("upload/{id}"), &bytes)?.expiration_ttl(TTL_SECONDS).execute().await?;
    kv.put(&meta_key(&id), serde_json::to_string(&upload).map_err(|e| ApiError::Internal(e.to_string()))?)?
        .expiration_ttl(TTL_SECONDS)
        .execute()
        .await?;
    Ok(json(&upload, None)?.with_status(201))
}

/// The stored description of an upload, if it exists.
pub async fn find(env: &Env, id: &str) -> ApiResult<Option<Upload>> {
    if !Upload::id_ok(id) {
        return Ok(None);
    }
    Ok(env.kv("KV")?.get(&meta_key(id)).json::<Upload>().await?)
}
