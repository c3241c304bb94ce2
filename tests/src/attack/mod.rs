//! Hostile members and RPC callers against a live [`Testnet`]: each [`AttackKind`] is an attack of issue 12 that
//! a member account or a stranger on the RPC port can run without any privilege the chain does not give every
//! member. `tests/adversarial.rs` runs each beside honest clients and asserts that honest transactions keep
//! finalizing and that the attacker is refused or charged; `yima-bench --attack KIND` measures the same at full
//! size.
//!
//! The attackers are [`AttackSize::accounts`] Operator accounts of their own organisation, a manufacturer with
//! its own GS1 company prefix and product ([`add_attackers`] puts them in genesis): an enterprise that was
//! admitted honestly and turned hostile, or whose keys leaked. The honest load comes from another organisation
//! (the `local` preset's manufacturer).
//!
//! | kind | what it sends | what it costs today's node |
//! |---|---|---|
//! | [`ObserveBomb`](AttackKind::ObserveBomb) | transactions of OBSERVE aggregation events, each naming its own pallet of thousands of items | every capture gate walks the pallet's contents once per event |
//! | [`NonceFlood`](AttackKind::NonceFlood) | per account, valid transactions at every nonce of the pool's gap except the next one | futures that never become ready fill every pool |
//! | [`ForgedSignatures`](AttackKind::ForgedSignatures) | batches of transactions of real member keys with garbage signatures | batch verification and its halving search under the pool's lock |
//! | [`ReaderFlood`](AttackKind::ReaderFlood) | many concurrent `trace_history`/`trace_recall` of a big pallet and its lot | readers on the pool that executes blocks |
//!
//! The gossip and consensus-part attacks need a peer that speaks the wire protocols falsely; they are unit tests
//! of `yima-network` and `yima-consensus`, and a Byzantine validator is issue 14's.

mod bomb;
mod flood;
mod forged;
mod readers;

use std::collections::BTreeMap;
use std::time::Instant;

use yima_chain_spec::ChainSpec;
use yima_codes::{gs1_check_digit, Gtin, LotNumber, ProductId, SerialNumber, Sscc, TraceCode};
use yima_frame::{Hash, Role, Roles};
use yima_membership::{CompanyPrefix, GenesisAccount, GenesisOrganisation, OrgKind, Uscc};
use yima_runtime::RuntimeCall;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::types::{Category, LotKey};

use crate::testnet::{NodeRpc, Testnet};
use crate::workload::{capture, Signer};

/// One attack of issue 12.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AttackKind {
    /// Unmetered execution: OBSERVE events on a big pallet.
    ObserveBomb,
    /// A pool filled with gapped-nonce transactions.
    NonceFlood,
    /// Member keys, garbage signatures, big batches.
    ForgedSignatures,
    /// Expensive readers on the RPC port.
    ReaderFlood,
}

impl AttackKind {
    /// Every kind, in the order of the issue.
    pub const ALL: [AttackKind; 4] = [
        AttackKind::ObserveBomb,
        AttackKind::NonceFlood,
        AttackKind::ForgedSignatures,
        AttackKind::ReaderFlood,
    ];

    /// Its command-line name.
    pub fn name(self) -> &'static str {
        match self {
            AttackKind::ObserveBomb => "observe-bomb",
            AttackKind::NonceFlood => "nonce-flood",
            AttackKind::ForgedSignatures => "forged-signatures",
            AttackKind::ReaderFlood => "reader-flood",
        }
    }

    fn needs_pallet(self) -> bool {
        matches!(self, AttackKind::ObserveBomb | AttackKind::ReaderFlood)
    }
}

/// How big an attack is.
#[derive(Clone, Debug)]
pub struct AttackSize {
    /// Attacker accounts.
    pub accounts: usize,
    /// Items in the attacker's pallet (observe bomb, reader flood).
    pub pallet_items: usize,
    /// OBSERVE events per bomb transaction.
    pub events_per_bomb: usize,
    /// Gapped nonces each account sends (nonce flood).
    pub gap_nonces: u64,
    /// Forged transactions per `author_submitBatch`.
    pub forged_per_batch: usize,
    /// Concurrent readers (reader flood).
    pub readers: usize,
    /// `--pool-limit` of the nodes (the pool's size), or the default.
    pub pool_limit: Option<usize>,
    /// The chain's weight limits are divided by this: 1 on release nodes, 10 on the debug nodes of
    /// `cargo test`, which execute about ten times slower (the limits are sized for release builds).
    pub weight_divisor: u64,
}

