//! The scan page in HTML: the status line (green / amber / red) with product, lot and holder; alerts first;
//! the "verified" badge with the audit bundle link; the timeline of hops (who, where, when in the event's local
//! time, what in words), paginated by [`PAGE_SIZE`]; the containers; the temperature chart; the certificates.
//! Also the friendly 404 and 400 pages. Every value goes through `maud`'s escaping.

use maud::{html, Markup};
use yima_runtime::query::{Hop, Relation};
use yima_trace::epcis::Location;

use super::chart::{chart, Reading};
use super::i18n::{local_date, local_time, Lang, Texts};
use super::layout::{page, with_lang};
use super::scan::{HoldView, ScanView, Status, PAGE_SIZE};

fn place(l: &Location) -> String {
    match l {
        Location::Gln(g) => format!("GLN {}", g.as_str()),
        Location::Other(id) => String::from_utf8_lossy(id).into_owned(),
    }
}

fn status_words(status: Status, lang: Lang) -> &'static str {
    let t = lang.t();
    match status {
        Status::Normal => t.status_normal,
        Status::Alert => t.status_alert,
        Status::Recalled => t.status_recalled,
        Status::Expired => t.status_expired,
    }
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Normal => "normal",
        Status::Alert => "alert",
        Status::Recalled => "recalled",
        Status::Expired => "expired",
    }
}

fn hop_item(view: &ScanView, hop: &Hop, lang: Lang) -> Markup {
    let t = lang.t();
    let e = hop.epcis();
    let band = view.band().map(|b| {
        (
            f64::from(b.min_centi_celsius) / 100.0,
            f64::from(b.max_centi_celsius) / 100.0,
        )
    });
    let readings: Vec<Reading> = e
        .sensors
        .iter()
        .filter_map(|s| Reading::from_report(e.event_time, e.time_zone_offset_minutes, s))
        .collect();
    let excursion = readings.iter().any(|r| r.is_excursion(band));
    let place = e.biz_location.as_ref().or(e.read_point.as_ref()).map(place);
    html! {
        li.hop.excursion[excursion] data-block=(hop.at.block) data-index=(hop.at.index) {
            div.what {
                (lang.step(e.biz_step))
                @match hop.relation {
                    Relation::Own => {},
                    Relation::Container => { " · " span.small { (t.via_container) " " span.code { (hop.subject.to_string()) } } },
                    Relation::Upstream => { " · " span.small { (t.via_upstream) " " span.code { (hop.subject.to_string()) } } },
                    Relation::Downstream => { " · " span.small { (t.via_downstream) " " span.code { (hop.subject.to_string()) } } },
                }
            }
            div.who { (view.org(hop.org))
                @if let Some(to) = e.destination { " → " (view.org(to)) }
            }
            @if let Some(p) = place { div.where { (t.where_) ": " (p) } }
            div.when { time datetime=(e.event_time) { (local_time(e.event_time, e.time_zone_offset_minutes)) } }
            @for r in &readings {
                div.small.excursion[r.is_excursion(band)] {
                    (format!("{:.1} … {:.1} °C", r.min, r.max))
                }
            }
        }
    }
}

