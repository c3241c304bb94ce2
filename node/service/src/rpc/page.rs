//! Pagination of long answers (`trace_history`'s hops, `trace_recall`'s rows, the web's scan JSON, audit
//! bundles and dashboard): a **cursor** (where the page starts: an offset in chain order, `0` or absent for the
//! first page) and a **limit** (how many items, at most the answer's hard cap). Each answer says where the next
//! page starts (`nextCursor`, absent on the last page) and how many items there are in all (`total`). The chain
//! only grows, so a cursor stays valid across pages read at different heights.
//!
//! | answer | items | default and hard cap |
//! |--------|-------|----------------------|
//! | `trace_history`, `trace_chain`, scan JSON | hops | [`MAX_HOPS`] |
//! | `trace_recall`, recall JSON | codes | [`MAX_ROWS`] |
//! | `/bundle/…` | proofs | [`MAX_PROOFS`] |
//! | `/dashboard` | blocks of alerts, newest first (the cursor is a block number) | [`crate::web::dashboard::RECENT_BLOCKS`] |

pub use yima_rpc_api::page::{Page, MAX_HOPS, MAX_PROOFS, MAX_ROWS};

use super::error::bad_params;
use jsonrpsee::types::ErrorObjectOwned;

/// [`Page::new`], its refusal as a JSON-RPC error.
pub fn rpc(cursor: Option<u64>, limit: Option<u64>, cap: usize) -> Result<Page, ErrorObjectOwned> {
    Page::new(cursor, limit, cap).map_err(bad_params)
}
