use leptos::prelude::*;
use motcua_core::catalogue::agency::{AgencyAdmin, Merge, NewAgency, Rename};
use motcua_core::catalogue::version::Decision;
use motcua_core::date::{parse_iso, to_vi};
use motcua_core::staff::{Capability, NewAccount, Role};

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;
use crate::staff::session;

fn value(id: &str) -> String {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value().trim().to_owned())
        .unwrap_or_default()
}

/// `/can-bo/co-quan`: agencies — an agency's admin renames their own; the province's
/// administrator creates one with its first admin and merges one into another under a decision.
#[component]
pub fn Agencies() -> impl IntoView {
    set_title("Cơ quan");
    let me = session().get_untracked().and_then(Result::ok);
    let own = me.as_ref().map(|s| s.agency.clone()).unwrap_or_default();
    let agency_admin = me.as_ref().is_some_and(|s| s.may(Capability::AdministerAgency));
    let province = me.as_ref().is_some_and(|s| s.may(Capability::AdministerProvince));
    let reload = RwSignal::new(0u32);
    let list = loader(move || {
        reload.get();
        async move { api::list_agencies_admin().await }
    });
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let answer = move |r: Result<String, motcua_core::ErrorBody>| match r {
        Ok(m) => {
            problem.set(None);
            done.set(Some(m));
            reload.update(|n| *n += 1);
        }
        Err(e) => {
            done.set(None);
            problem.set(Some(e.fields.first().map_or(e.message.clone(), |f| format!("{} ({})", f.message, f.field))));
        }
    };
    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewAgency {
            code: value("ag-code"),
            name: value("ag-name"),
            first_admin: NewAccount {
                username: value("ag-user"),
                name: value("ag-user-name"),
                roles: vec![Role::Admin],
                delegated_approval: false,
                password: value("ag-password"),
                email: None,
            },
        };
        if let Err(errors) = new.check() {
            answer(Err(motcua_core::ErrorBody { fields: errors, ..motcua_core::ErrorBody::from_code(motcua_core::ErrorCode::Validation) }));
            return;
        }
        leptos::task::spawn_local(async move {
            answer(api::create_agency(&new).await.map(|a| format!("Đã tạo cơ quan {} ({}) và tài khoản quản trị đầu tiên.", a.name, a.code)));
        });
    };
    let own_rename = own.clone();
    let on_rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = own_rename.clone();
        let rename = Rename { name: value("ag-rename") };
        leptos::task::spawn_local(async move {
            answer(api::rename_agency(&code, &rename).await.map(|a| format!("Đã đổi tên thành “{}”.", a.name)));
        });
    };
    let on_merge = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(date), Some(effective_from)) = (parse_iso(&value("mg-date")), parse_iso(&value("mg-effective"))) else {
            problem.set(Some("Chọn ngày ký và ngày có hiệu lực của quyết định.".into()));
            return;
        };
        let from = value("mg-from");
        let merge = Merge { into: value("mg-into"), decision: Decision { number: value("mg-number"), date, effective_from } };
        leptos::task::spawn_local(async move {
            answer(api::merge_agency(&from, &merge).await.map(|moved| {
                format!("Đã hợp nhất {from} vào {}: {} thủ tục chuyển sang từ ngày {}.", merge.into, moved.len(), to_vi(effective_from))
            }));
        });
    };
    let row = |a: AgencyAdmin| {
        let merged = a.merged_into.map(|into| format!("Hợp nhất vào {into}{}", a.merged_on.map(|d| format!(" từ {}", to_vi(d))).unwrap_or_default()));
        view! { <tr><td>{a.code}</td><td>{a.name}</td><td>{merged.unwrap_or_default()}</td></tr> }
    };
    view! {
        <h1>"Cơ quan"</h1>
        {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        {move || done.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(all)) => view! {
                <table class="register agencies">
                    <thead><tr><th>"Mã"</th><th>"Tên"</th><th>"Hợp nhất"</th></tr></thead>
                    <tbody>{all.into_iter().map(row).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
        {agency_admin.then(|| view! {
            <h2>"Đổi tên cơ quan của tôi"</h2>
            <form class="walk-in" on:submit=on_rename novalidate>
                <label for="ag-rename">{format!("Tên mới của {own}")}</label>
                <input id="ag-rename"/>
                <button type="submit">"Đổi tên"</button>
            </form>
        })}
        {province.then(|| view! {
            <h2>"Hợp nhất cơ quan"</h2>
            <p class="hint">"Thủ tục đang có hiệu lực của cơ quan bị hợp nhất chuyển sang cơ quan nhận từ ngày có hiệu lực, mỗi thủ tục thành một phiên bản mới. \
                Hồ sơ đã tiếp nhận vẫn thuộc cơ quan đã nhận (mã hồ sơ giữ mã cơ quan)."</p>
            <form class="walk-in" on:submit=on_merge novalidate>
                <label for="mg-from">"Cơ quan bị hợp nhất (mã)"</label>
                <input id="mg-from"/>
                <label for="mg-into">"Cơ quan nhận (mã)"</label>
                <input id="mg-into"/>
                <label for="mg-number">"Số quyết định"</label>
                <input id="mg-number"/>
                <label for="mg-date">"Ngày ký"</label>
                <input id="mg-date" type="date"/>
                <label for="mg-effective">"Ngày có hiệu lực"</label>
                <input id="mg-effective" type="date"/>
                <button type="submit" class="primary">"Hợp nhất"</button>
            </form>
            <h2>"Tạo cơ quan mới"</h2>
            <form class="walk-in" on:submit=on_create novalidate>
                <label for="ag-code">"Mã cơ quan (dùng trong mã hồ sơ, ví dụ SNV)"</label>
                <input id="ag-code" autocomplete="off"/>
                <label for="ag-name">"Tên cơ quan"</label>
                <input id="ag-name"/>
                <label for="ag-user">"Tên đăng nhập của quản trị viên đầu tiên"</label>
                <input id="ag-user" autocomplete="off"/>
                <label for="ag-user-name">"Họ và tên quản trị viên"</label>
                <input id="ag-user-name"/>
                <label for="ag-password">"Mật khẩu ban đầu (ít nhất 15 ký tự)"</label>
                <input id="ag-password" type="password" autocomplete="new-password"/>
                <button type="submit">"Tạo cơ quan"</button>
            </form>
        })}
    }
}
