//! A test runtime: system, membership, trace (with this pallet as its capture gate), attestation and drug.
//!
//! One organisation of each kind the drug rules care about (two pharmacies, two manufacturers), each with an
//! account named after it: Operators for the businesses, an Inspector for the pharmacist registration centre
//! (a certification body, which issues pharmacist licences) and every role for the regulator. Block 1 is at
//! [`NOW`]. [`stocked`] builds the usual starting point: the drugs registered and listed, units commissioned in
//! lot `L1` with a complete black box, delivered maker → distributor → pharmacy, and a licensed pharmacist bound
//! to each pharmacy.

use yima_attestation::{attestation_id, schemas, AttestationId, PseudonymousId, Subject};
use yima_codes::{Gtin, NmpaCode, NmpaProductCode, ProductId, TraceCode};
use yima_frame::testing::TestExternalities;
use yima_frame::{sha256, Hash, OrgId, Role, Roles};
use yima_membership::testing::test_genesis;
use yima_membership::OrgKind;
use yima_trace::epcis::{Action, BizStep, EpcisEvent};
use yima_trace::testing as events;
pub(crate) use yima_trace::testing::sscc;
use yima_trace::types::{Category, LotKey};

use crate::types::{BatchRecordKind, PrescribedDrug};

yima_trace::domain_test_runtime!(Drug = 6);

/// `(account name, kind)`; organisation ids follow this order.
pub(crate) const ORGS: [(&str, OrgKind); 9] = [
    ("regulator", OrgKind::Regulator),
    ("maker", OrgKind::Manufacturer),
    ("distributor", OrgKind::Distributor),
    ("pharmacy", OrgKind::Pharmacy),
    ("pharmacy2", OrgKind::Pharmacy),
    ("hospital", OrgKind::Hospital),
    ("certifier", OrgKind::CertificationBody),
    ("maker2", OrgKind::Manufacturer),
    ("retailer", OrgKind::Retailer),
];

pub(crate) const REGULATOR: OrgId = 0;
pub(crate) const MAKER: OrgId = 1;
pub(crate) const DISTRIBUTOR: OrgId = 2;
pub(crate) const PHARMACY: OrgId = 3;
pub(crate) const PHARMACY2: OrgId = 4;
pub(crate) const HOSPITAL: OrgId = 5;
pub(crate) const CERTIFIER: OrgId = 6;
pub(crate) const RETAILER: OrgId = 8;

/// Block 1's time and one day (ms).
pub(crate) use yima_trace::testing::{DAY, NOW};

pub(crate) use yima_frame::testing::test_account as account;

