//! Signed results: the worker signs each result record with an Ed25519 key kept as a Worker
//! secret (`RESULT_SIGNING_KEY`, 32 bytes hex); anyone checks a record against the public key.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use motcua_core::dossier::DossierCode;
use motcua_core::workflow::{PublicKey, Verification};
use motcua_core::{ErrorBody, ErrorCode};
use worker::Url;

use super::{Cx, hex, json, unhex};
use crate::error::{ApiError, ApiResult};
use crate::store;

fn key(cx: &Cx<'_>) -> ApiResult<SigningKey> {
    let text = cx.env
        .secret("RESULT_SIGNING_KEY")
        .map(|s| s.to_string())
        .map_err(|_| ApiError::Internal("RESULT_SIGNING_KEY is not set".into()))?;
    let bytes = unhex(text.trim()).filter(|b| b.len() == 32).ok_or_else(|| ApiError::Internal("RESULT_SIGNING_KEY: not 32 bytes of hex".into()))?;
    Ok(SigningKey::from_bytes(&bytes.try_into().expect("32 bytes")))
}

/// The signer of result records (fails when the deployment has no key).
pub fn signer(cx: &Cx<'_>) -> ApiResult<impl Fn(&str) -> String> {
    let key = key(cx)?;
    Ok(move |message: &str| hex(&key.sign(message.as_bytes()).to_bytes()))
}

pub fn keys(cx: &Cx<'_>) -> ApiResult<worker::Response> {
    let public = hex(key(cx)?.verifying_key().as_bytes());
    json(&PublicKey { algorithm: "Ed25519".into(), public_key: public }, Some(3600))
}

fn not_genuine() -> ApiError {
    ApiError::Unprocessable(ErrorBody::from_code(ErrorCode::NotGenuine))
}

/// `GET /api/verify/{code}?sig=`: the record as the dossier holds it, if the signature in the
/// link is the one of that record under the published key.
pub async fn verify(cx: &Cx<'_>, url: &Url, code: &str) -> ApiResult<worker::Response> {
    let code = DossierCode::parse(code).map_err(|_| ApiError::NotFound("Không tìm thấy hồ sơ với mã này."))?;
    let sig = url.query_pairs().find(|(k, _)| k == "sig").map(|(_, v)| v.into_owned()).unwrap_or_default();
    let sig = unhex(&sig).and_then(|b| <[u8; 64]>::try_from(b).ok()).map(|b| Signature::from_bytes(&b)).ok_or_else(not_genuine)?;
    let db = &cx.db;
    let row = store::dossier::by_code(db, &code).await?.ok_or(ApiError::NotFound("Không tìm thấy hồ sơ với mã này."))?;
    let record = row.result()?.ok_or_else(not_genuine)?;
    let message = record.signed_message(&code, &row.procedure_id);
    key(cx)?.verifying_key().verify(message.as_bytes(), &sig).map_err(|_| not_genuine())?;
    let agency_name = store::catalogue::record(db, &row.procedure_id, row.procedure_version).await?.map(|p| p.agency_name).unwrap_or_default();
    json(
        &Verification {
            code: row.code.clone(),
            procedure: row.procedure_id.clone(),
            procedure_name: row.procedure_name.clone(),
            number: record.number,
            date: record.date,
            holder: record.holder,
            agency_name,
        },
        None,
    )
}

/// The verification page's address for a record, as the result slip's QR code carries it.
pub fn link(origin: &str, code: &str, signature: &str) -> String {
    format!("{origin}/xac-minh/{code}?sig={signature}")
}
