//! Who may ask what of the RPC port: the `Host` and `Origin` allow-lists and the operator decision, judged on
//! each request by [`GuardLayer`] in front of both the web pages and JSON-RPC.
//!
//! - **Host** (DNS rebinding): a node bound to a loopback address answers only requests addressed to a
//!   loopback name (`localhost`, `127.0.0.1`, `[::1]`, any port), so a page of `evil.example` whose name is
//!   made to resolve to `127.0.0.1` is refused. A node bound elsewhere answers any `Host` (its QR codes carry
//!   whatever name people reach it by). `--rpc-host NAME` adds names; `--rpc-host all` turns the check off.
//! - **Origin** (cross-site requests, a web page's WebSocket into a loopback node): a request a browser sends
//!   from a page carries `Origin`; it is answered when the page is the node's own (the origin's host and port
//!   are the request's `Host`), a loopback page, or listed with `--rpc-cors ORIGIN`; `--rpc-cors all` turns the
//!   check off. Requests without `Origin` (the CLI, curl, wallets) are not browsers' and pass. An allowed
//!   cross-origin request gets `Access-Control-Allow-Origin` (and a preflight `OPTIONS` its answer).
//! - **Operator methods** ([`super::RpcMethods`]): judged on the **caller's** address, not the listen address:
//!   under `auto` only a loopback caller is the operator, and a request that a proxy forwarded (`Forwarded`,
//!   `X-Forwarded-For`, `X-Real-IP`) is not, whatever address the proxy connects from. [`GuardService`] puts
//!   the verdict in the request's extensions as a [`Caller`], which the operator methods read.
//!
//! Refusals are `403 Forbidden` with a sentence saying which flag allows the request.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, StatusCode};
use jsonrpsee::core::BoxError;
use jsonrpsee::server::{HttpBody, HttpRequest, HttpResponse};

use super::RpcMethods;

/// `--rpc-host` / `--rpc-cors` value that turns the check off.
pub const ALL: &str = "all";

/// The caller of one request, as the operator methods see it (a request extension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The TCP peer's address.
    pub addr: SocketAddr,
    /// Whether this caller may use operator methods ([`RpcMethods::allows_caller`]).
    pub operator: bool,
}

/// Whether `ip` is this machine (IPv4-mapped IPv6 loopback included).
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Whether a proxy forwarded the request (the TCP peer is the proxy, not the caller).
pub fn forwarded(headers: &HeaderMap) -> bool {
    ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|h| headers.contains_key(*h))
}

/// The host name of a `Host` header or of an origin's authority (`name[:port]`, `[v6][:port]`), lowercased.
fn host_name(authority: &str) -> String {
    let authority = authority.trim();
    let name = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn loopback_name(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(is_loopback)
}

/// The allow-lists and the operator policy of one server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessPolicy {
    /// Operator-method policy.
    pub methods: RpcMethods,
    /// Host names answered besides the defaults; `None`: any.
    pub hosts: Option<Vec<String>>,
    /// Origins answered besides the node's own and loopback pages; `None`: any.
    pub origins: Option<Vec<String>>,
}

impl AccessPolicy {
    /// The policy of a server listening on `listen` with `--rpc-host` values `hosts` and `--rpc-cors` values
    /// `cors` (each possibly [`ALL`]). Without `--rpc-host`, a loopback server answers loopback names only and
    /// any other server any name.
    pub fn new(
        methods: RpcMethods,
        listen: &SocketAddr,
        hosts: &[String],
        cors: &[String],
    ) -> Self {
        let any = |list: &[String]| list.iter().any(|v| v.eq_ignore_ascii_case(ALL));
        let hosts = if any(hosts) || (hosts.is_empty() && !is_loopback(listen.ip())) {
            None
        } else {
            Some(hosts.iter().map(|h| host_name(h)).collect())
        };
        let origins = (!any(cors)).then(|| {
            cors.iter()
                .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
                .collect()
        });
        Self {
            methods,
            hosts,
            origins,
        }
    }