fn roles_of(kind: OrgKind) -> Roles {
    Roles::of(&match kind {
        OrgKind::Regulator => vec![
            Role::Admin,
            Role::Operator,
            Role::Governance,
            Role::Inspector,
        ],
        OrgKind::CertificationBody => vec![Role::Inspector],
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

/// The prescription-only antibiotic (amoxicillin capsules), NMPA product code.
pub(crate) const RX: &str = "8612345";
/// The controlled compound preparation (compound ephedrine tablets, OTC), NMPA product code.
pub(crate) const COMPOUND: &str = "8612346";
/// An ordinary OTC drug, not listed.
pub(crate) const OTC: &str = "8612347";
/// A prescription-only controlled compound preparation.
pub(crate) const RX_COMPOUND: &str = "8612348";

pub(crate) fn product(code: &str) -> ProductId {
    ProductId::Nmpa(NmpaProductCode::parse(code).unwrap())
}

/// A food product of the maker (no drug rules apply).
pub(crate) fn food_gtin() -> Gtin {
    events::gtin("0952123454400")
}

/// Unit `n` of the drug with product code `code`: its 20-digit NMPA traceability code.
pub(crate) fn unit(code: &str, n: u64) -> TraceCode {
    TraceCode::Nmpa(NmpaCode::parse(&format!("{code}{n:013}")).unwrap())
}

/// Lot `lot` of the drug `code`.
pub(crate) fn lot_key(code: &str, lot: &str) -> LotKey {
    events::lot_key(product(code), lot)
}
/// An object event just before block 1.
pub(crate) fn object(action: Action, epcs: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    events::object(NOW - 1_000, action, epcs, step)
}

/// Commissioning `codes` into `lot` (produced 10 days ago, good for two years).
pub(crate) fn commissioning(codes: Vec<TraceCode>, lot: LotKey) -> EpcisEvent {
    let e = object(Action::Add, codes, BizStep::Commissioning);
    events::in_lot(e, lot, NOW - 10 * DAY, NOW + 730 * DAY)
}

/// A shipment of `codes` to `to`.
pub(crate) fn shipping(codes: Vec<TraceCode>, to: OrgId) -> EpcisEvent {
    events::shipping(NOW - 1_000, codes, to)
}

/// A receipt of `codes`.
pub(crate) fn receiving(codes: Vec<TraceCode>) -> EpcisEvent {
    events::receiving(NOW - 1_000, codes)
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

/// Registers `id` of `category` for `owner`.
pub(crate) fn register(owner: &str, id: ProductId, category: Category) {
    yima_trace::testing::register_as_holder::<Test>(
        &origin(owner),
        &origin("regulator"),
        id,
        b"test drug".to_vec(),
        category,
        None,
        730,
    )
    .unwrap();
}

/// The maker registers the four drugs; the regulator lists RX, COMPOUND and RX_COMPOUND (not OTC).
pub(crate) fn drugs_listed() {
    for code in [RX, COMPOUND, OTC, RX_COMPOUND] {
        register("maker", product(code), Category::Drug);
    }
    for (code, rx, compound) in [
        (RX, true, false),
        (COMPOUND, false, true),
        (RX_COMPOUND, true, true),
    ] {
        Drug::list_drug(&origin("regulator"), product(code), rx, compound).unwrap();
    }
}

/// A digest for record `kind` of `lot`.
pub(crate) fn record_digest(lot: &LotKey, kind: BatchRecordKind) -> Hash {
    sha256(format!("{lot:?} {kind:?}").as_bytes())
}

/// The maker anchors all three black-box records of `lot`.
pub(crate) fn anchor_all(lot: &LotKey) {
    for kind in BatchRecordKind::ALL {
        Drug::anchor_batch_record(
            &origin("maker"),
            lot.clone(),
            kind,
            record_digest(lot, kind),
        )
        .unwrap();
    }
}

/// Units `0..n` of each of the four drugs commissioned by the maker in lot `L1`, each lot's black box complete.
pub(crate) fn commissioned(n: u64) {
    drugs_listed();
    for code in [RX, COMPOUND, OTC, RX_COMPOUND] {
        run(
            "maker",
            vec![commissioning(
                (0..n).map(|i| unit(code, i)).collect(),
                lot_key(code, "L1"),
            )],
        );
        anchor_all(&lot_key(code, "L1"));
    }
}

/// Units `0..n` of every drug: `0..n/2` delivered to the pharmacy and the rest to the second pharmacy, through
/// the distributor; a licensed pharmacist bound to each pharmacy ("Li" and "Zhang").
pub(crate) fn stocked(n: u64) {
    commissioned(n);
    for code in [RX, COMPOUND, OTC, RX_COMPOUND] {
        let all: Vec<TraceCode> = (0..n).map(|i| unit(code, i)).collect();
        deliver(MAKER, all.clone(), DISTRIBUTOR);
        deliver(DISTRIBUTOR, all[..(n / 2) as usize].to_vec(), PHARMACY);
        deliver(DISTRIBUTOR, all[(n / 2) as usize..].to_vec(), PHARMACY2);
    }
    bind("pharmacy", "Li");
    bind("pharmacy2", "Zhang");
}

/// Person `name` by a pseudonymous id (here a plain hash of the name; the client uses an HMAC with the pepper).
pub(crate) fn person(name: &str) -> PseudonymousId {
    PseudonymousId(sha256(name.as_bytes()).0)
}

/// The certifier licenses pharmacist `name` from [`NOW`] for a year; returns the licence id.
pub(crate) fn license(name: &str) -> AttestationId {
    let subject = Subject::Person(person(name));
    let digest = sha256(format!("pharmacist licence of {name}").as_bytes());
    if <Attestation as yima_attestation::AttestationInspect>::attestation(&attestation_id(
        schemas::PHARMACIST_LICENCE,
        CERTIFIER,
        &subject,
        &digest,
    ))
    .is_none()
    {
        Attestation::attest(
            &origin("certifier"),
            schemas::PHARMACIST_LICENCE,
            subject.clone(),
            digest,
            None,
            NOW,
            Some(NOW + 365 * DAY),
        )
        .unwrap();
    }
    attestation_id(schemas::PHARMACIST_LICENCE, CERTIFIER, &subject, &digest)
}

/// `pharmacy` binds the licensed pharmacist `name`.
pub(crate) fn bind(pharmacy: &str, name: &str) {
    let licence = license(name);
    Drug::bind_pharmacist(&origin(pharmacy), person(name), licence).unwrap();
}

/// The digest of prescription document `n`.
pub(crate) fn rx_digest(n: u32) -> Hash {
    sha256(format!("prescription document {n}").as_bytes())
}

/// `quantity` packs of the drug `code`.
pub(crate) fn line(code: &str, quantity: u32) -> PrescribedDrug {
    PrescribedDrug {
        drug: product(code),
        quantity,
    }
}

/// The hospital uploads prescription `n` for `patient` ordering `lines`.
pub(crate) fn upload(n: u32, patient: &str, lines: Vec<PrescribedDrug>) {
    Drug::upload_prescription(
        &origin("hospital"),
        rx_digest(n),
        HOSPITAL,
        person(patient),
        lines,
    )
    .unwrap();
}

/// Prescription `n` uploaded for `patient` and approved by the pharmacy's pharmacist Li.
pub(crate) fn approved(n: u32, patient: &str, lines: Vec<PrescribedDrug>) {
    upload(n, patient, lines);
    Drug::review_prescription(&origin("pharmacy"), rx_digest(n), person("Li"), true).unwrap();
}

/// `name`'s dispensing of `codes` against prescription `n`.
pub(crate) fn dispense(name: &str, n: u32, codes: Vec<TraceCode>) -> yima_frame::DispatchResult {
    Drug::dispense(&origin(name), rx_digest(n), codes, NOW - 500, 480)
}

/// `name` sells `codes` of the compound preparation to `buyer`.
pub(crate) fn sell(name: &str, buyer: &str, codes: Vec<TraceCode>) -> yima_frame::DispatchResult {
    Drug::sell_compound(
        &origin(name),
        person(buyer),
        codes,
        System::now() - 500,
        480,
    )
}

/// The last event deposited.
pub(crate) fn last_event() -> RuntimeEvent {
    System::events().pop().expect("an event").event
}
