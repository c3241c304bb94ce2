//! A test runtime for the trace pallet: system, membership and trace, with one organisation of each kind the
//! custody rules care about and an Operator account in each.

use yima_codes::{Gtin, ProductId, TraceCode};
use yima_frame::testing::TestExternalities;
use yima_frame::{GenesisBuild, Hash, Moment, OrgId, Origin, Role, Roles};
use yima_membership::testing::hold_gtins;
use yima_membership::{GenesisAccount, GenesisOrganisation, OrgKind, Uscc, Validator};

use crate::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd, SensorKind, SensorReport, Unit};
pub(crate) use crate::testing::sscc;
use crate::testing::{self as events, gtin as gtin_of};
use crate::types::{CaptureLimits, Category, Custody, LotKey, TemperatureRange};

/// The test runtime.
pub(crate) struct Test;

yima_frame::runtime_event! {
    /// The test runtime's events.
    pub(crate) enum RuntimeEvent {
        System(yima_system::Event) = 0,
        Membership(yima_membership::Event) = 1,
        Trace(crate::Event) = 2,
    }
}

impl yima_system::Config for Test {
    type RuntimeEvent = RuntimeEvent;
}
impl yima_membership::Config for Test {
    type Dispatch = ();
}
impl crate::Config for Test {
    type Membership = yima_membership::Pallet<Test>;
    type Gate = TestGate;
}

thread_local! {
    /// Lots [`TestGate`] refuses to let move.
    static BLOCKED_LOTS: std::cell::RefCell<std::collections::BTreeSet<LotKey>> = Default::default();
    /// What [`TestGate`] was asked: `(event index, via)`.
    static GATE_CALLS: std::cell::RefCell<Vec<(u32, Option<&'static str>)>> = Default::default();
}

/// A capture gate for the tests: refuses any event touching a blocked lot (see [`block_lot`]) and remembers
/// what it was asked.
pub(crate) struct TestGate;

impl crate::gate::CaptureGate for TestGate {
    fn check(ctx: &crate::gate::GateContext<'_>) -> yima_frame::DispatchResult {
        GATE_CALLS.with(|c| c.borrow_mut().push((ctx.index, ctx.via)));
        let blocked = BLOCKED_LOTS.with(|b| ctx.lots().iter().any(|l| b.borrow().contains(l)));
        if blocked {
            return Err(yima_frame::DispatchError::Module(yima_frame::ModuleError {
                pallet: "TestGate".into(),
                error: "LotBlocked".into(),
            }));
        }
        Ok(())
    }
}

/// Makes [`TestGate`] refuse events touching `lot`.
pub(crate) fn block_lot(lot: LotKey) {
    BLOCKED_LOTS.with(|b| b.borrow_mut().insert(lot));
}

/// What [`TestGate`] has been asked so far, `(event index, via)`.
pub(crate) fn gate_calls() -> Vec<(u32, Option<&'static str>)> {
    GATE_CALLS.with(|c| c.borrow().clone())
}

pub(crate) type System = yima_system::Pallet<Test>;
pub(crate) type Membership = yima_membership::Pallet<Test>;
pub(crate) type Trace = crate::Pallet<Test>;

/// `(account name, organisation kind, USCC)`; organisation ids follow this order.
pub(crate) const ORGS: [(&str, OrgKind, &str); 9] = [
    ("regulator", OrgKind::Regulator, "11330100MA2Y00000E"),
    ("maker", OrgKind::Manufacturer, "91330100MA2Y00303G"),
    ("distributor", OrgKind::Distributor, "91330100MA2Y01010E"),
    ("retailer", OrgKind::Retailer, "91330100MA2Y011117"),
    ("processor", OrgKind::Processor, "91330100MA2Y00606T"),
    (
        "warehouse",
        OrgKind::SupervisedWarehouse,
        "91330100MA2Y00808C",
    ),
    ("lab", OrgKind::InspectionBody, "12330100MA2Y016168"),
    ("rival", OrgKind::Manufacturer, "91330100MA2Y004049"),
    ("importer", OrgKind::Importer, "91330100MA2Y009095"),
];

pub(crate) const REGULATOR: OrgId = 0;
pub(crate) const MAKER: OrgId = 1;
pub(crate) const DISTRIBUTOR: OrgId = 2;
pub(crate) const RETAILER: OrgId = 3;
pub(crate) const PROCESSOR: OrgId = 4;
pub(crate) const WAREHOUSE: OrgId = 5;
pub(crate) const LAB: OrgId = 6;
pub(crate) const RIVAL: OrgId = 7;
pub(crate) const IMPORTER: OrgId = 8;

/// The GTINs each organisation holds the company prefix of (`(org, gtins)`).
fn held_gtins() -> Vec<(OrgId, Vec<Gtin>)> {
    vec![
        (MAKER, vec![gtin(), frozen_gtin()]),
        (PROCESSOR, vec![chilled_gtin()]),
        (RIVAL, vec![rival_gtin()]),
        (IMPORTER, vec![imported_gtin()]),
    ]
}

/// Block 1's time and one day (ms).
pub(crate) use crate::testing::{DAY, NOW};

pub(crate) use yima_frame::testing::test_account as account;

/// The account name of an organisation's Operator (its Inspector for the lab).
pub(crate) fn name_of(org: OrgId) -> &'static str {
    ORGS[org as usize].0
}

