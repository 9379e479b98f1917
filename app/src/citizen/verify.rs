use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use motcua_core::date::to_vi;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{Fact, Loading};
use crate::components::title::set_title;

/// `/xac-minh/:code?sig=`: where the result slip's QR code leads. Says whether the record is
/// genuine and unchanged, with what it holds.
#[component]
pub fn Verify() -> impl IntoView {
    set_title("Xác thực kết quả");
    let code = use_params_map().get_untracked().get("code").unwrap_or_default();
    let sig = use_query_map().get_untracked().get("sig").unwrap_or_default();
    let answer = loader(move || {
        let (code, sig) = (code.clone(), sig.clone());
        async move { api::verify(&code, &sig).await }
    });
    view! {
        <h1>"Xác thực kết quả giải quyết"</h1>
        {move || match answer.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <div class="error verdict" role="alert"><p><strong>"Không xác thực được."</strong></p><p>{e.message}</p></div> }.into_any(),
            Some(Ok(v)) => view! {
                <div class="genuine verdict" role="status"><p><strong>"Kết quả hợp lệ: do cơ quan cấp và chưa bị sửa đổi."</strong></p></div>
                <dl class="facts">
                    <Fact label="Mã hồ sơ" value=Some(v.code)/>
                    <Fact label="Thủ tục" value=Some(v.procedure_name)/>
                    <Fact label="Cơ quan" value=Some(v.agency_name)/>
                    <Fact label="Số văn bản" value=Some(v.number)/>
                    <Fact label="Ngày ký" value=Some(to_vi(v.date))/>
                    <Fact label="Cấp cho" value=Some(v.holder)/>
                </dl>
            }.into_any(),
        }}
    }
}
