//! # yima-tests
//!
//! End-to-end tests across crates. [`InProcessNet`] runs a chain from a chain spec on several independent
//! in-memory states: one proposes each block, every other one re-executes it and must reach the same roots before
//! committing — what validators do, minus the network. Like a node, it indexes every block's events
//! ([`InProcessNet::index`]) so trace and recall queries run against it, and keeps every header and event list so
//! a hop's inclusion proof can be built ([`InProcessNet::block`]).
//!
//! [`testnet::Testnet`] runs real `yima-node` processes on 127.0.0.1, or each in its own network namespace for
//! partition tests ([`testnet::Netns`]) (tests in `tests/testnet.rs`, and the
//! `yima-bench` load tool with its [`bench`] module); [`workload`] builds the signed transactions they send.

pub mod attack;
pub mod bench;
pub mod testnet;
pub mod workload;

use std::collections::BTreeMap;
use std::sync::Arc;

use yima_chain_spec::{dev_keys, ChainSpec};
use yima_frame::event::RawEvent;
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::{AccountId, BlockNumber};
use yima_runtime::executive::BuiltBlock;
use yima_runtime::query::{MemoryIndex, StateCustody};
use yima_runtime::{
    ChainContext, Executive, Header, RuntimeCall, RuntimeEvent, SignedTransaction, SPEC_VERSION,
};

/// Several in-memory replicas of one chain.
pub struct InProcessNet {
    replicas: Vec<Arc<MemoryState>>,
    head: Header,
    exec: Executive,
    proposer: AccountId,
    index: MemoryIndex,
    blocks: BTreeMap<BlockNumber, (Header, Vec<RawEvent>)>,
}

impl InProcessNet {
    /// `replicas` states built from `spec`'s genesis; `proposer` (a dev name) must be a genesis validator.
    pub fn new(spec: &ChainSpec, replicas: usize, proposer: &str) -> Self {
        let mut states = Vec::new();
        let mut head = None;
        for _ in 0..replicas.max(1) {
            let (genesis, state) = spec.genesis_in_memory().expect("preset genesis builds");
            head = Some(genesis.header);
            states.push(state);
        }
        let head = head.expect("at least one replica");
        let exec = Executive::new(ChainContext {
            genesis_hash: head.hash(),
            spec_version: SPEC_VERSION,
        });
        Self {
            replicas: states,
            head,
            exec,
            proposer: dev_keys::dev_account(proposer),
            index: MemoryIndex::new(),
            blocks: BTreeMap::new(),
        }
    }

    /// The latest header.
    pub fn head(&self) -> &Header {
        &self.head
    }

    /// The first replica's state.
    pub fn state(&self) -> Arc<dyn StateBackend> {
        self.replicas[0].clone()
    }

    /// Signs `call` as the dev key `name` with its next nonce.
    pub fn sign(&self, name: &str, call: RuntimeCall) -> SignedTransaction {
        let who = dev_keys::dev_account(name);
        let nonce = self.read(|| yima_runtime::System::account_nonce(&who));
        SignedTransaction::sign(
            &dev_keys::dev_key(name),
            &self.exec.context().genesis_hash,
            SPEC_VERSION,
            nonce,
            self.head.number + 20,
            call,
        )
    }

    /// Proposes a block on replica 0, has every other replica execute it, checks they agree and commits it
    /// everywhere. Returns the built block and its decoded events.
    pub fn produce(&mut self, txs: Vec<SignedTransaction>) -> (BuiltBlock, Vec<RuntimeEvent>) {
        let built = self
            .exec
            .build_block(
                self.replicas[0].clone(),
                &self.head,
                self.proposer,
                self.head.timestamp + 1_000,
                txs,
                &|_| false,
            )
            .expect("the proposer builds a block");
        for replica in &self.replicas[1..] {
            let executed = self
                .exec
                .execute_block(replica.clone(), &self.head, &built.block, &|_| false)
                .expect("every replica accepts the proposer's block");
            assert_eq!(executed.update.root, built.update.root);
            assert_eq!(executed.events, built.events);
            replica.commit(executed.update).expect("commit on replica");
        }
        self.replicas[0]
            .commit(built.update.clone())
            .expect("commit on proposer");
        self.head = built.block.header.clone();
        self.index
            .ingest(self.head.number, &built.events)
            .expect("the runtime's events index");
        self.blocks.insert(
            self.head.number,
            (built.block.header.clone(), built.events.clone()),
        );
        let events = built
            .events
            .iter()
            .map(|e| {
                e.decode::<RuntimeEvent>()
                    .expect("runtime events decode")
                    .event
            })
            .collect();
        (built, events)
    }

    /// Reads the current state through the runtime's storage types.
    pub fn read<R>(&self, f: impl FnOnce() -> R) -> R {
        yima_frame::externalities::Externalities::new(self.state()).execute_with(f)
    }

    /// The event index over every produced block, as a node keeps it.
    pub fn index(&self) -> &MemoryIndex {
        &self.index
    }

    /// Current custody, read from the first replica's state.
    pub fn custody(&self) -> StateCustody {
        StateCustody::new(self.state())
    }

    /// The header and events of produced block `number`.
    pub fn block(&self, number: BlockNumber) -> Option<&(Header, Vec<RawEvent>)> {
        self.blocks.get(&number)
    }

    /// Whether every replica holds the same state root.
    pub fn replicas_agree(&self) -> bool {
        let root = self.replicas[0].root();
        self.replicas.iter().all(|r| r.root() == root)
    }
}
