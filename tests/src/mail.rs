//! The e-mails the local stack sent: `wrangler dev` keeps each message the `send_email`
//! binding sends as an .eml file under worker/.wrangler/tmp/email/. Read here as a mail client
//! would: headers, RFC 2047 subject, base64 parts.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub headers: String,
    pub text: String,
    pub html: String,
    pub modified: std::time::SystemTime,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "eml") {
            out.push(path);
        }
    }
}

fn decode_word(value: &str) -> String {
    match value.trim().strip_prefix("=?UTF-8?B?").and_then(|v| v.strip_suffix("?=")) {
        Some(b64) => String::from_utf8(STANDARD.decode(b64).unwrap_or_default()).unwrap_or_default(),
        None => value.trim().to_owned(),
    }
}

fn parse(raw: &str, modified: std::time::SystemTime) -> Mail {
    let raw = raw.replace("\r\n", "\n");
    let (headers, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let header = |name: &str| headers.lines().find_map(|l| l.strip_prefix(&format!("{name}: "))).unwrap_or_default().to_owned();
    let to = header("To").trim_matches(['<', '>']).to_owned();
    let (mut text, mut html) = (String::new(), String::new());
    for part in body.split("\n--") {
        let Some((part_headers, content)) = part.split_once("\n\n") else { continue };
        let decoded = String::from_utf8(STANDARD.decode(content.lines().take_while(|l| !l.starts_with("--")).collect::<String>()).unwrap_or_default()).unwrap_or_default();
        if part_headers.contains("text/plain") {
            text = decoded;
        } else if part_headers.contains("text/html") {
            html = decoded;
        }
    }
    Mail { to, subject: decode_word(&header("Subject")), headers: headers.to_owned(), text, html, modified }
}

/// The messages `address` has received once there are `n` (the stack sends after the
/// response); fails, naming their subjects, if they have not come within 30 s.
pub fn wait_for(address: &str, n: usize) -> Vec<Mail> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let got = sent_to(address);
        if got.len() >= n {
            return got;
        }
        assert!(std::time::Instant::now() < deadline, "{address}: {} of {n} messages: {:?}", got.len(), got.iter().map(|m| &m.subject).collect::<Vec<_>>());
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Every message sent to `address` during this stack's life, oldest first.
pub fn sent_to(address: &str) -> Vec<Mail> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../worker/.wrangler/tmp/email");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    let mut mails: Vec<Mail> = paths
        .iter()
        .filter_map(|p| {
            let raw = std::fs::read_to_string(p).ok()?;
            let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok()?;
            Some(parse(&raw, modified))
        })
        .filter(|m| m.to == address)
        .collect();
    mails.sort_by_key(|m| m.modified);
    mails
}
