//! A test runtime: system, membership, trace (with this pallet as its capture gate), attestation and vaccine.
//!
//! One organisation of each kind the vaccine rules care about, each with an account named after it: Operators
//! for the businesses, an Inspector for the lab (which issues batch releases) and every role for the regulator.
//! Block 1 is at [`NOW`]. [`released_lot`] builds the usual starting point: the vaccine registered (2–8 °C),
//! doses commissioned in lot `L1`, and the lot released.

use yima_attestation::{attestation_id, schemas, AttestationId, LotRef, PseudonymousId, Subject};
use yima_codes::{Gtin, LotNumber, ProductId, TraceCode};
use yima_frame::testing::TestExternalities;
use yima_frame::{sha256, Moment, OrgId, Role, Roles};
use yima_membership::testing::test_genesis;
use yima_membership::OrgKind;
use yima_trace::epcis::{Action, BizStep, EpcisEvent, SensorKind, SensorReport, Unit};
pub(crate) use yima_trace::testing::sscc;
use yima_trace::testing::{self as events, sgtin};
use yima_trace::types::{Category, Custody, LotKey, TemperatureRange};

use crate::types::AdministrationRecord;

yima_trace::domain_test_runtime!(Vaccine = 5);

/// `(account name, kind)`; organisation ids follow this order.
pub(crate) const ORGS: [(&str, OrgKind); 10] = [
    ("regulator", OrgKind::Regulator),
    ("maker", OrgKind::Manufacturer),
    ("cdc", OrgKind::Cdc),
    ("county-cdc", OrgKind::Cdc),
    ("site", OrgKind::VaccinationSite),
    ("site2", OrgKind::VaccinationSite),
    ("hospital", OrgKind::Hospital),
    ("distributor", OrgKind::Distributor),
    ("lab", OrgKind::InspectionBody),
    ("importer", OrgKind::Importer),
];

pub(crate) const REGULATOR: OrgId = 0;
pub(crate) const MAKER: OrgId = 1;
pub(crate) const CDC: OrgId = 2;
pub(crate) const COUNTY_CDC: OrgId = 3;
pub(crate) const SITE: OrgId = 4;
pub(crate) const SITE2: OrgId = 5;
pub(crate) const HOSPITAL: OrgId = 6;
pub(crate) const DISTRIBUTOR: OrgId = 7;
pub(crate) const LAB: OrgId = 8;

/// Block 1's time and one day (ms).
pub(crate) use yima_trace::testing::{DAY, NOW};
/// Expiry of lot `L1`.
pub(crate) const EXPIRY: Moment = NOW + 365 * DAY;

pub(crate) use yima_frame::testing::test_account as account;

fn roles_of(kind: OrgKind) -> Roles {
    Roles::of(&match kind {
        OrgKind::Regulator => vec![
            Role::Admin,
            Role::Operator,
            Role::Governance,
            Role::Inspector,
        ],
        OrgKind::InspectionBody => vec![Role::Inspector],
        _ => vec![Role::Admin, Role::Operator],
    })
}

/// Test externalities at block 1, time [`NOW`], with the shipped attestation schemas.
pub(crate) fn new_test_ext() -> TestExternalities {
    let membership = test_genesis(&ORGS, account, roles_of, account("validator"));
    domain_test_ext(membership, NOW)
}

/// The account name acting for `org`.
pub(crate) fn name_of(org: OrgId) -> &'static str {
    ORGS[org as usize].0
}

/// The vaccine, 2–8 °C.
pub(crate) fn gtin() -> Gtin {
    Gtin::parse("09521234543213").unwrap()
}

/// A food product of the maker (no vaccine rules apply).
pub(crate) fn food_gtin() -> Gtin {
    events::gtin("0952123454400")
}

/// Lot `lot` of the vaccine.
pub(crate) fn lot_key(lot: &str) -> LotKey {
    events::lot_key(ProductId::Gtin(gtin()), lot)
}
/// The batch number `lot`.
pub(crate) fn batch(lot: &str) -> LotNumber {
    LotNumber::parse(lot).unwrap()
}

/// Dose `n` of the vaccine (a minimum package's supervision code).
pub(crate) fn dose(n: u32) -> TraceCode {
    sgtin(gtin(), &format!("D{n}"))
}
/// Item `n` of the food product.
pub(crate) fn food(n: u32) -> TraceCode {
    sgtin(food_gtin(), &format!("F{n}"))
}
/// An object event just before block 1.
pub(crate) fn object(action: Action, epcs: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    events::object(NOW - 1_000, action, epcs, step)
}

/// Commissioning `codes` into lot `lot` of `product` (produced 10 days ago, expiring at [`EXPIRY`]).
pub(crate) fn commissioning_in(codes: Vec<TraceCode>, lot: LotKey) -> EpcisEvent {
    let e = object(Action::Add, codes, BizStep::Commissioning);
    events::in_lot(e, lot, NOW - 10 * DAY, EXPIRY)
}

