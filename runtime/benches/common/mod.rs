//! What the runtime's benches share: an in-memory chain built from a list of organisations with numbered
//! signers, nonce-tracked signing, capture transactions split and spread over signers, and blocks built on the
//! head (every transaction must be included and succeed) and committed — so each bench file holds only its own
//! scenario.

#![allow(dead_code, unreachable_pub)] // each bench uses the part it needs; `pub` is for the bench files

use std::collections::BTreeMap;
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use yima_codes::{Gtin, ProductId, TraceCode};
use yima_frame::externalities::Externalities;
use yima_frame::state::MemoryState;
use yima_frame::OrgId;
use yima_frame::{sha256, AccountId, Role, Roles};
use yima_membership::{
    GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator,
};
use yima_runtime::{
    build_genesis, Block, BuiltBlock, ChainContext, Executive, Header, RuntimeCall, RuntimeEvent,
    RuntimeGenesisConfig, SignedTransaction, SPEC_VERSION,
};
use yima_trace::epcis::{Action, BizStep, EpcisEvent};
use yima_trace::testing;
use yima_trace::types::LotKey;

/// The preset genesis time (2026-01-01T00:00:00Z), ms.
pub const GENESIS_MS: u64 = 1_767_225_600_000;
/// One day, ms.
pub const DAY: u64 = 86_400_000;

/// One organisation of a bench chain: organisation ids follow the order of the list.
#[derive(Clone, Copy)]
pub struct BenchOrg {
    /// Its name, also the signer keys' name.
    pub name: &'static str,
    /// Its kind.
    pub kind: OrgKind,
    /// Its USCC.
    pub uscc: &'static str,
    /// How many accounts sign for it.
    pub signers: usize,
    /// Their roles.
    pub roles: &'static [Role],
}

/// A bench organisation (for `const` lists).
pub const fn org(
    name: &'static str,
    kind: OrgKind,
    uscc: &'static str,
    signers: usize,
    roles: &'static [Role],
) -> BenchOrg {
    BenchOrg {
        name,
        kind,
        uscc,
        signers,
        roles,
    }
}

/// The roles most bench organisations' accounts get.
pub const OPERATOR: &[Role] = &[Role::Admin, Role::Operator];
/// An inspecting organisation's (inspection body, customs, supervised warehouse, retailer …: a kind that may
/// hold Inspector in membership's roles table).
pub const INSPECTOR: &[Role] = &[Role::Admin, Role::Operator, Role::Inspector];
/// A regulator's.
pub const GOVERNOR: &[Role] = &[
    Role::Admin,
    Role::Operator,
    Role::Inspector,
    Role::Governance,
];

/// A regulator's approval of `product` (a vaccine, drug or imported cold-chain food), citing the test licence.
pub fn approve(product: ProductId) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::ApproveProduct {
        product,
        licence: testing::licence(&product),
    })
}

/// A chain in memory, its head, and every signer's next nonce.
pub struct BenchChain {
    /// The committed state at the head.
    pub state: Arc<MemoryState>,
    /// The head.
    pub head: Header,
    /// The executive.
    pub exec: Executive,
    label: &'static str,
    orgs: Vec<BenchOrg>,
    proposer: AccountId,
    nonces: BTreeMap<AccountId, u64>,
}

impl BenchChain {
    /// Genesis with `orgs` (regulator threshold 1), one validator; `label` keeps benches' keys apart.
    pub fn new(label: &'static str, orgs: &[BenchOrg]) -> Self {
        Self::new_holding(label, orgs, &[])
    }

    /// [`BenchChain::new`] where the organisation named in each `(name, gtin)` of `held` holds the GS1 company
    /// prefix of that GTIN (so it may register it).
    pub fn new_holding(label: &'static str, orgs: &[BenchOrg], held: &[(&str, Gtin)]) -> Self {
        let proposer = AccountId::from(signer_key(label, "validator", 0).verifying_key());
        let mut accounts = Vec::new();
        for org in orgs {
            for i in 0..org.signers {
                accounts.push(GenesisAccount {
                    account: AccountId::from(signer_key(label, org.name, i).verifying_key()),
                    uscc: Uscc::parse(org.uscc).expect("bench USCC is valid"),
                    roles: Roles::of(org.roles),
                });
            }
        }
        let config = RuntimeGenesisConfig {
            timestamp: GENESIS_MS,
            // Throughput benches measure execution, not the chain's weight limits: their blocks of 10,000
            // transactions weigh more than one block may (runtime/benches/weights.rs sizes the limits).
            system: yima_system::GenesisConfig {
                limits: yima_system::BlockLimits {
                    max_transaction_weight: u64::MAX,
                    max_block_weight: u64::MAX,
                    ..Default::default()
                },
            },
            trace: Default::default(),
            attestation: Default::default(),
            membership: GenesisConfig {
                organisations: orgs
                    .iter()
                    .map(|o| GenesisOrganisation {
                        name: o.name.into(),
                        kind: o.kind,
                        uscc: Uscc::parse(o.uscc).expect("bench USCC is valid"),
                        prefixes: held
                            .iter()
                            .filter(|(name, _)| *name == o.name)
                            .map(|(_, gtin)| yima_membership::testing::gtin_prefix(gtin))
                            .collect(),
                    })
                    .collect(),
                accounts,
                validators: vec![Validator {
                    key: proposer,
                    power: 1,
                }],
                regulator_threshold: 1,
                proposal_lifetime: 100,
            },
        };
        let state = Arc::new(MemoryState::new());
        let genesis = build_genesis(&config, state.clone()).expect("bench genesis builds");
        state.commit(genesis.update).expect("genesis commits");
        Self {
            state,
            exec: Executive::new(ChainContext {
                genesis_hash: genesis.header.hash(),
                spec_version: SPEC_VERSION,
            }),
            head: genesis.header,
            label,
            orgs: orgs.to_vec(),
            proposer,
            nonces: BTreeMap::new(),
        }
    }