/// Test externalities at block 1, time [`NOW`], with the default capture limits.
pub(crate) fn new_test_ext() -> TestExternalities {
    ext_with_limits(CaptureLimits::default())
}

/// Test externalities at block 1, time [`NOW`], with `limits` set in the trace genesis.
pub(crate) fn ext_with_limits(limits: CaptureLimits) -> TestExternalities {
    let mut ext = TestExternalities::from_genesis(|| {
        yima_system::GenesisConfig::default().build().unwrap();
        let mut accounts: Vec<GenesisAccount> = ORGS
            .iter()
            .map(|(name, kind, code)| GenesisAccount {
                account: account(name),
                uscc: Uscc::parse(code).unwrap(),
                roles: Roles::of(&match kind {
                    OrgKind::Regulator => vec![Role::Admin, Role::Operator, Role::Governance],
                    OrgKind::InspectionBody => vec![Role::Inspector],
                    _ => vec![Role::Admin, Role::Operator],
                }),
            })
            .collect();
        accounts.push(GenesisAccount {
            account: account("viewer"),
            // A retailer's quick-test account (an enterprise keeps an Inspector for the attestations it issues; a
            // manufacturer may not hold the role at all).
            uscc: Uscc::parse(ORGS[3].2).unwrap(),
            roles: Roles::of(&[Role::Inspector]),
        });
        // An account of the rival with no role at all.
        accounts.push(GenesisAccount {
            account: account("rival-nobody"),
            uscc: Uscc::parse(ORGS[RIVAL as usize].2).unwrap(),
            roles: Roles::NONE,
        });
        let mut membership = yima_membership::GenesisConfig {
            organisations: ORGS
                .iter()
                .map(|(name, kind, code)| GenesisOrganisation {
                    name: name.to_string(),
                    kind: *kind,
                    uscc: Uscc::parse(code).unwrap(),
                    prefixes: vec![],
                })
                .collect(),
            accounts,
            validators: vec![Validator {
                key: account("validator"),
                power: 1,
            }],
            regulator_threshold: 1,
            proposal_lifetime: 10,
        };
        for (org, gtins) in held_gtins() {
            hold_gtins(&mut membership, org as usize, &gtins);
        }
        membership.build().unwrap();
        crate::GenesisConfig { limits }.build().unwrap();
    });
    ext.execute_with(|| System::initialize(1, Hash::default(), NOW));
    ext
}

/// Starts the next block at time `now` (later blocks see lots expire).
pub(crate) fn advance_to(now: Moment) {
    System::initialize(System::block_number() + 1, Hash::default(), now);
}

/// The signed origin of a named account, resolved as the executive does.
pub(crate) fn origin(name: &str) -> Origin {
    Origin::Signed(Membership::resolve_signer(&account(name)).expect("test account is a member"))
}

/// The maker's vaccine, 2–8 °C (see [`register_vaccine`]).
pub(crate) fn gtin() -> Gtin {
    Gtin::parse("09521234543213").unwrap()
}

/// The maker's frozen food, −25 … −15 °C (see [`register_frozen`]).
pub(crate) fn frozen_gtin() -> Gtin {
    gtin_of("0952123454400")
}

