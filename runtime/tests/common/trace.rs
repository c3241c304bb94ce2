//! Helpers for trace and query tests: a genesis with the organisations a supply chain needs, EPCIS event
//! builders, and a chain that indexes every block it produces.

use std::collections::BTreeMap;

use yima_codes::{Gtin, LotNumber, ProductId, SerialNumber, Sscc, TraceCode};
use yima_frame::event::RawEvent;
use yima_frame::{BlockNumber, Moment, OrgId, Role, Roles};
use yima_membership::{GenesisAccount, GenesisOrganisation, OrgKind, Uscc};
use yima_runtime::executive::BuiltBlock;
use yima_runtime::query::{EventRef, MemoryIndex, Relation, StateCustody};
use yima_runtime::{Header, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig};
use yima_trace::epcis::{
    Action, BizStep, EpcisEvent, EventBody, Ilmd, Location, SensorKind, SensorReport, Unit,
};
use yima_trace::types::{Category, LotKey, TemperatureRange};

use super::{account, genesis_config, Chain, MANUFACTURER, REGULATOR};

pub const DISTRIBUTOR: &str = "91330100MA2Y01010E";
pub const SHOP: &str = "91330100MA2Y011117";
pub const PROCESSOR: &str = "91330100MA2Y00606T";

/// Organisation ids in [`trace_genesis_config`] (genesis order).
pub const REGULATOR_ORG: OrgId = 0;
pub const MAKER_ORG: OrgId = 1;
pub const DISTRIBUTOR_ORG: OrgId = 2;
pub const SHOP_ORG: OrgId = 3;
pub const PROCESSOR_ORG: OrgId = 4;

/// The account name that acts for each organisation of [`trace_genesis_config`].
pub const ACTORS: [(&str, OrgId); 4] = [
    ("maker", MAKER_ORG),
    ("distributor", DISTRIBUTOR_ORG),
    ("shop", SHOP_ORG),
    ("processor", PROCESSOR_ORG),
];

/// The name acting for `org`.
pub fn actor(org: OrgId) -> &'static str {
    ACTORS
        .iter()
        .find(|(_, o)| *o == org)
        .map(|(n, _)| *n)
        .unwrap_or("reg1")
}

/// [`genesis_config`] plus a distributor, a shop (retailer) and a processor, each with an Operator account
/// named `distributor`, `shop` and `processor`. The organisations [`genesis_config`] has keep their ids.
pub fn trace_genesis_config() -> RuntimeGenesisConfig {
    let mut config = genesis_config(&[]);
    let m = &mut config.membership;
    for (name, kind, code) in [
        ("Distributor", OrgKind::Distributor, DISTRIBUTOR),
        ("Shop", OrgKind::Retailer, SHOP),
        ("Processor", OrgKind::Processor, PROCESSOR),
    ] {
        m.organisations.push(GenesisOrganisation {
            name: name.into(),
            kind,
            uscc: Uscc::parse(code).unwrap(),
            prefixes: vec![],
        });
    }
    for (who, code) in [
        ("distributor", DISTRIBUTOR),
        ("shop", SHOP),
        ("processor", PROCESSOR),
    ] {
        m.accounts.push(GenesisAccount {
            account: account(who),
            uscc: Uscc::parse(code).unwrap(),
            roles: Roles::of(&[Role::Admin, Role::Operator]),
        });
    }
    assert_eq!(m.organisations[0].uscc, Uscc::parse(REGULATOR).unwrap());
    assert_eq!(m.organisations[1].uscc, Uscc::parse(MANUFACTURER).unwrap());
    hold(&mut config, uscc(MANUFACTURER), &[maker_gtin()]);
    hold(&mut config, uscc(PROCESSOR), &[processor_gtin()]);
    config
}

/// Gives the organisation with `uscc` in `config` the GS1 company prefixes of `gtins` (each exactly that GTIN),
/// so that it may register them.
pub fn hold(config: &mut RuntimeGenesisConfig, uscc: Uscc, gtins: &[Gtin]) {
    let m = &mut config.membership;
    let org = m
        .organisations
        .iter()
        .position(|o| o.uscc == uscc)
        .unwrap_or_else(|| panic!("no organisation with USCC {uscc}"));
    yima_membership::testing::hold_gtins(m, org, gtins);
}

/// A regulator's approval of `product` (a vaccine, drug or imported cold-chain food), citing the test licence;
/// signed by a regulator's Governance or Operator account (`reg1`).
pub fn approve(product: ProductId) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::ApproveProduct {
        product,
        licence: yima_trace::testing::licence(&product),
    })
}

/// Adds to `config`'s membership one organisation per `(name, kind, uscc, roles)`, each with one account named
/// after it holding `roles`; their ids follow on from the organisations already there.
pub fn add_members(config: &mut RuntimeGenesisConfig, members: &[(&str, OrgKind, Uscc, &[Role])]) {
    let m = &mut config.membership;
    for (name, kind, uscc, roles) in members {
        m.organisations.push(GenesisOrganisation {
            name: (*name).into(),
            kind: *kind,
            uscc: *uscc,
            prefixes: vec![],
        });
        m.accounts.push(GenesisAccount {
            account: account(name),
            uscc: *uscc,
            roles: Roles::of(roles),
        });
    }
}

