//! The e-mail channel: Cloudflare's `send_email` binding (`EMAIL`), one multipart message per
//! notice (plain text and HTML), to the address the applicant gave. Locally `wrangler dev`
//! keeps each message as a file and lists it at `/cdn-cgi/local/explorer/api/local/email/sending`.

use motcua_core::notify::Message;
use worker::{EmailMessage, Env};

use super::Outcome;

/// RFC 2047 encoded-word for a header holding UTF-8.
fn encoded_word(s: &str) -> String {
    format!("=?UTF-8?B?{}?=", base64(s.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A body part in base64, 76 characters a line (7-bit safe whatever the text).
fn part(content_type: &str, body: &str) -> String {
    let encoded = base64(body.as_bytes());
    let lines: Vec<&str> = encoded.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    format!("Content-Type: {content_type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n", lines.join("\r\n"))
}

/// The message as RFC 5322 text. `id` makes the Message-ID; `date` is RFC 2822.
pub fn mime(from: &str, to: &str, m: &Message, id: &str, date: &str, unsubscribe: &str) -> String {
    let domain = from.rsplit_once('@').map_or("motcua.local", |(_, d)| d);
    let boundary = format!("motcua-{id}");
    format!(
        "From: {} <{from}>\r\nTo: <{to}>\r\nSubject: {}\r\nDate: {date}\r\nMessage-ID: <{id}@{domain}>\r\n\
         MIME-Version: 1.0\r\nContent-Language: vi\r\nAuto-Submitted: auto-generated\r\n\
         List-Unsubscribe: <{unsubscribe}>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\
         Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n\
         --{boundary}\r\n{}--{boundary}\r\n{}--{boundary}--\r\n",
        encoded_word("Dịch vụ công một cửa"),
        encoded_word(&m.subject),
        part("text/plain", &m.text),
        part("text/html", &m.html),
    )
}

/// Sends `m` to `to`; a failure of the binding is worth another try.
pub async fn send(env: &Env, to: &str, m: &Message, id: &str, unsubscribe: &str) -> Outcome {
    let from = match crate::api::settings(env) {
        Ok(s) => s.email_from.clone(),
        Err(e) => return Outcome::Retry(format!("{e:?}")),
    };
    // Vietnam's local time, as every instant here is.
    let date = match crate::api::now() {
        Ok(t) => t.format("%a, %d %b %Y %H:%M:%S +0700").to_string(),
        Err(_) => return Outcome::Retry("clock".into()),
    };
    let raw = mime(&from, to, m, id, &date, unsubscribe);
    let sent = async {
        let message = EmailMessage::new(&from, to, &raw)?;
        env.send_email("EMAIL")?.send(&message).await?;
        Ok::<(), worker::Error>(())
    };
    match sent.await {
        Ok(()) => Outcome::Sent,
        Err(e) => Outcome::Retry(format!("send_email: {e}")),
    }
}
