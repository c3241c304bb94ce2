//! A real chain in memory for the bundle tests: the `demo` preset's genesis, its demo script executed by the
//! runtime's executive one transaction per block, every block certified by the demo validator's consensus key
//! (alice), and the node's own trace (`yima_runtime::query::trace` over a `MemoryIndex` of the blocks' events).
//! Bundles are written as `yima proof` writes them, from the trace and each hop's [`EventProof`].

#![allow(dead_code, unreachable_pub)]

use malachitebft_core_types::{CommitCertificate, CommitSignature, Context as _, NilOrVal, Round};
use parity_scale_codec::{Decode, Encode};
use serde_json::Value;
use yima_chain_spec::{demo, dev_keys, presets};
use yima_codes::TraceCode;
use yima_consensus::certificate::encode_certificate;
use yima_consensus::context::{Address, BlockHash, Height, YimaContext};
use yima_consensus::proof::{CertifiedHeader, EventProof, TrustAnchor};
use yima_consensus::signing::ConsensusSigner;
use yima_membership::Validator;
use yima_runtime::query::{self, EventRef, MemoryIndex, Trace};
use yima_runtime::{ChainContext, Executive, Header, SPEC_VERSION};

/// One produced block.
struct Produced {
    header: Header,
    records: Vec<Vec<u8>>,
    certificate: Vec<u8>,
}

/// The demo chain, built once per test process.
pub struct DemoChain {
    /// Genesis header.
    pub genesis: Header,
    /// The validator set (genesis's, never changed).
    pub validators: Vec<Validator>,
    blocks: Vec<Produced>,
    /// The node's event index over every block.
    pub index: MemoryIndex,
    /// The state, every version kept (the history summaries' proofs).
    pub state: std::sync::Arc<yima_frame::state::MemoryState>,
}

/// The bag of [`nested_packing`].
pub fn nested_bag() -> TraceCode {
    dp(100)
}

/// After the demo: a pallet loaded with a case first, then a bag packed into that case, then the pallet shipped —
/// so the bag's history reaches the pallet (two levels out) through a packing that is not in the bag's history
/// (the case's loading before the bag was in it): the bundle's evidence.
fn nested_packing() -> Vec<demo::DemoStep> {
    use yima_trace::epcis::{Action, BizStep, EventBody, Ilmd};
    let t = |hours| move |body, step| demo::trace::at(body, step, 1, hours);
    let pallet = demo::trace::sscc("06970000000000100");
    let case = demo::trace::sscc("06970000000000101");
    let bag = nested_bag();
    let mut commission_bag = t(3)(
        demo::trace::object(Action::Add, vec![bag]),
        BizStep::Commissioning,
    );
    commission_bag.ilmd = Some(Ilmd {
        lot: demo::trace::lot(demo::trace::dumplings(), "DP260101"),
        // The demo lot's dates (an existing lot keeps them).
        production_date: presets::PRESET_GENESIS_TIME - 20 * demo::trace::DAY,
        expiry: presets::PRESET_GENESIS_TIME + 3 * 365 * demo::trace::DAY,
    });
    let mut ship = t(5)(
        demo::trace::object(Action::Observe, vec![pallet]),
        BizStep::Shipping,
    );
    ship.destination = Some(demo::trace::org("cold_warehouse"));
    let capture = |events| yima_runtime::RuntimeCall::Trace(yima_trace::Call::Capture { events });
    vec![
        demo::DemoStep::new(
            "processor",
            capture(vec![
                t(1)(
                    demo::trace::object(Action::Add, vec![pallet]),
                    BizStep::Commissioning,
                ),
                t(1)(
                    demo::trace::object(Action::Add, vec![case]),
                    BizStep::Commissioning,
                ),
                t(2)(
                    EventBody::Aggregation {
                        action: Action::Add,
                        parent: pallet,
                        children: vec![case],
                    },
                    BizStep::Packing,
                ),
            ]),
        ),
        demo::DemoStep::new(
            "processor",
            capture(vec![
                commission_bag,
                t(4)(
                    EventBody::Aggregation {
                        action: Action::Add,
                        parent: case,
                        children: vec![bag],
                    },
                    BizStep::Packing,
                ),
            ]),
        ),
        demo::DemoStep::new("processor", capture(vec![ship])),
    ]
}

/// The demo's first frozen-dumpling bag: packed in a case, shipped, received, unpacked and sold.
pub fn dp(n: u32) -> TraceCode {
    TraceCode::parse(&format!("/01/06970000000017/21/DP{n:04}")).expect("a demo code")
}

