use leptos::prelude::*;
use motcua_core::stats::{StatRow, Stats};
use motcua_core::text::integer_vi;

use crate::api;
use crate::components::loader::loader;
use crate::components::period::{span, Period, PeriodButtons};
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;


fn share(permille: Option<u32>) -> String {
    permille.map_or("—".into(), |p| format!("{},{}%", p / 10, p % 10))
}

/// `/thong-ke`: the live transparency dashboard of received and resolved dossiers.
#[component]
pub fn Dashboard() -> impl IntoView {
    set_title("Thống kê giải quyết hồ sơ");
    let period = RwSignal::new(Period::Quarter);
    let custom = RwSignal::new(None::<(String, String)>);
    let agency = RwSignal::new(String::new());
    let field = RwSignal::new(String::new());
    let procedure = RwSignal::new(String::new());
    let agencies = loader(|| async { api::agencies().await });
    let fields = loader(|| async { api::fields().await });
    let query = Memo::new(move |_| {
        let (from, to) = custom.get().unwrap_or_else(|| span(period.get()));
        (from, to, agency.get(), field.get(), procedure.get())
    });
    let stats = loader(move || {
        let (from, to, a, f, p) = query.get();
        async move { api::stats(&from, &to, &a, &f, &p).await }
    });
    let csv = move || {
        let (from, to, a, f, p) = query.get();
        let enc = |v: &str| String::from(js_sys::encode_uri_component(v));
        format!("/api/stats?from={from}&to={to}&agency={}&field={}&procedure={}&format=csv", enc(&a), enc(&f), enc(&p))
    };
    view! {
        <h1>"Thống kê giải quyết hồ sơ"</h1>
        <PeriodButtons period=period active=Signal::derive(move || custom.get().is_none()) on_pick=Callback::new(move |_| custom.set(None))/>
        <details class="custom-range">
            <summary>"Chọn khoảng ngày"</summary>
            <CustomRange custom=custom/>
        </details>
        <label for="stats-agency">"Cơ quan"</label>
        <select id="stats-agency" on:change=move |ev| agency.set(event_target_value(&ev))>
            <option value="">"Tất cả cơ quan"</option>
            {move || agencies.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|a| view! {
                <option value=a.code.clone()>{a.name.clone()}</option>
            }).collect_view()}
        </select>
        <label for="stats-field">"Lĩnh vực"</label>
        <select id="stats-field" on:change=move |ev| field.set(event_target_value(&ev))>
            <option value="">"Tất cả lĩnh vực"</option>
            {move || fields.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|f| view! {
                <option value=f.id.clone()>{f.name.clone()}</option>
            }).collect_view()}
        </select>
        <label for="stats-procedure">"Mã thủ tục (không bắt buộc)"</label>
        <input id="stats-procedure" placeholder="VD: 1.014199" on:change=move |ev| procedure.set(event_target_value(&ev).trim().to_owned())/>
        {move || match stats.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(s)) => view! { <Report s=s csv=csv()/> }.into_any(),
        }}
    }
}

#[component]
fn CustomRange(custom: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    view! {
        <div class="range">
            <label>"Từ ngày " <input type="date" id="stats-from" on:input=move |ev| from.set(event_target_value(&ev))/></label>
            <label>"Đến ngày " <input type="date" id="stats-to" on:input=move |ev| to.set(event_target_value(&ev))/></label>
            <button type="button" on:click=move |_| custom.set(Some((from.get_untracked(), to.get_untracked())))>"Xem"</button>
        </div>
    }
}

#[component]
fn Report(s: Stats, csv: String) -> impl IntoView {
    let t = s.totals;
    let tiles = vec![
        ("Tiếp nhận", t.received(), format!("trực tuyến {}", share(s.online_permille))),
        ("Đã giải quyết", t.resolved(), format!("đúng và trước hạn {}", share(s.on_time_permille))),
        ("Đang giải quyết, trong hạn", s.pending_within, String::new()),
        ("Đang giải quyết, quá hạn", s.pending_overdue, String::new()),
        ("Chờ công dân bổ sung", s.waiting_applicant, "thời hạn tạm dừng".to_owned()),
        ("Từ chối, dừng xử lý", t.refused, String::new()),
        ("Công dân rút hồ sơ", t.withdrawn, String::new()),
    ];
    let k = &s.catalogue;
    let level3 = format!(
        "{} thủ tục ({}%), mục tiêu {}%{}",
        k.online_level3_plus,
        motcua_core::text::decimal_vi((k.online_share_percent * 100.0).round() as u64),
        k.target_percent,
        if k.meets_target { ": đạt" } else { ": chưa đạt" }
    );
    view! {
        <p class="lead sentence headline">{s.headline.clone()}</p>
        <ul class="tiles">
            {tiles.into_iter().map(|(label, n, note)| view! {
                <li><span class="n">{integer_vi(u64::from(n))}</span><span>{label}</span>{(!note.is_empty()).then(|| view! { <small>{note}</small> })}</li>
            }).collect_view()}
        </ul>
        <dl class="facts">
            <dt>"Thủ tục trực tuyến mức 3 trở lên"</dt><dd class="level3">{level3}</dd>
            <dt>"Thủ tục được rút ngắn thời hạn"</dt><dd>{format!("{}/{}", k.shortened, k.total)}</dd>
            <dt>"Tỷ lệ hài lòng của người dân"</dt><dd>{share(s.satisfied_permille)}</dd>
        </dl>
        <h2>"Theo tháng"</h2>
        <Chart rows=s.by_month.clone()/>
        <Table rows=s.by_month caption="Số hồ sơ theo tháng"/>
        <h2>"Theo lĩnh vực"</h2>
        <FieldChart rows=s.by_field.clone()/>
        <Table rows=s.by_field caption="Số hồ sơ theo lĩnh vực"/>
        <p><a class="button" href=csv download>"Tải bảng số liệu (CSV)"</a></p>
    }
}