impl AttackSize {
    /// The figures of the issue: a 10,000-item pallet and 1,000 events per transaction, 40 accounts × 1,024
    /// gapped nonces, batches of 2,000 forged transactions, 256 readers.
    pub fn issue() -> Self {
        Self {
            accounts: 40,
            pallet_items: 10_000,
            events_per_bomb: 1_000,
            gap_nonces: 1_024,
            forged_per_batch: 2_000,
            readers: 256,
            pool_limit: None,
            weight_divisor: 1,
        }
    }

    /// A size a debug-built 4-validator Testnet on 2 cores runs in CI: everything a tenth — the pallet, the
    /// nodes' pools (`--pool-limit 4000`) and the gapped nonces that fill them, the weight limits (debug nodes
    /// execute about ten times slower) — but the forged batches and the number of attacker accounts.
    pub fn small() -> Self {
        Self {
            accounts: 40,
            pallet_items: 2_000,
            events_per_bomb: 200,
            gap_nonces: 128,
            forged_per_batch: 2_000,
            readers: 32,
            pool_limit: Some(4_000),
            weight_divisor: 10,
        }
    }
}

/// The attacker accounts' dev key names.
pub fn attacker_names(size: &AttackSize) -> Vec<String> {
    (0..size.accounts.max(1))
        .map(|i| format!("attacker-{i}"))
        .collect()
}

/// USCC of the attackers' organisation.
pub const ATTACKER_USCC: &str = "91330100MA2Y01010E";

/// The attackers' GS1 company prefix.
const ATTACKER_PREFIX: &str = "6959999";

/// Adds the attackers' organisation (a manufacturer holding [`ATTACKER_PREFIX`]) and its Operator accounts to
/// `spec`'s genesis, and divides the chain's weight limits by [`AttackSize::weight_divisor`].
pub fn add_attackers(spec: &mut ChainSpec, size: &AttackSize) {
    let uscc = Uscc::parse(ATTACKER_USCC).expect("a valid USCC");
    let membership = &mut spec.genesis.membership;
    membership.organisations.push(GenesisOrganisation {
        name: "Hostile Member Co., Ltd.".into(),
        kind: OrgKind::Manufacturer,
        uscc,
        prefixes: vec![CompanyPrefix::parse(ATTACKER_PREFIX).expect("a valid company prefix")],
    });
    for name in attacker_names(size) {
        membership.accounts.push(GenesisAccount {
            account: yima_chain_spec::dev_keys::dev_account(&name),
            uscc,
            roles: Roles::of(&[Role::Operator]),
        });
    }
    let limits = &mut spec.genesis.system.limits;
    let d = size.weight_divisor.max(1);
    limits.max_transaction_weight /= d;
    limits.max_block_weight /= d;
}

/// The attackers' product.
pub fn attacker_product() -> Gtin {
    let body = format!("0{ATTACKER_PREFIX}00001");
    let check = gs1_check_digit(body.as_bytes());
    Gtin::parse(&format!("{body}{check}")).expect("a valid GTIN-14")
}

/// The attackers' lot.
pub fn attacker_lot() -> LotKey {
    LotKey {
        product: ProductId::Gtin(attacker_product()),
        lot: LotNumber::parse("ATK1").expect("a valid lot number"),
    }
}

/// The attacker's pallet: an SSCC of [`ATTACKER_PREFIX`].
pub fn pallet() -> TraceCode {
    let body = format!("3{ATTACKER_PREFIX}000000001");
    let check = gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).expect("a valid SSCC"))
}

/// Item `i` of the attackers' product.
fn attacker_item(i: usize) -> TraceCode {
    TraceCode::Sgtin {
        gtin: attacker_product(),
        serial: SerialNumber::parse(&format!("ATK{i}")).expect("a valid serial"),
    }
}

/// Commissioning `codes` into [`attacker_lot`].
fn commission_attacker(codes: Vec<TraceCode>) -> EpcisEvent {
    const DAY_MS: u64 = 86_400_000;
    let at = yima_chain_spec::presets::PRESET_GENESIS_TIME;
    let mut e = EpcisEvent::new(
        EventBody::Object {
            action: Action::Add,
            epcs: codes,
            quantities: vec![],
        },
        at,
        480,
        BizStep::Commissioning,
    );
    e.ilmd = Some(Ilmd {
        lot: attacker_lot(),
        production_date: at - DAY_MS,
        expiry: at + 3_650 * DAY_MS,
    });
    e
}