    /// The key of signer `i` of organisation `org`.
    pub fn signer(&self, org: &str, i: usize) -> SigningKey {
        signer_key(self.label, org, i)
    }

    /// `call` signed by signer `i` of `org` with its next nonce.
    pub fn sign(&mut self, org: &str, i: usize, call: RuntimeCall) -> SignedTransaction {
        let key = self.signer(org, i);
        let nonce = self
            .nonces
            .entry(AccountId::from(key.verifying_key()))
            .or_insert(0);
        let genesis_hash = self.exec.context().genesis_hash;
        // Valid for as long as the chain's validity window allows.
        let valid_until = self.head.number + yima_system::DEFAULT_MAX_VALIDITY_BLOCKS;
        let tx =
            SignedTransaction::sign(&key, &genesis_hash, SPEC_VERSION, *nonce, valid_until, call);
        *nonce += 1;
        tx
    }

    /// `calls`, round-robin over `org`'s signers.
    pub fn spread(&mut self, org: &str, calls: Vec<RuntimeCall>) -> Vec<SignedTransaction> {
        let signers = self
            .orgs
            .iter()
            .find(|o| o.name == org)
            .unwrap_or_else(|| panic!("no bench organisation {org}"))
            .signers;
        calls
            .into_iter()
            .enumerate()
            .map(|(t, call)| self.sign(org, t % signers, call))
            .collect()
    }

    /// `events` as `per_tx`-event capture transactions, round-robin over `org`'s signers.
    pub fn split(
        &mut self,
        org: &str,
        events: impl Iterator<Item = EpcisEvent>,
        per_tx: usize,
    ) -> Vec<SignedTransaction> {
        let events: Vec<EpcisEvent> = events.collect();
        let calls = events
            .chunks(per_tx)
            .map(|c| RuntimeCall::Trace(yima_trace::Call::Capture { events: c.to_vec() }))
            .collect();
        self.spread(org, calls)
    }

    /// Builds a block of `txs` on the head; every transaction must be included and succeed.
    pub fn build(&self, txs: Vec<SignedTransaction>) -> BuiltBlock {
        let count = txs.len();
        let built = self
            .exec
            .build_block(
                self.state.clone(),
                &self.head,
                self.proposer,
                self.head.timestamp + 1_000,
                txs,
                &|_| false,
            )
            .expect("bench block builds");
        assert_eq!(
            built.block.extrinsics.len(),
            count,
            "every transaction is included"
        );
        for e in &built.events {
            if let RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) =
                e.decode::<RuntimeEvent>().expect("own event").event
            {
                panic!(
                    "a bench transaction failed: {}",
                    yima_runtime::describe_error(&error)
                );
            }
        }
        built
    }

    /// Builds and commits a block of `txs`.
    pub fn commit(&mut self, txs: Vec<SignedTransaction>) {
        let built = self.build(txs);
        self.state
            .commit(built.update)
            .expect("bench block commits");
        self.head = built.block.header;
    }

    /// Signs each call by signer 0 of its organisation, then builds and commits the block.
    pub fn commit_calls(&mut self, calls: Vec<(&str, RuntimeCall)>) {
        let txs = calls
            .into_iter()
            .map(|(org, call)| self.sign(org, 0, call))
            .collect();
        self.commit(txs);
    }

    /// The block of the transactions `txs` makes, on the head, not committed (nonces restored).
    pub fn block(&mut self, txs: impl FnOnce(&mut Self) -> Vec<SignedTransaction>) -> Block {
        let saved = self.nonces.clone();
        let txs = txs(self);
        self.nonces = saved;
        self.build(txs).block
    }

    /// Executes `block` on the head's state, signatures pre-verified or not.
    pub fn execute(&self, block: &Block, preverified: bool) {
        self.exec
            .execute_block(self.state.clone(), &self.head, block, &|_| preverified)
            .expect("bench block executes");
    }

    /// Runs `f` over the head's state (reads through the runtime's storage types).
    pub fn externalities(&self) -> Externalities {
        Externalities::new(self.state.clone())
    }
}

/// The key of signer `i` of `org` in the bench `label`.
fn signer_key(label: &str, org: &str, i: usize) -> SigningKey {
    SigningKey::from_bytes(&sha256(format!("{label} bench //{org}/{i}").as_bytes()).0)
}

/// The GTIN-14 with body `body` (13 digits) and its check digit.
pub fn gtin(body: &str) -> Gtin {
    testing::gtin(body)
}

/// The benches' lot `BENCH1` of `gtin`.
pub fn gtin_lot(gtin: Gtin) -> LotKey {
    testing::lot_key(ProductId::Gtin(gtin), "BENCH1")
}

/// Item `n` of set `set` of `gtin` (serial `{set}{n:06}`).
pub fn item(gtin: Gtin, set: char, n: usize) -> TraceCode {
    testing::sgtin(gtin, &format!("{set}{n:06}"))
}

/// An object event over `codes` at the genesis time.
pub fn object(action: Action, codes: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    testing::object(GENESIS_MS, action, codes, step)
}

/// `code` shipped to `to` at the genesis time.
pub fn ship(code: TraceCode, to: OrgId) -> EpcisEvent {
    testing::shipping(GENESIS_MS, vec![code], to)
}

/// `code` received at the genesis time.
pub fn receive(code: TraceCode) -> EpcisEvent {
    testing::receiving(GENESIS_MS, vec![code])
}

/// `code` sold at retail at the genesis time.
pub fn sell(code: TraceCode) -> EpcisEvent {
    testing::selling(GENESIS_MS, vec![code])
}
