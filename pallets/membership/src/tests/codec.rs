//! Every public type SCALE-round-trips, and the codec indices that transactions and events depend on are fixed.

use parity_scale_codec::{Decode, Encode};
use proptest::prelude::*;
use yima_frame::{AccountId, Hash, Role, Roles};

use crate::uscc::ALPHABET;
use crate::{
    Account, AccountStatus, Action, Call, Event, OrgKind, OrgStatus, Organisation, Proposal,
    Suspender, Uscc, Validator,
};

const KINDS: [OrgKind; 20] = [
    OrgKind::Regulator,
    OrgKind::Customs,
    OrgKind::Cdc,
    OrgKind::Manufacturer,
    OrgKind::Importer,
    OrgKind::Producer,
    OrgKind::Processor,
    OrgKind::ColdWarehouse,
    OrgKind::SupervisedWarehouse,
    OrgKind::Carrier,
    OrgKind::Distributor,
    OrgKind::Retailer,
    OrgKind::Caterer,
    OrgKind::Pharmacy,
    OrgKind::Hospital,
    OrgKind::VaccinationSite,
    OrgKind::InspectionBody,
    OrgKind::CertificationBody,
    OrgKind::MaintenanceFirm,
    OrgKind::Insurer,
];

fn account_id() -> impl Strategy<Value = AccountId> {
    any::<[u8; 32]>().prop_map(AccountId)
}

fn uscc() -> impl Strategy<Value = Uscc> {
    proptest::collection::vec(proptest::sample::select(ALPHABET.to_vec()), 17).prop_map(|body| {
        let body: [u8; 17] = body.try_into().unwrap();
        let check = Uscc::check_character(&body).unwrap();
        Uscc::parse(&format!(
            "{}{check}",
            String::from_utf8(body.to_vec()).unwrap()
        ))
        .unwrap()
    })
}

fn roles() -> impl Strategy<Value = Roles> {
    proptest::sample::subsequence(Role::ALL.to_vec(), 0..=4).prop_map(|r| Roles::of(&r))
}

fn kind() -> impl Strategy<Value = OrgKind> {
    proptest::sample::select(KINDS.to_vec())
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..40)
}

fn org_status() -> impl Strategy<Value = OrgStatus> {
    prop_oneof![
        Just(OrgStatus::Active),
        any::<u32>().prop_map(|by| OrgStatus::Suspended { by }),
    ]
}

fn organisation() -> impl Strategy<Value = Organisation> {
    (bytes(), kind(), uscc(), org_status(), any::<u64>()).prop_map(
        |(name, kind, uscc, status, admitted_at)| Organisation {
            name,
            kind,
            uscc,
            status,
            admitted_at,
        },
    )
}

fn suspender() -> impl Strategy<Value = Suspender> {
    prop_oneof![
        Just(Suspender::OwnOrganisation),
        any::<u32>().prop_map(Suspender::Regulator),
    ]
}

fn account_status() -> impl Strategy<Value = AccountStatus> {
    prop_oneof![
        Just(AccountStatus::Active),
        suspender().prop_map(|by| AccountStatus::Suspended { by }),
    ]
}

fn account() -> impl Strategy<Value = Account> {
    (any::<u32>(), roles(), account_status()).prop_map(|(org, roles, status)| Account {
        org,
        roles,
        status,
    })
}

fn validator() -> impl Strategy<Value = Validator> {
    (account_id(), any::<u64>()).prop_map(|(key, power)| Validator { key, power })
}

