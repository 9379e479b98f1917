use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use motcua_core::applicant::PhoneNumber;
use motcua_core::date::to_vi_datetime;
use motcua_core::dossier::{LookupRequest, PrivateView};
use motcua_core::form::applicant_section;
use motcua_core::ErrorCode;

use crate::api;
use crate::citizen::device::{remember, Remembered};
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Fact, Loading};
use crate::components::title::set_title;

/// `/ho-so/:code`: anyone with the code sees the status; with the receipt's secret or the
/// phone number given, the applicant also sees their answers.
#[component]
pub fn Track() -> impl IntoView {
    set_title("Tra cứu hồ sơ");
    let params = use_params_map();
    let code = Memo::new(move |_| params.get().get("code").unwrap_or_default());
    let status = loader(move || {
        let code = code.get();
        async move { api::dossier(&code).await }
    });
    let private = RwSignal::new(None::<PrivateView>);
    let proof_error = RwSignal::new(None::<String>);
    let proof = RwSignal::new(String::new());
    let on_proof = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = proof.get_untracked().trim().to_owned();
        // A valid mobile number is a phone proof; anything else is taken as the secret.
        let request = if PhoneNumber::parse(&value).is_ok() {
            LookupRequest { secret: None, phone: Some(value) }
        } else {
            LookupRequest { secret: Some(value), phone: None }
        };
        let code = code.get_untracked();
        leptos::task::spawn_local(async move {
            match api::lookup(&code, &request).await {
                Ok(view) => {
                    proof_error.set(None);
                    private.set(Some(view));
                }
                Err(e) => proof_error.set(Some(e.message)),
            }
        });
    };
    view! {
        <h1>"Tra cứu hồ sơ"</h1>
        {move || match status.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) if e.code == ErrorCode::NotFound => view! {
                <div class="error" role="alert">
                    <p>"Không tìm thấy hồ sơ có mã " <strong>{code.get()}</strong> "."</p>
                    <p><a href="/ho-so">"Nhập lại mã hồ sơ"</a></p>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(s)) => {
                remember(Remembered {
                    code: s.code.as_str().to_owned(),
                    procedure_name: s.procedure_name.clone(),
                    status_label: s.status_label.clone(),
                    due_at: to_vi_datetime(s.due_at),
                });
                let facts = vec![
                    ("Mã hồ sơ", Some(s.code.as_str().to_owned())),
                    ("Thủ tục", Some(s.procedure_name.clone())),
                    ("Trạng thái", Some(s.status_label.clone())),
                    ("Nộp lúc", Some(to_vi_datetime(s.submitted_at))),
                    ("Hẹn trả kết quả", Some(to_vi_datetime(s.due_at))),
                ];
                view! {
                    <dl class="facts status">
                        {facts.into_iter().map(|(label, value)| view! { <Fact label=label value=value/> }).collect_view()}
                    </dl>
                }.into_any()
            }
        }}
        <section aria-labelledby="proof-h">
            <h2 id="proof-h">"Xem thông tin cá nhân của hồ sơ"</h2>
            <form on:submit=on_proof class="proof">
                <label for="proof">"Mã bí mật trên giấy tiếp nhận, hoặc số điện thoại đã khai"</label>
                <div class="search-row">
                    <input id="proof" type="text" autocomplete="off" prop:value=move || proof.get()
                        on:input=move |ev| proof.set(event_target_value(&ev))/>
                    <button type="submit">"Xem"</button>
                </div>
            </form>
            {move || proof_error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || private.get().map(|v| {
                let labels = applicant_section().fields;
                let rows: Vec<(String, Option<String>)> = labels
                    .into_iter()
                    .filter_map(|f| v.answers.get(&f.id).map(|a| (f.label, Some(a.clone()))))
                    .collect();
                view! {
                    <dl class="facts private">
                        {rows.into_iter().map(|(label, value)| view! { <Fact label=label value=value/> }).collect_view()}
                    </dl>
                }
            })}
        </section>
    }
}
