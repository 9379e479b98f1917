//! Form templates (mẫu đơn, tờ khai) a procedure publishes for download: the online service
//! at level 2. Recognised by their bytes like attachments, stored under their content's hash.

use serde::{Deserialize, Serialize};

/// The largest template accepted (a form is a few pages).
pub const MAX_TEMPLATE_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    Pdf,
    /// Word 2007+ (a ZIP holding `word/`).
    Docx,
    /// Excel 2007+ (a ZIP holding `xl/`).
    Xlsx,
    /// Word or Excel 97–2003 (an OLE2 compound file).
    Doc,
}

impl TemplateKind {
    pub fn sniff(bytes: &[u8]) -> Option<TemplateKind> {
        const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.starts_with(b"%PDF-") {
            return Some(TemplateKind::Pdf);
        }
        if bytes.starts_with(&OLE2) {
            return Some(TemplateKind::Doc);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            // Office files name their parts in the ZIP's local headers near the start.
            let head = &bytes[..bytes.len().min(64 * 1024)];
            let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
            if has(b"word/") {
                return Some(TemplateKind::Docx);
            }
            if has(b"xl/") {
                return Some(TemplateKind::Xlsx);
            }
        }
        None
    }

    pub fn mime(self) -> &'static str {
        match self {
            TemplateKind::Pdf => "application/pdf",
            TemplateKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            TemplateKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            TemplateKind::Doc => "application/msword",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            TemplateKind::Pdf => "pdf",
            TemplateKind::Docx => "docx",
            TemplateKind::Xlsx => "xlsx",
            TemplateKind::Doc => "doc",
        }
    }
}

/// A stored template: its id is the first half of the SHA-256 of its content, so the same
/// file uploaded twice is one template and its URL can be cached for ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    pub kind: TemplateKind,
    pub size: u32,
    /// Where the procedure page links to it (`RequiredDocument::template`).
    pub url: String,
}

impl Template {
    pub fn id_ok(id: &str) -> bool {
        crate::form::Upload::id_ok(id)
    }

    pub fn url_of(id: &str) -> String {
        format!("/api/templates/{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_recognised_by_content() {
        assert_eq!(TemplateKind::sniff(b"%PDF-1.7 ..."), Some(TemplateKind::Pdf));
        assert_eq!(TemplateKind::sniff(b"PK\x03\x04....[Content_Types].xml....word/document.xml"), Some(TemplateKind::Docx));
        assert_eq!(TemplateKind::sniff(b"PK\x03\x04....xl/workbook.xml"), Some(TemplateKind::Xlsx));
        assert_eq!(TemplateKind::sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Some(TemplateKind::Doc));
        assert_eq!(TemplateKind::sniff(b"PK\x03\x04 a zip of photos"), None, "a zip that is no Office file");
        assert_eq!(TemplateKind::sniff(b"\x89PNG\r\n\x1a\n"), None, "an image is no form");
        assert_eq!(TemplateKind::sniff(b"<html>"), None);
    }
}
