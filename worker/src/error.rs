//! One error type for every handler. Each variant states its status; the body is core's
//! `ErrorBody`, whose Vietnamese message the app shows as is. Internal causes are logged for
//! the operator and never sent to the client.

use motcua_core::{ErrorBody, ErrorCode};
use worker::{console_error, Response, Result};

#[derive(Debug)]
pub enum ApiError {
    /// 400: a parameter the client sent is malformed; the body names it.
    BadRequest(ErrorBody),
    /// 404: nothing at this path or with this key.
    NotFound(&'static str),
    /// 405: the path exists, the method does not; `Allow` lists the ones that do.
    MethodNotAllowed { allow: &'static str },
    /// 422: well-formed but refused by the rules (validation, a procedure not online).
    Unprocessable(ErrorBody),
    /// 403: the proof (secret, phone) does not match.
    Forbidden,
    /// 401: no live session, or wrong credentials; the message says which.
    Unauthorized(&'static str),
    /// 403: the account may not do this, or the request came from another site.
    NotAllowed(&'static str),
    /// 409: the dossier changed since the client read it.
    Conflict,
    /// 409: something else changed first (a catalogue version, an account); the message says what.
    ConflictWith(&'static str),
    /// 429: too many failed attempts.
    TooManyRequests,
    /// 413: an attachment over the size limit.
    PayloadTooLarge,
    /// 413: another body over its limit; the message says which.
    BodyTooLarge(&'static str),
    /// 415: an attachment that is not a PDF, JPEG or PNG by content.
    UnsupportedMediaType,
    /// 415 with its own message (a form template's accepted types).
    UnsupportedWith(&'static str),
    /// 500: storage or runtime failure; the detail goes to the log only.
    Internal(String),
    /// 503: the deployment lacks what this needs (a secret); the detail goes to the log only.
    Unavailable(&'static str),
}

impl ApiError {
    /// 422 with field-level messages (core's validation).
    pub fn validation(fields: Vec<motcua_core::form::FieldError>) -> Self {
        ApiError::Unprocessable(ErrorBody { fields, ..ErrorBody::from_code(ErrorCode::Validation) })
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest(_) => 400,
            ApiError::NotFound(_) => 404,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::Unprocessable(_) => 422,
            ApiError::Forbidden | ApiError::NotAllowed(_) => 403,
            ApiError::Unauthorized(_) => 401,
            ApiError::Conflict | ApiError::ConflictWith(_) => 409,
            ApiError::PayloadTooLarge | ApiError::BodyTooLarge(_) => 413,
            ApiError::UnsupportedMediaType | ApiError::UnsupportedWith(_) => 415,
            ApiError::TooManyRequests => 429,
            ApiError::Internal(_) => 500,
            ApiError::Unavailable(_) => 503,
        }
    }

    fn body(&self) -> ErrorBody {
        match self {
            ApiError::BadRequest(body) | ApiError::Unprocessable(body) => body.clone(),
            ApiError::NotFound(message) => ErrorBody::new(ErrorCode::NotFound, *message),
            ApiError::MethodNotAllowed { .. } => ErrorBody::from_code(ErrorCode::MethodNotAllowed),
            ApiError::Internal(_) => ErrorBody::from_code(ErrorCode::Internal),
            ApiError::Unavailable(_) => ErrorBody::from_code(ErrorCode::Unavailable),
            ApiError::Forbidden => ErrorBody::from_code(ErrorCode::Forbidden),
            ApiError::Unauthorized(message) => ErrorBody::new(ErrorCode::Unauthorized, *message),
            ApiError::NotAllowed(message) => ErrorBody::new(ErrorCode::NotAllowed, *message),
            ApiError::Conflict => ErrorBody::from_code(ErrorCode::Conflict),
            ApiError::ConflictWith(message) => ErrorBody::new(ErrorCode::Conflict, *message),
            ApiError::PayloadTooLarge => ErrorBody::from_code(ErrorCode::TooLarge),
            ApiError::BodyTooLarge(message) => ErrorBody::new(ErrorCode::TooLarge, *message),
            ApiError::UnsupportedMediaType => ErrorBody::from_code(ErrorCode::UnsupportedFile),
            ApiError::UnsupportedWith(message) => ErrorBody::new(ErrorCode::UnsupportedFile, *message),
            ApiError::TooManyRequests => ErrorBody::from_code(ErrorCode::TooManyRequests),
        }
    }

    /// The response in the language the client asked for (`Accept-Language`); `code` is the same.
    pub fn into_response(self, lang: motcua_core::Lang) -> Result<Response> {
        match &self {
            ApiError::Internal(detail) => console_error!("internal error: {detail}"),
            ApiError::Unavailable(detail) => console_error!("unavailable: {detail}"),
            _ => {}
        }
        let mut resp = Response::from_json(&self.body().in_language(lang))?.with_status(self.status());
        resp.headers_mut().set("Cache-Control", "no-store")?;
        resp.headers_mut().set("Content-Language", lang.tag())?;
        resp.headers_mut().set("Vary", "Accept-Language")?;
        if let ApiError::MethodNotAllowed { allow } = self {
            resp.headers_mut().set("Allow", allow)?;
        }
        if let ApiError::TooManyRequests = self {
            resp.headers_mut().set("Retry-After", "900")?;
        }
        Ok(resp)
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<worker::kv::KvError> for ApiError {
    fn from(e: worker::kv::KvError) -> Self {
        ApiError::Internal(format!("kv: {e}"))
    }
}

impl From<ErrorBody> for ApiError {
    fn from(body: ErrorBody) -> Self {
        ApiError::BadRequest(body)
    }
}

pub type ApiResult<T> = std::result::Result<T, ApiError>;