/// Resolved dossiers per month, stacked early / on time / late; the table below carries the
/// same numbers for screen readers.
#[component]
fn Chart(rows: Vec<StatRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">"Chưa có số liệu trong kỳ này."</p> }.into_any();
    }
    let max = rows.iter().map(|r| r.counters.resolved().max(r.counters.received())).max().unwrap_or(1).max(1);
    let bar = 40u32;
    // At least six slots wide: one month alone is a bar, not a wall.
    let width = rows.len().max(6) as u32 * (bar + 12) + 12;
    let height = 120u32;
    let scale = |n: u32| n * height / max;
    view! {
        <svg class="chart" viewBox=format!("0 0 {width} {}", height + 20) role="img" aria-label="Biểu đồ số hồ sơ đã giải quyết theo tháng: trước hạn, đúng hạn, quá hạn">
            {rows.into_iter().enumerate().map(|(i, r)| {
                let x = 12 + i as u32 * (bar + 12);
                let c = r.counters;
                let (e, o, l) = (scale(c.resolved_early), scale(c.resolved_on_time), scale(c.resolved_late));
                let month = r.key.get(5..7).unwrap_or_default().to_owned();
                view! {
                    <g>
                        <rect class="early" x=x y=height - e width=bar height=e/>
                        <rect class="on-time" x=x y=height - e - o width=bar height=o/>
                        <rect class="late" x=x y=height - e - o - l width=bar height=l/>
                        <text x=x + bar / 2 y=height + 14 text-anchor="middle">{month}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <p class="legend"><span class="early">"■ trước hạn"</span> " " <span class="on-time">"■ đúng hạn"</span> " " <span class="late">"■ quá hạn"</span></p>
    }
    .into_any()
}

/// Received dossiers per field, as horizontal bars (the table below has the numbers).
#[component]
fn FieldChart(rows: Vec<StatRow>) -> impl IntoView {
    let max = rows.iter().map(|r| r.counters.received()).max().unwrap_or(0).max(1);
    let line = 22u32;
    let height = rows.len() as u32 * line + 4;
    view! {
        <svg class="chart fields" viewBox=format!("0 0 320 {height}") role="img" aria-label="Biểu đồ số hồ sơ tiếp nhận theo lĩnh vực">
            {rows.into_iter().enumerate().map(|(i, r)| {
                let y = 2 + i as u32 * line;
                let w = r.counters.received() * 150 / max;
                view! {
                    <g>
                        <text x="0" y=y + 14>{r.label.chars().take(24).collect::<String>()}</text>
                        <rect class="early" x="165" y=y + 3 width=w.max(1) height="14"/>
                        <text x=170 + w y=y + 14>{r.counters.received()}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn Table(rows: Vec<StatRow>, caption: &'static str) -> impl IntoView {
    // Eight columns do not fit a phone: the table scrolls in its own box, which the keyboard
    // can reach, instead of widening the page.
    view! {
        <div class="scroll" role="region" tabindex="0" aria-label=caption>
        <table class="register stats">
            <caption>{caption}</caption>
            <thead><tr><th><span class="sr-only">{crate::i18n::t(crate::i18n::Msg::RowHeader)}</span></th><th>"Tiếp nhận trực tuyến"</th><th>"Tiếp nhận trực tiếp"</th><th>"Trước hạn"</th><th>"Đúng hạn"</th><th>"Quá hạn"</th><th>"Từ chối"</th><th>"Rút hồ sơ"</th></tr></thead>
            <tbody>{rows.into_iter().map(|r| {
                let c = r.counters;
                view! { <tr><th scope="row">{r.label}</th><td>{c.received_online}</td><td>{c.received_walk_in}</td><td>{c.resolved_early}</td>
                    <td>{c.resolved_on_time}</td><td>{c.resolved_late}</td><td>{c.refused}</td><td>{c.withdrawn}</td></tr> }
            }).collect_view()}</tbody>
        </table>
        </div>
    }
}
