use leptos::prelude::*;
use motcua_core::date::to_vi_datetime;

use crate::api;
use crate::components::loader::loader;
use crate::components::pager::Pager;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;

fn today() -> String {
    motcua_core::date::to_iso(crate::components::today::today())
}

/// `/can-bo/so-theo-doi`: the register of dossiers (slip 06) for a span of days, printable.
#[component]
pub fn Register() -> impl IntoView {
    set_title("Sổ theo dõi hồ sơ");
    let from = RwSignal::new(today());
    let to = RwSignal::new(today());
    let page = RwSignal::new(1u32);
    // A new period starts at its first page.
    Effect::new(move |_| {
        let _ = (from.get(), to.get());
        page.set(1);
    });
    let lines = loader(move || {
        let (f, t, p) = (from.get(), to.get(), page.get());
        async move { api::staff_register(&f, &t, p).await }
    });
    view! {
        <h1>"Sổ theo dõi hồ sơ (mẫu 06)"</h1>
        <div class="no-print range">
            <label>"Từ ngày " <input type="date" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/></label>
            <label>"Đến ngày " <input type="date" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev))/></label>
            <button type="button" on:click=|_| { let _ = window().print(); }>"In sổ"</button>
            <a class="button" download href=move || format!("/api/staff/register?from={}&to={}&format=csv", from.get(), to.get())>"Tải CSV"</a>
        </div>
        {move || match lines.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(register)) => view! {
                <p class="count" role="status">{format!("{} hồ sơ trong khoảng ngày này.", register.total)}
                    {(register.total > register.per_page).then_some(" Tệp CSV có đủ mọi dòng; trên màn hình mỗi trang một phần.")}</p>
                <table class="register">
                    <thead><tr><th>"STT"</th><th>"Mã hồ sơ"</th><th>"Người nộp"</th><th>"Thủ tục"</th><th>"Tiếp nhận"</th><th>"Hẹn trả"</th><th>"Trạng thái"</th><th>"Số kết quả"</th></tr></thead>
                    <tbody>{register.items.into_iter().enumerate().map(|(i, l)| view! {
                        <tr><td>{(register.page - 1) * register.per_page + i as u32 + 1}</td><td><a href=format!("/can-bo/ho-so/{}", l.code.as_str())>{l.code.as_str().to_owned()}</a></td>
                        <td>{l.applicant_name}</td><td>{l.procedure_name}</td><td>{to_vi_datetime(l.submitted_at)}</td>
                        <td>{to_vi_datetime(l.due_at)}</td><td>{l.status.label_vi()}</td><td>{l.result_number.unwrap_or_default()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
                <Pager page=page pages=register.total.div_ceil(register.per_page) label="Trang của sổ"/>
            }.into_any(),
        }}
    }
}
