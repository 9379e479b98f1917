//! The JSON error body every API error answers with, and its wording in each language.
//!
//! The worker decides the status and the code; the app shows `message` (already Vietnamese)
//! and may branch on `code`. Keeping the type here means both ends agree on the shape.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidQuery,
    /// The request body is not the JSON the endpoint takes.
    InvalidBody,
    /// Form answers failed validation; `fields` says which and why.
    Validation,
    /// The procedure cannot be submitted online.
    NotOnline,
    /// The secret or phone number does not match the dossier.
    Forbidden,
    /// Too many attempts; try again later.
    TooManyRequests,
    /// An attachment over the size limit.
    TooLarge,
    /// An attachment that is not a PDF, JPEG or PNG by its content.
    UnsupportedFile,
    MethodNotAllowed,
    /// No live staff session (or a wrong user name or password at login).
    Unauthorized,
    /// Signed in, but the account's roles or agency do not allow this, or the request came
    /// from another site.
    NotAllowed,
    /// Someone else changed the dossier first.
    Conflict,
    /// The action does not exist at the dossier's current step.
    InvalidTransition,
    /// A result record whose signature does not match.
    NotGenuine,
    Internal,
    /// The deployment is not ready for this (a secret it needs is not set).
    Unavailable,
    /// The app could not reach the server at all (never sent by the worker).
    Network,
}

impl ErrorCode {
    /// The message shown when nothing more specific is known. Inlined so that a call with a
    /// constant code keeps one string, not the whole table (the app's first-load budget).
    #[inline(always)]
    pub fn default_message(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "Không tìm thấy nội dung bạn yêu cầu.",
            ErrorCode::InvalidQuery => "Yêu cầu không hợp lệ.",
            ErrorCode::InvalidBody => "Dữ liệu gửi lên không đúng định dạng.",
            ErrorCode::Validation => "Một số thông tin chưa hợp lệ. Vui lòng kiểm tra các mục được đánh dấu.",
            ErrorCode::NotOnline => "Thủ tục này chưa nhận hồ sơ trực tuyến.",
            ErrorCode::Forbidden => "Mã bí mật không khớp với hồ sơ.",
            ErrorCode::TooManyRequests => "Bạn đã thử sai quá nhiều lần. Vui lòng thử lại sau 15 phút.",
            ErrorCode::TooLarge => "Tệp quá lớn: mỗi tệp tối đa 5 MB.",
            ErrorCode::UnsupportedFile => "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).",
            ErrorCode::MethodNotAllowed => "Phương thức không được hỗ trợ cho địa chỉ này.",
            ErrorCode::Unauthorized => "Vui lòng đăng nhập.",
            ErrorCode::NotAllowed => "Tài khoản của bạn không có quyền thực hiện việc này.",
            ErrorCode::Conflict => "Hồ sơ vừa được người khác xử lý. Vui lòng tải lại để xem trạng thái mới.",
            ErrorCode::InvalidTransition => "Không thể thực hiện thao tác này ở bước hiện tại của hồ sơ.",
            ErrorCode::NotGenuine => "Không xác thực được: kết quả này không do cơ quan cấp, hoặc đã bị sửa đổi.",
            ErrorCode::Internal => "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.",
            ErrorCode::Unavailable => "Dịch vụ tạm thời chưa sẵn sàng. Vui lòng thử lại sau.",
            ErrorCode::Network => "Không kết nối được với máy chủ. Vui lòng kiểm tra mạng và thử lại.",
        }
    }

    /// The message in `lang`: Vietnamese as above, English from its own exhaustive table.
    #[inline(always)]
    pub fn message(self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::Vi => self.default_message(),
            crate::i18n::Lang::En => self.english(),
        }
    }

    /// Worded to hold for every error of the code, since the worker's specific Vietnamese
    /// messages (a template's file types, a reused key) have no English of their own yet.
    fn english(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "We could not find what you asked for.",
            ErrorCode::InvalidQuery => "The request is not valid.",
            ErrorCode::InvalidBody => "The data sent is not in the expected format.",
            ErrorCode::Validation => "Some answers are not valid. Please check the marked items.",
            ErrorCode::NotOnline => "This procedure does not take applications online yet.",
            ErrorCode::Forbidden => "The secret code does not match the application.",
            ErrorCode::TooManyRequests => "Too many failed attempts. Please try again in 15 minutes.",
            ErrorCode::TooLarge => "What was sent is over the size limit (5 MB for a file).",
            ErrorCode::UnsupportedFile => "This type of file is not accepted here (files are checked by their content, not their name).",
            ErrorCode::MethodNotAllowed => "This method is not supported at this address.",
            ErrorCode::Unauthorized => "Please sign in, or check the user name and password.",
            ErrorCode::NotAllowed => "Your account is not allowed to do this.",
            ErrorCode::Conflict => "This was changed or taken first by someone else. Please reload and try again.",
            ErrorCode::InvalidTransition => "This action is not possible at the application's current step.",
            ErrorCode::NotGenuine => "Not verified: this result was not issued by the agency, or it has been altered.",
            ErrorCode::Internal => "The system has a problem. Please try again in a few minutes.",
            ErrorCode::Unavailable => "The service is not ready yet. Please try again later.",
            ErrorCode::Network => "Could not reach the server. Please check your connection and try again.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// Field-level messages of a `validation` error, to show next to each input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::form::FieldError>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody { code, message: message.into(), fields: Vec::new() }
    }

    #[inline(always)]
    pub fn from_code(code: ErrorCode) -> Self {
        ErrorBody::new(code, code.default_message())
    }
}

impl ErrorBody {
    /// The body as sent to a client asking for `lang`. Vietnamese keeps the specific message;
    /// English gives the code's own text (specific English wording per message is still to come,
    /// issue #16), and field messages stay as core wrote them.
    pub fn in_language(mut self, lang: crate::i18n::Lang) -> Self {
        if lang != crate::i18n::Lang::Vi {
            self.message = self.code.message(lang).to_owned();
        }
        self
    }
}

impl std::fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn english_replaces_the_message_and_keeps_the_code_and_fields() {
        let field = crate::form::FieldError { field: "cccd".into(), message: "Số CCCD phải có 12 chữ số.".into() };
        let body = ErrorBody { fields: vec![field.clone()], ..ErrorBody::new(ErrorCode::Validation, "Thông tin chưa hợp lệ.") };
        assert_eq!(body.clone().in_language(Lang::Vi), body, "Vietnamese keeps the specific message");
        let en = body.in_language(Lang::En);
        assert_eq!(en.code, ErrorCode::Validation);
        assert_eq!(en.fields, vec![field]);
        assert_eq!(en.message, ErrorCode::Validation.message(Lang::En));
        assert_ne!(ErrorCode::Validation.message(Lang::En), ErrorCode::Validation.message(Lang::Vi));
    }
}
