//! Per-connection rate limit (`--rpc-rate-limit`, calls per second; 0 turns it off): a JSON-RPC middleware
//! with one `governor` token bucket per connection ([`super::serve`] builds the middleware for each accepted
//! connection), the burst as large as a second's calls. A call past the limit is answered at once with
//! [`RATE_LIMITED`] and does not run; a batch counts as many calls as it holds and is refused whole.

use std::future::Future;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use jsonrpsee::core::middleware::ResponseFuture;
use jsonrpsee::core::middleware::{Batch, BatchEntry, BatchEntryErr, Notification, RpcServiceT};
use jsonrpsee::types::{ErrorObjectOwned, Request};
use jsonrpsee::MethodResponse;
use prometheus_client::metrics::counter::Counter;

/// Default calls per second per connection.
pub const DEFAULT_CALLS_PER_SECOND: u32 = 200;

/// Error code: the connection called faster than the rate limit.
pub const RATE_LIMITED: i32 = 1050;

fn limited(per_second: u32) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(
        RATE_LIMITED,
        format!(
            "too many calls on this connection: at most {per_second} a second (the node's --rpc-rate-limit); \
             slow down and retry"
        ),
        None::<()>,
    )
}

/// One connection's token bucket.
#[derive(Clone, Debug)]
pub struct ConnectionLimit {
    limiter: Arc<DefaultDirectRateLimiter>,
    per_second: u32,
    /// Counts the calls refused (the node's metrics).
    refused: Counter,
}

impl ConnectionLimit {
    /// A fresh bucket of `per_second` calls a second (`None` for 0: no limit).
    pub fn new(per_second: u32) -> Option<Self> {
        let rate = NonZeroU32::new(per_second)?;
        Some(Self {
            limiter: Arc::new(RateLimiter::direct(Quota::per_second(rate))),
            per_second,
            refused: Counter::default(),
        })
    }

    /// The same bucket, counting refused calls in `refused` (`yima_rpc_rate_limited_total`).
    pub fn counting(mut self, refused: Counter) -> Self {
        self.refused = refused;
        self
    }

    /// Takes `n` calls' tokens if the bucket has them.
    pub fn take(&self, n: usize) -> bool {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let taken = match NonZeroU32::new(n) {
            None => true,
            Some(k) => matches!(self.limiter.check_n(k), Ok(Ok(()))),
        };
        if !taken {
            self.refused.inc_by(u64::from(n));
        }
        taken
    }
}

/// The middleware: `service` behind an optional [`ConnectionLimit`].
#[derive(Clone, Debug)]
pub struct RateLimit<S> {
    service: S,
    limit: Option<ConnectionLimit>,
}

impl<S> RateLimit<S> {
    /// `service` behind `limit` (no limit when `None`).
    pub fn new(service: S, limit: Option<ConnectionLimit>) -> Self {
        Self { service, limit }
    }

    fn allows(&self, n: usize) -> Result<(), u32> {
        match &self.limit {
            Some(l) if !l.take(n) => Err(l.per_second),
            _ => Ok(()),
        }
    }
}

impl<S> RpcServiceT for RateLimit<S>
where
    S: RpcServiceT<
            MethodResponse = MethodResponse,
            BatchResponse = MethodResponse,
            NotificationResponse = MethodResponse,
        > + Send
        + Sync
        + Clone
        + 'static,
{
    type MethodResponse = MethodResponse;
    type NotificationResponse = MethodResponse;
    type BatchResponse = MethodResponse;

    fn call<'a>(&self, request: Request<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        match self.allows(1) {
            Ok(()) => ResponseFuture::future(self.service.call(request)),
            Err(rate) => ResponseFuture::ready(MethodResponse::error(request.id, limited(rate))),
        }
    }

    fn batch<'a>(&self, mut batch: Batch<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        if let Err(rate) = self.allows(batch.len()) {
            for entry in batch.iter_mut() {
                if let Ok(BatchEntry::Call(request)) = entry {
                    *entry = Err(BatchEntryErr::new(request.id.clone(), limited(rate)));
                }
            }
        }
        self.service.batch(batch)
    }

    fn notification<'a>(
        &self,
        n: Notification<'a>,
    ) -> impl Future<Output = MethodResponse> + Send + 'a {
        match self.allows(1) {
            Ok(()) => ResponseFuture::future(self.service.notification(n)),
            Err(_) => ResponseFuture::ready(MethodResponse::notification()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_holds_a_seconds_calls_and_no_more() {
        let refused = Counter::default();
        let limit = ConnectionLimit::new(10).unwrap().counting(refused.clone());
        assert!(limit.take(4));
        assert!(limit.take(6));
        assert_eq!(refused.get(), 0);
        assert!(!limit.take(1), "the eleventh call within the second");
        assert!(!limit.take(11), "more than the bucket holds");
        assert_eq!(refused.get(), 12, "every refused call is counted");
        assert!(ConnectionLimit::new(0).is_none(), "0 turns the limit off");
    }
}