/// Registers [`attacker_product`].
fn register_attacker_product() -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
        product: ProductId::Gtin(attacker_product()),
        name: b"Attacker's product".to_vec(),
        category: Category::Food,
        temperature: None,
        shelf_life_days: 3_650,
    })
}

/// What an attack achieved.
#[derive(Clone, Debug, Default)]
pub struct AttackOutcome {
    /// Transactions (or read requests) sent.
    pub sent: u64,
    /// Transactions the node admitted to its pool (read requests answered).
    pub admitted: u64,
    /// Transactions refused with a reason (read requests refused by the node, e.g. rate-limited).
    pub refused: u64,
    /// Calls that failed as a whole (connection refused, timeout, the whole batch refused).
    pub rpc_errors: u64,
    /// The first refusal's or error's text.
    pub first_refusal: Option<String>,
    /// Refusals and errors by reason (their text up to its first number).
    pub reasons: BTreeMap<String, u64>,
    /// Hashes of admitted transactions, to count how many reached a block ([`Self::count_included`]).
    pub admitted_hashes: Vec<String>,
    /// Of those, how many are in a finalized block (after [`Self::count_included`]).
    pub included: Option<u64>,
}

impl AttackOutcome {
    fn refusal(&mut self, why: impl Into<String>) {
        self.refused += 1;
        self.note(why.into());
    }

    fn error(&mut self, why: impl Into<String>) {
        self.rpc_errors += 1;
        self.note(why.into());
    }

    fn note(&mut self, why: String) {
        *self.reasons.entry(reason(&why).to_string()).or_default() += 1;
        self.first_refusal.get_or_insert(why);
    }

    /// How many refusals or errors had a text starting with `prefix`.
    pub fn refused_for(&self, prefix: &str) -> u64 {
        self.reasons
            .iter()
            .filter(|(r, _)| r.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// Counts the admitted transactions found in `rpc`'s finalized blocks `from..=to`.
    pub async fn count_included(
        &mut self,
        rpc: &NodeRpc,
        from: u64,
        to: u64,
    ) -> anyhow::Result<u64> {
        let wanted: std::collections::HashSet<&str> =
            self.admitted_hashes.iter().map(String::as_str).collect();
        let mut found = 0;
        if !wanted.is_empty() {
            for n in from..=to {
                if let Some(block) = rpc.block_within_rate_limit(n).await? {
                    found += block
                        .transaction_hashes
                        .iter()
                        .filter(|h| wanted.contains(h.as_str()))
                        .count() as u64;
                }
            }
        }
        self.included = Some(found);
        Ok(found)
    }

    /// One line: what was sent and what became of it.
    pub fn render(&self) -> String {
        let included = self
            .included
            .map(|n| format!(", {n} in finalized blocks"))
            .unwrap_or_default();
        let mut reasons: Vec<(&String, &u64)> = self.reasons.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1));
        let first = if reasons.is_empty() {
            String::new()
        } else {
            let top: Vec<String> = reasons
                .iter()
                .take(3)
                .map(|(r, n)| format!("{n} × \"{}…\"", truncate(r, 60)))
                .collect();
            format!(" ({})", top.join(", "))
        };
        format!(
            "{} sent, {} admitted{included}, {} refused, {} failed calls{first}",
            self.sent, self.admitted, self.refused, self.rpc_errors
        )
    }
}

pub(crate) use crate::testnet::is_rate_limited;

