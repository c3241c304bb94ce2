//! The column families and what their keys and values are. Numbers in keys are big-endian, so RocksDB's
//! bytewise order is chain order and a prefix scan returns entries oldest first.
//!
//! | column         | key                                                   | value                                   |
//! |----------------|-------------------------------------------------------|-----------------------------------------|
//! | `meta`         | `schema`, `genesis`, `head`                           | u32 BE, genesis hash, head number BE    |
//! | `headers`      | number (8)                                            | SCALE `Header`                          |
//! | `hashes`       | block hash (32)                                       | number (8)                              |
//! | `bodies`       | number (8)                                            | SCALE `Vec<SignedTransaction>`          |
//! | `certificates` | number (8)                                            | the consensus crate's certificate bytes |
//! | `state`        | storage key                                           | value at the head (deleted keys absent) |
//! | `jmt_nodes`    | version (8) ++ borsh `NibblePath`                     | borsh `jmt::storage::Node`              |
//! | `jmt_values`   | key hash (32) ++ version (8)                          | `0` (deleted) or `1` ++ value           |
//! | `events`       | number (8) ++ event index (4)                         | SCALE `EventRecord` (the Merkle leaf)   |
//! | `idx_code`     | SCALE `TraceCode` ++ number (8) ++ index (4) ++ role   | empty                                   |
//! | `idx_lot`      | SCALE `LotKey` ++ number (8) ++ index (4) ++ pos (4)  | SCALE `TraceCode`                       |
//! | `idx_org`      | org (4) ++ number (8) ++ index (4)                    | empty                                   |
//! | `idx_subject`  | SCALE `Subject` ++ number (8) ++ index (4)            | attestation id (32)                     |
//! | `idx_clearance`| SCALE `TraceCode` ++ number (8) ++ index (4)          | org (4) ++ decision digest (32)         |
//! | `undecided`    | height (8) ++ round (4) ++ block hash (32)            | the consensus crate's proposal bytes    |
//! | `handovers`    | number (8)                                            | empty                                   |
//! | `evidence`     | height (8) ++ record id (32)                          | the consensus crate's evidence record   |
//!
//! SCALE encodings are self-delimiting, so `SCALE(code)` (or a lot's, or a subject's) is never a prefix of another code's encoding and a
//! prefix scan over one code never runs into another's entries. `role` is the SCALE byte of
//! [`yima_runtime::query::Role`]; `pos` is the code's position among the codes its event commissions, so a
//! lot's codes come back in chain order and, within one event, in the event's order.
//!
//! `undecided` holds proposals consensus has not decided yet (what Malachite's application must hand back
//! after a restart); committing block `n` deletes every entry up to height `n` in the same batch.
//!
//! `handovers` lists the blocks whose header hands over to another validator set (`next_validators_hash !=
//! validators_hash`): what an event proof carries besides its block, found with one seek instead of reading
//! every header below the block.
//!
//! `evidence` keeps equivocations (two conflicting messages one validator signed) the node saw, by the height
//! they were signed for; the id is the record's content digest, so the same record seen twice is kept once.
//!
//! The tree keeps every version (no pruning yet), so proofs can be served for any height; `jmt_values` lets
//! the tree read a key's value as of any version with one reverse seek.

/// One column family.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Column {
    /// Schema version, genesis hash, head number.
    Meta,
    /// Headers by number.
    Headers,
    /// Block numbers by hash.
    Hashes,
    /// Block bodies by number.
    Bodies,
    /// Commit certificates by number.
    Certificates,
    /// The flat state at the head.
    State,
    /// Jellyfish Merkle Tree nodes, every version.
    JmtNodes,
    /// Values by key hash and version, for the tree's historical reads and proofs.
    JmtValues,
    /// Event records by (number, index).
    Events,
    /// Custody events by code.
    IdxCode,
    /// Commissioned codes by lot.
    IdxLot,
    /// Custody events by capturing organisation.
    IdxOrg,
    /// Attestations issued, by subject.
    IdxSubject,
    /// Regulators' clearances of excursion flags, by code.
    IdxClearance,
    /// Proposals not decided yet, by height, round and block hash.
    Undecided,
    /// Blocks that hand over to another validator set, by number.
    Handovers,
    /// Equivocation evidence, by height and record id.
    Evidence,
}

impl Column {
    /// Every column family, in the order they are opened.
    pub const ALL: [Column; 17] = [
        Column::Meta,
        Column::Headers,
        Column::Hashes,
        Column::Bodies,
        Column::Certificates,
        Column::State,
        Column::JmtNodes,
        Column::JmtValues,
        Column::Events,
        Column::IdxCode,
        Column::IdxLot,
        Column::IdxOrg,
        Column::IdxSubject,
        Column::IdxClearance,
        Column::Undecided,
        Column::Handovers,
        Column::Evidence,
    ];

    /// The column family's name in RocksDB.
    pub const fn name(self) -> &'static str {
        match self {
            Column::Meta => "meta",
            Column::Headers => "headers",
            Column::Hashes => "hashes",
            Column::Bodies => "bodies",
            Column::Certificates => "certificates",
            Column::State => "state",
            Column::JmtNodes => "jmt_nodes",
            Column::JmtValues => "jmt_values",
            Column::Events => "events",
            Column::IdxCode => "idx_code",
            Column::IdxLot => "idx_lot",
            Column::IdxOrg => "idx_org",
            Column::IdxSubject => "idx_subject",
            Column::IdxClearance => "idx_clearance",
            Column::Undecided => "undecided",
            Column::Handovers => "handovers",
            Column::Evidence => "evidence",
        }
    }

    /// Whether reads are mostly point lookups (a whole-key Bloom filter pays off).
    pub(crate) const fn point_lookups(self) -> bool {
        matches!(
            self,
            Column::Headers
                | Column::Hashes
                | Column::Bodies
                | Column::Certificates
                | Column::State
                | Column::JmtNodes
                | Column::Events
        )
    }
}

/// Keys of the `meta` column family.
pub(crate) mod meta {
    /// The schema version (u32 BE).
    pub(crate) const SCHEMA: &[u8] = b"schema";
    /// The genesis hash (32 bytes).
    pub(crate) const GENESIS: &[u8] = b"genesis";
    /// The number of the last committed block (u64 BE).
    pub(crate) const HEAD: &[u8] = b"head";
}
