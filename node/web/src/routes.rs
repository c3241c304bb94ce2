//! Which web page a `GET` asks for, and in which form. Paths:
//!
//! | path | answer |
//! |------|--------|
//! | `/01/{gtin}[/10/{lot}]/21/{serial}`, `/00/{sscc}` | the scan page of a code (GS1 Digital Link) |
//! | `/01/{gtin}/10/{lot}` | the recall view of that lot |
//! | `/code/{code}` | the scan page of an NMPA or cold-chain code (any scanned form) |
//! | `/qr/{scan path}.png`, `.svg` | the QR code of a code's Digital Link URL on this node |
//! | `/bundle/{scan path}[.json]` | the audit bundle: every hop's `proof_event`, JSON (one `.json` suffix is dropped; links carry it) |
//! | `/recall/{lot}` (or `/recall?lot=`) | 一键排查: every downstream code of a lot and its holder |
//! | `/dashboard` | the regulator dashboard |
//! | `/openapi.yaml` | the OpenAPI description of the JSON answers |
//!
//! JSON instead of HTML with `Accept: application/json` (before any `text/html`) or `?format=json`. Long JSON
//! answers come in pages: `?cursor=&limit=` (`yima-node`'s `rpc::page`). Anything
//! else — JSON-RPC `POST /`, the WebSocket upgrade — is not a web route and goes on to the RPC server.

use yima_codes::TraceCode;

use crate::i18n::Lang;

/// What a `GET` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// A code's scan page; the text is the path or code to parse.
    Scan(String),
    /// A lot's (or code's) recall view; the text is a recall target (`trace_recall`'s forms), `None` for the
    /// empty form.
    Recall(Option<String>),
    /// A code's QR code.
    Qr {
        /// The scan path or code text.
        code: String,
        /// PNG (else SVG).
        png: bool,
    },
    /// A code's audit bundle.
    Bundle(String),
    /// The dashboard.
    Dashboard,
    /// The OpenAPI file.
    OpenApi,
}

/// HTML or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people.
    Html,
    /// For machines.
    Json,
}

/// A parsed request: route, format, language, page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebRequest {
    /// The route.
    pub route: Route,
    /// The answer's form.
    pub format: Format,
    /// The language.
    pub lang: Lang,
    /// The page of hops (1-based, HTML).
    pub page: usize,
    /// `?cursor=`: where a JSON page starts (`yima-node`'s `rpc::page`).
    pub cursor: Option<u64>,
    /// `?limit=`: how many items a JSON page holds at most.
    pub limit: Option<u64>,
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?.split('&').find_map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (k == name).then_some(v)
    })
}

