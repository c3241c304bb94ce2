//! [`PoolConfig`]: the pool's bounds and their defaults.

/// Default [`PoolConfig::max_transactions`]: four full blocks at the default block limit (10,000 transactions).
pub const DEFAULT_MAX_TRANSACTIONS: usize = 40_000;
/// Default [`PoolConfig::max_bytes`]: 64 MiB of encoded transactions, four full blocks at the default block limit
/// (16 MiB).
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Default [`PoolConfig::max_per_account`]: a tenth of the pool, so ten busy importers cannot lock everyone out.
pub const DEFAULT_MAX_PER_ACCOUNT: usize = 4_096;
/// Default [`PoolConfig::max_nonce_gap`]: room for a few batches of one account arriving out of order by gossip.
pub const DEFAULT_MAX_NONCE_GAP: u64 = 1_024;
/// Default [`PoolConfig::regossip_after_blocks`]: about ten seconds at one block a second.
pub const DEFAULT_REGOSSIP_AFTER_BLOCKS: u64 = 10;
/// Default [`PoolConfig::max_per_organisation`]: three quarters of the pool. One organisation, however many keys
/// it holds, leaves a full block's worth (10,000 at the default block limit) to the others, while one busy
/// importer is not throttled (`yima-bench` keeps 24,000 transactions of one organisation in flight).
pub const DEFAULT_MAX_PER_ORGANISATION: usize = 30_000;
/// Default [`PoolConfig::future_lifetime_blocks`]: about thirty seconds at one block a second — gossip delivers a
/// missing predecessor within seconds, or never.
pub const DEFAULT_FUTURE_LIFETIME_BLOCKS: u64 = 30;
/// Default [`PoolConfig::max_futures_per_organisation`]: a tenth of the pool. Honest futures are a gossip batch
/// that overtook its predecessor, gone within a block; an organisation queueing more is flooding gapped nonces.
pub const DEFAULT_MAX_FUTURES_PER_ORGANISATION: usize = 4_096;
/// Default [`PoolConfig::exhaustion_cooldown_blocks`]: about ten minutes at one block a second.
pub const DEFAULT_EXHAUSTION_COOLDOWN_BLOCKS: u64 = 600;
/// Default [`PoolConfig::max_bad_signatures`]: an honest client or peer sends none; a few tolerate a buggy one
/// without verifying thousands of forgeries.
pub const DEFAULT_MAX_BAD_SIGNATURES: usize = 4;

/// The pool's bounds.
///
/// Memory: the pool holds at most `max_transactions` transactions of at most `max_bytes` encoded bytes in total.
/// Each costs its decoded form (about the size of its encoding plus 200 bytes) and about 200 bytes of bookkeeping
/// (its hash and its places in two maps); so the defaults bound the pool near 64 MiB + 40,000 × 0.4 KiB ≈ 80 MiB,
/// more only if decoded calls are much larger than their encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    /// Most transactions held, ready and queued together.
    pub max_transactions: usize,
    /// Most encoded bytes held (the sum of the transactions' SCALE sizes).
    pub max_bytes: usize,
    /// Most transactions of one signer held.
    pub max_per_account: usize,
    /// Furthest a nonce may lie beyond the account's frontier (next nonce in state + contiguous pooled chain) and
    /// still be queued; 0 queues nothing out of order.
    pub max_nonce_gap: u64,
    /// Committed blocks after which a transaction still pooled is handed out again by
    /// [`Pool::pending_for_gossip`].
    pub regossip_after_blocks: u64,
    /// Most transactions held whose signers belong to one organisation.
    pub max_per_organisation: usize,
    /// Committed blocks after its admission at which a transaction still queued behind a missing nonce is dropped.
    pub future_lifetime_blocks: u64,
    /// Bad signatures of one sender in one ingress call after which its other transactions are refused unchecked
    /// ([`PoolError::Unverified`]); at least 1.
    pub max_bad_signatures: usize,
    /// Most futures (transactions queued behind a missing nonce) held for accounts of one organisation.
    pub max_futures_per_organisation: usize,
    /// Committed blocks during which, after one of its transactions was stopped at the chain's per-transaction
    /// weight limit, an account is refused ([`PoolError::CoolingDown`]) and its organisation's transactions are
    /// offered to blocks only when no other organisation's are ready (see `penalties`).
    pub exhaustion_cooldown_blocks: u64,
}

impl PoolConfig {
    /// The default bounds scaled to a pool of `max_transactions` (at least one): bytes, one organisation's share
    /// (three quarters), its futures (a tenth) and one account's (a tenth) in the defaults' proportions.
    pub fn with_limit(max_transactions: usize) -> Self {
        let d = Self::default();
        let n = max_transactions.max(1);
        let scale = |x: usize| (x as u128 * n as u128 / d.max_transactions as u128).max(1) as usize;
        Self {
            max_transactions: n,
            max_bytes: scale(d.max_bytes),
            max_per_account: scale(d.max_per_account),
            max_per_organisation: scale(d.max_per_organisation),
            max_futures_per_organisation: scale(d.max_futures_per_organisation),
            ..d
        }
    }
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            max_transactions: DEFAULT_MAX_TRANSACTIONS,
            max_bytes: DEFAULT_MAX_BYTES,
            max_per_account: DEFAULT_MAX_PER_ACCOUNT,
            max_nonce_gap: DEFAULT_MAX_NONCE_GAP,
            regossip_after_blocks: DEFAULT_REGOSSIP_AFTER_BLOCKS,
            max_per_organisation: DEFAULT_MAX_PER_ORGANISATION,
            future_lifetime_blocks: DEFAULT_FUTURE_LIFETIME_BLOCKS,
            max_bad_signatures: DEFAULT_MAX_BAD_SIGNATURES,
            max_futures_per_organisation: DEFAULT_MAX_FUTURES_PER_ORGANISATION,
            exhaustion_cooldown_blocks: DEFAULT_EXHAUSTION_COOLDOWN_BLOCKS,
        }
    }
}
