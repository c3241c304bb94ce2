//! Untrusted `GET` requests → the web layer's parsing (`yima_web::routes`: path, query, `Accept`,
//! `Accept-Language`; then the code or recall target a route names, parsed as the handlers do): must never panic,
//! and the links the node writes for a code (scan page, QR, bundle) must route back to that same code. The input
//! is the path, query, `Accept` and `Accept-Language`, one a line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yima_codes::TraceCode;
use yima_runtime::query::RecallTarget;
use yima_web::routes::{bundle_path, decode_query_value, parse, qr_path, route, scan_path, Route};

fn code_of(route: Option<Route>) -> Option<TraceCode> {
    match route? {
        Route::Scan(text) | Route::Bundle(text) | Route::Qr { code: text, .. } => {
            TraceCode::parse(&text).ok()
        }
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let path = lines.next().unwrap_or("");
    let query = lines.next();
    let (accept, accept_language) = (lines.next(), lines.next());
    let _ = decode_query_value(path);
    let Some(request) = parse(path, query, accept, accept_language) else {
        return;
    };
    match &request.route {
        Route::Scan(text) | Route::Bundle(text) | Route::Qr { code: text, .. } => {
            if let Ok(code) = TraceCode::parse(text) {
                for link in [scan_path(&code), bundle_path(&code), qr_path(&code, "svg")] {
                    assert_eq!(code_of(route(&link, None)), Some(code.clone()), "{link:?}");
                }
            }
        }
        Route::Recall(Some(target)) => {
            let _ = RecallTarget::parse(target);
        }
        _ => {}
    }
});
