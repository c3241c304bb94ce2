//! Cold-chain events applied per second with the four no's checked, and the share of the attestation lookups
//! (`cargo bench -p yima-runtime --bench cold_chain`).
//!
//! A chain where the supervised warehouse holds 10,000 cold-chain codes of one imported lot with all four
//! (quarantine certificate, nucleic-acid report, disinfection certificate, clearance and codes) and 10,000
//! codes of a domestic lot, then:
//!
//! 1. `ship_to_retail/imported`: a block shipping the 10,000 imported codes to a supermarket — every event
//!    retail-bound, so the gate runs the four lookups — as 100 transactions of 100 one-code events, through
//!    `execute_block` with signatures verified in the block and pre-verified (the node's path);
//! 2. `ship_to_retail/domestic`: the same block for the domestic codes — the gate reads the lot and stops, no
//!    lookup: the difference to (1) is what the cold-chain rule costs on the hot path;
//! 3. `four_lookups`: `ensure_four` alone (three `has_valid` plus the entry), 10,000 times over the same state;
//! 4. `gate_check`: the whole gate for one imported retail-bound event (lots of the codes, hold, four), 10,000
//!    times.

#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ed25519_dalek::SigningKey;
use yima_attestation::{attestation_id, schemas, LotRef, SchemaId, Subject};
use yima_codes::{
    gs1_check_digit, ColdChainCode, Gtin, LotNumber, ProductId, SerialNumber, TraceCode,
};
use yima_frame::externalities::Externalities;
use yima_frame::state::MemoryState;
use yima_frame::{sha256, AccountId, OrgId, Role, Roles};
use yima_membership::{
    GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator,
};
use yima_runtime::{
    build_genesis, Block, ChainContext, ColdChain, Executive, Header, RuntimeCall, RuntimeEvent,
    RuntimeGenesisConfig, SignedTransaction, SPEC_VERSION,
};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::gate::{CaptureGate, GateContext};
use yima_trace::types::{Category, LotKey, TemperatureRange};

const EVENTS: usize = 10_000;
const PER_TX: usize = 100;
const GENESIS_MS: u64 = 1_767_225_600_000;
const DAY: u64 = 86_400_000;

/// `(dev name, kind, USCC)`; organisation ids follow this order.
const ORGS: [(&str, OrgKind, &str); 7] = [
    ("regulator", OrgKind::Regulator, "11330100MA2Y00000E"),
    ("customs", OrgKind::Customs, "11330100MA2Y001017"),
    ("importer", OrgKind::Importer, "91330100MA2Y004049"),
    (
        "warehouse",
        OrgKind::SupervisedWarehouse,
        "91330100MA2Y00808C",
    ),
    ("retailer", OrgKind::Retailer, "91330100MA2Y011117"),
    ("lab", OrgKind::InspectionBody, "12330100MA2Y016168"),
    ("processor", OrgKind::Processor, "91330100MA2Y00606T"),
];
const WAREHOUSE: OrgId = 3;
const RETAILER: OrgId = 4;

fn key(name: &str) -> SigningKey {
    SigningKey::from_bytes(&sha256(format!("cold-chain bench //{name}").as_bytes()).0)
}

fn gtin(body: &str) -> Gtin {
    Gtin::parse(&format!("{body}{}", gs1_check_digit(body.as_bytes()))).unwrap()
}

fn lot_of(gtin: Gtin, lot: &str) -> LotKey {
    LotKey {
        product: ProductId::Gtin(gtin),
        lot: LotNumber::parse(lot).unwrap(),
    }
}

fn beef() -> Gtin {
    gtin("0952123450010")
}

fn domestic_gtin() -> Gtin {
    gtin("0952123450030")
}

fn beef_lot() -> LotKey {
    lot_of(beef(), "BEEF1")
}

fn domestic_lot() -> LotKey {
    lot_of(domestic_gtin(), "DOM1")
}

fn subject() -> Subject {
    let lot = beef_lot();
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

fn cl(serial: u64) -> TraceCode {
    TraceCode::ColdChain(ColdChainCode::new(WAREHOUSE, serial).unwrap())
}

fn domestic(n: usize) -> TraceCode {
    TraceCode::Sgtin {
        gtin: domestic_gtin(),
        serial: SerialNumber::parse(&format!("D{n:06}")).unwrap(),
    }
}

fn object(step: BizStep, action: Action, codes: Vec<TraceCode>) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Object {
            action,
            epcs: codes,
            quantities: vec![],
        },
        GENESIS_MS,
        480,
        step,
    )
}

fn ship(code: TraceCode, to: OrgId) -> EpcisEvent {
    let mut e = object(BizStep::Shipping, Action::Observe, vec![code]);
    e.destination = Some(to);
    e
}

/// The chain with both lots at the warehouse.
struct Setup {
    state: Arc<MemoryState>,
    head: Header,
    exec: Executive,
    nonces: std::collections::BTreeMap<&'static str, u64>,
}