/// The scan page of `view`, hops page `page_no` (1-based); `path`/`query` make the links.
pub fn scan_page(
    view: &ScanView,
    lang: Lang,
    page_no: usize,
    path: &str,
    query: Option<&str>,
) -> Markup {
    let t = lang.t();
    let status = view.status();
    let code = view.trace.code.to_string();
    let product = view
        .product
        .as_ref()
        .map(|p| String::from_utf8_lossy(&p.name).into_owned());
    let pages = view.pages();
    let page_no = page_no.clamp(1, pages);
    let hops = view
        .trace
        .hops
        .iter()
        .skip((page_no - 1) * PAGE_SIZE)
        .take(PAGE_SIZE);
    let readings: Vec<Reading> = view
        .trace
        .hops
        .iter()
        .flat_map(|h| {
            let e = h.epcis();
            e.sensors
                .iter()
                .filter_map(|s| Reading::from_report(e.event_time, e.time_zone_offset_minutes, s))
        })
        .collect();
    let page_link = |n: usize| {
        let base = with_lang(path, query, lang);
        let kept: Vec<&str> = base
            .split_once('?')
            .map(|(_, q)| q.split('&').filter(|p| !p.starts_with("page=")).collect())
            .unwrap_or_default();
        format!("{path}?{}&page={n}", kept.join("&"))
    };
    let body = html! {
        section.status.(status_class(status)) id="status" {
            div.line {
                span.state { (status_words(status, lang)) }
                span { (t.product) ": " strong { (product.clone().unwrap_or_else(|| code.clone())) } }
                @if let Some((lot, _)) = &view.lot { span { (t.lot) ": " (lot.lot.as_str()) } }
                @if let Some(c) = &view.current { span { (t.holder) ": " strong.holder { (view.org(c.custody.custodian)) } } }
                @if let Some((_, Some(l))) = &view.lot { span { (t.expires) ": " (local_date(l.expiry, 480)) } }
            }
            div.code.small { (code) }
        }
        @if !view.alerts.is_empty() || !view.holds.is_empty() || !view.trace.clearances.is_empty() {
            section.alerts id="alerts" {
                h2 { (t.alerts) }
                ul {
                    @for h in &view.holds {
                        li.hold {
                            strong { (hold_words(h, t)) }
                            " · " (h.by) " " span.small { "(#" (h.at) ")" }
                            @if let Some(d) = &h.decision { " " span.small.digest { (d) } }
                        }
                    }
                    @for c in &view.trace.clearances {
                        li.clearance {
                            strong { (t.excursion_cleared) }
                            " · " (view.org(c.by)) " " span.small { "(" (c.code) ", #" (c.at.block) "/" (c.at.index) ")" }
                            " " span.small.digest { (c.reason) }
                        }
                    }
                    @for a in &view.alerts { li { (a.message) " " span.small { "(#" (a.block) "/" (a.index) ")" } } } }
            }
        }
        section id="verification" {
            @match &view.verified {
                Ok(()) => { span.badge.ok id="verified-badge" { "✔ " (t.verified) } },
                Err(e) => { span.badge.bad id="verified-badge" { "✘ " (t.not_verified) } p.small { (e) } },
            }
            " " a href=(super::routes::bundle_path(&view.trace.code)) download { (t.audit_bundle) }
        }
        div.grid {
            section id="timeline" {
                h2 { (t.timeline) " (" (view.trace.hops.len()) ")" }
                ol.timeline { @for hop in hops { (hop_item(view, hop, lang)) } }
                @if pages > 1 {
                    nav.pager {
                        @if page_no > 1 { a rel="prev" href=(page_link(page_no - 1)) { "← " (t.prev_page) } } @else { span {} }
                        span.small { (t.page) " " (page_no) " " (t.of) " " (pages) }
                        @if page_no < pages { a rel="next" href=(page_link(page_no + 1)) { (t.next_page) " →" } } @else { span {} }
                    }
                }
            }
            div {
                section id="chart" {
                    h2 { (t.temperature) }
                    (chart(&readings, view.band(), lang))
                }
                @if !view.trace.containers.is_empty() {
                    section id="containers" {
                        h2 { (t.containers) }
                        ul { @for s in &view.trace.containers {
                            li { span.code { (s.code.to_string()) } " " (t.packed_in) " "
                                 a.code href=(with_lang(&super::routes::scan_path(&s.container), None, lang)) { (s.container.to_string()) }
                                 " " span.small { @match s.unpacked { Some(u) => { (t.unpacked_at) " " (u.block) }, None => { (t.still_inside) } } } }
                        } }
                    }
                }
                section id="certificates" {
                    h2 { (t.certificates) }
                    @if view.certificates.is_empty() { p.muted { (t.no_certificates) } }
                    ul { @for c in &view.certificates {
                        li.certificate {
                            strong { (c.schema) } " · " (t.issued_by) " " (c.issuer) br;
                            span.small { (local_date(c.valid_from, 480)) " " (t.until) " "
                                @match c.valid_until { Some(u) => (local_date(u, 480)), None => (t.open_ended) } }
                            " "
                            @if c.revoked { span.badge.bad { (t.revoked) } }
                            @else if c.valid_now { span.badge.ok { (t.valid) } }
                            @else { span.badge.bad { (t.not_valid) } }
                        }
                    } }
                }
            }
        }
        p.small.muted { (t.at_height) " " (view.height) }
    };
    let title = format!("{} · {}", t.scan_title, product.unwrap_or(code));
    page(lang, &title, &with_lang(path, query, lang.other()), body)
}

/// The friendly 404: this code is not on this chain.
pub fn not_found_page(lang: Lang, code: &str, path: &str, query: Option<&str>) -> Markup {
    let t = lang.t();
    page(
        lang,
        t.not_found_title,
        &with_lang(path, query, lang.other()),
        html! {
            section.status.alert id="not-found" {
                h1 { (t.not_found_title) }
                p.code { (code) }
                p { (t.not_found_text) }
            }
        },
    )
}

/// The 400 page: which check the code failed.
pub fn malformed_page(lang: Lang, reason: &str, path: &str, query: Option<&str>) -> Markup {
    let t = lang.t();
    page(
        lang,
        t.malformed_title,
        &with_lang(path, query, lang.other()),
        html! {
            section.status.recalled id="malformed" {
                h1 { (t.malformed_title) }
                p.reason { (reason) }
            }
        },
    )
}

/// What a hold on the lot says: held for which test, released, or disposed of.
fn hold_words(hold: &HoldView, t: &Texts) -> &'static str {
    match (hold.state, hold.kind) {
        ("released", _) => t.hold_released,
        ("disposed", _) => t.hold_disposed,
        (_, "positive_test") => t.held_positive,
        _ => t.held_failed,
    }
}
