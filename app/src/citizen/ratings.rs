use leptos::prelude::*;
use motcua_core::rating::RatingSummary;

use crate::api;
use crate::components::loader::loader;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;

#[derive(Clone, Copy, PartialEq)]
enum Period {
    Month,
    Quarter,
    Year,
}

/// The first and last day of the period containing today, as ISO dates.
fn span(p: Period) -> (String, String) {
    let d = js_sys::Date::new_0();
    let (y, m) = (d.get_full_year(), d.get_month() + 1);
    let (first, last) = match p {
        Period::Month => (m, m),
        Period::Quarter => ((m - 1) / 3 * 3 + 1, (m - 1) / 3 * 3 + 3),
        Period::Year => (1, 12),
    };
    let days = js_sys::Date::new_with_year_month_day(y, last as i32, 0).get_date();
    (format!("{y:04}-{first:02}-01"), format!("{y:04}-{last:02}-{days:02}"))
}

fn percent(permille: Option<u32>) -> String {
    permille.map_or("—".into(), |p| format!("{},{}%", p / 10, p % 10))
}

/// `/danh-gia`: the published results of evaluations and surveys, by period and field.
#[component]
pub fn Ratings() -> impl IntoView {
    set_title("Kết quả đánh giá sự hài lòng");
    let period = RwSignal::new(Period::Month);
    let field = RwSignal::new(String::new());
    let procedure = RwSignal::new(String::new());
    let fields = loader(|| async { api::fields().await });
    let summary = loader(move || {
        let (from, to) = span(period.get());
        let (f, p) = (field.get(), procedure.get());
        async move { api::rating_summary(&from, &to, &f, &p).await }
    });
    view! {
        <h1>"Kết quả đánh giá sự hài lòng"</h1>
        <div class="periods" role="group" aria-label="Kỳ báo cáo">
            {[(Period::Month, "Tháng này"), (Period::Quarter, "Quý này"), (Period::Year, "Năm nay")].into_iter().map(|(p, label)| view! {
                <button type="button" class:current=move || period.get() == p aria-pressed=move || (period.get() == p).to_string()
                    on:click=move |_| period.set(p)>{label}</button>
            }).collect_view()}
        </div>
        <label for="rating-field">"Lĩnh vực"</label>
        <select id="rating-field" on:change=move |ev| field.set(event_target_value(&ev))>
            <option value="">"Tất cả lĩnh vực"</option>
            {move || fields.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|f| view! {
                <option value=f.id.clone()>{f.name.clone()}</option>
            }).collect_view()}
        </select>
        <label for="rating-procedure">"Mã thủ tục (không bắt buộc)"</label>
        <input id="rating-procedure" placeholder="VD: 1.014199" on:change=move |ev| procedure.set(event_target_value(&ev).trim().to_owned())/>
        {move || match summary.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            Some(Ok(s)) => view! { <Summary s=s/> }.into_any(),
        }}
    }
}

#[component]
fn Summary(s: RatingSummary) -> impl IntoView {
    view! {
        <p class="lead sentence">{s.sentence.clone()}</p>
        <dl class="facts">
            <dt>"Lượt đánh giá hồ sơ"</dt><dd class="evaluations">{s.evaluations}</dd>
            <dt>"Tỷ lệ hài lòng"</dt><dd>{percent(s.satisfied_permille)}</dd>
            <dt>"Phiếu khảo sát"</dt><dd class="surveys">{s.surveys}</dd>
        </dl>
        <h2>"Phiếu khảo sát tại Trung tâm"</h2>
        <table class="register">
            <thead><tr><th>"Câu hỏi"</th><th>"Có"</th><th>"Không"</th></tr></thead>
            <tbody>
                {[("Thủ tục đơn giản", s.survey_simplified), ("Giải quyết nhanh", s.survey_fast), ("Phục vụ tốt", s.survey_good)].into_iter().map(|(q, yes)| view! {
                    <tr><td>{q}</td><td>{yes}</td><td>{s.surveys - yes}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>"Chín chỉ số đánh giá hồ sơ"</h2>
        <table class="register">
            <thead><tr><th>"Chỉ số"</th><th>"2 điểm"</th><th>"1 điểm"</th><th>"0 điểm"</th><th>"Điểm trung bình"</th></tr></thead>
            <tbody>
                {s.indices.into_iter().map(|i| view! {
                    <tr><td>{i.label}</td><td>{i.counts[0]}</td><td>{i.counts[1]}</td><td>{i.counts[2]}</td>
                    <td>{i.average_x100.map(|a| motcua_core::text::decimal_vi(u64::from(a))).unwrap_or_else(|| "—".into())}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>"Mức độ hài lòng"</h2>
        <table class="register">
            <thead><tr><th></th><th>"Rất hài lòng"</th><th>"Hài lòng"</th><th>"Không hài lòng"</th></tr></thead>
            <tbody>
                <tr><td>"Sự thuận tiện"</td><td>{s.ease[0]}</td><td>{s.ease[1]}</td><td>{s.ease[2]}</td></tr>
                <tr><td>"Chung"</td><td>{s.overall[0]}</td><td>{s.overall[1]}</td><td>{s.overall[2]}</td></tr>
            </tbody>
        </table>
    }
}
