use leptos::prelude::*;

use crate::i18n::{lang, switch_to, t, Lang, Msg};

/// Header, skip link, main landmark and footer around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip" href="#main">{t(Msg::SkipToMain)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">{env!("MOTCUA_LOGO")}</span>
                <span>{t(Msg::Brand)}" "<small>{t(Msg::BrandLine)}</small></span>
            </a>
            // Beside the brand, where GOV.UK and most bilingual services put it: found first.
            <LangSwitch/>
            <nav aria-label=t(Msg::NavMain)>
                <a href="/thu-tuc">{t(Msg::NavSearch)}</a>
                <a href="/ho-so" rel="external">{t(Msg::NavMine)}</a>
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            // The province's own words (data/province.json), in Vietnamese in both languages.
            <p lang="vi">{env!("MOTCUA_CONTACT")}</p>
            <p>{t(Msg::FooterSources)}</p>
            <p><a href="/thong-ke" rel="external">{t(Msg::FooterStats)}</a>" · "
               <a href="/danh-gia" rel="external">{t(Msg::FooterRatings)}</a></p>
        </footer>
    }
}

/// The other language, named in itself (as GOV.UK's Cymraeg link): someone who cannot read
/// the page's language can still find their own.
#[component]
fn LangSwitch() -> impl IntoView {
    let to = match lang() {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    };
    let name = t(Msg::OtherLanguage);
    view! {
        <button type="button" class="lang-switch" lang=to.tag() on:click=move |_| switch_to(to)>{name}</button>
    }
}
