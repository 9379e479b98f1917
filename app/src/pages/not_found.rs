use leptos::prelude::*;

use crate::components::title::set_title;
use crate::i18n::{t, Msg};

#[component]
pub fn NotFound() -> impl IntoView {
    set_title(t(Msg::NotFoundTitle));
    view! {
        <section class="not-found">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <p>{t(Msg::NotFoundText)}</p>
            <p><a href="/thu-tuc">{t(Msg::NotFoundSearch)}</a>{t(Msg::NotFoundOr)}<a href="/">{t(Msg::NotFoundHome)}</a>"."</p>
        </section>
    }
}
