//! What the applicant is told, per notice and channel. A transition owes notices
//! (`workflow::transition::NoticeKind`); its facts are fixed when the event happens (`Notice`)
//! and the words are chosen when it is delivered: a subject, a plain-text and an HTML e-mail,
//! and a short push message. Only the applicant's name, the dossier's code and procedure, the
//! dates and the officers' reasons appear — never the CCCD, the birth date or the address.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::date::{to_vi, to_vi_datetime};
use crate::dossier::{DossierCode, DossierStatus};
use crate::workflow::transition::{NoticeKind, Transition};

/// A notice's facts, as of its event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub code: DossierCode,
    pub procedure_name: String,
    pub applicant_name: String,
    pub status: DossierStatus,
    #[serde(with = "crate::date::iso_datetime")]
    pub at: NaiveDateTime,
    /// The appointment: the due date after the event (a new one after an apology).
    #[serde(with = "crate::date::iso_datetime")]
    pub due_at: NaiveDateTime,
    /// The officer's reason (supplement, refusal, apology).
    #[serde(default)]
    pub reason: Option<String>,
    /// The papers a supplement request asks for.
    #[serde(default)]
    pub missing: Vec<String>,
    #[serde(default)]
    pub result_number: Option<String>,
    /// The result's signature, for its verification link.
    #[serde(default)]
    pub signature: Option<String>,
    /// Returned by post rather than at the desk.
    #[serde(default)]
    pub by_post: bool,
}

impl Notice {
    /// The notices `t` owes, with their facts.
    pub fn of(t: &Transition) -> Vec<Notice> {
        let d = &t.dossier;
        t.notices
            .iter()
            .map(|kind| Notice {
                kind: *kind,
                code: d.code.clone(),
                procedure_name: d.procedure_name.clone(),
                applicant_name: d.applicant_name.clone(),
                status: d.state.status,
                at: t.event.at,
                due_at: d.timing.due_at,
                reason: match kind {
                    NoticeKind::SupplementRequested => d.supplement.as_ref().map(|s| s.reason.clone()),
                    NoticeKind::Apology => d.apology.as_ref().map(|a| a.reason.clone()),
                    NoticeKind::Refused => t.event.comment.clone(),
                    _ => None,
                },
                missing: d.supplement.as_ref().filter(|_| *kind == NoticeKind::SupplementRequested).map(|s| s.missing.clone()).unwrap_or_default(),
                result_number: d.result.as_ref().map(|r| r.number.clone()),
                signature: d.result.as_ref().map(|r| r.signature.clone()),
                by_post: t.event.comment.as_deref() == Some(crate::workflow::transition::RETURNED_BY_POST),
            })
            .collect()
    }
}

/// A notice in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub subject: String,
    /// Short, for a push notification.
    pub title: String,
    pub body: String,
    /// The e-mail as plain text.
    pub text: String,
    /// The e-mail as HTML (escaped, one column, readable on a phone and by a screen reader).
    pub html: String,
    /// The tracking page.
    pub url: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The words of `n` for a service at `origin` (e.g. `https://dichvucong.quangninh.gov.vn`);
