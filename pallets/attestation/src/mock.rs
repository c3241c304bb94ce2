//! A test runtime: system, membership and attestation, with one organisation of every kind a shipped schema
//! names (and a second inspection body), the shipped schemas, and block 1 at [`NOW`].
//!
//! Each organisation's account is named after it and holds the Inspector role; the regulator also has a
//! Governance-only account (`reg-gov`) and an Operator-only account (`reg-op`), the lab an Operator-only account
//! (`lab-op`).

use yima_codes::{Gtin, LotNumber, ProductId, SerialNumber, TraceCode};
use yima_frame::testing::TestExternalities;
use yima_frame::{sha256, GenesisBuild, Hash, Moment, OrgId, Origin, Role, Roles};
use yima_membership::testing::test_uscc;
use yima_membership::{
    allowed_roles, GenesisAccount, GenesisOrganisation, OrgKind, Uscc, Validator,
};

use crate::inspect::{AttestationWatch, SubjectInspect};
use crate::types::{
    attestation_id, Attestation as Record, AttestationId, LotRef, PseudonymousId, SchemaId, Subject,
};
use crate::DAY_MS;

/// The test runtime.
pub(crate) struct Test;

yima_frame::runtime_event! {
    /// The test runtime's events.
    pub(crate) enum RuntimeEvent {
        System(yima_system::Event) = 0,
        Membership(yima_membership::Event) = 1,
        Attestation(crate::Event) = 2,
    }
}

impl yima_system::Config for Test {
    type RuntimeEvent = RuntimeEvent;
}

impl yima_membership::Config for Test {
    type Dispatch = ();
}

/// Knows every subject except equipment whose id starts with `UNREGISTERED`.
pub(crate) struct MockSubjects;

impl SubjectInspect for MockSubjects {
    fn exists(subject: &Subject) -> bool {
        !matches!(subject, Subject::Equipment(id) if id.starts_with(b"UNREGISTERED"))
    }
}

/// Refuses attestations about equipment whose id starts with `WATCHED`, and counts, in its own storage, the
/// attestations it followed (`Watched`) and revocations (`Unwatched`).
pub(crate) struct MockWatch;

yima_frame::storage! {
    pallet "MockWatch";
    /// Attestations the watch followed once written.
    pub(crate) Watched: map AttestationId => ();
    /// Attestations the watch followed once revoked.
    pub(crate) Unwatched: map AttestationId => ();
}

impl AttestationWatch for MockWatch {
    fn check(_id: &AttestationId, attestation: &Record) -> yima_frame::DispatchResult {
        match &attestation.subject {
            Subject::Equipment(id) if id.starts_with(b"WATCHED") => {
                Err(crate::Error::UnknownSubject.into())
            }
            _ => Ok(()),
        }
    }

    fn attested(id: &AttestationId, _attestation: &Record) {
        use yima_frame::storage::StorageMap;
        Watched::insert(id, &());
    }

    fn revoked(id: &AttestationId, attestation: &Record) {
        use yima_frame::storage::StorageMap;
        assert!(
            attestation.revoked.is_some(),
            "told of a revocation before it"
        );
        Unwatched::insert(id, &());
    }
}

impl crate::Config for Test {
    type Membership = yima_membership::Pallet<Test>;
    type Subjects = MockSubjects;
    type Watch = MockWatch;
}

pub(crate) type System = yima_system::Pallet<Test>;
pub(crate) type Membership = yima_membership::Pallet<Test>;
pub(crate) type Attestation = crate::Pallet<Test>;

/// `(account name, kind)`; organisation ids follow this order.
pub(crate) const ORGS: [(&str, OrgKind); 13] = [
    ("regulator", OrgKind::Regulator),
    ("customs", OrgKind::Customs),
    ("cdc", OrgKind::Cdc),
    ("lab", OrgKind::InspectionBody),
    ("producer", OrgKind::Producer),
    ("warehouse", OrgKind::SupervisedWarehouse),
    ("hospital", OrgKind::Hospital),
    ("retailer", OrgKind::Retailer),
    ("caterer", OrgKind::Caterer),
    ("certifier", OrgKind::CertificationBody),
    ("maker", OrgKind::Manufacturer),
    ("lab2", OrgKind::InspectionBody),
    ("maintainer", OrgKind::MaintenanceFirm),
];

pub(crate) const REGULATOR: OrgId = 0;
pub(crate) const CUSTOMS: OrgId = 1;
pub(crate) const CDC: OrgId = 2;
pub(crate) const LAB: OrgId = 3;
pub(crate) const PRODUCER: OrgId = 4;
pub(crate) const HOSPITAL: OrgId = 6;
pub(crate) const MAKER: OrgId = 10;
pub(crate) const LAB2: OrgId = 11;

/// Block time of block 1: 2026-06-01T00:00:00Z.
pub(crate) const NOW: Moment = 1_780_272_000_000;
/// One day, ms.
pub(crate) const DAY: Moment = DAY_MS;

