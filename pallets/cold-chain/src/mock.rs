//! A test runtime: system, membership, trace (gated by this pallet), attestation and cold chain, with an
//! organisation of every kind the cold chain meets, the shipped attestation schemas, and block 1 at [`NOW`].
//!
//! Accounts are named after their organisation; `customs-op` is a customs account without the Inspector role,
//! `lab-op` a lab account without it, `reg-inspector` a regulator account with the Inspector role only.

use yima_attestation::{attestation_id, schemas, AttestationId, SchemaId};
use yima_codes::{ColdChainCode, Gtin, ProductId, TraceCode};
use yima_frame::testing::TestExternalities;
use yima_frame::{sha256, Hash, Moment, OrgId, Role, Roles};
use yima_membership::testing::{extra_account, test_genesis};
use yima_membership::OrgKind;
use yima_trace::epcis::{Action, BizStep, EpcisEvent};
use yima_trace::testing::{self as events, gtin, lot_key};
pub(crate) use yima_trace::testing::{sgtin, sscc};
use yima_trace::types::{Category, LotKey, TemperatureRange};

use crate::entry::lot_subject;
use crate::types::{
    CountryCode, DeclarationNumber, EntryDeclaration, PortCode, TemperatureSummary,
};

yima_trace::domain_test_runtime!(ColdChain = 4);

/// `(account name, kind, roles)`; organisation ids follow this order.
const ORGS: [(&str, OrgKind, &[Role]); 13] = [
    (
        "regulator",
        OrgKind::Regulator,
        &[
            Role::Admin,
            Role::Operator,
            Role::Governance,
            Role::Inspector,
        ],
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

/// Block 1's time and one day (ms).
pub(crate) use yima_trace::testing::{DAY, NOW};

/// The frozen band, −25 … −15 °C.
pub(crate) const FROZEN: TemperatureRange = TemperatureRange {
    min_centi_celsius: -2_500,
    max_centi_celsius: -1_500,
};

pub(crate) use yima_frame::testing::test_account as account;

/// Test externalities at block 1, time [`NOW`], with the shipped schemas.
pub(crate) fn new_test_ext() -> TestExternalities {
    let orgs: Vec<(&str, OrgKind)> = ORGS.iter().map(|(name, kind, _)| (*name, *kind)).collect();
    let mut membership = test_genesis(&orgs, account, |_| Roles::of(&[]), account("validator"));
    for (genesis, (_, _, roles)) in membership.accounts.iter_mut().zip(ORGS) {
        genesis.roles = Roles::of(roles);
    }
    for (name, org, role) in [
        ("customs-op", CUSTOMS, Role::Operator),
        ("lab-op", LAB, Role::Operator),
        ("reg-inspector", REGULATOR, Role::Inspector),
        // An importer's account without Operator (an importer may not hold Inspector).
        ("importer-viewer", IMPORTER, Role::Admin),
    ] {
        let extra = extra_account(account(name), org as usize, &[role]);
        membership.accounts.push(extra);
    }
    domain_test_ext(membership, NOW)
}

/// The importer's frozen beef (imported cold-chain food, −25 … −15 °C).
pub(crate) fn beef() -> Gtin {
    gtin("0952123450010")
}

/// The processor's burger patties (food, −25 … −15 °C).
pub(crate) fn patties() -> Gtin {
    gtin("0952123450020")
}

/// The processor's own domestic product (food, no band).
pub(crate) fn domestic() -> Gtin {
    gtin("0952123450030")
}

/// Lot `lot` of product `gtin`.
pub(crate) fn lot_of(gtin: Gtin, lot: &str) -> LotKey {
    lot_key(ProductId::Gtin(gtin), lot)
}
/// Lot `lot` of the beef.
pub(crate) fn lot(lot: &str) -> LotKey {
    lot_of(beef(), lot)
}

/// The consignment code of beef lot `lot`.
pub(crate) fn consignment(lot: &str) -> TraceCode {
    sgtin(beef(), &format!("C{lot}"))
}

/// Cold-chain code `serial` of the warehouse.
pub(crate) fn cl(serial: u64) -> TraceCode {
    TraceCode::ColdChain(ColdChainCode::new(WAREHOUSE, serial).unwrap())
}

/// Registers a product for `owner`.
pub(crate) fn register(owner: &str, gtin: Gtin, category: Category) {
    yima_trace::testing::register_as_holder::<Test>(
        &origin(owner),
        &origin("regulator"),
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
    events::object(System::now(), action, codes, step)
}

/// A commissioning of `codes` into `lot` (produced yesterday, good for 100 days).
pub(crate) fn commissioning(codes: Vec<TraceCode>, lot: LotKey) -> EpcisEvent {
    let e = object(Action::Add, codes, BizStep::Commissioning);
    events::in_lot(e, lot, NOW - DAY, NOW + 100 * DAY)
}

/// A shipment of `codes` to `to`.
pub(crate) fn shipping(codes: Vec<TraceCode>, to: OrgId) -> EpcisEvent {
    events::shipping(System::now(), codes, to)
}

/// A receipt of `codes`.
pub(crate) fn receiving(codes: Vec<TraceCode>) -> EpcisEvent {
    events::receiving(System::now(), codes)
}

/// A retail sale of `codes`.
pub(crate) fn selling(codes: Vec<TraceCode>) -> EpcisEvent {
    events::selling(System::now(), codes)
}

/// Packing `children` into `parent`.
pub(crate) fn packing(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    events::packing(System::now(), parent, children)
}

/// A transformation of `inputs` into `outputs` commissioned in `lot` (produced yesterday, good for 200 days).
pub(crate) fn transforming(
    inputs: Vec<TraceCode>,
    outputs: Vec<TraceCode>,
    lot: LotKey,
) -> EpcisEvent {
    let e = events::transforming(System::now(), inputs, outputs);
    events::in_lot(e, lot, NOW - DAY, NOW + 200 * DAY)
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