/// Commissioning vaccine doses into lot `lot`.
pub(crate) fn commissioning(codes: Vec<TraceCode>, lot: &str) -> EpcisEvent {
    commissioning_in(codes, lot_key(lot))
}

/// A shipment of `codes` to `to`.
pub(crate) fn shipping(codes: Vec<TraceCode>, to: OrgId) -> EpcisEvent {
    events::shipping(NOW - 1_000, codes, to)
}

/// A receipt of `codes`.
pub(crate) fn receiving(codes: Vec<TraceCode>) -> EpcisEvent {
    events::receiving(NOW - 1_000, codes)
}

/// Packing `children` into `parent`.
pub(crate) fn packing(parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    events::packing(NOW - 1_000, parent, children)
}

/// Unpacking everything from `parent`.
pub(crate) fn unpacking(parent: TraceCode) -> EpcisEvent {
    events::unpacking(NOW - 1_000, parent, vec![])
}

/// `e` with a temperature logger that read `min..=max` hundredths of °C.
pub(crate) fn at_temperature(mut e: EpcisEvent, min: i32, max: i32) -> EpcisEvent {
    e.sensors.push(SensorReport {
        kind: SensorKind::Temperature,
        unit: Unit::Celsius,
        min,
        max,
        mean: min + (max - min) / 2,
        device: Some(b"logger-7".to_vec()),
    });
    e
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

/// Registers a product of `category` with `band` for `owner`.
pub(crate) fn register(
    owner: &str,
    gtin: Gtin,
    category: Category,
    band: Option<TemperatureRange>,
) {
    yima_trace::testing::register_as_holder::<Test>(
        &origin(owner),
        &origin("regulator"),
        ProductId::Gtin(gtin),
        b"test product".to_vec(),
        category,
        band,
        365,
    )
    .unwrap();
}

/// Registers the vaccine for the maker, 2–8 °C.
pub(crate) fn register_vaccine() {
    register(
        "maker",
        gtin(),
        Category::Vaccine,
        Some(TemperatureRange::VACCINE),
    );
}

/// The subject of lot `lot`'s batch release.
pub(crate) fn lot_subject(lot: &str) -> Subject {
    let key = lot_key(lot);
    Subject::Lot(LotRef {
        product: key.product,
        lot: key.lot,
    })
}

/// The lab releases lot `lot` (valid from [`NOW`], until `until`); returns the attestation id.
pub(crate) fn release_until(lot: &str, until: Option<Moment>) -> AttestationId {
    let digest = sha256(format!("batch release certificate {lot}").as_bytes());
    Attestation::attest(
        &origin("lab"),
        schemas::BATCH_RELEASE,
        lot_subject(lot),
        digest,
        None,
        NOW,
        until,
    )
    .unwrap();
    attestation_id(schemas::BATCH_RELEASE, LAB, &lot_subject(lot), &digest)
}

/// The lab releases lot `lot` without an end of validity; returns the attestation id.
pub(crate) fn release(lot: &str) -> AttestationId {
    release_until(lot, None)
}

/// The vaccine registered, doses `0..n` commissioned by the maker in lot `L1`, the lot not released.
pub(crate) fn commissioned_lot(n: u32) {
    register_vaccine();
    run(
        "maker",
        vec![commissioning((0..n).map(dose).collect(), "L1")],
    );
}

/// [`commissioned_lot`] and the lot released; returns the release's id.
pub(crate) fn released_lot(n: u32) -> AttestationId {
    commissioned_lot(n);
    release("L1")
}

/// [`released_lot`] with doses `0..n` delivered maker → CDC → site.
pub(crate) fn doses_at_site(n: u32) {
    released_lot(n);
    let doses: Vec<TraceCode> = (0..n).map(dose).collect();
    deliver(MAKER, doses.clone(), CDC);
    deliver(CDC, doses, SITE);
}

/// Person `name` by a pseudonymous id (here a plain hash of the name; the client uses an HMAC with the pepper).
pub(crate) fn person(name: &str) -> PseudonymousId {
    PseudonymousId(sha256(name.as_bytes()).0)
}

/// The 7-in-one record of dose `n` of lot `L1`, supplied by the CDC, given to `recipient`.
pub(crate) fn record(n: u32, recipient: &str) -> AdministrationRecord {
    AdministrationRecord {
        code: dose(n),
        batch: batch("L1"),
        cdc: CDC,
        equipment: "冰箱-03".as_bytes().to_vec(),
        vaccinator: person("nurse Li"),
        recipient: person(recipient),
        time: NOW - 500,
        time_zone_offset_minutes: 480,
    }
}

/// A code's effective custody at the current block time.
pub(crate) fn custody(code: &TraceCode) -> Custody {
    yima_trace::custody::custody(code, System::now()).expect("known code")
}
