//! The page shell every HTML answer shares: one inline stylesheet (no external asset: nothing outside the
//! node is reachable from a customs post's phone), a header with the language switch, mobile-first CSS that
//! reads at 375 px and widens the layout from 720 px.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::i18n::Lang;

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1b1f24;background:#f4f5f7}
header.top{display:flex;justify-content:space-between;align-items:center;padding:.5rem .9rem;background:#14365e;color:#fff}
header.top a{color:#fff}
main{max-width:960px;margin:0 auto;padding:.6rem}
section{background:#fff;border-radius:8px;padding:.8rem;margin:.6rem 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h1{font-size:1.2rem;margin:.2rem 0} h2{font-size:1.05rem;margin:.1rem 0 .5rem}
.status{border-left:8px solid;padding:.7rem .8rem}
.status.normal{border-color:#1e9e4a;background:#eaf8ee}
.status.alert{border-color:#e09b00;background:#fff6df}
.status.recalled,.status.expired{border-color:#d21f1f;background:#fde9e9}
.status .state{font-weight:700;font-size:1.1rem}
.status .line{display:flex;flex-wrap:wrap;gap:.2rem .9rem}
.badge{display:inline-block;padding:.25rem .6rem;border-radius:999px;font-weight:600;font-size:.9rem}
.badge.ok{background:#1e9e4a;color:#fff} .badge.bad{background:#d21f1f;color:#fff}
.alerts li{color:#8a2b00;margin:.2rem 0}
ol.timeline{list-style:none;margin:0;padding:0;border-left:3px solid #c9d3df;margin-left:.4rem}
ol.timeline li{position:relative;padding:.1rem 0 .8rem .9rem}
ol.timeline li::before{content:"";position:absolute;left:-.55rem;top:.35rem;width:.75rem;height:.75rem;border-radius:50%;background:#2a6fdb}
ol.timeline li.excursion::before{background:#d21f1f}
.what{font-weight:600} .who{color:#14365e} .when,.where,.muted,.small{color:#5b6470;font-size:.9rem}
.code{font-family:ui-monospace,monospace;word-break:break-all}
svg.chart{width:100%;height:auto;max-height:260px}
.legend .key{display:inline-block;width:.9rem;height:.6rem;margin:0 .3rem 0 .6rem;vertical-align:middle}
.band-key{background:#c8efd0} .excursion-key{background:#d21f1f}
table{border-collapse:collapse;width:100%;font-size:.92rem} th,td{text-align:left;padding:.3rem;border-bottom:1px solid #e6e9ee;vertical-align:top}
.scroll{overflow-x:auto}
.pager{display:flex;justify-content:space-between;gap:.5rem}
form.recall{display:flex;flex-wrap:wrap;gap:.4rem} form.recall input{flex:1 1 14rem;padding:.45rem;font-size:1rem}
.grid{display:grid;grid-template-columns:1fr;gap:0 .6rem}
@media (min-width:720px){.grid{grid-template-columns:1fr 1fr} main{padding:1rem}}
a{color:#1a5fb4}
"#;

/// A whole page: `title`, the language switch pointing at `switch_href`, and `body`.
pub fn page(lang: Lang, title: &str, switch_href: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(if lang == Lang::Zh { "zh-CN" } else { "en" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Yima" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top {
                    strong { "Yima 一码" }
                    a.lang-switch href=(switch_href) hreflang=(lang.other().code()) { (lang.t().switch) }
                }
                main { (body) }
            }
        }
    }
}

/// `path?query` with `lang=` set to `lang` (other parameters kept).
pub fn with_lang(path: &str, query: Option<&str>, lang: Lang) -> String {
    let mut params: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let l = format!("lang={}", lang.code());
    params.push(&l);
    format!("{path}?{}", params.join("&"))
}