/// The processor's chilled product, 0–4 °C (see [`register_chilled`]).
pub(crate) fn chilled_gtin() -> Gtin {
    gtin_of("0952123454500")
}

/// The rival's product, no temperature band (see [`register_rival_product`]).
pub(crate) fn rival_gtin() -> Gtin {
    gtin_of("0952123454600")
}

/// The importer's frozen beef, imported cold-chain food.
pub(crate) fn imported_gtin() -> Gtin {
    gtin_of("0952123454700")
}

/// The frozen band, −25 … −15 °C.
pub(crate) const FROZEN: TemperatureRange = TemperatureRange {
    min_centi_celsius: -2_500,
    max_centi_celsius: -1_500,
};

/// The chilled band, 0–4 °C.
pub(crate) const CHILLED: TemperatureRange = TemperatureRange {
    min_centi_celsius: 0,
    max_centi_celsius: 400,
};

pub(crate) fn product() -> ProductId {
    ProductId::Gtin(gtin())
}

/// Lot `lot` of the vaccine.
pub(crate) fn lot_key(lot: &str) -> LotKey {
    lot_of(gtin(), lot)
}

/// Lot `lot` of the product `gtin`.
pub(crate) fn lot_of(gtin: Gtin, lot: &str) -> LotKey {
    events::lot_key(ProductId::Gtin(gtin), lot)
}
/// Item `n` of the vaccine.
pub(crate) fn item(n: u32) -> TraceCode {
    item_of(gtin(), n)
}

/// Item `n` of the product `gtin`.
pub(crate) fn item_of(gtin: Gtin, n: u32) -> TraceCode {
    events::sgtin(gtin, &format!("S{n}"))
}
/// An event with every optional field empty.
pub(crate) fn event(body: EventBody, step: BizStep) -> EpcisEvent {
    EpcisEvent::new(body, NOW - 1_000, events::CST_MINUTES, step)
}

pub(crate) fn object(action: Action, epcs: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    events::object(NOW - 1_000, action, epcs, step)
}

pub(crate) fn ilmd(lot: &str) -> Ilmd {
    Ilmd {
        lot: lot_key(lot),
        production_date: NOW - 10 * DAY,
        expiry: NOW + 365 * DAY,
    }
}

pub(crate) fn commissioning(codes: Vec<TraceCode>, lot: &str) -> EpcisEvent {
    let mut e = object(Action::Add, codes, BizStep::Commissioning);
    e.ilmd = Some(ilmd(lot));
    e
}

/// Commissioning of items of product `gtin` in its lot `lot` (dates as [`ilmd`]).
pub(crate) fn commissioning_of(gtin: Gtin, codes: Vec<TraceCode>, lot: &str) -> EpcisEvent {
    let mut e = commissioning_units(codes);
    e.ilmd = Some(Ilmd {
        lot: lot_of(gtin, lot),
        ..ilmd(lot)
    });
    e
}

/// Commissioning of logistic units (SSCCs need no lot).
pub(crate) fn commissioning_units(codes: Vec<TraceCode>) -> EpcisEvent {
    object(Action::Add, codes, BizStep::Commissioning)
}

pub(crate) fn shipping(codes: Vec<TraceCode>, to: OrgId) -> EpcisEvent {
    events::shipping(NOW - 1_000, codes, to)
}

pub(crate) fn receiving(codes: Vec<TraceCode>) -> EpcisEvent {
    events::receiving(NOW - 1_000, codes)
}

/// An OBSERVE object event (storing, inspecting …).
pub(crate) fn observing(step: BizStep, codes: Vec<TraceCode>) -> EpcisEvent {
    object(Action::Observe, codes, step)
}

/// An OBSERVE object event with a finishing step (selling, dispensing, administering, destroying).
pub(crate) fn finishing(step: BizStep, codes: Vec<TraceCode>) -> EpcisEvent {
    observing(step, codes)
}

pub(crate) fn selling(codes: Vec<TraceCode>) -> EpcisEvent {
    finishing(BizStep::RetailSelling, codes)
}

pub(crate) fn packing(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    events::packing(NOW - 1_000, parent, children)
}

pub(crate) fn unpacking(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    events::unpacking(NOW - 1_000, parent, children)
}