    /// Why a request for `host` is refused, if it is.
    pub fn check_host(&self, host: Option<&str>) -> Result<(), String> {
        let Some(list) = &self.hosts else {
            return Ok(());
        };
        let Some(host) = host else {
            return Err("the request names no Host: send one (HTTP/1.1 requires it)".into());
        };
        let name = host_name(host);
        if loopback_name(&name) || list.contains(&name) {
            Ok(())
        } else {
            Err(format!(
                "Host {host:?} is not one this node answers to: it listens on a loopback address and answers \
                 localhost only; to reach it by this name, start it with --rpc-host {name}"
            ))
        }
    }

    /// Why a request from a page of `origin` addressed to `host` is refused, if it is; `Ok(true)` when the
    /// origin is another site's that the policy allows (its answer carries CORS headers).
    pub fn check_origin(&self, origin: &str, host: Option<&str>) -> Result<bool, String> {
        let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
        let authority = origin.split_once("://").map(|(_, a)| a);
        let same = match (authority, host) {
            (Some(a), Some(h)) => a == h.trim().to_ascii_lowercase(),
            _ => false,
        };
        if same {
            return Ok(false);
        }
        let allowed = match &self.origins {
            None => true,
            Some(list) => {
                authority.is_some_and(|a| loopback_name(&host_name(a))) || list.contains(&origin)
            }
        };
        if allowed {
            Ok(true)
        } else {
            Err(format!(
                "a page of {origin} may not call this node (cross-site request); to allow it, start the node \
                 with --rpc-cors {origin}"
            ))
        }
    }

    /// The caller of a request from `peer` with `headers`.
    pub fn caller(&self, peer: SocketAddr, headers: &HeaderMap) -> Caller {
        Caller {
            addr: peer,
            operator: self.methods.allows_caller(&peer, forwarded(headers)),
        }
    }
}

/// The tower layer that checks `Host` and `Origin` and marks the [`Caller`], for one connection from `peer`.
#[derive(Clone, Debug)]
pub struct GuardLayer {
    policy: Arc<AccessPolicy>,
    peer: SocketAddr,
}

impl GuardLayer {
    /// The guard of a connection from `peer`.
    pub fn new(policy: Arc<AccessPolicy>, peer: SocketAddr) -> Self {
        Self { policy, peer }
    }
}

impl<S> tower::Layer<S> for GuardLayer {
    type Service = GuardService<S>;

    fn layer(&self, inner: S) -> GuardService<S> {
        GuardService {
            inner,
            policy: self.policy.clone(),
            peer: self.peer,
        }
    }
}

