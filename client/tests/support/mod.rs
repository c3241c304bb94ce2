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

fn certify(genesis: &Header, header: &Header) -> Vec<u8> {
    let s = ConsensusSigner::new(dev_keys::dev_key("alice").to_bytes(), genesis.hash());
    let address = Address::from(&s.public_key());
    let vote = YimaContext.new_precommit(
        Height(header.number),
        Round::new(0),
        NilOrVal::Val(BlockHash(header.hash())),
        address,
    );
    encode_certificate(&CommitCertificate {
        height: Height(header.number),
        round: Round::new(0),
        value_id: BlockHash(header.hash()),
        commit_signatures: vec![CommitSignature::new(address, s.sign_vote_now(&vote))],
    })
    .expect("a certificate encodes")
}

impl DemoChain {
    /// Genesis, then the demo script, one transaction per block, each block certified.
    pub fn new() -> Self {
        let (genesis, state) = presets::demo()
            .genesis_in_memory()
            .expect("the demo preset builds");
        let genesis_hash = genesis.header.hash();
        let exec = Executive::new(ChainContext {
            genesis_hash,
            spec_version: SPEC_VERSION,
        });
        let mut head = genesis.header.clone();
        let mut blocks = Vec::new();
        let mut index = MemoryIndex::new();
        let mut steps = demo::script();
        steps.extend(nested_packing());
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
                certificate: certify(&genesis.header, &head),
                records: built.events.iter().map(|e| e.record_bytes()).collect(),
                header: head.clone(),
            });
        }
        Self {
            genesis: genesis.header,
            validators: genesis.validators,
            blocks,
            index,
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

/// The bundle `yima proof` writes (`yima-audit-bundle/2`) for `code`, as JSON: the node's trace's hops and the
/// evidence its container spans need, each with its proof.
pub fn bundle(code: &TraceCode) -> Value {
    let chain = chain();
    let trace = chain.trace(code);
    let hops: Vec<EventRef> = trace.hops.iter().map(|h| h.at).collect();
    let evidence = yima_client::bundle::evidence_of(
        &hops,
        trace.containers.iter().map(|s| (s.packed, s.unpacked)),
    );
    let entry = |at: &EventRef| {
        serde_json::json!({
            "block": at.block,
            "index": at.index,
            "proof": chain.proof_hex(*at),
        })
    };
    let mut b = serde_json::json!({
        "format": "yima-audit-bundle/2",
        "code": code.to_string(),
        "genesisHash": chain.genesis.hash().to_string(),
        "height": chain.height(),
        "hops": hops.iter().map(entry).collect::<Vec<_>>(),
    });
    if !evidence.is_empty() {
        b["evidence"] = evidence.iter().map(entry).collect();
    }
    b
}