/// `unsubscribe` is the e-mail's link to stop messages about this dossier.
pub fn message(n: &Notice, origin: &str, unsubscribe: &str) -> Message {
    let code = n.code.as_str();
    let url = format!("{origin}/ho-so/{code}");
    let due = to_vi_datetime(n.due_at);
    let (title, mut lines): (&str, Vec<String>) = match n.kind {
        NoticeKind::Received => ("Đã nhận hồ sơ", vec![format!("Hồ sơ {code} đã được ghi nhận lúc {}. Ngày hẹn trả kết quả dự kiến: {due}.", to_vi_datetime(n.at))]),
        NoticeKind::Accepted => ("Hồ sơ đã được tiếp nhận", vec![format!("Bộ phận một cửa đã tiếp nhận hồ sơ {code}. Ngày hẹn trả kết quả: {due}.")]),
        NoticeKind::SupplementRequested => {
            let mut l = vec![format!("Hồ sơ {code} cần bổ sung giấy tờ trước khi tiếp tục giải quyết.")];
            if !n.missing.is_empty() {
                l.push(format!("Cần bổ sung: {}.", n.missing.join("; ")));
            }
            l.push("Thời hạn giải quyết tạm dừng cho đến khi bạn bổ sung. Cách bổ sung: mở trang theo dõi hồ sơ, nhập mã bí mật in trên giấy tiếp nhận, đính kèm giấy tờ và bấm “Gửi bổ sung”.".to_owned());
            ("Cần bổ sung hồ sơ", l)
        }
        NoticeKind::Refused => ("Hồ sơ không được giải quyết", vec![format!("Hồ sơ {code} không được tiếp nhận hoặc đã dừng giải quyết.")]),
        NoticeKind::Apology => ("Xin lỗi và hẹn lại ngày trả kết quả", vec![format!("Cơ quan giải quyết xin lỗi vì hồ sơ {code} chưa thể trả kết quả đúng hẹn. Ngày hẹn mới: {due}.")]),
        NoticeKind::ResultReady => {
            let mut l = vec![format!("Hồ sơ {code} đã có kết quả{}.", n.result_number.as_ref().map(|r| format!(" (số {r})")).unwrap_or_default())];
            l.push("Kết quả được trả theo cách bạn đã chọn khi nộp hồ sơ: nhận tại Trung tâm Phục vụ hành chính công (mang theo giấy tiếp nhận) hoặc qua bưu chính.".to_owned());
            if let Some(sig) = &n.signature {
                l.push(format!("Kiểm tra kết quả là thật: {origin}/xac-minh/{code}?sig={sig}"));
            }
            ("Hồ sơ đã có kết quả", l)
        }
        NoticeKind::Returned => (
            "Đã trả kết quả",
            vec![if n.by_post { format!("Kết quả của hồ sơ {code} đã được gửi qua bưu chính.") } else { format!("Kết quả của hồ sơ {code} đã được trả.") }],
        ),
    };
    if let Some(reason) = n.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        lines.insert(1, format!("Lý do: {}", reason.trim()));
    }
    let body = lines[0].clone();
    let greeting = format!("Kính gửi {},", n.applicant_name);
    let text = format!(
        "{greeting}\n\n{}\n\nThủ tục: {}\nTrạng thái: {}\nTheo dõi hồ sơ: {url}\n\nĐây là thư tự động, vui lòng không trả lời. Ngừng nhận thư về hồ sơ này: {unsubscribe}\n",
        lines.join("\n\n"),
        n.procedure_name,
        n.status.label_vi(),
    );
    let paragraphs: String = lines.iter().map(|l| format!("<p>{}</p>", escape(l))).collect();
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c;max-width:600px;margin:0 auto;padding:16px\">\
         <h1 style=\"font-size:22px\">{t}</h1><p>{g}</p>{paragraphs}\
         <p><strong>Thủ tục:</strong> {p}<br><strong>Trạng thái:</strong> {s}<br><strong>Mã hồ sơ:</strong> {code}</p>\
         <p><a href=\"{u}\" style=\"display:inline-block;background:#00703c;color:#fff;padding:10px 16px;text-decoration:none\">Xem hồ sơ {code}</a></p>\
         <p style=\"font-size:14px;color:#505a5f\">Đây là thư tự động, vui lòng không trả lời. <a href=\"{x}\">Ngừng nhận thư về hồ sơ này</a>.</p>\
         </body></html>",
        t = escape(title),
        g = escape(&greeting),
        p = escape(&n.procedure_name),
        s = escape(n.status.label_vi()),
        u = escape(&url),
        x = escape(unsubscribe),
    );
    Message { subject: format!("[{code}] {title}"), title: title.to_owned(), body, text, html, url }
}

/// The mail that answers "I lost my secret": a link with a new one, to the address on file.
pub fn recovery_message(code: &str, procedure_name: &str, name: &str, link: &str) -> Message {
    let title = "Liên kết mới để xem hồ sơ";
    let lines = [
        format!("Theo đề nghị gửi lúc vừa rồi, đây là liên kết mới để xem và cập nhật hồ sơ {code} ({procedure_name}): {link}"),
        "Liên kết chứa một mã bí mật mới; mã bí mật in trên giấy tiếp nhận vẫn dùng được. Nếu bạn không đề nghị, hãy bỏ qua thư này.".to_owned(),
    ];
    let text = format!("Kính gửi {name},\n\n{}\n\nĐây là thư tự động, vui lòng không trả lời.\n", lines.join("\n\n"));
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5;max-width:600px;margin:0 auto;padding:16px\">\
         <h1 style=\"font-size:22px\">{t}</h1><p>Kính gửi {n},</p><p>{a}</p><p><a href=\"{l}\">Mở hồ sơ {c}</a></p><p>{b}</p></body></html>",
        t = escape(title),
        n = escape(name),
        a = escape(&format!("Theo đề nghị gửi lúc vừa rồi, đây là liên kết mới để xem và cập nhật hồ sơ {code} ({procedure_name}).")),
        l = escape(link),
        c = escape(code),
        b = escape(&lines[1]),
    );
    Message { subject: format!("[{code}] {title}"), title: title.to_owned(), body: lines[1].clone(), text, html, url: link.to_owned() }
}

/// The date of a digest's heading: "Thứ Hai, 30/11/2026".
pub fn weekday_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let day = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"][d.weekday().num_days_from_monday() as usize];
    format!("{day}, {}", to_vi(d))
}

