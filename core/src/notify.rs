//! What the applicant is told, per notice and channel. A transition owes notices
//! (`workflow::transition::NoticeKind`); its facts are fixed when the event happens (`Notice`)
//! and the words are chosen when it is delivered: a subject, a plain-text and an HTML e-mail,
//! and a short push message. Only the applicant's name, the dossier's code and procedure, the
//! dates and the officers' reasons appear — never the CCCD, the birth date or the address.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::date::{datetime_text, to_vi, to_vi_datetime};
use crate::i18n::Lang;
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
    /// The applicant's language (Vietnamese for notices queued before it was recorded).
    #[serde(default)]
    pub lang: Lang,
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
                by_post: t.event.facts.handed_over == Some(crate::workflow::HandedOver::ByPost),
                lang: d.lang,
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
    let (title, mut lines) = match n.lang {
        Lang::Vi => vietnamese(n, origin),
        Lang::En => english(n, origin),
    };
    let w = Words::of(n.lang);
    if let Some(reason) = n.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        lines.insert(1, format!("{} {}", w.reason, reason.trim()));
    }
    let body = lines[0].clone();
    let greeting = format!("{} {},", w.dear, n.applicant_name);
    let status = n.status.label(n.lang);
    let text = format!(
        "{greeting}\n\n{}\n\n{} {}\n{} {status}\n{} {url}\n\n{} {}: {unsubscribe}\n",
        lines.join("\n\n"),
        w.procedure,
        n.procedure_name,
        w.status,
        w.track,
        w.automatic,
        w.stop,
    );
    let paragraphs: String = lines.iter().map(|l| format!("<p>{}</p>", escape(l))).collect();
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c;max-width:600px;margin:0 auto;padding:16px\">\
         <h1 style=\"font-size:22px\">{t}</h1><p>{g}</p>{paragraphs}\
         <p><strong>{wp}</strong> <span lang=\"vi\">{p}</span><br><strong>{ws}</strong> {s}<br><strong>{wc}</strong> {code}</p>\
         <p><a href=\"{u}\" style=\"display:inline-block;background:#00703c;color:#fff;padding:10px 16px;text-decoration:none\">{open} {code}</a></p>\
         <p style=\"font-size:14px;color:#505a5f\">{auto} <a href=\"{x}\">{stop}</a>.</p>\
         </body></html>",
        lang = n.lang.tag(),
        t = escape(title),
        g = escape(&greeting),
        wp = w.procedure,
        p = escape(&n.procedure_name),
        ws = w.status,
        s = escape(status),
        wc = w.code,
        open = w.open,
        u = escape(&url),
        auto = w.automatic,
        stop = w.stop,
        x = escape(unsubscribe),
    );
    Message { subject: format!("[{code}] {title}"), title: title.to_owned(), body, text, html, url }
}

/// The fixed words around a notice, per language.
struct Words {
    dear: &'static str,
    reason: &'static str,
    procedure: &'static str,
    status: &'static str,
    code: &'static str,
    track: &'static str,
    open: &'static str,
    automatic: &'static str,
    stop: &'static str,
}

impl Words {
    fn of(lang: Lang) -> Words {
        match lang {
            Lang::Vi => Words {
                dear: "Kính gửi",
                reason: "Lý do:",
                procedure: "Thủ tục:",
                status: "Trạng thái:",
                code: "Mã hồ sơ:",
                track: "Theo dõi hồ sơ:",
                open: "Xem hồ sơ",
                automatic: "Đây là thư tự động, vui lòng không trả lời.",
                stop: "Ngừng nhận thư về hồ sơ này",
            },
            Lang::En => Words {
                dear: "Dear",
                reason: "Reason:",
                procedure: "Procedure:",
                status: "Status:",
                code: "Application code:",
                track: "Track the application:",
                open: "See application",
                automatic: "This is an automatic message; please do not reply.",
                stop: "Stop e-mails about this application",
            },
        }
    }
}

