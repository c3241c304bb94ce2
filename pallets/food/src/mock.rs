//! A test runtime: system, membership, trace (gated by this pallet), attestation and food, with an organisation
//! of every kind a food supply chain meets, the shipped attestation schemas, and block 1 at [`NOW`].
//!
//! Accounts are named after their organisation; `lab-op` is a lab account without the Inspector role,
//! `reg-inspector` a regulator account with the Inspector role only, `caterer-viewer` a caterer account without
//! the Operator role.

use yima_attestation::{attestation_id, schemas, AttestationId, SchemaId};
use yima_codes::{Gtin, ProductId, TraceCode};
use yima_frame::testing::TestExternalities;
use yima_frame::{sha256, Hash, OrgId, Role, Roles};
use yima_membership::testing::{extra_account, test_genesis};
use yima_membership::OrgKind;
use yima_trace::epcis::{Action, BizStep, EpcisEvent};
use yima_trace::testing::{self as events, gtin, lot_key};
pub(crate) use yima_trace::testing::{sgtin, sscc};
use yima_trace::types::{Category, LotKey};

use crate::{lot_subject, TestKind, TestResult};

yima_trace::domain_test_runtime!(Food = 7);

/// `(account name, kind)`; organisation ids follow this order.
const ORGS: [(&str, OrgKind); 10] = [
    ("regulator", OrgKind::Regulator),
    ("producer", OrgKind::Producer),
    ("processor", OrgKind::Processor),
    ("distributor", OrgKind::Distributor),
    ("retailer", OrgKind::Retailer),
    ("caterer", OrgKind::Caterer),
    ("lab", OrgKind::InspectionBody),
    ("other-producer", OrgKind::Producer),
    ("other-lab", OrgKind::InspectionBody),
    ("manufacturer", OrgKind::Manufacturer),
];

/// The roles of each organisation's account: producers and retailers also sign certificates (合格证, their own
/// quick tests); an inspection body's account only tests.
fn roles_of(kind: OrgKind) -> Roles {
    Roles::of(match kind {
        OrgKind::Regulator => &[
            Role::Admin,
            Role::Operator,
            Role::Governance,
            Role::Inspector,
        ][..],
        OrgKind::Producer | OrgKind::Retailer => &[Role::Operator, Role::Inspector],
        OrgKind::InspectionBody => &[Role::Inspector],
        _ => &[Role::Operator],
    })
}

pub(crate) const REGULATOR: OrgId = 0;
pub(crate) const PRODUCER: OrgId = 1;
pub(crate) const PROCESSOR: OrgId = 2;
pub(crate) const DISTRIBUTOR: OrgId = 3;
pub(crate) const RETAILER: OrgId = 4;
pub(crate) const CATERER: OrgId = 5;
pub(crate) const LAB: OrgId = 6;

/// Block 1's time and one day (ms).
pub(crate) use yima_trace::testing::{DAY, NOW};

pub(crate) use yima_frame::testing::test_account as account;

/// Test externalities at block 1, time [`NOW`], with the shipped schemas.
pub(crate) fn new_test_ext() -> TestExternalities {
    let mut membership = test_genesis(&ORGS, account, roles_of, account("validator"));
    for (name, org, role) in [
        ("lab-op", LAB, Role::Operator),
        ("reg-inspector", REGULATOR, Role::Inspector),
        ("caterer-viewer", CATERER, Role::Inspector),
    ] {
        let extra = extra_account(account(name), org as usize, &[role]);
        membership.accounts.push(extra);
    }
    domain_test_ext(membership, NOW)
}

/// The organisation of a named account.
pub(crate) fn org_of(name: &str) -> OrgId {
    Membership::resolve_signer(&account(name)).unwrap().org
}

/// The producer's fresh tea leaves (food).
pub(crate) fn leaves() -> Gtin {
    gtin("0952123460010")
}

/// The other producer's tea leaves (food).
pub(crate) fn other_leaves() -> Gtin {
    gtin("0952123460050")
}

/// The processor's packed tea (food).
pub(crate) fn packs() -> Gtin {
    gtin("0952123460020")
}