/// One dossier of an officer's digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestLine {
    pub code: String,
    pub procedure_name: String,
    #[serde(with = "crate::date::iso_datetime")]
    pub due: NaiveDateTime,
}

/// An officer's morning digest: their queues' dossiers overdue, due today and due on the next
/// working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub officer: String,
    pub day: chrono::NaiveDate,
    pub next_day: chrono::NaiveDate,
    pub overdue: Vec<DigestLine>,
    pub today: Vec<DigestLine>,
    pub next: Vec<DigestLine>,
}

impl Digest {
    /// Sorts `lines` (each due at `due`) into the digest's three lists; `None` when all are empty
    /// (no mail then).
    pub fn of(officer: &str, now: NaiveDateTime, next_day: chrono::NaiveDate, lines: Vec<DigestLine>) -> Option<Digest> {
        let mut d = Digest { officer: officer.to_owned(), day: now.date(), next_day, overdue: vec![], today: vec![], next: vec![] };
        for l in lines {
            if l.due < now {
                d.overdue.push(l);
            } else if l.due.date() == now.date() {
                d.today.push(l);
            } else if l.due.date() <= next_day {
                d.next.push(l);
            }
        }
        (!d.overdue.is_empty() || !d.today.is_empty() || !d.next.is_empty()).then_some(d)
    }

    pub fn message(&self, origin: &str) -> Message {
        let title = format!("Hồ sơ cần xử lý — {}", weekday_date(self.day));
        let next_heading = format!("Đến hạn ngày làm việc tiếp theo ({})", to_vi(self.next_day));
        let sections = [("Quá hạn", &self.overdue), ("Đến hạn hôm nay", &self.today), (next_heading.as_str(), &self.next)];
        let mut text = format!("Kính gửi {},\n", self.officer);
        let mut html = format!(
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
             <body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5;max-width:600px;margin:0 auto;padding:16px\">\
             <h1 style=\"font-size:22px\">{t}</h1><p>Kính gửi {o},</p>",
            t = escape(&title),
            o = escape(&self.officer)
        );
        for (heading, lines) in sections {
            text += &format!("\n{heading} ({}):\n", lines.len());
            html += &format!("<h2 style=\"font-size:18px\">{} ({})</h2>", escape(heading), lines.len());
            if lines.is_empty() {
                text += "  (không có)\n";
                html += "<p>Không có.</p>";
                continue;
            }
            html += "<ul>";
            for l in lines.iter() {
                let link = format!("{origin}/can-bo/ho-so/{}", l.code);
                text += &format!("  - {} — {} — hạn {} — {link}\n", l.code, l.procedure_name, to_vi_datetime(l.due));
                html += &format!("<li><a href=\"{}\">{}</a> — {} — hạn {}</li>", escape(&link), escape(&l.code), escape(&l.procedure_name), escape(&to_vi_datetime(l.due)));
            }
            html += "</ul>";
        }
        text += "\nThư tự động gửi vào 7 giờ sáng các ngày làm việc.\n";
        html += "<p style=\"font-size:14px;color:#505a5f\">Thư tự động gửi vào 7 giờ sáng các ngày làm việc.</p></body></html>";
        let body = format!("{} quá hạn, {} đến hạn hôm nay", self.overdue.len(), self.today.len());
        Message { subject: title.clone(), title, body, text, html, url: format!("{origin}/can-bo") }
    }
}

/// `POST`/`DELETE /api/dossiers/{code}/subscriptions`: the browser's push subscription
/// (PushSubscription.toJSON()), with the receipt's secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionRequest {
    pub secret: String,
    pub subscription: PushSubscription,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    pub endpoint: String,
    pub keys: PushKeys,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeys {
    pub p256dh: String,
    pub auth: String,
}

/// `GET /api/push/key`: the VAPID public key (base64url), the browser's
/// `applicationServerKey`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKey {
    pub public_key: String,
}

impl NoticeKind {
    /// As the pages name it.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let (vi, en) = match self {
            NoticeKind::Received => ("Giấy tiếp nhận", "Receipt"),
            NoticeKind::Accepted => ("Đã tiếp nhận", "Received"),
            NoticeKind::SupplementRequested => ("Yêu cầu bổ sung", "More papers requested"),
            NoticeKind::Refused => ("Từ chối", "Refused"),
            NoticeKind::Apology => ("Xin lỗi, hẹn lại", "Apology, new date"),
            NoticeKind::ResultReady => ("Đã có kết quả", "Result ready"),
            NoticeKind::Returned => ("Đã trả kết quả", "Result handed over"),
        };
        lang.pick(vi, en)
    }

    pub fn label_vi(self) -> &'static str {
        self.label(crate::i18n::Lang::Vi)
    }

}

#[cfg(feature = "push")]
pub mod push;

#[cfg(test)]
mod tests;