fn company_prefixes() -> impl Strategy<Value = Vec<crate::CompanyPrefix>> {
    proptest::collection::vec(
        "[1-9][0-9]{5,11}".prop_map(|s| crate::CompanyPrefix::parse(&s).unwrap()),
        0..4,
    )
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (bytes(), kind(), uscc(), account_id(), company_prefixes()).prop_map(
            |(name, kind, uscc, admin, prefixes)| Action::AdmitOrganisation {
                name,
                kind,
                uscc,
                admin,
                prefixes,
            }
        ),
        (any::<u32>(), company_prefixes())
            .prop_map(|(org, prefixes)| Action::SetCompanyPrefixes { org, prefixes }),
        proptest::collection::vec(validator(), 0..5)
            .prop_map(|validators| Action::SetValidators { validators }),
        any::<u32>().prop_map(|threshold| Action::SetThreshold { threshold }),
        (account_id(), account_id()).prop_map(|(old, new)| Action::ForceRotateKey { old, new }),
        (account_id(), roles()).prop_map(|(account, roles)| Action::SetRoles { account, roles }),
        bytes().prop_map(|call| Action::Dispatch { call }),
        account_id().prop_map(|account| Action::ReinstateAccount { account }),
        any::<u32>().prop_map(|org| Action::ReinstateOrganisation { org }),
    ]
}