impl Setup {
    fn new() -> Self {
        let validator = key("validator");
        let mut accounts = vec![GenesisAccount {
            account: AccountId::from(validator.verifying_key()),
            uscc: Uscc::parse(ORGS[0].2).unwrap(),
            roles: Roles::of(&[Role::Governance]),
        }];
        for (name, _, code) in ORGS {
            accounts.push(GenesisAccount {
                account: AccountId::from(key(name).verifying_key()),
                uscc: Uscc::parse(code).unwrap(),
                roles: Roles::of(&[Role::Admin, Role::Operator, Role::Inspector]),
            });
        }
        let config = RuntimeGenesisConfig {
            timestamp: GENESIS_MS,
            system: Default::default(),
            trace: Default::default(),
            attestation: Default::default(),
            membership: GenesisConfig {
                organisations: ORGS
                    .iter()
                    .map(|(name, kind, code)| GenesisOrganisation {
                        name: name.to_string(),
                        kind: *kind,
                        uscc: Uscc::parse(code).unwrap(),
                    })
                    .collect(),
                accounts,
                validators: vec![Validator {
                    key: AccountId::from(validator.verifying_key()),
                    power: 1,
                }],
                regulator_threshold: 1,
                proposal_lifetime: 100,
            },
        };
        let state = Arc::new(MemoryState::new());
        let genesis = build_genesis(&config, state.clone()).unwrap();
        state.commit(genesis.update).unwrap();
        let exec = Executive::new(ChainContext {
            genesis_hash: genesis.header.hash(),
            spec_version: SPEC_VERSION,
        });
        let mut s = Setup {
            state,
            head: genesis.header,
            exec,
            nonces: Default::default(),
        };
        s.populate();
        s
    }

    fn populate(&mut self) {
        let band = Some(TemperatureRange {
            min_centi_celsius: -2_500,
            max_centi_celsius: -1_500,
        });
        let register = |lot: LotKey, category| {
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: lot.product,
                name: b"bench".to_vec(),
                category,
                temperature: band,
                shelf_life_days: 730,
            })
        };
        let doc = |s: &str| sha256(s.as_bytes());
        let attest = |schema: SchemaId, d: &str| {
            RuntimeCall::Attestation(yima_attestation::Call::Attest {
                schema,
                subject: subject(),
                digest: doc(d),
                uri: None,
                valid_from: 0,
                valid_until: None,
            })
        };
        let ilmd = |lot| Ilmd {
            lot,
            production_date: GENESIS_MS - DAY,
            expiry: GENESIS_MS + 700 * DAY,
        };
        let consignment = TraceCode::Sgtin {
            gtin: beef(),
            serial: SerialNumber::parse("CBEEF1").unwrap(),
        };
        let mut commission = object(
            BizStep::Commissioning,
            Action::Add,
            (0..EVENTS).map(domestic).collect(),
        );
        commission.ilmd = Some(ilmd(domestic_lot()));
        let capture = |events| RuntimeCall::Trace(yima_trace::Call::Capture { events });
        self.commit(vec![
            ("importer", register(beef_lot(), Category::ColdChainFood)),
            ("processor", register(domestic_lot(), Category::Food)),
        ]);
        self.commit(vec![
            (
                "importer",
                RuntimeCall::ColdChain(yima_cold_chain::Call::DeclareEntry {
                    entry: yima_cold_chain::EntryDeclaration {
                        declaration: yima_cold_chain::DeclarationNumber::parse(
                            "310420261000012345",
                        )
                        .unwrap(),
                        document: doc("declaration"),
                        origin: yima_cold_chain::CountryCode::parse("NZ").unwrap(),
                        port: yima_cold_chain::PortCode::parse("CNNGB").unwrap(),
                        lot: beef_lot(),
                        consignment,
                        quantity: 24_000,
                        uom: Some(*b"KGM"),
                        production_date: GENESIS_MS - DAY,
                        expiry: GENESIS_MS + 700 * DAY,
                    },
                }),
            ),
            ("processor", capture(vec![commission])),
            (
                "customs",
                attest(schemas::INSPECTION_QUARANTINE_CERTIFICATE, "quarantine"),
            ),
            ("lab", attest(schemas::NUCLEIC_ACID_REPORT, "nucleic acid")),
            (
                "warehouse",
                attest(schemas::DISINFECTION_CERTIFICATE, "disinfection"),
            ),
        ]);
        let id = |schema, org: OrgId, d: &str| attestation_id(schema, org, &subject(), &doc(d));
        let disinfection = id(schemas::DISINFECTION_CERTIFICATE, WAREHOUSE, "disinfection");
        // Clearance, the consignment and the domestic codes to the warehouse (1,000 events per transaction).
        let mut calls = vec![
            (
                "customs",
                RuntimeCall::ColdChain(yima_cold_chain::Call::Clear {
                    lot: beef_lot(),
                    certificate: id(schemas::INSPECTION_QUARANTINE_CERTIFICATE, 1, "quarantine"),
                }),
            ),
            ("importer", capture(vec![ship(consignment, WAREHOUSE)])),
        ];
        let to_warehouse: Vec<EpcisEvent> =
            (0..EVENTS).map(|n| ship(domestic(n), WAREHOUSE)).collect();
        calls.extend(
            to_warehouse
                .chunks(1_000)
                .map(|c| ("processor", capture(c.to_vec()))),
        );
        self.commit(calls);
        let receive = |codes: Vec<TraceCode>| {
            capture(vec![object(BizStep::Receiving, Action::Observe, codes)])
        };
        let issue = || {
            RuntimeCall::ColdChain(yima_cold_chain::Call::IssueCodes {
                lot: beef_lot(),
                count: 5_000,
                disinfection,
            })
        };
        self.commit(vec![
            ("warehouse", receive(vec![consignment])),
            ("warehouse", receive((0..EVENTS).map(domestic).collect())),
            ("warehouse", issue()),
            ("warehouse", issue()),
        ]);
    }

    fn sign(&mut self, name: &'static str, call: RuntimeCall) -> SignedTransaction {
        let nonce = self.nonces.entry(name).or_insert(0);
        let tx = SignedTransaction::sign(
            &key(name),
            &self.exec.context().genesis_hash,
            SPEC_VERSION,
            *nonce,
            u64::MAX,
            call,
        );
        *nonce += 1;
        tx
    }

    fn build(&mut self, calls: Vec<(&'static str, RuntimeCall)>) -> yima_runtime::BuiltBlock {
        let txs: Vec<SignedTransaction> = calls
            .into_iter()
            .map(|(who, call)| self.sign(who, call))
            .collect();
        let count = txs.len();
        let built = self
            .exec
            .build_block(
                self.state.clone(),
                &self.head,
                AccountId::from(key("validator").verifying_key()),
                self.head.timestamp + 1_000,
                txs,
                &|_| false,
            )
            .unwrap();
        assert_eq!(built.block.extrinsics.len(), count);
        for e in &built.events {
            if let RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) =
                e.decode::<RuntimeEvent>().unwrap().event
            {
                panic!("a bench transaction was refused: {error:?}");
            }
        }
        built
    }

    fn commit(&mut self, calls: Vec<(&'static str, RuntimeCall)>) {
        let built = self.build(calls);
        self.state.commit(built.update).unwrap();
        self.head = built.block.header;
    }

    /// The block (not committed) shipping `codes` to the retailer, one code per event, [`PER_TX`] per transaction.
    fn shipping_block(&mut self, codes: Vec<TraceCode>) -> Block {
        let saved = self.nonces.clone();
        let calls = codes
            .chunks(PER_TX)
            .map(|chunk| {
                let events = chunk.iter().map(|c| ship(*c, RETAILER)).collect();
                (
                    "warehouse",
                    RuntimeCall::Trace(yima_trace::Call::Capture { events }),
                )
            })
            .collect();
        let block = self.build(calls).block;
        self.nonces = saved;
        block
    }
}

