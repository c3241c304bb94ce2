//! The web side of the node, served on the RPC port: the GS1 Digital Link resolver and scan page, QR codes,
//! audit bundles, the recall view and the regulator dashboard.
//!
//! **One port.** [`WebLayer`] is a tower layer put in front of jsonrpsee's HTTP service
//! (`Server::builder().set_http_middleware`): a `GET` whose path is a web route ([`routes`]) is answered
//! here; everything else — JSON-RPC `POST /`, the WebSocket upgrade, unknown paths — goes on to the RPC server
//! untouched (the `Host`/`Origin` checks of [`crate::rpc::access`] run before both). A scanned URL
//! `http://{node}:9944/01/…/21/…` thus lands on the same port wallets and the CLI
//! use, and the dashboard's script reaches `alerts_subscribe` on its own origin. The store is read through the
//! server's [`Readers`] (a bounded share of tokio's blocking pool; `503` with `Retry-After` when too many wait).
//!
//! **Pages** are rendered server-side with `maud` (HTML checked at compile time, every interpolation escaped,
//! no template files to ship) with inline CSS and SVG: no CDN, no external asset. Chinese or English by
//! `?lang=` then `Accept-Language` ([`i18n`]); JSON instead of HTML by `Accept: application/json` or
//! `?format=json`, described in `docs/openapi.yaml` (also served at `/openapi.yaml`).
//!
//! | module | what |
//! |--------|------|
//! | [`routes`] | paths → [`routes::Route`], format, language, page (crate `yima-web`) |
//! | [`scan`] | reading a code's page data from one snapshot |
//! | [`verify`] | the "verified" badge: every hop's proof through the shared verifier |
//! | [`scan_page`] | the scan, 404 and 400 pages |
//! | [`chart`] | the temperature chart (SVG) |
//! | [`dashboard`] | the dashboard and the recall view |
//! | [`layout`] | the page shell and stylesheet |
//! | [`i18n`] | languages, texts, local times (crate `yima-web`) |
//!
//! QR codes are drawn by `yima-labels` (shared with `yima label`): the URL in the symbol is
//! `http://{Host}{scan path}`, the host the request came to.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode};
use jsonrpsee::core::BoxError;
use jsonrpsee::server::{HttpBody, HttpRequest, HttpResponse};
use yima_codes::{CodeError, TraceCode};

use crate::host::NodeHost;
use crate::rpc::page::{self, Page};
use crate::rpc::readers::{ReaderError, Readers};
use routes::{Format, Route, WebRequest};

pub mod chart;
pub mod dashboard;
pub mod layout;
pub mod scan;
pub mod scan_page;
pub mod verify;

/// Routes and languages live in `yima-web` (pure, fuzzed apart from the store); re-exported so pages name them
/// as this module's own.
pub use yima_web::{i18n, routes};

/// The OpenAPI description of the JSON answers.
pub const OPENAPI: &str = include_str!("../../../../docs/openapi.yaml");

/// Longest code text taken from a path.
pub const MAX_CODE_TEXT: usize = crate::rpc::trace::MAX_CODE_TEXT;

/// The tower layer answering web routes in front of the RPC server.
#[derive(Clone)]
pub struct WebLayer {
    host: Arc<NodeHost>,
    readers: Readers,
}

impl WebLayer {
    /// Web pages over `host`, each read through `readers`.
    pub fn new(host: Arc<NodeHost>, readers: Readers) -> Self {
        Self { host, readers }
    }
}

impl<S> tower::Layer<S> for WebLayer {
    type Service = WebService<S>;

    fn layer(&self, inner: S) -> WebService<S> {
        WebService {
            inner,
            host: self.host.clone(),
            readers: self.readers.clone(),
        }
    }
}

