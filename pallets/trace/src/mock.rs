//! A test runtime for the trace pallet: system, membership and trace, with one organisation of each kind the
//! custody rules care about and an Operator account in each.

use parity_scale_codec::{Decode, Encode};
use yima_codes::{Gtin, LotNumber, ProductId, SerialNumber, Sscc, TraceCode};
use yima_frame::testing::TestExternalities;
use yima_frame::{sha256, AccountId, GenesisBuild, Hash, Moment, OrgId, Origin, Role, Roles};
use yima_membership::{GenesisAccount, GenesisOrganisation, OrgKind, Uscc, Validator};

use crate::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use crate::types::{Category, LotKey, TemperatureRange};

pub(crate) struct Test;

#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub(crate) enum RuntimeEvent {
    #[codec(index = 0)]
    System(yima_system::Event),
    #[codec(index = 1)]
    Membership(yima_membership::Event),
    #[codec(index = 2)]
    Trace(crate::Event),
}

impl From<yima_system::Event> for RuntimeEvent {
    fn from(e: yima_system::Event) -> Self {
        RuntimeEvent::System(e)
    }
}
impl From<yima_membership::Event> for RuntimeEvent {
    fn from(e: yima_membership::Event) -> Self {
        RuntimeEvent::Membership(e)
    }
}
impl From<crate::Event> for RuntimeEvent {
    fn from(e: crate::Event) -> Self {
        RuntimeEvent::Trace(e)
    }
}

impl yima_system::Config for Test {
    type RuntimeEvent = RuntimeEvent;
}
impl yima_membership::Config for Test {}
impl crate::Config for Test {
    type Membership = yima_membership::Pallet<Test>;
}

pub(crate) type System = yima_system::Pallet<Test>;
pub(crate) type Membership = yima_membership::Pallet<Test>;
pub(crate) type Trace = crate::Pallet<Test>;

/// `(account name, organisation kind, USCC)`; organisation ids follow this order.
pub(crate) const ORGS: [(&str, OrgKind, &str); 8] = [
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
];

pub(crate) const REGULATOR: OrgId = 0;
pub(crate) const MAKER: OrgId = 1;
pub(crate) const DISTRIBUTOR: OrgId = 2;
pub(crate) const RETAILER: OrgId = 3;
pub(crate) const PROCESSOR: OrgId = 4;
pub(crate) const RIVAL: OrgId = 7;

/// Block time in the tests: 2026-06-01T00:00:00Z.
pub(crate) const NOW: Moment = 1_780_272_000_000;
pub(crate) const DAY: Moment = 86_400_000;

pub(crate) fn account(name: &str) -> AccountId {
    let key = ed25519_dalek::SigningKey::from_bytes(&sha256(name.as_bytes()).0);
    AccountId::from(key.verifying_key())
}

pub(crate) fn new_test_ext() -> TestExternalities {
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
            uscc: Uscc::parse(ORGS[1].2).unwrap(),
            roles: Roles::of(&[Role::Inspector]),
        });
        yima_membership::GenesisConfig {
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
                key: account("validator"),
                power: 1,
            }],
            regulator_threshold: 1,
            proposal_lifetime: 10,
        }
        .build()
        .unwrap();
        crate::GenesisConfig::default().build().unwrap();
    });
    ext.execute_with(|| System::initialize(1, Hash::default(), NOW));
    ext
}

/// The signed origin of a named account, resolved as the executive does.
pub(crate) fn origin(name: &str) -> Origin {
    Origin::Signed(Membership::resolve_signer(&account(name)).expect("test account is a member"))
}

pub(crate) fn gtin() -> Gtin {
    Gtin::parse("09521234543213").unwrap()
}

pub(crate) fn product() -> ProductId {
    ProductId::Gtin(gtin())
}

pub(crate) fn lot_key(lot: &str) -> LotKey {
    LotKey {
        product: product(),
        lot: LotNumber::parse(lot).unwrap(),
    }
}

/// Item `n` of the test product.
pub(crate) fn item(n: u32) -> TraceCode {
    TraceCode::Sgtin {
        gtin: gtin(),
        serial: SerialNumber::parse(&format!("S{n}")).unwrap(),
    }
}

/// Logistic unit `n` (an SSCC with extension digit 1 and company prefix 0614141).
pub(crate) fn sscc(n: u32) -> TraceCode {
    let body = format!("10614141{n:09}");
    let check = yima_codes::gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).unwrap())
}

/// An event with every optional field empty.
pub(crate) fn event(body: EventBody, step: BizStep) -> EpcisEvent {
    EpcisEvent {
        body,
        event_time: NOW - 1_000,
        time_zone_offset_minutes: 480,
        biz_step: step,
        disposition: None,
        read_point: None,
        biz_location: None,
        source: None,
        destination: None,
        ilmd: None,
        sensors: vec![],
        certifications: vec![],
        event_id: None,
    }
}

pub(crate) fn object(action: Action, epcs: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    event(
        EventBody::Object {
            action,
            epcs,
            quantities: vec![],
        },
        step,
    )
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

pub(crate) fn shipping(codes: Vec<TraceCode>, to: OrgId) -> EpcisEvent {
    let mut e = object(Action::Observe, codes, BizStep::Shipping);
    e.destination = Some(to);
    e
}

pub(crate) fn receiving(codes: Vec<TraceCode>) -> EpcisEvent {
    object(Action::Observe, codes, BizStep::Receiving)
}

pub(crate) fn packing(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    event(
        EventBody::Aggregation {
            action: Action::Add,
            parent,
            children,
        },
        BizStep::Packing,
    )
}

pub(crate) fn unpacking(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    event(
        EventBody::Aggregation {
            action: Action::Delete,
            parent,
            children,
        },
        BizStep::Unpacking,
    )
}

/// Registers the test product for the maker, 2–8 °C.
pub(crate) fn register_vaccine() {
    Trace::register_product(
        &origin("maker"),
        product(),
        b"Demo vaccine".to_vec(),
        Category::Vaccine,
        Some(TemperatureRange::VACCINE),
        365,
    )
    .unwrap();
}

/// The maker commissions items 0..n in lot `L1` and SSCCs 0..m.
pub(crate) fn commission_items(n: u32, m: u32) {
    register_vaccine();
    let mut events = vec![commissioning((0..n).map(item).collect(), "L1")];
    if m > 0 {
        events.push(object(
            Action::Add,
            (0..m).map(sscc).collect(),
            BizStep::Commissioning,
        ));
    }
    Trace::capture(&origin("maker"), events).unwrap();
}