/// The commit certificate of `header`, every one of `signers` (dev keys) precommitting it in round 0.
fn certify(genesis: &Header, header: &Header, signers: &[&str]) -> Vec<u8> {
    let commit_signatures = signers
        .iter()
        .map(|name| {
            let s = ConsensusSigner::new(dev_keys::dev_key(name).to_bytes(), genesis.hash());
            let address = Address::from(&s.public_key());
            let vote = YimaContext.new_precommit(
                Height(header.number),
                Round::new(0),
                NilOrVal::Val(BlockHash(header.hash())),
                address,
            );
            CommitSignature::new(address, s.sign_vote_now(&vote))
        })
        .collect();
    encode_certificate(&CommitCertificate {
        height: Height(header.number),
        round: Round::new(0),
        value_id: BlockHash(header.hash()),
        commit_signatures,
    })
    .expect("a certificate encodes")
}

impl DemoChain {
    /// Genesis, then the demo script and [`nested_packing`], one transaction per block, each block certified.
    pub fn new() -> Self {
        Self::with_steps(nested_packing())
    }

    /// Genesis, then the demo script and `extra`, one transaction per block, each block certified by the demo's
    /// one validator (alice).
    pub fn with_steps(extra: Vec<demo::DemoStep>) -> Self {
        Self::with_validators(extra, &["alice"])
    }

    /// [`DemoChain::with_steps`] on the demo preset with `signers` (dev keys, power 1 each) as its validator set,
    /// every block certified by all of them — what a chain of several validators serves its auditors.
    pub fn with_validators(extra: Vec<demo::DemoStep>, signers: &[&str]) -> Self {
        let mut spec = presets::demo();
        spec.genesis.membership.validators = signers
            .iter()
            .map(|name| yima_membership::Validator {
                key: dev_keys::dev_account(name),
                power: 1,
            })
            .collect();
        let (genesis, state) = spec.genesis_in_memory().expect("the demo preset builds");
        let genesis_hash = genesis.header.hash();
        let exec = Executive::new(ChainContext {
            genesis_hash,
            spec_version: SPEC_VERSION,
        });
        let mut head = genesis.header.clone();
        let mut blocks = Vec::new();
        let mut index = MemoryIndex::new();
        let mut steps = demo::script_at(genesis.header.timestamp + 1_000);
        steps.extend(extra);
        for tx in demo::sign_steps(steps, &genesis_hash, 10_000) {
            let built = exec
                .build_block(
                    state.clone(),
                    &head,
                    dev_keys::dev_account("alice"),
                    head.timestamp + 1_000,
                    vec![tx],
                    &|_| false,
                )
                .expect("a demo block builds");
            assert_eq!(built.block.extrinsics.len(), 1, "{:?}", built.rejected);
            for raw in &built.events {
                if let Ok(yima_runtime::RuntimeEvent::System(
                    yima_system::Event::ExtrinsicFailed { error },
                )) = yima_runtime::RuntimeEvent::decode(&mut &raw.event[..])
                {
                    panic!(
                        "block {}: a demo transaction failed: {}",
                        head.number + 1,
                        yima_runtime::describe_error(&error)
                    );
                }
            }
            state.commit(built.update).expect("commits");
            head = built.block.header.clone();
            index
                .ingest(head.number, &built.events)
                .expect("the node indexes it");
            blocks.push(Produced {
                certificate: certify(&genesis.header, &head, signers),
                records: built.events.iter().map(|e| e.record_bytes()).collect(),
                header: head.clone(),
            });
        }
        Self {
            genesis: genesis.header,
            validators: genesis.validators,
            blocks,
            index,
            state,
        }
    }

    /// The chain's trust anchor (what the chain spec gives an auditor).
    pub fn anchor(&self) -> TrustAnchor {
        TrustAnchor::from_genesis(&self.genesis)
    }

    /// The head's height.
    pub fn height(&self) -> u64 {
        self.blocks.len() as u64
    }

    /// The node's trace of `code`.
    pub fn trace(&self, code: &TraceCode) -> Trace {
        query::trace(&self.index, code).expect("the code is on the demo chain")
    }

    /// The proof of the event at `at`, as the node's `proof_event` serves it.
    pub fn proof(&self, at: EventRef) -> EventProof {
        let b = &self.blocks[at.block as usize - 1];
        EventProof::build(
            &b.records,
            at.index,
            CertifiedHeader {
                header: b.header.clone(),
                certificate: b.certificate.clone(),
                validators: self.validators.clone(),
            },
            vec![],
        )
        .expect("the event is in its block")
    }

    /// The proof of the event at `at` as `0x` hex.
    pub fn proof_hex(&self, at: EventRef) -> String {
        format!("0x{}", hex::encode(self.proof(at).encode()))
    }
}

/// The demo chain, built once.
pub fn chain() -> &'static DemoChain {
    static CHAIN: std::sync::OnceLock<DemoChain> = std::sync::OnceLock::new();
    CHAIN.get_or_init(DemoChain::new)
}

