//! Client-side mirrors of the node's JSON-RPC shapes (`node/service/src/rpc/`). The node's types live in the
//! node binary's crate, above this one, so they are mirrored here; `tests/tests/client_*.rs` run them against a
//! real node. Unknown fields are ignored, so a newer node's additions do not break an older client; EPCIS event
//! bodies stay JSON ([`serde_json::Value`]) since the client only shows or exports them.

use serde::{Deserialize, Serialize};

/// `chain_getHeader` / `chain_subscribeFinalizedHeads`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HeaderJson {
    /// Block hash.
    pub hash: String,
    /// Height.
    pub number: u64,
    /// Parent's hash.
    pub parent_hash: String,
    /// Milliseconds since the Unix epoch.
    pub timestamp: u64,
    /// The proposer's account.
    pub proposer: String,
    /// State root after the block.
    pub state_root: String,
    /// Root of the block's transactions.
    pub extrinsics_root: String,
    /// Root of the block's events.
    pub events_root: String,
    /// Hash of the set deciding this block.
    pub validators_hash: String,
    /// Hash of the set deciding the next block.
    pub next_validators_hash: String,
}

/// `chain_getBlock`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BlockJson {
    /// The header.
    pub header: HeaderJson,
    /// Hashes of its transactions, in order.
    pub transaction_hashes: Vec<String>,
    /// SCALE hex of its transactions.
    #[serde(default)]
    pub extrinsics: Vec<String>,
}

/// One answer of `author_submitBatch`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SubmitOutcome {
    /// Hash when admitted.
    #[serde(default)]
    pub hash: Option<String>,
    /// Reason when refused.
    #[serde(default)]
    pub error: Option<String>,
}

/// `state_get`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StateValueJson {
    /// The key (hex).
    pub key: String,
    /// The value (SCALE hex), absent when the key is not set.
    pub value: Option<String>,
    /// The height read.
    pub height: u64,
    /// The state root at that height.
    pub state_root: String,
    /// The JMT proof (borsh hex).
    pub proof: String,
}

/// `proof_event` (only what the client keeps: the bundle is the proof; the rest are readable copies).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EventProofJson {
    /// The SCALE `EventProof` (hex).
    pub bundle: String,
    /// The block.
    pub block: u64,
    /// The event's index in the block.
    pub index: u32,
    /// The SCALE event record (hex).
    pub record: String,
    /// How many events the block has.
    pub leaves: u32,
}

/// `system_health`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HealthJson {
    /// Finalized height.
    pub best_number: u64,
    /// Ready transactions in the pool.
    pub pool_ready: usize,
    /// All transactions in the pool.
    pub pool_total: usize,
}

/// `alerts_subscribe` items.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AlertJson {
    /// Block.
    pub block: u64,
    /// Event index in the block.
    pub index: u32,
    /// The transaction (position in the block) that raised it.
    #[serde(default)]
    pub extrinsic: Option<u32>,
    /// Pallet.
    pub pallet: String,
    /// Kind (`refusal`, `excursion`, …).
    pub kind: String,
    /// Codes concerned.
    #[serde(default)]
    pub codes: Vec<String>,
    /// One sentence for people.
    pub message: String,
    /// SCALE event record (hex).
    pub record: String,
}

/// A lot: product and lot number.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct LotJson {
    /// GTIN or NMPA product code.
    pub product: String,
    /// Lot number.
    pub lot: String,
}

/// Where an event is.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventRefJson {
    /// Block.
    pub block: u64,
    /// Index among the block's events.
    pub index: u32,
}

/// A code's current custody.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CustodyJson {
    /// Holding organisation.
    pub holder: u32,
    /// Status (CBV-like).
    pub status: String,
    /// Destination while in transit.
    #[serde(default)]
    pub in_transit_to: Option<u32>,
    /// Outermost container (or the code itself).
    pub root: String,
    /// Location.
    #[serde(default)]
    pub location: Option<serde_json::Value>,
    /// Lot.
    #[serde(default)]
    pub lot: Option<LotJson>,
    /// Past expiry.
    pub expired: bool,
    /// A temperature excursion was recorded.
    pub excursion: bool,
}

/// One hop of a trace.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct HopJson {
    /// Where the event is.
    pub at: EventRefJson,
    /// The organisation that recorded it.
    pub org: u32,
    /// The code the event names.
    pub subject: String,
    /// `own`, `container`, `upstream` or `downstream`.
    pub relation: String,
    /// The EPCIS-shaped event.
    pub event: serde_json::Value,
}