/// A refusal's reason without its particulars: the node's message (without the call and address a failed
/// RPC call is prefixed with), up to its first digit.
fn reason(text: &str) -> &str {
    let text = match text.split_once("message: \"") {
        Some((_, message)) => message,
        None => text,
    };
    let end = text
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(text.len());
    text[..end].trim_end()
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// An attacker ready to run: its accounts (with their next nonces) and, for the kinds that need one, a pallet
/// of [`AttackSize::pallet_items`] items it holds.
pub struct Attacker {
    kind: AttackKind,
    size: AttackSize,
    genesis: Hash,
    signers: Vec<Signer>,
    targets: Vec<NodeRpc>,
}

impl Attacker {
    /// Sets the attack up on `net` (whose genesis has [`add_attackers`] and whose product
    /// [`crate::workload::register_product`] is registered): builds the pallet where the kind needs one, as an
    /// honest member would, and waits for it to finalize.
    pub async fn prepare(
        net: &Testnet,
        kind: AttackKind,
        size: AttackSize,
    ) -> anyhow::Result<Self> {
        let genesis = net.genesis_hash();
        let mut signers: Vec<Signer> = attacker_names(&size)
            .iter()
            .map(|n| Signer::dev(n, 0))
            .collect();
        let items = if kind.needs_pallet() {
            size.pallet_items
        } else {
            0
        };
        set_up(net, &genesis, &mut signers[0], items).await?;
        Ok(Self {
            kind,
            size,
            genesis,
            signers,
            targets: (0..net.len()).map(|i| net.rpc(i).clone()).collect(),
        })
    }

    /// Its kind.
    pub fn kind(&self) -> AttackKind {
        self.kind
    }

    /// Attacks until `until`; the RPC targets are every node, in turn.
    pub async fn run(&mut self, until: Instant) -> anyhow::Result<AttackOutcome> {
        match self.kind {
            AttackKind::ObserveBomb => bomb::run(self, until).await,
            AttackKind::NonceFlood => flood::run(self, until).await,
            AttackKind::ForgedSignatures => forged::run(self, until).await,
            AttackKind::ReaderFlood => readers::run(self, until).await,
        }
    }
}

/// Submits a batch to `rpc`, recording each transaction's outcome in `out`.
async fn submit_recorded(rpc: &NodeRpc, batch: &[(String, String)], out: &mut AttackOutcome) {
    out.sent += batch.len() as u64;
    let hexes: Vec<String> = batch.iter().map(|(hex, _)| hex.clone()).collect();
    match rpc.submit_batch(&hexes).await {
        Ok(outcomes) => {
            for ((_, hash), o) in batch.iter().zip(outcomes) {
                match (o.hash, o.error) {
                    (Some(_), _) => {
                        out.admitted += 1;
                        out.admitted_hashes.push(hash.clone());
                    }
                    (None, Some(e)) => out.refusal(e),
                    (None, None) => out.refusal("refused without a reason"),
                }
            }
        }
        Err(e) => out.error(e.to_string()),
    }
}

/// Registers the attackers' product and, when `items > 0`, commissions `items` items and packs them into
/// [`pallet`] as `signer`, in transactions of at most 250 codes (under the weight limit of a debug test chain,
/// a tenth of the default), waits until every node has finalized the last and checks that the pallet holds them.
async fn set_up(
    net: &Testnet,
    genesis: &Hash,
    signer: &mut Signer,
    items: usize,
) -> anyhow::Result<()> {
    const CHUNK: usize = 250;
    let at = yima_chain_spec::presets::PRESET_GENESIS_TIME;
    let mut txs = vec![signer.sign(genesis, register_attacker_product())];
    if items > 0 {
        let unit = EpcisEvent::new(
            EventBody::Object {
                action: Action::Add,
                epcs: vec![pallet()],
                quantities: vec![],
            },
            at,
            480,
            BizStep::Commissioning,
        );
        txs.push(signer.sign(genesis, capture(vec![unit])));
        let codes: Vec<TraceCode> = (0..items).map(attacker_item).collect();
        for chunk in codes.chunks(CHUNK) {
            txs.push(signer.sign(genesis, capture(vec![commission_attacker(chunk.to_vec())])));
        }
        for chunk in codes.chunks(CHUNK) {
            let pack = EpcisEvent::new(
                EventBody::Aggregation {
                    action: Action::Add,
                    parent: pallet(),
                    children: chunk.to_vec(),
                },
                at,
                480,
                BizStep::Packing,
            );
            txs.push(signer.sign(genesis, capture(vec![pack])));
        }
    }
    let head = net.rpc(0).finalized_head().await?.number;
    let mut last = String::new();
    for tx in &txs {
        last = net.rpc(0).submit(tx).await?;
    }
    let block = net.wait_finalized(0, &last, head, net.timeout()).await?;
    // Every node, not just the one submitted to: an attack that starts while a validator is still catching up
    // measures the catch-up, and readers on that node would only be told the pallet is not there yet.
    for i in 1..net.len() {
        net.wait_for_height(i, block, net.timeout()).await?;
    }
    if items > 0 {
        // Included is not enough (a transaction past its weight is included as failed): the last item must
        // have been commissioned and packed, or the attack would run on an empty pallet.
        let last_item = attacker_item(items - 1).to_string();
        let history: serde_json::Value = net
            .rpc(0)
            .call("trace_history", jsonrpsee::rpc_params![last_item])
            .await?;
        anyhow::ensure!(
            history.get("total").and_then(|t| t.as_u64()).unwrap_or(0) >= 2,
            "the attackers' pallet was not built: {history}"
        );
    }
    Ok(())
}