/// Decodes a hop's `proof` hex.
pub fn decode_proof(hex_proof: &str) -> EventProof {
    let bytes = hex::decode(hex_proof.trim_start_matches("0x")).expect("hex");
    EventProof::decode(&mut &bytes[..]).expect("a proof")
}

/// Encodes a proof as a hop's `proof` hex.
pub fn encode_proof(proof: &EventProof) -> Value {
    Value::String(format!("0x{}", hex::encode(proof.encode())))
}

impl DemoChain {
    /// The events naming `code` (as the node's `trace_chain` serves them) and its summary at the head.
    pub fn committed_chain(&self, code: &TraceCode) -> yima_trace::history::Chain {
        use yima_runtime::query::EventIndex;
        use yima_trace::history::{Chain, Position, ProvenHop};
        let chain = self;
        let hops = chain
            .index
            .events_of_code(code)
            .iter()
            .map(|r| {
                let e = chain.index.event(r.at()).expect("an indexed event");
                ProvenHop {
                    at: Position::new(e.at.block, e.at.index),
                    org: e.org,
                    event: e.event.clone(),
                }
            })
            .collect();
        Chain {
            summary: chain.record(code, chain.height()).history,
            hops,
        }
    }

    /// The record of `code` at `height`, from state.
    pub fn record(&self, code: &TraceCode, height: u64) -> yima_trace::types::CodeState {
        use yima_frame::storage::StorageMap;
        let (value, _) = self
            .state
            .prove(&yima_trace::Codes::storage_key(code), height)
            .expect("a state read");
        yima_trace::types::CodeState::decode(&mut &value.expect("the code is in state")[..])
            .expect("a record")
    }

    /// The `histories` entry of `code` at `height`, as `yima proof` writes it from `state_get`.
    pub fn history_entry(&self, code: &TraceCode, height: u64) -> Value {
        use yima_frame::storage::StorageMap;
        let (value, proof) = self
            .state
            .prove(&yima_trace::Codes::storage_key(code), height)
            .expect("a state read");
        serde_json::json!({
            "code": code.to_string(),
            "record": format!("0x{}", hex::encode(value.expect("the code is in state"))),
            "proof": format!("0x{}", hex::encode(borsh::to_vec(&proof).expect("a proof encodes"))),
        })
    }
}

impl DemoChain {
    /// The codes the history of `code` rests on, each with its committed chain (what `check_history` fetches).
    pub fn chains_of(
        &self,
        code: &TraceCode,
    ) -> std::collections::BTreeMap<TraceCode, yima_trace::history::Chain> {
        use yima_trace::history::{derive, HistoryError};
        let mut chains = std::collections::BTreeMap::new();
        loop {
            match derive(code, &chains) {
                Ok(_) => return chains,
                Err(HistoryError::NoChain { code, .. }) => {
                    chains.insert(code, self.committed_chain(&code));
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
}

/// The bundle `yima proof` writes (`yima-audit-bundle/3`) for `code`, as JSON: the node's trace's hops, the
/// evidence its container spans and the chains it rests on need, each with its proof, and those chains' summaries
/// with their state proofs at the newest proven event's block.
pub fn bundle(code: &TraceCode) -> Value {
    chain().bundle(code)
}

impl DemoChain {
    /// The bundle of `code` on this chain: see [`bundle`].
    pub fn bundle(&self, code: &TraceCode) -> Value {
        let chain = self;
        let trace = chain.trace(code);
        let hops: Vec<EventRef> = trace.hops.iter().map(|h| h.at).collect();
        let chains = chain.chains_of(code);
        let evidence = yima_client::bundle::evidence_of(
            &hops,
            trace
                .containers
                .iter()
                .map(|s| (s.packed, s.unpacked))
                .chain(chains.values().flat_map(|c| {
                    c.hops
                        .iter()
                        .map(|h| (EventRef::new(h.at.block, h.at.index), None))
                })),
        );
        let height = hops
            .iter()
            .chain(&evidence)
            .map(|r| r.block)
            .max()
            .expect("a hop");
        let entry = |at: &EventRef| {
            serde_json::json!({
                "block": at.block,
                "index": at.index,
                "proof": chain.proof_hex(*at),
            })
        };
        let mut b = serde_json::json!({
            "format": "yima-audit-bundle/3",
            "code": code.to_string(),
            "genesisHash": chain.genesis.hash().to_string(),
            "height": height,
            "hops": hops.iter().map(entry).collect::<Vec<_>>(),
            "histories": chains
                .keys()
                .map(|c| chain.history_entry(c, height))
                .collect::<Vec<_>>(),
        });
        if !evidence.is_empty() {
            b["evidence"] = evidence.iter().map(entry).collect();
        }
        b
    }
}
