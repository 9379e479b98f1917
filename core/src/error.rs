//! The JSON error body every API error answers with, and its Vietnamese wording.
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

impl std::fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
