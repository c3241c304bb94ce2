//! A test runtime: system, membership, attestation (watched by this pallet, as in the runtime) and equipment,
//! with a regulator, a building's property manager (the user of the units), two maintenance firms, an inspection
//! body and an insurer; block 1 at [`NOW`].

use yima_attestation::schemas::{
    ELEVATOR_INSPECTION, ELEVATOR_MAINTENANCE, EQUIPMENT_ACCIDENT, EQUIPMENT_INSURANCE,
    SPECIAL_EQUIPMENT_INSPECTION,
};
use yima_attestation::{attestation_id, AttestationId, SchemaId, Subject};
use yima_codes::RegistrationNumber;
use yima_frame::pallet::Hooks;
use yima_frame::testing::TestExternalities;
use yima_frame::{sha256, DispatchResult, GenesisBuild, Hash, Moment, OrgId, Origin, Role, Roles};
use yima_membership::testing::test_uscc;
use yima_membership::{GenesisAccount, GenesisOrganisation, OrgKind, Validator};

use crate::{Call, UnitStatus, DAY_MS};

/// The test runtime.
pub(crate) struct Test;

yima_frame::runtime_event! {
    /// The test runtime's events.
    pub(crate) enum RuntimeEvent {
        System(yima_system::Event) = 0,
        Membership(yima_membership::Event) = 1,
        Attestation(yima_attestation::Event) = 2,
        Equipment(crate::Event) = 3,
    }
}

impl yima_system::Config for Test {
    type RuntimeEvent = RuntimeEvent;
}

impl yima_membership::Config for Test {
    type Dispatch = ();
}

impl yima_attestation::Config for Test {
    type Membership = yima_membership::Pallet<Test>;
    type Subjects = ();
    type Watch = crate::Pallet<Test>;
}

impl crate::Config for Test {
    type Membership = yima_membership::Pallet<Test>;
}

pub(crate) type System = yima_system::Pallet<Test>;
pub(crate) type Membership = yima_membership::Pallet<Test>;
pub(crate) type Attestation = yima_attestation::Pallet<Test>;
pub(crate) type Equipment = crate::Pallet<Test>;

/// `(account name, kind, roles)`; organisation ids follow this order.
const ORGS: [(&str, OrgKind, &[Role]); 7] = [
    (
        "regulator",
        OrgKind::Regulator,
        &[Role::Operator, Role::Inspector, Role::Governance],
    ),
    (
        "property",
        OrgKind::Retailer,
        &[Role::Admin, Role::Operator],
    ),
    ("lift-co", OrgKind::MaintenanceFirm, &[Role::Inspector]),
    (
        "other-lift-co",
        OrgKind::MaintenanceFirm,
        &[Role::Inspector],
    ),
    ("lab", OrgKind::InspectionBody, &[Role::Inspector]),
    ("insurer", OrgKind::Insurer, &[Role::Inspector]),
    (
        "stranger",
        OrgKind::Distributor,
        &[Role::Admin, Role::Operator],
    ),
];

pub(crate) const REGULATOR: OrgId = 0;
pub(crate) const PROPERTY: OrgId = 1;
pub(crate) const LIFT_CO: OrgId = 2;
pub(crate) const OTHER_LIFT_CO: OrgId = 3;
pub(crate) const LAB: OrgId = 4;
pub(crate) const INSURER: OrgId = 5;

/// Block time of block 1: 2026-06-01T00:00:00Z.
pub(crate) const NOW: Moment = 1_780_272_000_000;
/// One day, ms.
pub(crate) const DAY: Moment = DAY_MS;
/// Area code of 杭州市西湖区.
pub(crate) const XIHU: u32 = 330_106;

fn membership_genesis() -> yima_membership::GenesisConfig {
    yima_membership::GenesisConfig {
        organisations: ORGS
            .iter()
            .enumerate()
            .map(|(i, (name, kind, _))| GenesisOrganisation {
                name: name.to_string(),
                kind: *kind,
                uscc: test_uscc(i),
                prefixes: vec![],
            })
            .collect(),
        accounts: ORGS
            .iter()
            .enumerate()
            .map(|(i, (name, _, roles))| GenesisAccount {
                account: yima_frame::testing::test_account(name),
                uscc: test_uscc(i),
                roles: Roles::of(roles),
            })
            .collect(),
        validators: vec![Validator {
            key: yima_frame::testing::test_account("validator"),
            power: 1,
        }],
        regulator_threshold: 1,
        proposal_lifetime: 10,
    }
}

/// Test externalities at block 1, time [`NOW`], with the shipped schemas, the index read once.
pub(crate) fn new_test_ext() -> TestExternalities {
    let mut ext = TestExternalities::from_genesis(|| {
        yima_system::GenesisConfig::default()
            .build()
            .expect("system genesis");
        membership_genesis().build().expect("membership genesis");
        yima_attestation::GenesisConfig::default()
            .build()
            .expect("attestation genesis");
    });
    ext.execute_with(|| {
        System::initialize(1, Hash::default(), NOW);
        Equipment::on_initialize(1);
    });
    ext
}