/// A valid USCC for organisation `n`.
pub(crate) fn uscc_of(n: u32) -> Uscc {
    test_uscc(n as usize)
}

pub(crate) use yima_frame::testing::test_account as account;

fn genesis_account(name: &str, org: usize, roles: &[Role]) -> GenesisAccount {
    GenesisAccount {
        account: account(name),
        uscc: uscc_of(org as u32),
        roles: Roles::of(roles),
    }
}

/// The membership genesis of the tests.
pub(crate) fn membership_genesis() -> yima_membership::GenesisConfig {
    let mut accounts: Vec<GenesisAccount> = ORGS
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| {
            // Every kind that may hold the Inspector role holds it; the manufacturer (which may not) operates.
            let role = if allowed_roles(*kind).contains(Role::Inspector) {
                Role::Inspector
            } else {
                Role::Operator
            };
            genesis_account(name, i, &[role])
        })
        .collect();
    accounts.push(genesis_account("reg-gov", 0, &[Role::Governance]));
    accounts.push(genesis_account("reg-op", 0, &[Role::Operator]));
    accounts.push(genesis_account("lab-op", 3, &[Role::Operator]));
    accounts.push(genesis_account("lab-b", 3, &[Role::Inspector]));
    yima_membership::GenesisConfig {
        organisations: ORGS
            .iter()
            .enumerate()
            .map(|(i, (name, kind))| GenesisOrganisation {
                name: name.to_string(),
                kind: *kind,
                uscc: uscc_of(i as u32),
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
    }
}

/// Test externalities at block 1, time [`NOW`], with the shipped schemas.
pub(crate) fn new_test_ext() -> TestExternalities {
    ext_with(crate::GenesisConfig::default())
}

/// Test externalities at block 1, time [`NOW`], with `config` as the attestation genesis.
pub(crate) fn ext_with(config: crate::GenesisConfig) -> TestExternalities {
    let mut ext = TestExternalities::from_genesis(|| {
        yima_system::GenesisConfig::default()
            .build()
            .expect("system genesis");
        membership_genesis().build().expect("membership genesis");
        config.build().expect("attestation genesis");
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

/// The digest of test document `n`.
pub(crate) fn doc(n: u32) -> Hash {
    sha256(format!("certificate document {n}").as_bytes())
}

/// The vaccine GTIN of the tests.
pub(crate) fn gtin() -> Gtin {
    Gtin::parse("09521234543213").expect("valid GTIN")
}

/// Lot `lot` of the test product.
pub(crate) fn lot_ref(lot: &str) -> LotRef {
    LotRef {
        product: ProductId::Gtin(gtin()),
        lot: LotNumber::parse(lot).expect("valid lot number"),
    }
}

/// Lot `lot` of the test product, as a subject.
pub(crate) fn lot(lot: &str) -> Subject {
    Subject::Lot(lot_ref(lot))
}

/// Item `n` of the test product, as a subject.
pub(crate) fn code(n: u32) -> Subject {
    Subject::Code(TraceCode::Sgtin {
        gtin: gtin(),
        serial: SerialNumber::parse(&format!("S{n}")).expect("valid serial"),
    })
}

/// Organisation `n` of [`ORGS`], as a subject.
pub(crate) fn org(n: OrgId) -> Subject {
    Subject::Organisation(uscc_of(n))
}

/// An elevator by registration code, as a subject.
pub(crate) fn elevator(id: &str) -> Subject {
    Subject::Equipment(id.as_bytes().to_vec())
}

/// A kitchen by location id, as a subject.
pub(crate) fn kitchen(id: &str) -> Subject {
    Subject::Location(id.as_bytes().to_vec())
}

/// Person `name` by a pseudonymous id (here simply a hash of the name; the client uses an HMAC with the pepper).
pub(crate) fn person(name: &str) -> Subject {
    Subject::Person(PseudonymousId(sha256(name.as_bytes()).0))
}

/// `who` attests `digest` about `subject` under `schema`, valid for 30 days from [`NOW`]; returns its id.
pub(crate) fn attest(who: &str, schema: SchemaId, subject: Subject, digest: Hash) -> AttestationId {
    attest_window(who, schema, subject, digest, NOW, Some(NOW + 30 * DAY))
}

/// `who` attests with the given validity window; returns its id.
pub(crate) fn attest_window(
    who: &str,
    schema: SchemaId,
    subject: Subject,
    digest: Hash,
    valid_from: Moment,
    valid_until: Option<Moment>,
) -> AttestationId {
    let signer = origin(who);
    let org = match &signer {
        Origin::Signed(s) => s.org,
        Origin::Root => unreachable!("origin() is signed"),
    };
    Attestation::attest(
        &signer,
        schema,
        subject.clone(),
        digest,
        None,
        valid_from,
        valid_until,
    )
    .unwrap_or_else(|e| panic!("{who} cannot attest schema {schema}: {e}"));
    attestation_id(schema, org, &subject, &digest)
}
