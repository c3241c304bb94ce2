//! This node's clock, in milliseconds since the Unix epoch: the one "now" of the node's consensus side — the
//! timestamp of the blocks it builds and the drift check on others' proposals (`AppConfig::max_future_drift`).
//!
//! A fault-test build (cargo feature `byzantine`) can skew it ([`skew`], the node's `--clock-offset-ms`) to test
//! a validator whose clock is wrong; a build without the feature cannot.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds added to the system clock (0 unless a fault-test build skewed it).
static OFFSET_MS: AtomicI64 = AtomicI64::new(0);

/// Now, ms since the Unix epoch (0 if the system clock is before 1970).
pub fn now_ms() -> u64 {
    let real = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    real.saturating_add_signed(OFFSET_MS.load(Ordering::Relaxed))
}

/// Skews this process's clock by `offset_ms` (negative: behind). Fault tests only.
#[cfg(feature = "byzantine")]
pub fn skew(offset_ms: i64) {
    OFFSET_MS.store(offset_ms, Ordering::Relaxed);
}