/// Starts the next block at time `now`, running the pallet's hook as the executive does.
pub(crate) fn advance_to(now: Moment) {
    let n = System::block_number() + 1;
    System::initialize(n, Hash::default(), now);
    Equipment::on_initialize(n);
}

/// The signed origin of a named account, resolved as the executive does.
pub(crate) fn origin(name: &str) -> Origin {
    let account = yima_frame::testing::test_account(name);
    Origin::Signed(Membership::resolve_signer(&account).expect("test account is a member"))
}

/// Registration number `text`.
pub(crate) fn number(text: &str) -> RegistrationNumber {
    RegistrationNumber::parse(text).expect("valid registration number")
}

/// The test elevator's number.
pub(crate) fn lift() -> RegistrationNumber {
    number("梯11浙A00123(19)")
}

/// The test boiler's number.
pub(crate) fn boiler() -> RegistrationNumber {
    number("锅3A浙A00456(20)")
}

/// Registers `unit` for the property manager in 西湖区, inspection due a year from now.
pub(crate) fn register(unit: &RegistrationNumber) -> DispatchResult {
    dispatch(
        "regulator",
        Call::Register {
            unit: unit.clone(),
            giai: None,
            area: XIHU,
            address: "杭州市西湖区文三路 1 号 A 座".as_bytes().to_vec(),
            user: PROPERTY,
            rescue: b"96333-1001".to_vec(),
            inspection_due: NOW + 365 * DAY,
        },
    )
}

/// Dispatches `call` signed by `who`.
pub(crate) fn dispatch(who: &str, call: Call) -> DispatchResult {
    <Equipment as yima_frame::pallet::Pallet>::dispatch(&origin(who), call)
}

/// The property manager names `firm` as the maintainer of `unit`.
pub(crate) fn name_maintainer(unit: &RegistrationNumber, firm: Option<OrgId>) -> DispatchResult {
    dispatch(
        "property",
        Call::SetMaintainer {
            unit: unit.clone(),
            maintainer: firm,
        },
    )
}

/// Stops `unit` or returns it to service (the regulator).
pub(crate) fn set_status(unit: &RegistrationNumber, status: UnitStatus) -> DispatchResult {
    dispatch(
        "regulator",
        Call::SetStatus {
            unit: unit.clone(),
            status,
            reason: doc(99),
        },
    )
}

/// The digest of test document `n`.
pub(crate) fn doc(n: u32) -> Hash {
    sha256(format!("equipment document {n}").as_bytes())
}

/// `unit` as an attestation subject.
pub(crate) fn subject(unit: &RegistrationNumber) -> Subject {
    Subject::Equipment(unit.as_str().as_bytes().to_vec())
}

/// `who` attests `schema` about `unit` with document `n`, valid from `from` to `until`; returns its id.
pub(crate) fn record(
    who: &str,
    schema: SchemaId,
    unit: &RegistrationNumber,
    n: u32,
    from: Moment,
    until: Option<Moment>,
) -> Result<AttestationId, yima_frame::DispatchError> {
    let signer = origin(who);
    let org = match &signer {
        Origin::Signed(s) => s.org,
        _ => unreachable!("a signed origin"),
    };
    Attestation::attest(&signer, schema, subject(unit), doc(n), None, from, until)?;
    Ok(attestation_id(schema, org, &subject(unit), &doc(n)))
}

/// The maintenance firm records maintenance done at `at`, valid 15 days.
pub(crate) fn maintain(
    who: &str,
    unit: &RegistrationNumber,
    n: u32,
    at: Moment,
) -> Result<AttestationId, yima_frame::DispatchError> {
    record(who, ELEVATOR_MAINTENANCE, unit, n, at, Some(at + 15 * DAY))
}

/// The lab records an inspection at `at`, valid until `until`.
pub(crate) fn inspect(
    unit: &RegistrationNumber,
    n: u32,
    at: Moment,
    until: Moment,
) -> Result<AttestationId, yima_frame::DispatchError> {
    let schema = if unit.kind() == yima_codes::EquipmentKind::Elevator {
        ELEVATOR_INSPECTION
    } else {
        SPECIAL_EQUIPMENT_INSPECTION
    };
    record("lab", schema, unit, n, at, Some(until))
}

/// The insurer records a year's cover from `at`.
pub(crate) fn insure(
    unit: &RegistrationNumber,
    n: u32,
    at: Moment,
) -> Result<AttestationId, yima_frame::DispatchError> {
    record(
        "insurer",
        EQUIPMENT_INSURANCE,
        unit,
        n,
        at,
        Some(at + 365 * DAY),
    )
}

/// The regulator records an accident.
pub(crate) fn accident(
    unit: &RegistrationNumber,
    n: u32,
) -> Result<AttestationId, yima_frame::DispatchError> {
    record("regulator", EQUIPMENT_ACCIDENT, unit, n, NOW, None)
}

/// The equipment events of the current block, in order.
pub(crate) fn equipment_events() -> Vec<crate::Event> {
    System::events()
        .into_iter()
        .filter_map(|e| match e.event {
            RuntimeEvent::Equipment(e) => Some(e),
            _ => None,
        })
        .collect()
}
