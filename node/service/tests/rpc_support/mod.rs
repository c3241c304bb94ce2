//! The demo chain on a temporary store that `rpc_methods` drives: a real [`NodeHost`] whose blocks are built
//! from the pool, certified with the demo validator's (alice's) consensus key and committed, and the story's
//! calls (a lot of two packs in a case, shipped, received).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use jsonrpsee::core::server::MethodsError;
use jsonrpsee::rpc_params;
use jsonrpsee::RpcModule;
use malachitebft_core_types::{CommitCertificate, CommitSignature, Context as _, NilOrVal, Round};
use parity_scale_codec::Encode;
use yima_chain_spec::dev_keys;
use yima_chain_spec::presets::{self, DEMO_ORGANISATIONS};
use yima_codes::{LotNumber, NmpaCode, NmpaProductCode, ProductId, Sscc, TraceCode};
use yima_consensus::certificate::encode_certificate;
use yima_consensus::signing::ConsensusSigner;
use yima_consensus::{Address, BlockHash, Height, Host, YimaContext};
use yima_frame::{Moment, OrgId};
use yima_node::host::NodeHost;
use yima_node::rpc::{Rpc, SubmitOutcome};
use yima_runtime::{Header, RuntimeCall, SignedTransaction, SPEC_VERSION};
use yima_trace::epcis::{
    Action, BizStep, EpcisEvent, EventBody, Ilmd, Location, SensorKind, SensorReport, Unit,
};
use yima_trace::types::{Category, LotKey, TemperatureRange};
use yima_txpool::PoolConfig;

pub(crate) const DAY: Moment = 86_400_000;

pub(crate) fn org(key: &str) -> OrgId {
    DEMO_ORGANISATIONS
        .iter()
        .position(|(k, ..)| *k == key)
        .expect("a demo organisation") as OrgId
}

/// A demo chain on a temporary store, and the RPC methods over it.
pub(crate) struct Chain {
    _dir: tempfile::TempDir,
    pub(crate) host: Arc<NodeHost>,
    pub(crate) rpc: RpcModule<()>,
    pub(crate) genesis: Header,
    nonces: HashMap<&'static str, u64>,
}

impl Chain {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let spec = presets::demo();
        let store = yima_node::service::open_store(&spec, dir.path()).unwrap();
        let genesis = store.header(0).unwrap().unwrap();
        let host = NodeHost::new(store, PoolConfig::default()).unwrap();
        let rpc = Rpc::new(host.clone(), true).into_module();
        Self {
            _dir: dir,
            host,
            rpc,
            genesis,
            nonces: HashMap::new(),
        }
    }

    pub(crate) fn sign(&mut self, who: &'static str, call: RuntimeCall) -> SignedTransaction {
        let nonce = self.nonces.entry(who).or_insert(0);
        let tx = SignedTransaction::sign(
            &dev_keys::dev_key(who),
            &self.genesis.hash(),
            SPEC_VERSION,
            *nonce,
            1_000,
            call,
        );
        *nonce += 1;
        tx
    }

    /// Submits the calls over RPC, then builds, certifies and commits the next block from the pool.
    pub(crate) async fn block(&mut self, calls: Vec<(&'static str, RuntimeCall)>) -> Header {
        let txs: Vec<String> = calls
            .into_iter()
            .map(|(who, call)| format!("0x{}", hex::encode(self.sign(who, call).encode())))
            .collect();
        let outcomes: Vec<SubmitOutcome> = self
            .rpc
            .call("author_submitBatch", rpc_params![txs])
            .await
            .unwrap();
        assert!(outcomes.iter().all(|o| o.hash.is_some()), "{outcomes:?}");
        let (head, _) = self.host.latest().unwrap();
        let block = self
            .host
            .build_block(
                head + 1,
                0,
                dev_keys::dev_account("alice"),
                Duration::from_secs(1),
            )
            .unwrap();
        let included: Vec<String> = block
            .extrinsics
            .iter()
            .map(|t| t.hash().to_string())
            .collect();
        for outcome in &outcomes {
            assert!(
                included.contains(outcome.hash.as_ref().unwrap()),
                "every submitted transaction is included"
            );
        }
        let certificate = certify(&self.genesis, &block.header);
        self.host.commit(&block, &certificate).unwrap();
        block.header
    }

    /// Why each refused transaction of block `number` was refused.
    pub(crate) fn refusals(&self, number: u64) -> Vec<String> {
        self.host
            .store()
            .raw_events(number)
            .unwrap()
            .iter()
            .filter_map(
                |e| match e.decode::<yima_runtime::RuntimeEvent>().unwrap().event {
                    yima_runtime::RuntimeEvent::System(yima_system::Event::ExtrinsicFailed {
                        error,
                    }) => Some(yima_runtime::describe_error(&error)),
                    _ => None,
                },
            )
            .collect()
    }

    pub(crate) fn now(&self) -> Moment {
        self.host.latest().unwrap().1.timestamp + 1_000
    }

    pub(crate) async fn error(
        &self,
        method: &str,
        params: jsonrpsee::core::params::ArrayParams,
    ) -> (i32, String) {
        match self.rpc.call::<_, serde_json::Value>(method, params).await {
            Err(MethodsError::JsonRpc(e)) => (e.code(), e.message().to_owned()),
            other => panic!("{method}: expected a JSON-RPC error, got {other:?}"),
        }
    }
}