/// Adds to `config`'s membership the account `name` of the organisation with `uscc`, holding `roles`.
pub fn add_account(config: &mut RuntimeGenesisConfig, name: &str, uscc: Uscc, roles: &[Role]) {
    config.membership.accounts.push(GenesisAccount {
        account: account(name),
        uscc,
        roles: Roles::of(roles),
    });
}

/// The USCC `code` (a test constant: panics naming it when invalid).
pub fn uscc(code: &str) -> Uscc {
    Uscc::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"))
}

/// The maker's product (2–8 °C).
pub fn maker_gtin() -> Gtin {
    Gtin::parse("09521234543213").unwrap()
}

/// The processor's product.
pub fn processor_gtin() -> Gtin {
    let body = "0952123499999";
    let check = yima_codes::gs1_check_digit(body.as_bytes());
    Gtin::parse(&format!("{body}{check}")).unwrap()
}

pub fn lot_of(gtin: Gtin, lot: &str) -> LotKey {
    LotKey {
        product: ProductId::Gtin(gtin),
        lot: LotNumber::parse(lot).unwrap(),
    }
}

/// Item `n` of product `gtin`.
pub fn sgtin(gtin: Gtin, n: u32) -> TraceCode {
    TraceCode::Sgtin {
        gtin,
        serial: SerialNumber::parse(&format!("S{n}")).unwrap(),
    }
}

/// Item `n` of the maker's product.
pub fn item(n: u32) -> TraceCode {
    sgtin(maker_gtin(), n)
}

/// Item `n` of the processor's product.
pub fn output(n: u32) -> TraceCode {
    sgtin(processor_gtin(), n)
}

/// Logistic unit `n`.
pub fn sscc(n: u32) -> TraceCode {
    let body = format!("10614141{n:09}");
    let check = yima_codes::gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).unwrap())
}

pub const DAY: Moment = 86_400_000;

pub fn register(gtin: Gtin, name: &str, band: Option<TemperatureRange>) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
        product: ProductId::Gtin(gtin),
        name: name.as_bytes().to_vec(),
        category: Category::Food,
        temperature: band,
        shelf_life_days: 365,
    })
}

pub fn capture(events: Vec<EpcisEvent>) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::Capture { events })
}

/// An event at time 1 (always in the past of the test chains) with every optional field empty.
pub fn event(body: EventBody, step: BizStep) -> EpcisEvent {
    EpcisEvent::new(body, 1, 480, step)
}

pub fn object(action: Action, epcs: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    event(
        EventBody::Object {
            action,
            epcs,
            quantities: vec![],
        },
        step,
    )
}

pub fn ilmd(lot: LotKey) -> Ilmd {
    Ilmd {
        lot,
        production_date: 0,
        expiry: 1_000 * DAY,
    }
}

pub fn commissioning(codes: Vec<TraceCode>, lot: Option<LotKey>) -> EpcisEvent {
    let mut e = object(Action::Add, codes, BizStep::Commissioning);
    e.ilmd = lot.map(ilmd);
    e
}

pub fn shipping(codes: Vec<TraceCode>, to: OrgId) -> EpcisEvent {
    let mut e = object(Action::Observe, codes, BizStep::Shipping);
    e.destination = Some(to);
    e
}

/// A shipment whose temperature logger read `celsius` (hundredths of °C) throughout.
pub fn shipping_at(codes: Vec<TraceCode>, to: OrgId, centi_celsius: i32) -> EpcisEvent {
    let mut e = shipping(codes, to);
    e.sensors.push(SensorReport {
        kind: SensorKind::Temperature,
        unit: Unit::Celsius,
        min: centi_celsius,
        max: centi_celsius,
        mean: centi_celsius,
        device: None,
    });
    e
}

pub fn receiving(codes: Vec<TraceCode>) -> EpcisEvent {
    object(Action::Observe, codes, BizStep::Receiving)
}

pub fn storing(codes: Vec<TraceCode>, place: &str) -> EpcisEvent {
    let mut e = object(Action::Observe, codes, BizStep::Storing);
    e.biz_location = Some(Location::Other(place.as_bytes().to_vec()));
    e
}

pub fn selling(codes: Vec<TraceCode>) -> EpcisEvent {
    object(Action::Observe, codes, BizStep::RetailSelling)
}

pub fn packing(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    event(
        EventBody::Aggregation {
            action: Action::Add,
            parent,
            children,
        },
        BizStep::Packing,
    )
}

/// Unpacking `children` (empty: all of them).
pub fn unpacking(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    event(
        EventBody::Aggregation {
            action: Action::Delete,
            parent,
            children,
        },
        BizStep::Unpacking,
    )
}