/// A notice's title and paragraphs in English; the officers' reasons and the papers' names
/// stay as written.
fn english(n: &Notice, origin: &str) -> (&'static str, Vec<String>) {
    let code = n.code.as_str();
    let due = datetime_text(n.due_at, Lang::En);
    match n.kind {
        NoticeKind::Received => ("Application received", vec![format!("Application {code} was recorded on {}. The result is expected by {due}.", datetime_text(n.at, Lang::En))]),
        NoticeKind::Accepted => ("Application accepted", vec![format!("The one-stop desk has accepted application {code}. The result is due by {due}.")]),
        NoticeKind::SupplementRequested => {
            let mut l = vec![format!("Application {code} needs more papers before it can go on.")];
            if !n.missing.is_empty() {
                l.push(format!("Papers needed: {}.", n.missing.join("; ")));
            }
            l.push("The processing time is paused until you send them. To send them: open the tracking page, enter the secret code printed on your receipt, attach the papers and press “Send the papers”.".to_owned());
            ("More papers needed", l)
        }
        NoticeKind::Refused => ("Application not processed", vec![format!("Application {code} was not accepted, or its processing has stopped.")]),
        NoticeKind::Apology => ("Apology and a new date for the result", vec![format!("The agency apologises: the result of application {code} cannot be ready on the date given. The new date: {due}.")]),
        NoticeKind::ResultReady => {
            let mut l = vec![format!("The result of application {code} is ready{}.", n.result_number.as_ref().map(|r| format!(" (no. {r})")).unwrap_or_default())];
            l.push("It is handed over as you chose when applying: at the Public Administration Service Centre (bring your receipt) or by post.".to_owned());
            if let Some(sig) = &n.signature {
                l.push(format!("Check that the result is genuine: {origin}/xac-minh/{code}?sig={sig}"));
            }
            ("Result ready", l)
        }
        NoticeKind::Returned => (
            "Result handed over",
            vec![if n.by_post { format!("The result of application {code} has been sent by post.") } else { format!("The result of application {code} has been handed over.") }],
        ),
    }
}

fn vietnamese(n: &Notice, origin: &str) -> (&'static str, Vec<String>) {
    let code = n.code.as_str();
    let due = datetime_text(n.due_at, Lang::Vi);
    match n.kind {
        NoticeKind::Received => ("Đã nhận hồ sơ", vec![format!("Hồ sơ {code} đã được ghi nhận lúc {}. Ngày hẹn trả kết quả dự kiến: {due}.", datetime_text(n.at, Lang::Vi))]),
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
    }
}

/// The mail that answers "I lost my secret": a link with a new one, to the address on file, in
/// the applicant's language.
pub fn recovery_message(code: &str, procedure_name: &str, name: &str, link: &str, lang: Lang) -> Message {
    let w = Words::of(lang);
    let (title, asked, note) = match lang {
        Lang::Vi => (
            "Liên kết mới để xem hồ sơ",
            format!("Theo đề nghị gửi lúc vừa rồi, đây là liên kết mới để xem và cập nhật hồ sơ {code} ({procedure_name})."),
            "Liên kết chứa một mã bí mật mới; mã bí mật in trên giấy tiếp nhận vẫn dùng được. Nếu bạn không đề nghị, hãy bỏ qua thư này.",
        ),
        Lang::En => (
            "A new link to your application",
            format!("As just requested, here is a new link to see and update application {code} ({procedure_name})."),
            "The link holds a new secret code; the one printed on your receipt still works. If you did not ask for this, ignore this e-mail.",
        ),
    };
    let text = format!("{} {name},\n\n{} {link}\n\n{note}\n\n{}\n", w.dear, asked.trim_end_matches('.').to_owned() + ":", w.automatic);
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5;max-width:600px;margin:0 auto;padding:16px\">\
         <h1 style=\"font-size:22px\">{t}</h1><p>{d} {n},</p><p>{a}</p><p><a href=\"{l}\">{o} {c}</a></p><p>{b}</p></body></html>",
        lang = lang.tag(),
        t = escape(title),
        d = w.dear,
        n = escape(name),
        a = escape(&asked),
        l = escape(link),
        o = w.open,
        c = escape(code),
        b = escape(note),
    );
    Message { subject: format!("[{code}] {title}"), title: title.to_owned(), body: note.to_owned(), text, html, url: link.to_owned() }
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
