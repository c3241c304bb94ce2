//! The schema registry: root registers and deactivates, every field is checked, ids count up from 1000.

use yima_frame::{assert_noop, assert_ok, DispatchError, Origin};
use yima_membership::OrgKind;

use crate::mock::*;
use crate::schemas::{BATCH_RELEASE, FIRST_REGISTERED_ID};
use crate::{Error, Event, NextSchemaId, Schema, SubjectKind, MAX_SCHEMA_NAME_BYTES};
use yima_frame::storage::StorageValue;

fn register(name: &str, version: u16) -> Result<(), DispatchError> {
    Attestation::register_schema(
        &Origin::Root,
        name.as_bytes().to_vec(),
        version,
        vec![OrgKind::InspectionBody],
        SubjectKind::Equipment,
        Some(365),
    )
}

#[test]
fn root_registers_schemas_from_id_1000_up() {
    new_test_ext().execute_with(|| {
        assert_eq!(NextSchemaId::get(), Some(FIRST_REGISTERED_ID));
        assert_ok!(register("boiler inspection", 1));
        System::assert_last_event(Event::SchemaRegistered {
            id: FIRST_REGISTERED_ID,
            name: b"boiler inspection".to_vec(),
            version: 1,
        });
        assert_eq!(
            Attestation::schema(FIRST_REGISTERED_ID),
            Some(Schema {
                name: b"boiler inspection".to_vec(),
                version: 1,
                issuers: vec![OrgKind::InspectionBody],
                subject: SubjectKind::Equipment,
                max_validity_days: Some(365),
                active: true,
            })
        );
        // A new version of the same name is a new schema.
        assert_ok!(register("boiler inspection", 2));
        System::assert_last_event(Event::SchemaRegistered {
            id: FIRST_REGISTERED_ID + 1,
            name: b"boiler inspection".to_vec(),
            version: 2,
        });
        assert_eq!(
            Attestation::schema_by_name(b"boiler inspection", 2),
            Some(FIRST_REGISTERED_ID + 1)
        );
        assert_eq!(NextSchemaId::get(), Some(FIRST_REGISTERED_ID + 2));
        // Listed in id order after the shipped ones (storage order would put 1000 = e8 03 … before 1).
        let ids: Vec<_> = Attestation::schemas()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut expected: Vec<u32> = (1..=22).collect();
        expected.extend([FIRST_REGISTERED_ID, FIRST_REGISTERED_ID + 1]);
        assert_eq!(ids, expected);
    });
}

#[test]
fn only_root_registers_or_deactivates() {
    new_test_ext().execute_with(|| {
        for who in ["regulator", "reg-gov", "lab"] {
            assert_noop!(
                Attestation::register_schema(
                    &origin(who),
                    b"x".to_vec(),
                    1,
                    vec![OrgKind::Regulator],
                    SubjectKind::Lot,
                    None,
                ),
                DispatchError::BadOrigin {
                    expected: "root (genesis or regulator governance)".into()
                }
            );
            assert_noop!(
                Attestation::deactivate_schema(&origin(who), BATCH_RELEASE),
                DispatchError::BadOrigin {
                    expected: "root (genesis or regulator governance)".into()
                }
            );
        }
    });
}

#[test]
fn a_name_and_version_is_registered_once() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            register("batch release (批签发)", 1),
            Error::DuplicateSchema
        );
        assert_ok!(register("batch release (批签发)", 2));
        assert_noop!(
            register("batch release (批签发)", 2),
            Error::DuplicateSchema
        );
    });
}

#[test]
fn schema_names_must_be_readable() {
    new_test_ext().execute_with(|| {
        let too_long = "x".repeat(MAX_SCHEMA_NAME_BYTES + 1);
        for bad in [
            b"".to_vec(),
            b"   ".to_vec(),
            b"tab\tinside".to_vec(),
            too_long.into_bytes(),
            vec![0xff, 0xfe],
        ] {
            assert_noop!(
                Attestation::register_schema(
                    &Origin::Root,
                    bad,
                    1,
                    vec![OrgKind::Regulator],
                    SubjectKind::Lot,
                    None
                ),
                Error::InvalidSchemaName
            );
        }
        assert_ok!(register(&"长".repeat(MAX_SCHEMA_NAME_BYTES / 3), 1));
    });
}

#[test]
fn issuers_must_be_named_once_each() {
    new_test_ext().execute_with(|| {
        for issuers in [vec![], vec![OrgKind::Cdc, OrgKind::Hospital, OrgKind::Cdc]] {
            assert_noop!(
                Attestation::register_schema(
                    &Origin::Root,
                    b"health".to_vec(),
                    1,
                    issuers,
                    SubjectKind::Person,
                    None
                ),
                Error::InvalidIssuers
            );
        }
    });
}

#[test]
fn a_longest_validity_of_zero_days_is_refused() {
    new_test_ext().execute_with(|| {
        assert_noop!(
            Attestation::register_schema(
                &Origin::Root,
                b"instant".to_vec(),
                1,
                vec![OrgKind::Regulator],
                SubjectKind::Lot,
                Some(0)
            ),
            Error::InvalidMaxValidity
        );
    });
}

#[test]
fn root_deactivates_a_schema_once() {
    new_test_ext().execute_with(|| {
        assert_ok!(Attestation::deactivate_schema(&Origin::Root, BATCH_RELEASE));
        System::assert_last_event(Event::SchemaDeactivated { id: BATCH_RELEASE });
        assert!(!Attestation::schema(BATCH_RELEASE).unwrap().active);
        assert_noop!(
            Attestation::deactivate_schema(&Origin::Root, BATCH_RELEASE),
            Error::AlreadyInactive
        );
        assert_noop!(
            Attestation::deactivate_schema(&Origin::Root, 999),
            Error::UnknownSchema
        );
    });
}

#[test]
fn schema_ids_run_out_at_u32_max() {
    new_test_ext().execute_with(|| {
        NextSchemaId::put(&u32::MAX);
        assert_noop!(register("last", 1), Error::SchemaIdsExhausted);
    });
}