/// One event of a code's chain (`trace_chain`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainHopJson {
    /// Where the event is.
    pub at: EventRefJson,
    /// The organisation that captured it.
    pub org: u32,
    /// The EPCIS event, hex SCALE.
    pub event: String,
}

/// `trace_chain`: the events naming one code up to a height.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainJson {
    /// The code (canonical form).
    pub code: String,
    /// The height read.
    pub height: u64,
    /// One page of the events, in chain order.
    pub hops: Vec<ChainHopJson>,
    /// How many in all.
    #[serde(default)]
    pub total: u64,
    /// Where the next page starts.
    #[serde(
        default,
        rename = "nextCursor",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_cursor: Option<u64>,
}

/// A packing of the code (or a container of it).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ContainerJson {
    /// The packed code.
    pub code: String,
    /// Its container.
    pub container: String,
    /// When packed.
    pub packed: EventRefJson,
    /// When unpacked.
    #[serde(default)]
    pub unpacked: Option<EventRefJson>,
}

/// A regulator's clearance of an excursion flag.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ClearanceJson {
    /// The code whose flag was cleared (the traced code or a container it was in).
    pub code: String,
    /// The regulator organisation.
    pub by: u32,
    /// SHA-256 of the decision document, hex.
    pub reason: String,
    /// The `Trace::ExcursionCleared` event.
    pub at: EventRefJson,
}

/// `trace_history`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TraceJson {
    /// The code (canonical form).
    pub code: String,
    /// The height read.
    pub height: u64,
    /// Current custody.
    #[serde(default)]
    pub current: Option<CustodyJson>,
    /// Every hop, in chain order.
    pub hops: Vec<HopJson>,
    /// Codes it was made from.
    #[serde(default)]
    pub upstream: Vec<String>,
    /// Codes made from it.
    #[serde(default)]
    pub downstream: Vec<String>,
    /// Packings.
    #[serde(default)]
    pub containers: Vec<ContainerJson>,
    /// Regulators' clearances of its excursion flag.
    #[serde(default)]
    pub clearances: Vec<ClearanceJson>,
    /// Holds on its lot and the regulator's decisions.
    #[serde(default)]
    pub holds: Vec<LotHoldJson>,
    /// How many hops in all (`hops` may be one page of them).
    #[serde(default)]
    pub total: u64,
    /// Where the next page of hops starts (absent on the last page and from nodes before pagination).
    #[serde(
        default,
        rename = "nextCursor",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_cursor: Option<u64>,
}

/// One row of a recall.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RecallRowJson {
    /// The code.
    pub code: String,
    /// Its custody.
    #[serde(flatten)]
    pub custody: CustodyJson,
}

/// Quantity of a lot held by one organisation.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HolderJson {
    /// The organisation.
    pub org: u32,
    /// How many units.
    pub quantity: u32,
}

/// `trace_recall`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RecallJson {
    /// The lot recalled.
    #[serde(default)]
    pub lot: Option<LotJson>,
    /// Or the code.
    #[serde(default)]
    pub code: Option<String>,
    /// The height read.
    pub height: u64,
    /// Every downstream code.
    pub rows: Vec<RecallRowJson>,
    /// Holders by quantity.
    #[serde(default)]
    pub holders: Vec<HolderJson>,
    /// Holds on the listed lots and the regulator's decisions.
    #[serde(default)]
    pub holds: Vec<LotHoldJson>,
    /// How many codes in all (`rows` may be one page of them).
    #[serde(default)]
    pub total: u64,
    /// Where the next page of codes starts (absent on the last page and from nodes before pagination).
    #[serde(
        default,
        rename = "nextCursor",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_cursor: Option<u64>,
}

/// A hold on a lot and where it stands (闭环).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct LotHoldJson {
    /// The lot.
    pub lot: LotJson,
    /// `failed_test` or `positive_test`.
    pub source: String,
    /// `held`, `released` or `disposed`.
    pub state: String,
    /// Who recorded the test or decided.
    pub by: u32,
    /// The block of the test or decision.
    pub at: u64,
    /// The decision document or disposal attestation, hex.
    #[serde(default)]
    pub decision: Option<String>,
}