/// `%XX` and `+` in a query value decoded (invalid escapes kept as they are).
pub fn decode_query_value(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The route of `GET path`, or `None` when it is not a web page (it goes to JSON-RPC).
pub fn route(path: &str, query: Option<&str>) -> Option<Route> {
    if path.starts_with("/01/") || path.starts_with("/00/") {
        return Some(Route::Scan(path.to_string()));
    }
    if let Some(code) = path.strip_prefix("/code/") {
        return Some(Route::Scan(code.to_string()));
    }
    if let Some(rest) = path.strip_prefix("/qr/") {
        let (code, png) = if let Some(c) = rest.strip_suffix(".png") {
            (c, true)
        } else if let Some(c) = rest.strip_suffix(".svg") {
            (c, false)
        } else {
            (rest, true)
        };
        return Some(Route::Qr {
            code: unprefixed(code),
            png,
        });
    }
    if let Some(rest) = path.strip_prefix("/bundle/") {
        // One ".json" at most: a serial may itself end in ".json" (its link then ends in ".json.json").
        return Some(Route::Bundle(unprefixed(
            rest.strip_suffix(".json").unwrap_or(rest),
        )));
    }
    if path == "/recall" || path == "/recall/" {
        return Some(Route::Recall(
            query_param(query, "lot")
                .map(decode_query_value)
                .filter(|s| !s.trim().is_empty()),
        ));
    }
    if let Some(rest) = path.strip_prefix("/recall/") {
        let target = if rest.starts_with("01/") || rest.starts_with("00/") {
            format!("/{rest}")
        } else {
            rest.to_string()
        };
        return Some(Route::Recall(Some(target)));
    }
    match path {
        "/dashboard" | "/dashboard/" => Some(Route::Dashboard),
        "/openapi.yaml" => Some(Route::OpenApi),
        _ => None,
    }
}

/// `01/…` or `00/…` back to a Digital Link path; `code/X` to `X`; other text as is.
fn unprefixed(rest: &str) -> String {
    if rest.starts_with("01/") || rest.starts_with("00/") {
        format!("/{rest}")
    } else if let Some(code) = rest.strip_prefix("code/") {
        code.to_string()
    } else {
        rest.to_string()
    }
}

/// Reads a request's route, format, language and page.
pub fn parse(
    path: &str,
    query: Option<&str>,
    accept: Option<&str>,
    accept_language: Option<&str>,
) -> Option<WebRequest> {
    let route = route(path, query)?;
    let json_accept =
        accept.is_some_and(
            |a| match (a.find("application/json"), a.find("text/html")) {
                (Some(_), None) => true,
                (Some(json), Some(html)) => json < html,
                _ => false,
            },
        );
    let format = match query_param(query, "format") {
        Some("json") => Format::Json,
        Some("html") => Format::Html,
        _ if json_accept => Format::Json,
        _ => Format::Html,
    };
    Some(WebRequest {
        route,
        format,
        lang: Lang::negotiate(query_param(query, "lang"), accept_language),
        page: query_param(query, "page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1),
        cursor: query_param(query, "cursor").and_then(|p| p.parse().ok()),
        limit: query_param(query, "limit").and_then(|p| p.parse().ok()),
    })
}

/// The path of `code`'s scan page on this node: its Digital Link path, or `/code/{code}`.
pub fn scan_path(code: &TraceCode) -> String {
    let canonical = code.to_string();
    if canonical.starts_with('/') {
        canonical
    } else {
        format!("/code/{canonical}")
    }
}

/// The path of `code`'s audit bundle, always with its ".json" (so a serial ending in ".json" keeps it).
pub fn bundle_path(code: &TraceCode) -> String {
    format!("/bundle{}.json", scan_path(code))
}

/// The path of `code`'s QR code (`png` or `svg`).
pub fn qr_path(code: &TraceCode, ext: &str) -> String {
    format!("/qr{}.{ext}", scan_path(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            route("/01/06970000000017/21/DP0001", None),
            Some(Route::Scan("/01/06970000000017/21/DP0001".into()))
        );
        assert_eq!(
            route("/code/86123450000000000011", None),
            Some(Route::Scan("86123450000000000011".into()))
        );
        assert_eq!(
            route("/qr/01/06970000000017/21/DP0001.svg", None),
            Some(Route::Qr {
                code: "/01/06970000000017/21/DP0001".into(),
                png: false
            })
        );
        assert_eq!(
            route("/qr/code/86123450000000000011.png", None),
            Some(Route::Qr {
                code: "86123450000000000011".into(),
                png: true
            })
        );
        assert_eq!(
            route("/recall/01/06970000000017/10/L1", None),
            Some(Route::Recall(Some("/01/06970000000017/10/L1".into())))
        );
        assert_eq!(
            route("/recall", Some("lot=8612345%2F2026+A")),
            Some(Route::Recall(Some("8612345/2026 A".into())))
        );
        assert_eq!(route("/", None), None);
        assert_eq!(route("/metrics", None), None);
    }

    #[test]
    fn negotiation() {
        let html = parse(
            "/00/106141411234567897",
            None,
            Some("text/html,application/json"),
            None,
        )
        .unwrap();
        assert_eq!(html.format, Format::Html);
        let json = parse(
            "/00/106141411234567897",
            None,
            Some("application/json"),
            Some("en"),
        )
        .unwrap();
        assert_eq!((json.format, json.lang), (Format::Json, Lang::En));
        let q = parse(
            "/00/106141411234567897",
            Some("format=json&page=3"),
            None,
            None,
        )
        .unwrap();
        assert_eq!((q.format, q.page, q.lang), (Format::Json, 3, Lang::Zh));
    }

    #[test]
    fn paths_of_codes() {
        let nmpa = TraceCode::parse("86123450000000000011").unwrap();
        assert_eq!(qr_path(&nmpa, "png"), "/qr/code/86123450000000000011.png");
        let sscc = TraceCode::parse("106141411234567897").unwrap();
        assert_eq!(bundle_path(&sscc), "/bundle/00/106141411234567897.json");
    }

    #[test]
    fn a_bundle_link_routes_back_to_its_code_even_when_the_serial_ends_in_json() {
        // GS1's serial alphabet (CSET 82) has '.': a serial may end in ".json".
        for text in [
            "/01/06970000000017/21/DP0001",
            "/01/06970000000017/21/A.json",
            "/01/06970000000017/21/A.json.json",
        ] {
            let code = TraceCode::parse(text).unwrap();
            let Some(Route::Bundle(routed)) = route(&bundle_path(&code), None) else {
                panic!("{} is not a bundle route", bundle_path(&code));
            };
            assert_eq!(
                TraceCode::parse(&routed).unwrap(),
                code,
                "{}",
                bundle_path(&code)
            );
        }
        // The bare form (no suffix) still routes, for a code whose serial does not end in ".json".
        assert_eq!(
            route("/bundle/01/06970000000017/21/DP0001", None),
            Some(Route::Bundle("/01/06970000000017/21/DP0001".into()))
        );
    }
}