/// Alice's (the demo chain's one validator's) commit certificate for `header`.
pub(crate) fn certify(genesis: &Header, header: &Header) -> Vec<u8> {
    let signer = ConsensusSigner::new(dev_keys::dev_key("alice").to_bytes(), genesis.hash());
    let address = Address::from(&signer.public_key());
    let (height, round, value) = (
        Height(header.number),
        Round::new(0),
        BlockHash(header.hash()),
    );
    let vote = YimaContext.new_precommit(height, round, NilOrVal::Val(value), address);
    encode_certificate(&CommitCertificate {
        height,
        round,
        value_id: value,
        commit_signatures: vec![CommitSignature::new(address, signer.sign_vote_now(&vote))],
    })
    .unwrap()
}

pub(crate) fn pack(n: u64) -> TraceCode {
    TraceCode::Nmpa(NmpaCode::parse(&format!("8612345{n:013}")).unwrap())
}

pub(crate) fn case() -> TraceCode {
    let body = "16901234000000001";
    let check = yima_codes::gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).unwrap())
}

pub(crate) fn lot() -> LotKey {
    LotKey {
        product: ProductId::Nmpa(NmpaProductCode::parse("8612345").unwrap()),
        lot: LotNumber::parse("202601A").unwrap(),
    }
}

pub(crate) fn object(
    action: Action,
    epcs: Vec<TraceCode>,
    step: BizStep,
    at: Moment,
) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Object {
            action,
            epcs,
            quantities: vec![],
        },
        at,
        480,
        step,
    )
}

pub(crate) fn ship(to: &str, at: Moment, min: i32, max: i32) -> EpcisEvent {
    let mut e = object(Action::Observe, vec![case()], BizStep::Shipping, at);
    e.destination = Some(org(to));
    e.sensors.push(SensorReport {
        kind: SensorKind::Temperature,
        unit: Unit::Celsius,
        min,
        max,
        mean: (min + max) / 2,
        device: Some(b"logger-17".to_vec()),
    });
    e
}

pub(crate) fn capture(events: Vec<EpcisEvent>) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::Capture { events })
}

pub(crate) fn register() -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
        product: lot().product,
        // An NMPA product code registers only as a drug or a vaccine; a vaccine needs the regulator's approval
        // and its lot's batch release before it ships (see `story`).
        name: b"Demo vaccine".to_vec(),
        category: Category::Vaccine,
        temperature: Some(TemperatureRange::VACCINE),
        shelf_life_days: 730,
    })
}

/// The regulator's (alice's) approval of the vaccine, citing its registration certificate.
pub(crate) fn approve() -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::ApproveProduct {
        product: lot().product,
        licence: yima_frame::sha256(b"demo vaccine registration certificate"),
    })
}

/// The inspection institute's batch release (批签发) of the story's lot.
pub(crate) fn release() -> RuntimeCall {
    let lot = lot();
    RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema: yima_attestation::schemas::BATCH_RELEASE,
        subject: yima_attestation::Subject::Lot(yima_attestation::LotRef {
            product: lot.product,
            lot: lot.lot,
        }),
        digest: yima_frame::sha256(b"demo batch release certificate 202601A"),
        uri: None,
        valid_from: 0,
        valid_until: None,
    })
}

/// Blocks 1–3: register and approve the vaccine; commission + pack, batch release, ship (in band); receive.
pub(crate) async fn story() -> Chain {
    let mut chain = Chain::new();
    chain
        .block(vec![("manufacturer", register()), ("alice", approve())])
        .await;
    let t = chain.now();
    let mut commission = object(
        Action::Add,
        vec![pack(1), pack(2)],
        BizStep::Commissioning,
        t,
    );
    commission.ilmd = Some(Ilmd {
        lot: lot(),
        production_date: t - DAY,
        expiry: t + 700 * DAY,
    });
    let packing = EpcisEvent::new(
        EventBody::Aggregation {
            action: Action::Add,
            parent: case(),
            children: vec![pack(1), pack(2)],
        },
        t,
        480,
        BizStep::Packing,
    );
    chain
        .block(vec![
            (
                "manufacturer",
                capture(vec![
                    commission,
                    object(Action::Add, vec![case()], BizStep::Commissioning, t),
                    packing,
                ]),
            ),
            ("inspection_body", release()),
            ("manufacturer", capture(vec![ship("cdc", t, 410, 580)])),
        ])
        .await;
    let t = chain.now();
    let mut receive = object(Action::Observe, vec![case()], BizStep::Receiving, t);
    receive.biz_location = Some(Location::Other(b"CDC cold room 2".to_vec()));
    chain.block(vec![("cdc", capture(vec![receive]))]).await;
    for number in 1..=3 {
        assert_eq!(
            chain.refusals(number),
            Vec::<String>::new(),
            "block {number}"
        );
    }
    chain
}