pub fn transforming(inputs: Vec<TraceCode>, outputs: Vec<TraceCode>, lot: LotKey) -> EpcisEvent {
    let mut e = event(
        EventBody::Transformation { inputs, outputs },
        BizStep::Transforming,
    );
    e.ilmd = Some(ilmd(lot));
    e
}

/// What each hop shows: its block, business step, relation to the traced code and the recording organisation.
pub fn hops_by_org(hops: &[yima_runtime::query::Hop]) -> Vec<(u64, BizStep, Relation, OrgId)> {
    hops.iter()
        .map(|h| (h.at.block, h.epcis().biz_step, h.relation, h.org))
        .collect()
}

/// Every `Trace::Captured` event of a block's events, with where it is.
pub fn captured(block: BlockNumber, events: &[RawEvent]) -> Vec<(EventRef, OrgId, EpcisEvent)> {
    events
        .iter()
        .enumerate()
        .filter_map(
            |(i, raw)| match raw.decode::<RuntimeEvent>().unwrap().event {
                RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. }) => {
                    Some((EventRef::new(block, i as u32), org, event))
                }
                _ => None,
            },
        )
        .collect()
}

/// The dispatch errors of a block, in order.
pub fn failures(built: &BuiltBlock) -> Vec<yima_frame::DispatchError> {
    built
        .events
        .iter()
        .filter_map(|e| match e.decode::<RuntimeEvent>().unwrap().event {
            RuntimeEvent::System(yima_system::Event::ExtrinsicFailed { error }) => Some(error),
            _ => None,
        })
        .collect()
}

/// A chain that keeps every block's header and events and indexes them as it goes — what a node does.
pub struct IndexedChain {
    pub chain: Chain,
    pub index: MemoryIndex,
    /// Header and events of every produced block, by number.
    pub blocks: BTreeMap<BlockNumber, (Header, Vec<RawEvent>)>,
}

impl IndexedChain {
    pub fn new() -> Self {
        Self::with_config(&trace_genesis_config())
    }

    /// A chain from `config`, indexed from its first block.
    pub fn with_config(config: &RuntimeGenesisConfig) -> Self {
        Self {
            chain: Chain::with_config(config),
            index: MemoryIndex::new(),
            blocks: BTreeMap::new(),
        }
    }

    /// Signs each call as its named account (consecutive nonces per account), produces the block, indexes it.
    pub fn block(&mut self, calls: Vec<(&str, RuntimeCall)>) -> BuiltBlock {
        self.block_at(self.chain.head.timestamp + 1_000, calls)
    }

    /// Like [`Self::block`], the block at `timestamp`.
    pub fn block_at(&mut self, timestamp: u64, calls: Vec<(&str, RuntimeCall)>) -> BuiltBlock {
        let mut nonces: BTreeMap<String, u64> = BTreeMap::new();
        let txs = calls
            .into_iter()
            .map(|(who, call)| {
                let nonce = nonces
                    .entry(who.to_string())
                    .or_insert_with(|| self.chain.nonce(&account(who)));
                let tx = self.chain.sign_with(who, *nonce, call);
                *nonce += 1;
                tx
            })
            .collect();
        let built = self.chain.produce_at(timestamp, txs);
        let number = built.block.header.number;
        self.index.ingest(number, &built.events).unwrap();
        self.blocks
            .insert(number, (built.block.header.clone(), built.events.clone()));
        built
    }

    /// Like [`Self::block`], asserting every call succeeded.
    pub fn ok(&mut self, calls: Vec<(&str, RuntimeCall)>) -> BuiltBlock {
        let built = self.block(calls);
        assert_eq!(
            failures(&built),
            vec![],
            "every call of block {} succeeds",
            built.block.header.number
        );
        built
    }

    pub fn custody(&self) -> StateCustody {
        StateCustody::new(self.chain.backend())
    }

    /// Checks that each of `hops` is proven into its block's `events_root` (the auditor's inclusion proof).
    pub fn verify_inclusion(&self, hops: &[yima_runtime::query::Hop]) {
        for hop in hops {
            self.verify_hop(hop);
        }
    }

    /// Checks that `hop` is proven into its block's `events_root`.
    pub fn verify_hop(&self, hop: &yima_runtime::query::Hop) {
        let (header, events) = &self.blocks[&hop.at.block];
        let leaves: Vec<[u8; 32]> = events
            .iter()
            .map(|e| yima_runtime::merkle::leaf_hash(&e.record_bytes()))
            .collect();
        let proof = yima_runtime::merkle::prove(&leaves, hop.at.index as usize).unwrap();
        let record = events[hop.at.index as usize].record_bytes();
        yima_runtime::merkle::verify(header.events_root, &record, &proof).unwrap();
    }

    /// Every custody event so far, in chain order, read from the blocks (not from the index).
    pub fn ledger(&self) -> Vec<(EventRef, OrgId, EpcisEvent)> {
        self.blocks
            .iter()
            .flat_map(|(number, (_, events))| captured(*number, events))
            .collect()
    }
}