/// [`WebLayer`]'s service: web routes here, the rest to `inner`.
#[derive(Clone)]
pub struct WebService<S> {
    inner: S,
    host: Arc<NodeHost>,
    readers: Readers,
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send + 'static>>;

impl<S, B> tower::Service<HttpRequest<B>> for WebService<S>
where
    S: tower::Service<HttpRequest<B>, Response = HttpResponse>,
    S::Error: Into<BoxError> + 'static,
    S::Future: Send + 'static,
{
    type Response = HttpResponse;
    type Error = BoxError;
    type Future = BoxFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: HttpRequest<B>) -> Self::Future {
        let header = |name: header::HeaderName| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let web = (request.method() == Method::GET
            && !request.headers().contains_key(header::UPGRADE))
        .then(|| {
            routes::parse(
                request.uri().path(),
                request.uri().query(),
                header(header::ACCEPT).as_deref(),
                header(header::ACCEPT_LANGUAGE).as_deref(),
            )
        })
        .flatten();
        let Some(web) = web else {
            let fut = self.inner.call(request);
            return Box::pin(async move { fut.await.map_err(Into::into) });
        };
        let host = self.host.clone();
        let readers = self.readers.clone();
        let path = request.uri().path().to_owned();
        let query = request.uri().query().map(str::to_owned);
        let base = base_url(header(header::HOST).as_deref());
        Box::pin(async move {
            let answer = readers
                .run(move || answer(&host, &web, &path, query.as_deref(), &base))
                .await;
            Ok(answer.unwrap_or_else(|e| match e {
                ReaderError::Busy { .. } => {
                    let mut r = plain(StatusCode::SERVICE_UNAVAILABLE, &e.to_string());
                    r.headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                    r
                }
                ReaderError::Failed(_) => {
                    tracing::error!(error = %e, "web page task failed");
                    plain(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "the page failed; see the node's log",
                    )
                }
            }))
        })
    }
}

/// `http://{host}` when the `Host` header is a plain host\[:port\], else `http://localhost`.
fn base_url(host: Option<&str>) -> String {
    match host {
        Some(h)
            if !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)) =>
        {
            format!("http://{h}")
        }
        _ => "http://localhost".into(),
    }
}

fn response(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<HttpBody>,
) -> HttpResponse {
    let mut r = HttpResponse::new(body.into());
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Language"),
    );
    r
}

fn plain(status: StatusCode, text: &str) -> HttpResponse {
    response(status, "text/plain; charset=utf-8", format!("{text}\n"))
}

/// HTML with a policy that allows nothing from outside the node (the dashboard's inline script only).
fn html_page(status: StatusCode, markup: maud::Markup, script: bool) -> HttpResponse {
    let mut r = response(status, "text/html; charset=utf-8", markup.into_string());
    let csp = if script {
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'unsafe-inline'; connect-src 'self'"
    } else {
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"
    };
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    r
}

fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> HttpResponse {
    match serde_json::to_string(value) {
        Ok(s) => response(status, "application/json", s),
        Err(e) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("cannot encode JSON: {e}"),
        ),
    }
}

/// A JSON error: `{"error": {"status": 404, "message": "…"}}`.
fn json_error(status: StatusCode, message: &str) -> HttpResponse {
    json(
        status,
        &serde_json::json!({ "error": { "status": status.as_u16(), "message": message } }),
    )
}

fn error(
    web: &WebRequest,
    status: StatusCode,
    message: &str,
    code: &str,
    path: &str,
    query: Option<&str>,
) -> HttpResponse {
    match (web.format, status) {
        (Format::Json, _) => json_error(status, message),
        (Format::Html, StatusCode::NOT_FOUND) => html_page(
            status,
            scan_page::not_found_page(web.lang, code, path, query),
            false,
        ),
        (Format::Html, _) => html_page(
            status,
            scan_page::malformed_page(web.lang, message, path, query),
            false,
        ),
    }
}

/// A code from a path, or the check it failed.
fn parse_code(text: &str) -> Result<TraceCode, CodeError> {
    TraceCode::parse(text)
}

