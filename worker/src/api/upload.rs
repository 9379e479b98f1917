//! Attachments: kept in R2 under the SHA-256 of their content, recognised by their bytes, read
//! with their limit enforced while they arrive. Anonymous uploads are limited per client.

use motcua_core::dossier::FileName;
use motcua_core::form::{FileKind, Upload, MAX_UPLOAD_BYTES};
use motcua_core::date::to_iso_datetime;
use sha2::{Digest, Sha256};
use worker::{Request, Response};

use super::{Cx, hex, json, read_capped};
use crate::error::{ApiError, ApiResult};
use crate::store;

pub async fn upload(req: &mut Request, cx: &Cx<'_>) -> ApiResult<Response> {
    super::volume_limit(req, cx, "upload", cx.settings.upload_limit_per_hour, 60).await?;
    let bytes = read_capped(req, MAX_UPLOAD_BYTES, ApiError::PayloadTooLarge).await?;
    let kind = FileKind::sniff(&bytes).ok_or(ApiError::UnsupportedMediaType)?;
    let digest = Sha256::digest(&bytes);
    let upload = Upload { id: hex(&digest[..16]), kind, size: bytes.len() as u32 };
    store::files::put_upload(cx.env, &cx.db, &upload, &hex(&digest), bytes, &to_iso_datetime(cx.now)).await?;
    Ok(json(&upload, None)?.with_status(201))
}

/// The stored description of an upload, if it exists.
pub async fn find(cx: &Cx<'_>, id: &str) -> ApiResult<Option<Upload>> {
    if !Upload::id_ok(id) {
        return Ok(None);
    }
    Ok(store::files::find(&cx.db, id).await?.and_then(|r| r.upload()))
}

/// A file of a dossier, for download under `name` (the applicant's file name, or a label) with
/// the extension of what it is: its own type, never rendered in the site's origin.
pub async fn serve(cx: &Cx<'_>, id: &str, name: Option<&FileName>) -> ApiResult<Response> {
    let row = store::files::find(&cx.db, id).await?.ok_or(ApiError::NotFound("Không tìm thấy tệp."))?;
    let kind = row.upload().ok_or_else(|| ApiError::Internal(format!("upload {id}: kind {}", row.kind)))?.kind;
    let bytes = store::files::bytes(cx.env, id).await?.ok_or(ApiError::NotFound("Không tìm thấy tệp."))?;
    let mut resp = Response::from_bytes(bytes)?;
    let headers = resp.headers_mut();
    headers.set("Content-Type", kind.mime())?;
    headers.set("Content-Disposition", &disposition(name, id, kind.as_str()))?;
    headers.set("Cache-Control", "private, no-store")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Content-Security-Policy", "sandbox; default-src 'none'")?;
    Ok(resp)
}

/// The download name of a dossier's result file.
pub fn result_name(code: &str) -> FileName {
    FileName::parse(&format!("Ket qua {code}")).expect("a code is a name")
}

/// `attachment` with an ASCII fallback name and the real one in UTF-8 (RFC 6266, RFC 8187):
/// "Hộ chiếu.pdf" → `filename="ho chieu.pdf"; filename*=UTF-8''H%E1%BB%99%20chi%E1%BA%BFu.pdf`.
fn disposition(name: Option<&FileName>, id: &str, ext: &str) -> String {
    let full = name.map_or_else(|| format!("{id}.{ext}"), |n| n.with_extension(ext));
    let ascii: String = motcua_core::text::fold(&full)
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let encoded: String = full
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
