use leptos::prelude::*;
use motcua_core::date::to_vi_datetime;
use motcua_core::dossier::Receipt;
use motcua_core::form::applicant_section;

/// Slip 01, the receipt and appointment (giấy tiếp nhận hồ sơ và hẹn trả kết quả): the same
/// for an online submission and a walk-in registered at the desk. Printable on A4.
#[component]
pub fn ReceiptSlip(r: Receipt) -> impl IntoView {
    let track = format!("/ho-so/{}", r.code.as_str());
    let answer = |id: &str| r.applicant.get(id).cloned();
    let delivery = applicant_section()
        .fields
        .into_iter()
        .find(|f| f.id == "delivery")
        .and_then(|f| match f.kind {
            motcua_core::form::FieldKind::Choice { options } => {
                options.into_iter().find(|o| Some(&o.value) == r.applicant.get("delivery")).map(|o| o.label)
            }
            _ => None,
        });
    let rows: Vec<(&str, Option<String>)> = vec![
        ("Người nộp", answer("full_name")),
        ("Số điện thoại", answer("phone")),
        ("Thư điện tử", answer("email")),
        ("Địa chỉ", answer("address")),
        ("Thủ tục", Some(r.procedure_name.clone())),
        ("Hình thức nộp", Some(if r.channel == "walk_in" { "Trực tiếp tại bộ phận một cửa" } else { "Trực tuyến" }.to_owned())),
        ("Nộp lúc", Some(to_vi_datetime(r.submitted_at))),
        ("Thời hạn giải quyết", Some(r.term.text())),
        ("Hẹn trả kết quả", Some(format!("{}{}", to_vi_datetime(r.due_at), crate::pages::procedure::provisional(r.provisional_year)))),
        ("Cách nhận kết quả", delivery),
        ("Trạng thái", Some(r.status.label_vi().to_owned())),
    ];
    let documents = r.documents.clone();
    view! {
        <article class="receipt">
            <h1>"Giấy tiếp nhận hồ sơ và hẹn trả kết quả"</h1>
            <p>"Mã hồ sơ"</p>
            <p class="code big">{r.code.as_str().to_owned()}</p>
            <dl class="facts">
                {rows.into_iter().filter_map(|(l, v)| v.map(|v| view! { <dt>{l}</dt><dd>{v}</dd> })).collect_view()}
            </dl>
            <h2>"Giấy tờ đã nhận"</h2>
            {if documents.is_empty() {
                view! { <p>"Không có tệp đính kèm."</p> }.into_any()
            } else {
                view! { <ol class="attached">{documents.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ol> }.into_any()
            }}
            <img class="qr" src=format!("/api/dossiers/{}/qr.svg", r.code.as_str()) width="160" height="160"
                alt=format!("Mã QR mở trang theo dõi hồ sơ {}", r.code.as_str())/>
            <div class="notice">
                <p>"Mã bí mật (chỉ hiển thị một lần, hãy ghi lại):"</p>
                <p class="code secret">{r.secret.clone()}</p>
                <p>"Dùng mã hồ sơ để theo dõi; thêm mã bí mật hoặc số điện thoại để xem thông tin cá nhân."</p>
            </div>
            <p class="no-print">"Góp ý về việc tiếp nhận: "
                <a href=format!("/khao-sat?ho-so={}#ma={}", r.code.as_str(), r.secret) rel="external">"phiếu khảo sát"</a></p>
            <p class="actions">
                <a class="button" href=track rel="external">"Theo dõi hồ sơ"</a>
                <button type="button" class="secondary" on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>"In giấy tiếp nhận"</button>
            </p>
        </article>
    }
}