fn too_long(text: &str) -> Option<String> {
    (text.len() > MAX_CODE_TEXT).then(|| {
        format!(
            "{} characters: a code is at most {MAX_CODE_TEXT}",
            text.len()
        )
    })
}

/// The answer to one web request.
pub fn answer(
    host: &Arc<NodeHost>,
    web: &WebRequest,
    path: &str,
    query: Option<&str>,
    base: &str,
) -> HttpResponse {
    match &web.route {
        Route::Scan(text) => scan(host, web, text, path, query),
        Route::Recall(target) => recall(host, web, target.as_deref(), path, query),
        Route::Qr { code, png } => qr(web, code, *png, base, path, query),
        Route::Bundle(text) => bundle(host, web, text, path, query),
        Route::Dashboard => match dashboard::load(host, web.cursor, web.limit) {
            Ok(data) => match web.format {
                Format::Json => json(StatusCode::OK, &data),
                Format::Html => html_page(
                    StatusCode::OK,
                    dashboard::dashboard_page(&data, web.lang, query),
                    true,
                ),
            },
            Err(dashboard::DashboardError::Malformed(m)) => {
                error(web, StatusCode::BAD_REQUEST, &m, "", path, query)
            }
            Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        },
        Route::OpenApi => response(StatusCode::OK, "application/yaml; charset=utf-8", OPENAPI),
    }
}

fn scan(
    host: &Arc<NodeHost>,
    web: &WebRequest,
    text: &str,
    path: &str,
    query: Option<&str>,
) -> HttpResponse {
    if let Some(msg) = too_long(text) {
        return error(web, StatusCode::BAD_REQUEST, &msg, text, path, query);
    }
    let code = match parse_code(text) {
        Ok(code) => code,
        // A GTIN and a lot without a serial names a lot: its recall view.
        Err(CodeError::GtinWithoutSerial { .. })
            if crate::rpc::trace::parse_recall_target(text)
                .is_ok_and(|t| matches!(t, yima_runtime::query::RecallTarget::Lot(_))) =>
        {
            return recall(host, web, Some(text), path, query)
        }
        Err(e) => {
            return error(
                web,
                StatusCode::BAD_REQUEST,
                &format!("{text:?} is not a trace code: {e}"),
                text,
                path,
                query,
            )
        }
    };
    let page = match web.format {
        Format::Html => Page {
            cursor: web.page.saturating_sub(1).saturating_mul(scan::PAGE_SIZE),
            limit: scan::PAGE_SIZE,
        },
        Format::Json => match Page::new(web.cursor, web.limit, page::MAX_HOPS) {
            Ok(p) => p,
            Err(m) => return error(web, StatusCode::BAD_REQUEST, &m, text, path, query),
        },
    };
    match scan::load(host, &code, page) {
        Ok(view) => match web.format {
            Format::Json => json(StatusCode::OK, &view.to_json()),
            Format::Html => html_page(
                StatusCode::OK,
                scan_page::scan_page(&view, web.lang, web.page, path, query),
                false,
            ),
        },
        Err(e @ scan::ScanError::NotOnChain(_)) => error(
            web,
            StatusCode::NOT_FOUND,
            &e.to_string(),
            &code.to_string(),
            path,
            query,
        ),
        Err(e) => {
            tracing::warn!(error = %e, "scan page");
            plain(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())
        }
    }
}

