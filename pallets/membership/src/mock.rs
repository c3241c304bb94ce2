//! A test runtime: system and membership with a regulator (three Governance accounts and an admin, threshold 2),
//! a manufacturer (an admin and an operator) and one validator.

use yima_frame::testing::TestExternalities;
use yima_frame::{AccountId, GenesisBuild, Hash, Hooks, Origin, Role, Roles};

use crate::{GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator};

/// The test runtime.
pub(crate) struct Test;

yima_frame::runtime_event! {
    /// The test runtime's events.
    pub(crate) enum RuntimeEvent {
        System(yima_system::Event) = 0,
        Membership(crate::Event) = 1,
    }
}

impl yima_system::Config for Test {
    type RuntimeEvent = RuntimeEvent;
}

impl crate::Config for Test {
    type Dispatch = MockDispatch;
}

/// The raw storage key [`MockDispatch`] writes when it dispatches [`DISPATCH_OK`].
pub(crate) const DISPATCHED_KEY: &[u8] = b"Mock:Dispatched";
/// A call [`MockDispatch`] dispatches successfully (writing [`DISPATCHED_KEY`]).
pub(crate) const DISPATCH_OK: u8 = 1;
/// A call [`MockDispatch`] accepts when proposed but that fails when dispatched.
pub(crate) const DISPATCH_FAILS: u8 = 2;

/// The test runtime's "calls": one byte, [`DISPATCH_OK`] or [`DISPATCH_FAILS`]; anything else does not decode.
pub(crate) struct MockDispatch;

impl crate::GovernanceDispatch for MockDispatch {
    fn check(call: &[u8]) -> Result<(), yima_frame::DispatchError> {
        match call {
            [DISPATCH_OK] | [DISPATCH_FAILS] => Ok(()),
            _ => Err(crate::Error::UndecodableCall.into()),
        }
    }

    fn dispatch(call: &[u8]) -> yima_frame::DispatchResult {
        Self::check(call)?;
        yima_frame::externalities::set(DISPATCHED_KEY.to_vec(), call.to_vec());
        if call == [DISPATCH_FAILS] {
            return Err(yima_frame::DispatchError::BadOrigin {
                expected: "the test's failing call".into(),
            });
        }
        Ok(())
    }
}

/// What [`MockDispatch`] last dispatched and kept.
pub(crate) fn dispatched() -> Option<Vec<u8>> {
    yima_frame::externalities::get(DISPATCHED_KEY)
}

pub(crate) type System = yima_system::Pallet<Test>;
pub(crate) type Membership = crate::Pallet<Test>;

/// The regulator's USCC (org 0).
pub(crate) const REGULATOR_USCC: &str = "113300000024820769";
/// The manufacturer's USCC (org 1).
pub(crate) const MAKER_USCC: &str = "91350100M000100Y43";
/// A USCC nobody holds yet.
pub(crate) const NEW_USCC: &str = "91330100MA2AXXXX07";
/// Another USCC nobody holds yet.
pub(crate) const OTHER_USCC: &str = "91330000MA27U00L1E";

/// The GS1 company prefix the manufacturer holds from genesis.
pub(crate) const MAKER_PREFIX: &str = "6901234";

pub(crate) fn prefix(s: &str) -> crate::CompanyPrefix {
    crate::CompanyPrefix::parse(s).expect("valid test prefix")
}

pub(crate) const REGULATOR: u32 = 0;
pub(crate) const MAKER: u32 = 1;
pub(crate) const LIFETIME: u64 = 10;

pub(crate) fn uscc(s: &str) -> Uscc {
    Uscc::parse(s).expect("valid test USCC")
}

pub(crate) use yima_frame::testing::test_account as acc;

/// 32 bytes that are not an ed25519 public key (not a curve point).
pub(crate) fn invalid_key() -> AccountId {
    (0..=u8::MAX)
        .map(|b| AccountId([b; 32]))
        .find(|a| a.verifying_key().is_none())
        .expect("some repeated byte is not a curve point")
}

/// A signed origin for a named account, resolved as the runtime resolves it.
pub(crate) fn signed(name: &str) -> Origin {
    signed_by(acc(name))
}

/// A signed origin for an account, resolved as the runtime resolves it.
pub(crate) fn signed_by(account: AccountId) -> Origin {
    let signer = Membership::resolve_signer(&account)
        .unwrap_or_else(|e| panic!("{account} cannot sign: {e}"));
    Origin::Signed(signer)
}

/// A validator with a key derived from `name`.
pub(crate) fn validator(name: &str, power: u64) -> Validator {
    Validator {
        key: acc(name),
        power,
    }
}

fn account(name: &str, of: &str, roles: &[Role]) -> GenesisAccount {
    GenesisAccount {
        account: acc(name),
        uscc: uscc(of),
        roles: Roles::of(roles),
    }
}

/// The genesis the tests start from.
pub(crate) fn genesis() -> GenesisConfig {
    GenesisConfig {
        organisations: vec![
            GenesisOrganisation {
                name: "Zhejiang Market Supervision Administration".into(),
                kind: OrgKind::Regulator,
                uscc: uscc(REGULATOR_USCC),
                prefixes: vec![],
            },
            GenesisOrganisation {
                name: "Hangzhou Vaccine Manufacturing Co.".into(),
                kind: OrgKind::Manufacturer,
                uscc: uscc(MAKER_USCC),
                prefixes: vec![prefix(MAKER_PREFIX)],
            },
        ],
        accounts: vec![
            account("reg1", REGULATOR_USCC, &[Role::Governance]),
            account("reg2", REGULATOR_USCC, &[Role::Governance]),
            account("reg3", REGULATOR_USCC, &[Role::Governance]),
            account("reg-admin", REGULATOR_USCC, &[Role::Admin]),
            account("maker-admin", MAKER_USCC, &[Role::Admin]),
            account("maker-op", MAKER_USCC, &[Role::Operator]),
        ],
        validators: vec![validator("validator-1", 10)],
        regulator_threshold: 2,
        proposal_lifetime: LIFETIME,
    }
}

/// Test externalities at the start of block 1 over [`genesis`].
pub(crate) fn new_test_ext() -> TestExternalities {
    ext_with(genesis())
}

/// Test externalities at the start of block 1 over `config`.
pub(crate) fn ext_with(config: GenesisConfig) -> TestExternalities {
    let mut t = TestExternalities::from_genesis(|| {
        yima_system::GenesisConfig::default()
            .build()
            .expect("system genesis");
        config.build().expect("membership genesis");
    });
    t.execute_with(|| run_to_block(1));
    t
}

/// Starts every block up to `n` as the executive would: system first, then membership's hook.
pub(crate) fn run_to_block(n: u64) {
    while System::block_number() < n {
        let next = System::block_number() + 1;
        System::initialize(next, Hash::default(), next * 6_000);
        Membership::on_initialize(next);
    }
}
