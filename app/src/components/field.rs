use leptos::prelude::*;
use motcua_core::form::{FieldKind, FieldSpec};

use crate::i18n::{tf, Msg};

/// How a choice is offered: radio buttons on a phone (large targets, every option in sight, as
/// GOV.UK's forms do), a select at the desk (the officer picks by keyboard while the applicant
/// talks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Radios,
    Select,
}

/// One question of a form, on the phone and at the desk alike: its label (marked when
/// optional), hint, error and the control its kind calls for. `id_prefix` keeps the desk's
/// ids apart from its page's own (`f-phone` beside `procedure`).
#[component]
pub fn Field<F>(
    spec: FieldSpec,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    on_change: F,
    #[prop(default = "")] id_prefix: &'static str,
    #[prop(default = Choices::Radios)] choices: Choices,
) -> impl IntoView
where
    F: Fn(String, String) + Clone + 'static,
{
    let key = spec.id.clone();
    let id = format!("{id_prefix}{key}");
    let label = if spec.required { spec.label.clone() } else { tf(Msg::Optional, &[&spec.label]) };
    let set = move |v: String| on_change(key.clone(), v);
    let input = match (spec.kind.clone(), choices) {
        (FieldKind::Choice { options }, Choices::Radios) => view! {
            <div class="choices" role="radiogroup" aria-labelledby=format!("{id}-label")>
                {options.into_iter().map(|o| {
                    let set = set.clone();
                    let input_id = format!("{id}-{}", o.value);
                    let (for_id, option, chosen) = (input_id.clone(), o.value.clone(), o.value.clone());
                    view! {
                        <label class="choice" for=for_id>
                            <input type="radio" id=input_id name=id.clone() value=o.value
                                prop:checked=move || value.get() == chosen
                                on:change=move |_| set(option.clone())/>
                            {o.label}
                        </label>
                    }
                }).collect_view()}
            </div>
        }
        .into_any(),
        (FieldKind::Choice { options }, Choices::Select) => view! {
            <select id=id.clone() name=id.clone() prop:value=move || value.get() on:change=move |ev| set(event_target_value(&ev))>
                <option value="">{crate::i18n::t(Msg::ChooseOne)}</option>
                {options.into_iter().map(|o| view! { <option value=o.value>{o.label}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        (FieldKind::LongText { .. }, _) => view! {
            <textarea id=id.clone() name=id.clone() rows="3" prop:value=move || value.get()
                on:input=move |ev| set(event_target_value(&ev))></textarea>
        }
        .into_any(),
        (kind, _) => {
            let (input_type, mode) = match kind {
                FieldKind::Date => ("date", "text"),
                FieldKind::Phone => ("tel", "tel"),
                FieldKind::Email => ("email", "email"),
                FieldKind::Cccd | FieldKind::Number { .. } => ("text", "numeric"),
                _ => ("text", "text"),
            };
            view! {
                <input id=id.clone() name=id.clone() type=input_type inputmode=mode prop:value=move || value.get()
                    on:input=move |ev| set(event_target_value(&ev))/>
            }
            .into_any()
        }
    };
    view! {
        <div class=move || if error.with(Option::is_some) { "field invalid" } else { "field" }>
            <label id=format!("{id}-label") for=id.clone()>{label}</label>
            {spec.hint.clone().map(|h| view! { <p class="hint">{h}</p> })}
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
            {input}
        </div>
    }
}