fn proposal() -> impl Strategy<Value = Proposal> {
    (
        account_id(),
        action(),
        proptest::collection::vec(account_id(), 0..4),
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(|(proposer, action, approvals, created, expires)| Proposal {
            proposer,
            action,
            approvals,
            created,
            expires,
        })
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        (account_id(), roles()).prop_map(|(account, roles)| Call::AddAccount { account, roles }),
        (account_id(), roles()).prop_map(|(account, roles)| Call::SetRoles { account, roles }),
        account_id().prop_map(|account| Call::SuspendAccount { account }),
        account_id().prop_map(|account| Call::ReinstateAccount { account }),
        account_id().prop_map(|new| Call::RotateKey { new }),
        any::<u32>().prop_map(|org| Call::SuspendOrganisation { org }),
        any::<u32>().prop_map(|org| Call::ReinstateOrganisation { org }),
        action().prop_map(|action| Call::Propose { action }),
        any::<u32>().prop_map(|id| Call::Approve { id }),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    let id = any::<u32>();
    prop_oneof![
        (any::<u32>(), uscc(), kind()).prop_map(|(org, uscc, kind)| Event::OrganisationAdmitted {
            org,
            uscc,
            kind
        }),
        (any::<u32>(), any::<u32>()).prop_map(|(org, by)| Event::OrganisationSuspended { org, by }),
        any::<u32>().prop_map(|org| Event::OrganisationReinstated { org }),
        (account_id(), any::<u32>(), roles()).prop_map(|(account, org, roles)| {
            Event::AccountAdded {
                account,
                org,
                roles,
            }
        }),
        (account_id(), roles()).prop_map(|(account, roles)| Event::RolesSet { account, roles }),
        (account_id(), suspender())
            .prop_map(|(account, by)| Event::AccountSuspended { account, by }),
        account_id().prop_map(|account| Event::AccountReinstated { account }),
        (account_id(), account_id()).prop_map(|(old, new)| Event::KeyRotated { old, new }),
        (id, account_id(), action(), any::<u64>()).prop_map(|(id, proposer, action, expires)| {
            Event::Proposed {
                id,
                proposer,
                action,
                expires,
            }
        }),
        (id, account_id()).prop_map(|(id, approver)| Event::Approved { id, approver }),
        id.prop_map(|id| Event::ProposalExecuted { id }),
        id.prop_map(|id| Event::ProposalExpired { id }),
        (
            proptest::collection::vec(validator(), 0..4),
            any::<[u8; 32]>()
        )
            .prop_map(|(validators, h)| Event::ValidatorsChanged {
                validators,
                hash: Hash(h)
            }),
        any::<u32>().prop_map(|threshold| Event::ThresholdChanged { threshold }),
    ]
}

fn round_trips<T: Encode + Decode + PartialEq + std::fmt::Debug>(value: &T) {
    let bytes = value.encode();
    let mut input = &bytes[..];
    assert_eq!(&T::decode(&mut input).unwrap(), value);
    assert!(input.is_empty(), "trailing bytes after decoding {value:?}");
}

proptest! {
    #[test]
    fn organisations_round_trip(v in organisation()) { round_trips(&v) }

    #[test]
    fn accounts_round_trip(v in account()) { round_trips(&v) }

    #[test]
    fn validators_round_trip(v in proptest::collection::vec(validator(), 0..5)) { round_trips(&v) }

    #[test]
    fn actions_round_trip(v in action()) { round_trips(&v) }

    #[test]
    fn proposals_round_trip(v in proposal()) { round_trips(&v) }

    #[test]
    fn calls_round_trip(v in call()) { round_trips(&v) }

    #[test]
    fn events_round_trip(v in event()) { round_trips(&v) }

    #[test]
    fn usccs_round_trip(v in uscc()) { round_trips(&v) }
}

#[test]
fn codec_indices_are_stable() {
    for (i, kind) in KINDS.iter().enumerate() {
        assert_eq!(kind.encode(), vec![i as u8], "{kind:?}");
    }
    assert_eq!(Call::Approve { id: 7 }.encode(), vec![8, 7, 0, 0, 0]);
    assert_eq!(
        Call::SuspendOrganisation { org: 1 }.encode(),
        vec![5, 1, 0, 0, 0]
    );
    assert_eq!(
        Action::SetThreshold { threshold: 2 }.encode(),
        vec![2, 2, 0, 0, 0]
    );
    assert_eq!(
        Event::ProposalExpired { id: 1 }.encode(),
        vec![11, 1, 0, 0, 0]
    );
    assert_eq!(OrgStatus::Suspended { by: 2 }.encode(), vec![1, 2, 0, 0, 0]);
    assert_eq!(
        AccountStatus::Suspended {
            by: Suspender::OwnOrganisation
        }
        .encode(),
        vec![1, 0]
    );
    assert_eq!(
        AccountStatus::Suspended {
            by: Suspender::Regulator(3)
        }
        .encode(),
        vec![1, 1, 3, 0, 0, 0]
    );
    let key = AccountId([9; 32]);
    let mut reinstate = vec![6];
    reinstate.extend_from_slice(&[9; 32]);
    assert_eq!(
        Action::ReinstateAccount { account: key }.encode(),
        reinstate
    );
    assert_eq!(
        Action::ReinstateOrganisation { org: 4 }.encode(),
        vec![7, 4, 0, 0, 0]
    );
    let mut suspended = vec![5];
    suspended.extend_from_slice(&[9; 32]);
    suspended.extend_from_slice(&[1, 0, 0, 0, 0]);
    assert_eq!(
        Event::AccountSuspended {
            account: key,
            by: Suspender::Regulator(0)
        }
        .encode(),
        suspended
    );
    assert_eq!(
        Event::OrganisationSuspended { org: 1, by: 0 }.encode(),
        vec![1, 1, 0, 0, 0, 0, 0, 0, 0]
    );
    let prefix = crate::CompanyPrefix::parse("690123").unwrap();
    let digits = b"690123".to_vec().encode();
    assert_eq!(
        Action::SetCompanyPrefixes {
            org: 1,
            prefixes: vec![prefix]
        }
        .encode(),
        [vec![8, 1, 0, 0, 0, 4], digits.clone()].concat()
    );
    assert_eq!(
        Event::CompanyPrefixesSet {
            org: 1,
            prefixes: vec![prefix]
        }
        .encode(),
        [vec![20, 1, 0, 0, 0, 4], digits].concat()
    );
}

#[test]
fn kinds_are_snake_case_in_json() {
    assert_eq!(
        serde_json::to_string(&OrgKind::SupervisedWarehouse).unwrap(),
        r#""supervised_warehouse""#
    );
    assert_eq!(
        serde_json::from_str::<OrgKind>(r#""vaccination_site""#).unwrap(),
        OrgKind::VaccinationSite
    );
    assert_eq!(serde_json::to_string(&OrgKind::Cdc).unwrap(), r#""cdc""#);
}
