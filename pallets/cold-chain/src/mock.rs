//! A test runtime: system, membership, trace (gated by this pallet), attestation and cold chain, with an
//! organisation of every kind the cold chain meets, the shipped attestation schemas, and block 1 at [`NOW`].
//!
//! Accounts are named after their organisation; `customs-op` is a customs account without the Inspector role,
//! `lab-op` a lab account without it, `reg-inspector` a regulator account with the Inspector role only.

use yima_attestation::{attestation_id, schemas, AttestationId, SchemaId};
use yima_codes::{
    gs1_check_digit, ColdChainCode, Gtin, LotNumber, ProductId, SerialNumber, TraceCode,
};
use yima_frame::testing::TestExternalities;
use yima_frame::{sha256, AccountId, GenesisBuild, Hash, Moment, OrgId, Origin, Role, Roles};
use yima_membership::{GenesisAccount, GenesisOrganisation, OrgKind, Uscc, Validator};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::types::{Category, LotKey, TemperatureRange};

use crate::entry::lot_subject;
use crate::types::{
    CountryCode, DeclarationNumber, EntryDeclaration, PortCode, TemperatureSummary,
};

/// The test runtime.
pub(crate) struct Test;

yima_frame::runtime_event! {
    /// The test runtime's events.
    pub(crate) enum RuntimeEvent {
        System(yima_system::Event) = 0,
        Membership(yima_membership::Event) = 1,
        Trace(yima_trace::Event) = 2,
        Attestation(yima_attestation::Event) = 3,
        ColdChain(crate::Event) = 4,
    }
}

impl yima_system::Config for Test {
    type RuntimeEvent = RuntimeEvent;
}
impl yima_membership::Config for Test {
    type Dispatch = ();
}
impl yima_trace::Config for Test {
    type Membership = yima_membership::Pallet<Test>;
    type Gate = crate::Pallet<Test>;
}
impl yima_attestation::Config for Test {
    type Membership = yima_membership::Pallet<Test>;
    type Subjects = ();
}
impl crate::Config for Test {
    type Attestations = yima_attestation::Pallet<Test>;
}

pub(crate) type System = yima_system::Pallet<Test>;
pub(crate) type Membership = yima_membership::Pallet<Test>;
pub(crate) type Trace = yima_trace::Pallet<Test>;
pub(crate) type Attestation = yima_attestation::Pallet<Test>;
pub(crate) type ColdChain = crate::Pallet<Test>;

/// `(account name, kind, roles)`; organisation ids follow this order.
const ORGS: [(&str, OrgKind, &[Role]); 13] = [
    (
        "regulator",
        OrgKind::Regulator,
        &[Role::Admin, Role::Operator, Role::Governance],
    ),
    ("customs", OrgKind::Customs, &[Role::Inspector]),
    (
        "importer",
        OrgKind::Importer,
        &[Role::Admin, Role::Operator],
    ),
    (
        "warehouse",
        OrgKind::SupervisedWarehouse,
        &[Role::Operator, Role::Inspector],
    ),
    ("carrier", OrgKind::Carrier, &[Role::Operator]),
    ("distributor", OrgKind::Distributor, &[Role::Operator]),
    ("retailer", OrgKind::Retailer, &[Role::Operator]),
    ("caterer", OrgKind::Caterer, &[Role::Operator]),
    ("lab", OrgKind::InspectionBody, &[Role::Inspector]),
    ("processor", OrgKind::Processor, &[Role::Operator]),
    ("rival", OrgKind::Importer, &[Role::Operator]),
    ("cold-store", OrgKind::ColdWarehouse, &[Role::Operator]),
    ("cdc", OrgKind::Cdc, &[Role::Inspector]),
];

pub(crate) const REGULATOR: OrgId = 0;
pub(crate) const CUSTOMS: OrgId = 1;
pub(crate) const IMPORTER: OrgId = 2;
pub(crate) const WAREHOUSE: OrgId = 3;
pub(crate) const CARRIER: OrgId = 4;
pub(crate) const DISTRIBUTOR: OrgId = 5;
pub(crate) const RETAILER: OrgId = 6;
pub(crate) const CATERER: OrgId = 7;
pub(crate) const LAB: OrgId = 8;
pub(crate) const PROCESSOR: OrgId = 9;

