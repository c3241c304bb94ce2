//! JSON-RPC error codes and how each failure becomes one. Messages say what to do.

use jsonrpsee::types::ErrorObjectOwned;

/// Error code: the node failed (storage).
pub const NODE_ERROR: i32 = 1000;
/// Error code: the pool refused the transaction (message: why).
pub const INVALID_TX: i32 = 1010;
/// Error code: the code, lot, block or event asked for is not on this chain.
pub const NOT_ON_CHAIN: i32 = 1020;
/// Error code: an operator method called while this server does not expose them.
pub const UNSAFE_METHOD: i32 = 1030;
/// Error code: the parameters are malformed (message: which check failed).
pub const BAD_PARAMS: i32 = -32602;

/// The node failed while answering.
pub fn node_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(NODE_ERROR, format!("node error: {e}"), None::<()>)
}

/// A parameter is malformed.
pub fn bad_params(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(BAD_PARAMS, message.into(), None::<()>)
}

/// What was asked for is not on this chain.
pub fn not_on_chain(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(NOT_ON_CHAIN, message.into(), None::<()>)
}

/// `method` is an operator method and this server does not expose them.
pub fn unsafe_method(method: &str) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(
        UNSAFE_METHOD,
        format!(
            "{method} is an operator method: it answers only a caller on the node's own machine that no proxy \
             forwarded (--rpc-methods auto, the default), or everyone with --rpc-methods unsafe"
        ),
        None::<()>,
    )
}

/// Hex bytes, `0x` optional; `what` names the parameter in the error.
pub fn decode_hex(what: &str, text: &str) -> Result<Vec<u8>, ErrorObjectOwned> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(digits).map_err(|e| bad_params(format!("{what} must be 0x-prefixed hex: {e}")))
}

/// `0x`-prefixed hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Runs a query that reads the event index, whose trait methods panic on a database failure (see
/// `yima_storage::RocksIndex`), turning such a panic into a node error instead of a dropped connection.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, ErrorObjectOwned>) -> Result<T, ErrorObjectOwned> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("the query panicked");
        Err(node_error(message))
    })
}