fn cold_chain(c: &mut Criterion) {
    let mut setup = Setup::new();
    let imported: Vec<TraceCode> = (1..=EVENTS as u64).map(cl).collect();
    let domestic_codes: Vec<TraceCode> = (0..EVENTS).map(domestic).collect();
    let mut g = c.benchmark_group("cold_chain_10000_events");
    g.sample_size(10);
    g.throughput(Throughput::Elements(EVENTS as u64));
    for (kind, codes) in [("imported", imported.clone()), ("domestic", domestic_codes)] {
        let block = setup.shipping_block(codes);
        for (verify, preverified) in [("verify", false), ("preverified", true)] {
            g.bench_function(format!("ship_to_retail/{kind}/{verify}"), |b| {
                b.iter(|| {
                    setup
                        .exec
                        .execute_block(setup.state.clone(), &setup.head, &block, &|_| preverified)
                        .unwrap()
                })
            });
        }
    }

    let now = setup.head.timestamp + 1_000;
    let lot = beef_lot();
    g.bench_function("four_lookups", |b| {
        b.iter(|| {
            let mut ext = Externalities::new(setup.state.clone());
            ext.execute_with(|| {
                for _ in 0..EVENTS {
                    ColdChain::ensure_four(&lot, now).unwrap();
                }
            })
        })
    });
    let events: Vec<EpcisEvent> = imported.iter().map(|c| ship(*c, RETAILER)).collect();
    g.bench_function("gate_check", |b| {
        b.iter(|| {
            let mut ext = Externalities::new(setup.state.clone());
            ext.execute_with(|| {
                for event in &events {
                    let ctx = GateContext::new(WAREHOUSE, 0, event, None);
                    <ColdChain as CaptureGate>::check(&ctx).unwrap();
                }
            })
        })
    });
    g.finish();
}

criterion_group!(benches, cold_chain);
criterion_main!(benches);