/// Block time of block 1: 2026-06-01T00:00:00Z.
pub(crate) const NOW: Moment = 1_780_272_000_000;
/// One day, ms.
pub(crate) const DAY: Moment = 86_400_000;

/// The frozen band, −25 … −15 °C.
pub(crate) const FROZEN: TemperatureRange = TemperatureRange {
    min_centi_celsius: -2_500,
    max_centi_celsius: -1_500,
};

/// A valid USCC for organisation `n`.
fn uscc_of(n: usize) -> Uscc {
    let body = format!("91330100MA2Y0{n:04}");
    let bytes: [u8; 17] = body.as_bytes().try_into().expect("17 characters");
    let check = Uscc::check_character(&bytes).expect("body in the alphabet");
    Uscc::parse(&format!("{body}{check}")).expect("valid test USCC")
}

/// The account of a named test key.
pub(crate) fn account(name: &str) -> AccountId {
    let key = ed25519_dalek::SigningKey::from_bytes(&sha256(name.as_bytes()).0);
    key.verifying_key().into()
}

fn genesis_account(name: &str, org: usize, roles: &[Role]) -> GenesisAccount {
    GenesisAccount {
        account: account(name),
        uscc: uscc_of(org),
        roles: Roles::of(roles),
    }
}

/// Test externalities at block 1, time [`NOW`], with the shipped schemas.
pub(crate) fn new_test_ext() -> TestExternalities {
    let mut ext = TestExternalities::from_genesis(|| {
        yima_system::GenesisConfig::default().build().unwrap();
        let mut accounts: Vec<GenesisAccount> = ORGS
            .iter()
            .enumerate()
            .map(|(i, (name, _, roles))| genesis_account(name, i, roles))
            .collect();
        accounts.push(genesis_account("customs-op", 1, &[Role::Operator]));
        accounts.push(genesis_account("lab-op", 8, &[Role::Operator]));
        accounts.push(genesis_account("reg-inspector", 0, &[Role::Inspector]));
        accounts.push(genesis_account("importer-viewer", 2, &[Role::Inspector]));
        yima_membership::GenesisConfig {
            organisations: ORGS
                .iter()
                .enumerate()
                .map(|(i, (name, kind, _))| GenesisOrganisation {
                    name: name.to_string(),
                    kind: *kind,
                    uscc: uscc_of(i),
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
        yima_trace::GenesisConfig::default().build().unwrap();
        yima_attestation::GenesisConfig::default().build().unwrap();
    });
    ext.execute_with(|| System::initialize(1, Hash::default(), NOW));
    ext
}

/// Starts the next block at time `now`.
pub(crate) fn advance_to(now: Moment) {
    System::initialize(System::block_number() + 1, Hash::default(), now);
}

/// The signed origin of a named account, resolved as the executive does.
pub(crate) fn origin(name: &str) -> Origin {
    Origin::Signed(Membership::resolve_signer(&account(name)).expect("test account is a member"))
}

/// The GTIN-14 with body `body` (13 digits).
fn gtin_from(body: &str) -> Gtin {
    let check = gs1_check_digit(body.as_bytes());
    Gtin::parse(&format!("{body}{check}")).unwrap()
}

/// The importer's frozen beef (imported cold-chain food, −25 … −15 °C).
pub(crate) fn beef() -> Gtin {
    gtin_from("0952123450010")
}

/// The processor's burger patties (food, −25 … −15 °C).
pub(crate) fn patties() -> Gtin {
    gtin_from("0952123450020")
}

/// The processor's own domestic product (food, no band).
pub(crate) fn domestic() -> Gtin {
    gtin_from("0952123450030")
}

/// Lot `lot` of product `gtin`.
pub(crate) fn lot_of(gtin: Gtin, lot: &str) -> LotKey {
    LotKey {
        product: ProductId::Gtin(gtin),
        lot: LotNumber::parse(lot).unwrap(),
    }
}

/// Lot `lot` of the beef.
pub(crate) fn lot(lot: &str) -> LotKey {
    lot_of(beef(), lot)
}

/// Item `serial` of `gtin`.
pub(crate) fn sgtin(gtin: Gtin, serial: &str) -> TraceCode {
    TraceCode::Sgtin {
        gtin,
        serial: SerialNumber::parse(serial).unwrap(),
    }
}

/// The consignment code of beef lot `lot`.
pub(crate) fn consignment(lot: &str) -> TraceCode {
    sgtin(beef(), &format!("C{lot}"))
}

/// Cold-chain code `serial` of the warehouse.
pub(crate) fn cl(serial: u64) -> TraceCode {
    TraceCode::ColdChain(ColdChainCode::new(WAREHOUSE, serial).unwrap())
}

/// Logistic unit `n`.
pub(crate) fn sscc(n: u32) -> TraceCode {
    let body = format!("10614141{n:09}");
    let check = gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(yima_codes::Sscc::parse(&format!("{body}{check}")).unwrap())
}

/// Registers a product for `owner`.
pub(crate) fn register(owner: &str, gtin: Gtin, category: Category) {
    Trace::register_product(
        &origin(owner),
        ProductId::Gtin(gtin),
        b"test product".to_vec(),
        category,
        Some(FROZEN),
        365,
    )
    .unwrap();
}

/// Registers the beef for the importer.
pub(crate) fn register_beef() {
    register("importer", beef(), Category::ColdChainFood);
}

/// The declaration of beef lot `lot` (declaration number, origin NZ, port CNNGB, 2400 kg).
pub(crate) fn declaration(lot_name: &str) -> EntryDeclaration {
    EntryDeclaration {
        declaration: DeclarationNumber::parse("310420261000012345").unwrap(),
        document: doc(900),
        origin: CountryCode::parse("NZ").unwrap(),
        port: PortCode::parse("CNNGB").unwrap(),
        lot: lot(lot_name),
        consignment: consignment(lot_name),
        quantity: 2_400,
        uom: Some(*b"KGM"),
        production_date: NOW - 30 * DAY,
        expiry: NOW + 365 * DAY,
    }
}

/// The digest of test document `n`.
pub(crate) fn doc(n: u32) -> Hash {
    sha256(format!("document {n}").as_bytes())
}

/// `who` attests `schema` about beef lot `lot` with document `n`, valid 30 days; returns its id.
pub(crate) fn certify(who: &str, schema: SchemaId, lot_name: &str, n: u32) -> AttestationId {
    certify_until(who, schema, lot_name, n, Some(NOW + 30 * DAY))
}

/// As [`certify`], with the end of validity given.
pub(crate) fn certify_until(
    who: &str,
    schema: SchemaId,
    lot_name: &str,
    n: u32,
    until: Option<Moment>,
) -> AttestationId {
    let subject = lot_subject(&lot(lot_name));
    Attestation::attest(
        &origin(who),
        schema,
        subject.clone(),
        doc(n),
        None,
        NOW,
        until,
    )
    .unwrap_or_else(|e| panic!("{who} cannot attest schema {schema}: {e:?}"));
    let org = Membership::resolve_signer(&account(who)).unwrap().org;
    attestation_id(schema, org, &subject, &doc(n))
}

/// Fails the test with the refusal when `result` is an error (setup steps).
pub(crate) fn ok(result: yima_frame::DispatchResult, what: &str) {
    if let Err(e) = result {
        panic!("setup step `{what}` refused: {e:?}");
    }
}

/// A plain object event at the block time.
pub(crate) fn object(action: Action, codes: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Object {
            action,
            epcs: codes,
            quantities: vec![],
        },
        System::now(),
        480,
        step,
    )
}

/// A commissioning of `codes` into `lot` (produced yesterday, good for 100 days).
pub(crate) fn commissioning(codes: Vec<TraceCode>, lot: LotKey) -> EpcisEvent {
    let mut e = object(Action::Add, codes, BizStep::Commissioning);
    e.ilmd = Some(Ilmd {
        lot,
        production_date: NOW - DAY,
        expiry: NOW + 100 * DAY,
    });
    e
}

/// A shipment of `codes` to `to`.
pub(crate) fn shipping(codes: Vec<TraceCode>, to: OrgId) -> EpcisEvent {
    let mut e = object(Action::Observe, codes, BizStep::Shipping);
    e.destination = Some(to);
    e
}

/// A receipt of `codes`.
pub(crate) fn receiving(codes: Vec<TraceCode>) -> EpcisEvent {
    object(Action::Observe, codes, BizStep::Receiving)
}

/// A retail sale of `codes`.
pub(crate) fn selling(codes: Vec<TraceCode>) -> EpcisEvent {
    object(Action::Observe, codes, BizStep::RetailSelling)
}

/// Packing `children` into `parent`.
pub(crate) fn packing(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Aggregation {
            action: Action::Add,
            parent,
            children,
        },
        System::now(),
        480,
        BizStep::Packing,
    )
}

/// A transformation of `inputs` into `outputs` commissioned in `lot`.
pub(crate) fn transforming(
    inputs: Vec<TraceCode>,
    outputs: Vec<TraceCode>,
    lot: LotKey,
) -> EpcisEvent {
    let mut e = EpcisEvent::new(
        EventBody::Transformation { inputs, outputs },
        System::now(),
        480,
        BizStep::Transforming,
    );
    e.ilmd = Some(Ilmd {
        lot,
        production_date: NOW - DAY,
        expiry: NOW + 200 * DAY,
    });
    e
}

/// `who` captures `events` directly (setup: must succeed).
pub(crate) fn capture(who: &str, events: Vec<EpcisEvent>) {
    ok(Trace::capture(&origin(who), events), who);
}

/// Ships `codes` from `from` to `to` and receives them there.
pub(crate) fn deliver(from: &str, codes: Vec<TraceCode>, to: OrgId, to_name: &str) {
    capture(from, vec![shipping(codes.clone(), to)]);
    capture(to_name, vec![receiving(codes)]);
}

/// A temperature summary inside the frozen band.
pub(crate) fn frozen_leg() -> TemperatureSummary {
    TemperatureSummary {
        min: -2_100,
        max: -1_800,
        mean: -1_950,
        device: Some(b"logger-7".to_vec()),
    }
}

/// The beef registered and lot `lot` declared.
pub(crate) fn declared(lot_name: &str) {
    register_beef_once();
    ok(
        ColdChain::declare_entry(&origin("importer"), declaration(lot_name)),
        "declare",
    );
}

fn register_beef_once() {
    if Trace::product(&ProductId::Gtin(beef())).is_none() {
        register_beef();
    }
}

/// Lot `lot` declared and cleared; returns the quarantine certificate.
pub(crate) fn cleared(lot_name: &str) -> AttestationId {
    declared(lot_name);
    let cert = certify(
        "customs",
        schemas::INSPECTION_QUARANTINE_CERTIFICATE,
        lot_name,
        1,
    );
    ok(
        ColdChain::clear(&origin("customs"), lot(lot_name), cert),
        "clear",
    );
    cert
}

/// Lot `lot` cleared and its consignment delivered to the warehouse, which attests its disinfection; returns
/// the disinfection certificate.
pub(crate) fn at_warehouse(lot_name: &str) -> AttestationId {
    cleared(lot_name);
    deliver(
        "importer",
        vec![consignment(lot_name)],
        WAREHOUSE,
        "warehouse",
    );
    certify("warehouse", schemas::DISINFECTION_CERTIFICATE, lot_name, 3)
}

/// Lot `lot` cleared, its consignment at the warehouse and `count` codes issued there (serials from the
/// warehouse's next); returns the disinfection certificate. The nucleic-acid report is NOT attested.
pub(crate) fn issued(lot_name: &str, count: u32) -> AttestationId {
    let disinfection = at_warehouse(lot_name);
    ok(
        ColdChain::issue_codes(&origin("warehouse"), lot(lot_name), count, disinfection),
        "issue",
    );
    disinfection
}

/// Lot `lot` with all four (codes `cl(1..=count)` when it is the first lot issued) at the warehouse; returns
/// the nucleic-acid report.
pub(crate) fn certified(lot_name: &str, count: u32) -> AttestationId {
    issued(lot_name, count);
    certify("lab", schemas::NUCLEIC_ACID_REPORT, lot_name, 2)
}