fn recall(
    host: &Arc<NodeHost>,
    web: &WebRequest,
    target: Option<&str>,
    path: &str,
    query: Option<&str>,
) -> HttpResponse {
    let Some(target) = target else {
        return html_page(
            StatusCode::OK,
            dashboard::recall_page(None, "", web.lang, path, query),
            false,
        );
    };
    let page = match Page::new(web.cursor, web.limit, page::MAX_ROWS) {
        Ok(p) => p,
        Err(m) => return error(web, StatusCode::BAD_REQUEST, &m, target, path, query),
    };
    match dashboard::load_recall(host, target) {
        Ok(found) => match web.format {
            Format::Json => json(StatusCode::OK, &found.0.clone().into_page(page)),
            Format::Html => html_page(
                StatusCode::OK,
                dashboard::recall_page(Some(&found), target, web.lang, path, query),
                false,
            ),
        },
        Err(dashboard::RecallError::Malformed(m)) => {
            error(web, StatusCode::BAD_REQUEST, &m, target, path, query)
        }
        Err(dashboard::RecallError::NotOnChain(m)) => {
            error(web, StatusCode::NOT_FOUND, &m, target, path, query)
        }
        Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

fn qr(
    web: &WebRequest,
    text: &str,
    png: bool,
    base: &str,
    path: &str,
    query: Option<&str>,
) -> HttpResponse {
    let code = match too_long(text)
        .map(Err)
        .unwrap_or_else(|| parse_code(text).map_err(|e| e.to_string()))
    {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("{text:?} is not a trace code: {e}");
            return error(web, StatusCode::BAD_REQUEST, &msg, text, path, query);
        }
    };
    let url = format!("{base}{}", routes::scan_path(&code));
    let drawn = if png {
        yima_labels::qr_png(&url, 6).map(|b| response(StatusCode::OK, "image/png", b))
    } else {
        yima_labels::qr_svg(&url, 240).map(|s| response(StatusCode::OK, "image/svg+xml", s))
    };
    match drawn {
        Ok(mut r) => {
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            r
        }
        Err(e) => error(
            web,
            StatusCode::BAD_REQUEST,
            &e.to_string(),
            text,
            path,
            query,
        ),
    }
}

fn bundle(
    host: &Arc<NodeHost>,
    web: &WebRequest,
    text: &str,
    path: &str,
    query: Option<&str>,
) -> HttpResponse {
    let web = WebRequest {
        format: Format::Json,
        ..web.clone()
    };
    let code = match too_long(text)
        .map(Err)
        .unwrap_or_else(|| parse_code(text).map_err(|e| e.to_string()))
    {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("{text:?} is not a trace code: {e}");
            return error(&web, StatusCode::BAD_REQUEST, &msg, text, path, query);
        }
    };
    let index = match host.store().index() {
        Ok(i) => i,
        Err(e) => return plain(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let trace = match yima_runtime::query::trace(&index, &code) {
        Ok(t) => t,
        Err(e) => {
            return error(
                &web,
                StatusCode::NOT_FOUND,
                &e.to_string(),
                text,
                path,
                query,
            )
        }
    };
    let page = match Page::new(web.cursor, web.limit, page::MAX_PROOFS) {
        Ok(p) => p,
        Err(m) => return error(&web, StatusCode::BAD_REQUEST, &m, text, path, query),
    };
    let (hops, next_cursor) = page.slice(&trace.hops);
    // The hand-overs below the page's newest hop, read once for all its proofs.
    let newest = hops.iter().map(|h| h.at.block).max().unwrap_or(0);
    let changes = match crate::rpc::proof::set_changes_below(host, newest) {
        Ok(c) => c,
        Err(e) => return plain(StatusCode::INTERNAL_SERVER_ERROR, e.message()),
    };
    let mut proofs = Vec::with_capacity(hops.len());
    for hop in hops {
        match crate::rpc::proof::event_proof_with(host, hop.at.block, hop.at.index, Some(&changes))
        {
            Ok(p) => proofs.push(crate::rpc::proof::event_proof_json(&p)),
            Err(e) => return plain(StatusCode::INTERNAL_SERVER_ERROR, e.message()),
        }
    }
    let genesis = host
        .store()
        .genesis_hash()
        .ok()
        .flatten()
        .map(|h| h.to_string());
    let mut r = json(
        StatusCode::OK,
        &serde_json::json!({
            "code": code.to_string(),
            "genesis": genesis,
            "proofs": proofs,
            "total": trace.hops.len(),
            "nextCursor": next_cursor,
        }),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"yima-audit-bundle.json\""),
    );
    r
}