/// [`GuardLayer`]'s service.
#[derive(Clone, Debug)]
pub struct GuardService<S> {
    inner: S,
    policy: Arc<AccessPolicy>,
    peer: SocketAddr,
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send + 'static>>;

fn forbidden(message: &str) -> HttpResponse {
    let mut r = HttpResponse::new(HttpBody::from(format!("{message}\n")));
    *r.status_mut() = StatusCode::FORBIDDEN;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn allow_origin(headers: &mut HeaderMap, origin: &HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

impl<S, B> tower::Service<HttpRequest<B>> for GuardService<S>
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

    fn call(&mut self, mut request: HttpRequest<B>) -> Self::Future {
        let headers = request.headers();
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| request.uri().authority().map(|a| a.to_string()));
        if let Err(why) = self.policy.check_host(host.as_deref()) {
            tracing::debug!(peer = %self.peer, %why, "RPC request refused");
            return Box::pin(async move { Ok(forbidden(&why)) });
        }
        let origin = headers.get(header::ORIGIN).cloned();
        let mut cross = None;
        if let Some(value) = &origin {
            let text = value.to_str().unwrap_or("null");
            match self.policy.check_origin(text, host.as_deref()) {
                Ok(true) => cross = Some(value.clone()),
                Ok(false) => {}
                Err(why) => {
                    tracing::debug!(peer = %self.peer, %why, "RPC request refused");
                    return Box::pin(async move { Ok(forbidden(&why)) });
                }
            }
        }
        if let (Some(origin), &Method::OPTIONS) = (&cross, request.method()) {
            let mut r = HttpResponse::new(HttpBody::empty());
            *r.status_mut() = StatusCode::NO_CONTENT;
            let h = r.headers_mut();
            allow_origin(h, origin);
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, OPTIONS"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("content-type"),
            );
            return Box::pin(async move { Ok(r) });
        }
        let caller = self.policy.caller(self.peer, request.headers());
        request.extensions_mut().insert(caller);
        let fut = self.inner.call(request);
        Box::pin(async move {
            let mut r = fut.await.map_err(Into::into)?;
            if let Some(origin) = &cross {
                allow_origin(r.headers_mut(), origin);
            }
            Ok(r)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(listen: &str, hosts: &[&str], cors: &[&str]) -> AccessPolicy {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        AccessPolicy::new(
            RpcMethods::Auto,
            &listen.parse().unwrap(),
            &owned(hosts),
            &owned(cors),
        )
    }

    #[test]
    fn a_loopback_node_answers_loopback_names_and_the_listed_ones() {
        let local = policy("127.0.0.1:9944", &[], &[]);
        for ok in [
            "localhost:9944",
            "127.0.0.1:9944",
            "[::1]:9944",
            "LOCALHOST",
            "app.localhost:1",
        ] {
            assert_eq!(local.check_host(Some(ok)), Ok(()), "{ok}");
        }
        for refused in [
            "evil.example:9944",
            "10.0.0.2:9944",
            "localhost.evil.example",
        ] {
            let why = local.check_host(Some(refused)).unwrap_err();
            assert!(why.contains("--rpc-host"), "{why}");
        }
        assert!(local.check_host(None).is_err());
        let named = policy("127.0.0.1:9944", &["Node.Example"], &[]);
        assert_eq!(named.check_host(Some("node.example:9944")), Ok(()));
        assert_eq!(
            policy("0.0.0.0:9944", &[], &[]).check_host(Some("any.example")),
            Ok(())
        );
        assert_eq!(
            policy("127.0.0.1:1", &["all"], &[]).check_host(Some("any.example")),
            Ok(())
        );
    }

    #[test]
    fn only_the_nodes_own_pages_loopback_pages_and_listed_origins_may_call() {
        let p = policy("0.0.0.0:9944", &[], &["https://app.example/"]);
        assert_eq!(
            p.check_origin("http://node.example:9944", Some("node.example:9944")),
            Ok(false)
        );
        assert_eq!(
            p.check_origin("http://localhost:3000", Some("node.example:9944")),
            Ok(true)
        );
        assert_eq!(
            p.check_origin("https://app.example", Some("node.example:9944")),
            Ok(true)
        );
        for refused in ["https://evil.example", "null", "http://node.example:9945"] {
            let why = p
                .check_origin(refused, Some("node.example:9944"))
                .unwrap_err();
            assert!(why.contains("--rpc-cors"), "{why}");
        }
        let all = policy("0.0.0.0:9944", &[], &["all"]);
        assert_eq!(
            all.check_origin("https://evil.example", Some("n:1")),
            Ok(true)
        );
    }

    #[test]
    fn the_operator_is_a_loopback_caller_that_no_proxy_forwarded() {
        let p = policy("0.0.0.0:9944", &[], &[]);
        let none = HeaderMap::new();
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.7"));
        let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:50000".parse().unwrap();
        let stranger: SocketAddr = "203.0.113.7:50000".parse().unwrap();
        assert!(p.caller(local, &none).operator);
        assert!(p.caller(mapped, &none).operator);
        assert!(!p.caller(stranger, &none).operator);
        assert!(!p.caller(local, &proxied).operator);
    }
}
