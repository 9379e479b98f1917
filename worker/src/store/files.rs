//! Files in R2 (binding `FILES`): attachments, supplement papers and result files under
//! `uploads/{id}`, form templates under `templates/{id}`. D1's `uploads` table says what was
//! uploaded and whether a dossier holds it (R2 and D1 are both strongly consistent: an upload
//! is visible to the next request anywhere). KV keeps caches only; files an older version kept
//! there are moved here by the Cron Trigger (`migrate_from_kv`).

use motcua_core::form::{FileKind, Upload};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{Bucket, D1Database, D1PreparedStatement, Env, HttpMetadata};

use crate::error::{ApiError, ApiResult};

pub fn bucket(env: &Env) -> ApiResult<Bucket> {
    Ok(env.bucket("FILES")?)
}

pub fn upload_key(id: &str) -> String {
    format!("uploads/{id}")
}

/// Stores an upload's bytes and records it (unattached until a dossier names it).
pub async fn put_upload(env: &Env, db: &D1Database, u: &Upload, sha256: &str, bytes: Vec<u8>, now: &str) -> ApiResult<()> {
    let metadata = HttpMetadata { content_type: Some(u.kind.mime().to_owned()), ..HttpMetadata::default() };
    bucket(env)?.put(upload_key(&u.id), bytes).http_metadata(metadata).execute().await?;
    db.prepare("INSERT OR IGNORE INTO uploads (id, kind, size, sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(&[
            JsValue::from_str(&u.id),
            JsValue::from_str(u.kind.as_str()),
            JsValue::from_f64(f64::from(u.size)),
            JsValue::from_str(sha256),
            JsValue::from_str(now),
        ])?
        .run()
        .await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct UploadRow {
    pub id: String,
    pub kind: String,
    pub size: u32,
    pub sha256: String,
}

impl UploadRow {
    pub fn upload(&self) -> Option<Upload> {
        Some(Upload { id: self.id.clone(), kind: FileKind::parse(&self.kind)?, size: self.size })
    }
}

pub async fn find(db: &D1Database, id: &str) -> ApiResult<Option<UploadRow>> {
    Ok(db.prepare("SELECT id, kind, size, sha256 FROM uploads WHERE id = ?1").bind(&[JsValue::from_str(id)])?.first::<UploadRow>(None).await?)
}

/// The bytes of an upload.
pub async fn bytes(env: &Env, id: &str) -> ApiResult<Option<Vec<u8>>> {
    match bucket(env)?.get(upload_key(id)).execute().await? {
        Some(object) => Ok(Some(object.body().ok_or_else(|| ApiError::Internal(format!("upload {id}: no body")))?.bytes().await?)),
        None => Ok(None),
    }
}

/// The statement that marks the uploads a dossier names as kept for good (in the batch of the
/// change that names them).
pub fn attach(db: &D1Database, ids: &[&str]) -> ApiResult<Option<D1PreparedStatement>> {
    if ids.is_empty() {
        return Ok(None);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("?{i}")).collect();
    let binds: Vec<JsValue> = ids.iter().map(|i| JsValue::from_str(i)).collect();
    Ok(Some(db.prepare(format!("UPDATE uploads SET attached = 1 WHERE attached = 0 AND id IN ({})", marks.join(", "))).bind(&binds)?))
}

/// Deletes uploads no dossier named within a day of their upload; how many went.
pub async fn sweep_unattached(env: &Env, db: &D1Database, before: &str) -> ApiResult<usize> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let old: Vec<Id> = db
        .prepare("SELECT id FROM uploads WHERE attached = 0 AND created_at < ?1 LIMIT 200")
        .bind(&[JsValue::from_str(before)])?
        .all()
        .await?
        .results()?;
    if old.is_empty() {
        return Ok(0);
    }
    bucket(env)?.delete_multiple(old.iter().map(|o| upload_key(&o.id)).collect::<Vec<_>>()).await?;
    let statements = old
        .iter()
        .map(|o| Ok(db.prepare("DELETE FROM uploads WHERE id = ?1 AND attached = 0").bind(&[JsValue::from_str(&o.id)])?))
        .collect::<ApiResult<Vec<_>>>()?;
    db.batch(statements).await?;
    Ok(old.len())
}

/// Moves up to 50 uploads an older version kept in KV (30-day expiry) to R2, attached when a
/// dossier names them; how many moved.
pub async fn migrate_from_kv(env: &Env, db: &D1Database, now: &str) -> ApiResult<usize> {
    let kv = env.kv("KV")?;
    let listed = kv.list().prefix("upload-meta/".into()).limit(50).execute().await?;
    let mut moved = 0;
    for key in listed.keys {
        let id = key.name.trim_start_matches("upload-meta/").to_owned();
        let (Some(meta), Some(data)) = (kv.get(&key.name).json::<Upload>().await?, kv.get(&format!("upload/{id}")).bytes().await?) else {
            kv.delete(&key.name).await?;
            continue;
        };
        use sha2::Digest;
        let sha = super::super::api::hex(&sha2::Sha256::digest(&data));
        put_upload(env, db, &meta, &sha, data, now).await?;
        let pattern = format!("%{id}%");
        db.prepare("UPDATE uploads SET attached = 1 WHERE id = ?1 AND EXISTS (SELECT 1 FROM dossiers WHERE documents LIKE ?2 OR result LIKE ?2)")
            .bind(&[JsValue::from_str(&id), JsValue::from_str(&pattern)])?
            .run()
            .await?;
        kv.delete(&format!("upload/{id}")).await?;
        kv.delete(&key.name).await?;
        moved += 1;
    }
    Ok(moved)
}