/// The processor's gift boxes, made from packs (food).
pub(crate) fn boxes() -> Gtin {
    gtin("0952123460030")
}

/// The manufacturer's tea-scented soap (not food).
pub(crate) fn soap() -> Gtin {
    gtin("0952123460040")
}

/// Lot `lot` of product `gtin`.
pub(crate) fn lot_of(gtin: Gtin, lot: &str) -> LotKey {
    lot_key(ProductId::Gtin(gtin), lot)
}
/// Bag `n` of the farm's leaves.
pub(crate) fn bag(n: u32) -> TraceCode {
    sgtin(leaves(), &format!("B{n}"))
}

/// Pack `n` of the processor's tea.
pub(crate) fn pack(n: u32) -> TraceCode {
    sgtin(packs(), &format!("P{n}"))
}

/// Registers `gtin` for `owner` in `category`.
pub(crate) fn register(owner: &str, gtin: Gtin, category: Category) {
    yima_trace::testing::register_as_holder::<Test>(
        &origin(owner),
        &origin("regulator"),
        ProductId::Gtin(gtin),
        b"test product".to_vec(),
        category,
        None,
        365,
    )
    .unwrap();
}

/// The digest of test document `n`.
pub(crate) fn doc(n: u32) -> Hash {
    sha256(format!("document {n}").as_bytes())
}

/// `who` attests `schema` about `lot` with document `n`, valid 30 days from [`NOW`]; returns its id.
pub(crate) fn attest(who: &str, schema: SchemaId, lot: &LotKey, n: u32) -> AttestationId {
    let subject = lot_subject(lot);
    Attestation::attest(
        &origin(who),
        schema,
        subject.clone(),
        doc(n),
        None,
        NOW,
        Some(NOW + 30 * DAY),
    )
    .unwrap_or_else(|e| panic!("{who} cannot attest schema {schema}: {e:?}"));
    attestation_id(schema, org_of(who), &subject, &doc(n))
}

/// The producer's origin certificate on `lot`.
pub(crate) fn origin_certificate(lot: &LotKey) -> AttestationId {
    attest("producer", schemas::ORIGIN_CERTIFICATE, lot, 15)
}

/// `who`'s quick-test result attestation on `lot` with document `n`.
pub(crate) fn test_result(who: &str, lot: &LotKey, n: u32) -> AttestationId {
    attest(who, schemas::QUICK_TEST_RESULT, lot, n)
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

/// The farm lot `L1` of leaves: bags `1..=bags` commissioned at the producer, without an origin certificate.
pub(crate) fn harvested(bags: u32) -> LotKey {
    let lot = lot_of(leaves(), "L1");
    if Trace::product(&ProductId::Gtin(leaves())).is_none() {
        register("producer", leaves(), Category::Food);
    }
    capture(
        "producer",
        vec![commissioning((1..=bags).map(bag).collect(), lot.clone())],
    );
    lot
}

/// [`harvested`] with its origin certificate.
pub(crate) fn certified(bags: u32) -> LotKey {
    let lot = harvested(bags);
    origin_certificate(&lot);
    lot
}

/// Bags `1..=bags` of the certified farm lot at the processor, processed into packs `1..=packs` of lot `P1`;
/// returns the pack lot.
pub(crate) fn processed(bags: u32, packs_made: u32) -> LotKey {
    certified(bags);
    let bag_codes: Vec<TraceCode> = (1..=bags).map(bag).collect();
    deliver("producer", bag_codes.clone(), PROCESSOR, "processor");
    register("processor", packs(), Category::Food);
    let lot = lot_of(packs(), "P1");
    capture(
        "processor",
        vec![transforming(
            bag_codes,
            (1..=packs_made).map(pack).collect(),
            lot.clone(),
        )],
    );
    lot
}

/// `who` records `result` of a quick test on `lot`, citing its attestation with document `n`.
pub(crate) fn record(
    who: &str,
    lot: &LotKey,
    result: TestResult,
    n: u32,
) -> yima_frame::DispatchResult {
    let id = test_result(who, lot, n);
    Food::record_test(
        &origin(who),
        lot.clone(),
        TestKind::QuickTest,
        result,
        id,
        None,
    )
}
