use leptos::prelude::*;
use motcua_core::date::to_vi_datetime;
use motcua_core::staff::Role;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;

/// `/can-bo`: the queues the account may read, overdue first, with counts.
#[component]
pub fn Home() -> AnyView {
    set_title("Hàng đợi hồ sơ");
    let me = crate::staff::session().with_untracked(|s| s.as_ref().and_then(|s| s.as_ref().ok()).cloned());
    let only_admin = me.as_ref().is_some_and(|s| s.roles.iter().all(|r| matches!(r, Role::Admin | Role::ProvinceAdmin)));
    if only_admin {
        let has = |r: Role| me.as_ref().is_some_and(|s| s.has(r));
        return view! {
            <h1>"Quản trị"</h1>
            {has(Role::Admin).then(|| view! {
                <p><a href="/can-bo/tai-khoan">"Tài khoản cán bộ và máy khảo sát"</a></p>
                <p><a href="/can-bo/danh-muc">"Danh mục thủ tục hành chính"</a></p>
            })}
            {has(Role::ProvinceAdmin).then(|| view! {
                <p><a href="/can-bo/lich">"Lịch làm việc (ngày nghỉ lễ, Tết, làm bù)"</a></p>
                <p><a href="/can-bo/co-quan">"Cơ quan (tạo, hợp nhất)"</a></p>
            })}
            {(has(Role::Admin) && !has(Role::ProvinceAdmin)).then(|| view! {
                <p><a href="/can-bo/co-quan">"Cơ quan (đổi tên cơ quan của mình)"</a></p>
            })}
        }
        .into_any();
    }
    let role = RwSignal::new(None::<Role>);
    let queue = loader(move || {
        let r = role.get();
        async move { api::queue(r).await }
    });
    view! {
        {move || match queue.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(q)) => {
                let current = q.role;
                view! {
                    <h1>"Hàng đợi: " {current.label_vi()}</h1>
                    <nav class="queues" aria-label="Hàng đợi">
                        {q.counts.iter().map(|c| {
                            let r = c.role;
                            let label = format!("{} ({}{})", r.label_vi(), c.total, if c.overdue > 0 { format!(", {} quá hạn", c.overdue) } else { String::new() });
                            view! {
                                <button type="button" class:current=move || r == current aria-pressed=move || (r == current).to_string()
                                    on:click=move |_| role.set(Some(r))>{label}</button>
                            }
                        }).collect_view()}
                    </nav>
                    {if q.items.is_empty() {
                        view! { <p class="notice">"Không có hồ sơ nào chờ xử lý."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="queue">
                                {q.items.into_iter().map(|i| view! {
                                    <li class:overdue=i.overdue>
                                        <a href=format!("/can-bo/ho-so/{}", i.code.as_str())><strong>{i.code.as_str().to_owned()}</strong></a>
                                        " · " {i.applicant_name} " · " {i.procedure_name}
                                        <br/><small>{i.status.label_vi()} " · hạn bước: "
                                        {i.step_due_at.map(to_vi_datetime).unwrap_or_default()}
                                        {i.overdue.then_some(" (quá hạn)")}
                                        {(i.channel == "walk_in").then_some(" · trực tiếp")}</small>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                }.into_any()
            }
        }}
    }
    .into_any()
}

/// Links of the workspace, by role.
#[component]
pub fn StaffNav(staff: motcua_core::staff::Staff) -> impl IntoView {
    let reads = staff.roles.iter().any(|r| !matches!(r, Role::Admin | Role::ProvinceAdmin));
    let agencies = staff.has(Role::Admin) || staff.has(Role::ProvinceAdmin);
    let session = crate::staff::session();
    let on_logout = move |_| {
        leptos::task::spawn_local(async move {
            let _ = api::logout().await;
            session.set(Some(Err(motcua_core::ErrorBody::from_code(motcua_core::ErrorCode::Unauthorized))));
        });
    };
    view! {
        <nav class="staff-nav" aria-label="Cán bộ">
            <span>{staff.name.clone()} " · " {staff.agency_name.clone()}</span>
            {reads.then(|| view! { <a href="/can-bo">"Hàng đợi"</a> })}
            {staff.has(Role::Reception).then(|| view! { <a href="/can-bo/tiep-nhan">"Tiếp nhận trực tiếp"</a> })}
            {reads.then(|| view! { <a href="/can-bo/so-theo-doi">"Sổ theo dõi"</a> })}
            {staff.has(Role::Manager).then(|| view! { <a href="/can-bo/thong-ke">"Tiến độ"</a> })}
            {staff.has(Role::Manager).then(|| view! { <a href="/can-bo/danh-gia">"Đánh giá theo cán bộ"</a> })}
            {staff.has(Role::Admin).then(|| view! { <a href="/can-bo/tai-khoan">"Tài khoản"</a> })}
            {staff.has(Role::Admin).then(|| view! { <a href="/can-bo/danh-muc">"Danh mục"</a> })}
            {staff.has(Role::ProvinceAdmin).then(|| view! { <a href="/can-bo/lich">"Lịch"</a> })}
            {agencies.then(|| view! { <a href="/can-bo/co-quan">"Cơ quan"</a> })}
            <a href="/can-bo/mat-khau">"Đổi mật khẩu"</a>
            <button type="button" class="link" on:click=on_logout>"Đăng xuất"</button>
        </nav>
    }
}