/// A transformation; the outputs are commissioned in the vaccine lot `lot` when given.
pub(crate) fn transforming(
    inputs: Vec<TraceCode>,
    outputs: Vec<TraceCode>,
    lot: Option<&str>,
) -> EpcisEvent {
    let mut e = events::transforming(NOW - 1_000, inputs, outputs);
    e.ilmd = lot.map(ilmd);
    e
}

/// A sensor report of `kind` in `unit` over `min..=max` (hundredths), the mean half way.
pub(crate) fn sensor(kind: SensorKind, unit: Unit, min: i32, max: i32) -> SensorReport {
    SensorReport {
        kind,
        unit,
        min,
        max,
        mean: min + (max - min) / 2,
        device: Some(b"logger-1".to_vec()),
    }
}

/// A temperature report in `unit` over `min..=max` (hundredths of the unit).
pub(crate) fn temperature(unit: Unit, min: i32, max: i32) -> SensorReport {
    sensor(SensorKind::Temperature, unit, min, max)
}

/// `e` with one more sensor report.
pub(crate) fn with_sensor(mut e: EpcisEvent, report: SensorReport) -> EpcisEvent {
    e.sensors.push(report);
    e
}

/// Registers (and, for a regulated category, has the regulator approve) `gtin` for `owner`.
pub(crate) fn register(
    owner: &str,
    gtin: Gtin,
    category: Category,
    band: Option<TemperatureRange>,
) {
    crate::testing::register_approved::<Test>(
        &origin(owner),
        &origin("regulator"),
        ProductId::Gtin(gtin),
        format!("product {gtin:?}").into_bytes(),
        category,
        band,
        365,
    )
    .unwrap();
}

/// Registers the test product for the maker, 2–8 °C.
pub(crate) fn register_vaccine() {
    register(
        "maker",
        gtin(),
        Category::Vaccine,
        Some(TemperatureRange::VACCINE),
    );
}

/// Registers the maker's frozen food (domestic), −25 … −15 °C.
pub(crate) fn register_frozen() {
    register("maker", frozen_gtin(), Category::Food, Some(FROZEN));
}

/// Registers the processor's chilled product, 0–4 °C.
pub(crate) fn register_chilled() {
    register("processor", chilled_gtin(), Category::Food, Some(CHILLED));
}

/// Registers the rival's product, without a temperature band.
pub(crate) fn register_rival_product() {
    register("rival", rival_gtin(), Category::Other, None);
}

/// The maker commissions items 0..n in lot `L1` and SSCCs 0..m.
pub(crate) fn commission_items(n: u32, m: u32) {
    register_vaccine();
    let mut events = vec![];
    if n > 0 {
        events.push(commissioning((0..n).map(item).collect(), "L1"));
    }
    if m > 0 {
        events.push(commissioning_units((0..m).map(sscc).collect()));
    }
    run("maker", events);
}

/// Captures `events` as `name`, which must succeed (test setup).
pub(crate) fn run(name: &str, events: Vec<EpcisEvent>) {
    if let Err(e) = Trace::capture(&origin(name), events) {
        panic!("setup capture by {name} refused: {e:?}");
    }
}

/// Ships `codes` from `from` to `to` and receives them there.
pub(crate) fn deliver(from: OrgId, codes: Vec<TraceCode>, to: OrgId) {
    run(name_of(from), vec![shipping(codes.clone(), to)]);
    run(name_of(to), vec![receiving(codes)]);
}

/// A code's effective custody at the current block time.
pub(crate) fn custody(code: &TraceCode) -> Custody {
    crate::custody::custody(code, System::now()).expect("known code")
}

/// The `Captured` event `org` gets for `event` at `index`.
pub(crate) fn captured(org: OrgId, index: u32, event: EpcisEvent) -> crate::Event {
    crate::Event::Captured { org, index, event }
}

/// A code's record without its history summary, which every event naming the code extends: what "changes
/// nothing" compares (the summary is checked in `tests::history`).
pub(crate) fn custody_record(code: &TraceCode) -> Option<crate::types::CodeState> {
    Trace::code(code).map(|mut s| {
        s.history = Default::default();
        s
    })
}

/// How many events the code's history counts.
pub(crate) fn history_count(code: &TraceCode) -> u32 {
    Trace::code(code).map_or(0, |s| s.history.count)
}
