use leptos::prelude::*;
use motcua_core::rating::RatingSummary;

use crate::api;
use crate::components::loader::loader;
use crate::components::period::{span, Period, PeriodButtons};
use crate::components::status::{ErrorMessage, Loading};
use crate::components::title::set_title;


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
        <PeriodButtons period=period active=true/>
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
            <thead><tr><th><span class="sr-only">{crate::i18n::t(crate::i18n::Msg::RowHeader)}</span></th><th>"Rất hài lòng"</th><th>"Hài lòng"</th><th>"Không hài lòng"</th></tr></thead>
            <tbody>
                <tr><td>"Sự thuận tiện"</td><td>{s.ease[0]}</td><td>{s.ease[1]}</td><td>{s.ease[2]}</td></tr>
                <tr><td>"Chung"</td><td>{s.overall[0]}</td><td>{s.overall[1]}</td><td>{s.overall[2]}</td></tr>
            </tbody>
        </table>
    }
}
