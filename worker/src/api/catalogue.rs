//! Public catalogue: search, one procedure, fields, agencies, indicators.

use motcua_core::query::ProcedureQuery;
use worker::{Env, Response, Url};

use super::json;
use crate::error::{ApiError, ApiResult};
use crate::store;

// Catalogue answers change only when the catalogue is loaded or published.
const MAX_AGE: Option<u32> = Some(60);

pub async fn search(env: &Env, url: &Url) -> ApiResult<Response> {
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let query = ProcedureQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let page = store::catalogue::search(&env.d1("DB")?, &query).await?;
    json(&page, MAX_AGE)
}

pub async fn procedure(env: &Env, id: &str) -> ApiResult<Response> {
    match store::catalogue::procedure(&env.d1("DB")?, id).await? {
        Some(p) => json(&p, MAX_AGE),
        None => Err(ApiError::NotFound("Không tìm thấy thủ tục hành chính với mã này.")),
    }
}

pub async fn fields(env: &Env) -> ApiResult<Response> {
    json(&store::catalogue::fields(&env.d1("DB")?).await?, MAX_AGE)
}

pub async fn agencies(env: &Env) -> ApiResult<Response> {
    json(&store::catalogue::agencies(&env.d1("DB")?).await?, MAX_AGE)
}

pub async fn kpis(env: &Env) -> ApiResult<Response> {
    json(&store::catalogue::kpis(&env.d1("DB")?).await?, MAX_AGE)
}
