//! Genesis ships every DOMAIN.md §4 schema under its constant id, and refuses a schema list that is wrong.

use yima_frame::storage::StorageValue;
use yima_frame::testing::TestExternalities;
use yima_frame::GenesisBuild;
use yima_membership::OrgKind::{self, *};

use crate::mock::*;
use crate::schemas::*;
use crate::SubjectKind::{self, *};
use crate::{GenesisConfig, GenesisSchema, NextSchemaId};

/// The list DOMAIN.md §4 asks for: (id, issuers, subject, longest validity).
const EXPECTED: [(u32, &[OrgKind], SubjectKind, Option<u32>); 22] = [
    (BUSINESS_LICENCE, &[Regulator], Organisation, None),
    (
        SPECIAL_EQUIPMENT_REGISTRATION,
        &[Regulator],
        Equipment,
        None,
    ),
    (
        SPECIAL_EQUIPMENT_INSPECTION,
        &[InspectionBody, Regulator],
        Equipment,
        Some(2192),
    ),
    (
        ELEVATOR_MAINTENANCE,
        &[MaintenanceFirm],
        Equipment,
        Some(15),
    ),
    (
        ELEVATOR_INSPECTION,
        &[InspectionBody, Regulator],
        Equipment,
        Some(366),
    ),
    (
        METROLOGY_CALIBRATION,
        &[InspectionBody],
        Equipment,
        Some(731),
    ),
    (IP_REGISTRATION, &[Regulator], Organisation, None),
    (ENFORCEMENT_CASE, &[Regulator], Organisation, None),
    (UNQUALIFIED_PRODUCT_DISPOSAL, &[Regulator], Lot, None),
    (DRUG_INSPECTION, &[Regulator, InspectionBody], Lot, None),
    (BATCH_RELEASE, &[Regulator, InspectionBody], Lot, None),
    (INSPECTION_QUARANTINE_CERTIFICATE, &[Customs], Lot, None),
    (
        NUCLEIC_ACID_REPORT,
        &[InspectionBody, Customs, Cdc],
        Lot,
        None,
    ),
    (
        DISINFECTION_CERTIFICATE,
        &[SupervisedWarehouse, Cdc, InspectionBody],
        Lot,
        None,
    ),
    (ORIGIN_CERTIFICATE, &[Producer], Lot, None),
    (
        QUICK_TEST_RESULT,
        &[InspectionBody, Retailer, Caterer, Regulator],
        Lot,
        None,
    ),
    (
        STAFF_HEALTH_CERTIFICATE,
        &[Hospital, Cdc],
        Person,
        Some(366),
    ),
    (FANGXIN_CONSUMPTION_UNIT, &[Regulator], Organisation, None),
    (SUNSHINE_KITCHEN, &[Regulator], Location, None),
    (
        PHARMACIST_LICENCE,
        &[Regulator, CertificationBody],
        Person,
        Some(1827),
    ),
    (EQUIPMENT_INSURANCE, &[Insurer], Equipment, Some(366)),
    (EQUIPMENT_ACCIDENT, &[Regulator], Equipment, None),
];

/// A word of each DOMAIN.md §4 item, to find in the schema's name.
const NAMES: [(u32, &str); 22] = [
    (BUSINESS_LICENCE, "营业执照"),
    (SPECIAL_EQUIPMENT_REGISTRATION, "特种设备使用登记"),
    (SPECIAL_EQUIPMENT_INSPECTION, "特种设备定期检验"),
    (ELEVATOR_MAINTENANCE, "电梯维保"),
    (ELEVATOR_INSPECTION, "电梯定期检验"),
    (METROLOGY_CALIBRATION, "计量"),
    (IP_REGISTRATION, "知识产权"),
    (ENFORCEMENT_CASE, "执法案件"),
    (UNQUALIFIED_PRODUCT_DISPOSAL, "不合格产品后处理"),
    (DRUG_INSPECTION, "药品检查"),
    (BATCH_RELEASE, "批签发"),
    (INSPECTION_QUARANTINE_CERTIFICATE, "检验检疫"),
    (NUCLEIC_ACID_REPORT, "核酸"),
    (DISINFECTION_CERTIFICATE, "消毒"),
    (ORIGIN_CERTIFICATE, "合格证"),
    (QUICK_TEST_RESULT, "快检"),
    (STAFF_HEALTH_CERTIFICATE, "健康证"),
    (FANGXIN_CONSUMPTION_UNIT, "放心消费"),
    (SUNSHINE_KITCHEN, "阳光厨房"),
    (PHARMACIST_LICENCE, "执业药师"),
    (EQUIPMENT_INSURANCE, "保险"),
    (EQUIPMENT_ACCIDENT, "事故"),
];

#[test]
fn genesis_ships_every_domain_schema_under_its_constant() {
    new_test_ext().execute_with(|| {
        let schemas = Attestation::schemas();
        assert_eq!(schemas.len(), EXPECTED.len());
        for ((id, issuers, subject, max), (name_id, word)) in EXPECTED.iter().zip(NAMES) {
            assert_eq!(*id, name_id);
            let s = Attestation::schema(*id).unwrap_or_else(|| panic!("schema {id} missing"));
            assert_eq!(s.issuers, issuers.to_vec(), "issuers of {id}");
            assert_eq!(s.subject, *subject, "subject of {id}");
            assert_eq!(s.max_validity_days, *max, "validity of {id}");
            assert_eq!(s.version, 1);
            assert!(s.active);
            let name = String::from_utf8(s.name).unwrap();
            assert!(
                name.contains(word),
                "schema {id} is {name:?}, expected {word}"
            );
        }
        // Ids 1..=22, no gaps, and the first registered schema will be 1000.
        let ids: Vec<u32> = schemas.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, (1..=22).collect::<Vec<_>>());
        assert_eq!(NextSchemaId::get(), Some(FIRST_REGISTERED_ID));
        assert_eq!(
            COLD_CHAIN_CERTIFICATES,
            [12, 13, 14],
            "the four no's besides the code"
        );
    });
}

#[test]
fn the_default_genesis_is_the_shipped_list_and_omitting_it_in_json_too() {
    assert_eq!(GenesisConfig::default().schemas, builtin());
    let omitted: GenesisConfig = serde_json::from_str("{}").unwrap();
    assert_eq!(omitted, GenesisConfig::default());
    let empty: GenesisConfig = serde_json::from_str(r#"{"schemas": []}"#).unwrap();
    assert!(empty.schemas.is_empty());
    let json = serde_json::to_string(&GenesisConfig::default()).unwrap();
    assert_eq!(
        serde_json::from_str::<GenesisConfig>(&json).unwrap(),
        GenesisConfig::default()
    );
    assert!(json.contains(r#""issuers":["supervised_warehouse","cdc","inspection_body"]"#));
    assert!(json.contains(r#""subject":"person""#));
}

#[test]
fn a_chain_spec_with_unknown_fields_is_refused() {
    assert!(serde_json::from_str::<GenesisConfig>(r#"{"schemas": [], "extra": 1}"#).is_err());
    let bad_schema = r#"{"schemas": [{"id": 1, "name": "x", "version": 1, "issuers": ["regulator"],
        "subject": "lot", "colour": "red"}]}"#;
    assert!(serde_json::from_str::<GenesisConfig>(bad_schema).is_err());
    let no_max = r#"{"schemas": [{"id": 1, "name": "x", "version": 1, "issuers": ["regulator"],
        "subject": "lot"}]}"#;
    assert_eq!(
        serde_json::from_str::<GenesisConfig>(no_max)
            .unwrap()
            .schemas[0]
            .max_validity_days,
        None
    );
}

fn one(id: u32, name: &str) -> GenesisSchema {
    GenesisSchema {
        id,
        name: name.into(),
        version: 1,
        issuers: vec![Regulator],
        subject: Lot,
        max_validity_days: None,
    }
}

fn build(schemas: Vec<GenesisSchema>) -> Result<(), String> {
    TestExternalities::new_empty().execute_with(|| {
        GenesisConfig {
            schemas,
            person_id: None,
        }
        .build()
        .map_err(|e| e.to_string())
    })
}

#[test]
fn genesis_refuses_a_wrong_schema_list() {
    let cases: Vec<(Vec<GenesisSchema>, &str)> = vec![
        (vec![one(0, "a")], "id 0"),
        (vec![one(1, "a"), one(1, "b")], "listed twice"),
        (vec![one(1, "a"), one(2, "a")], "version 1 is listed twice"),
        (vec![one(1, " ")], "name must be"),
        (
            vec![GenesisSchema {
                issuers: vec![],
                ..one(1, "a")
            }],
            "at least one issuing",
        ),
        (
            vec![GenesisSchema {
                issuers: vec![Cdc, Cdc],
                ..one(1, "a")
            }],
            "each kind once",
        ),
        (
            vec![GenesisSchema {
                max_validity_days: Some(0),
                ..one(1, "a")
            }],
            "max_validity_days",
        ),
        (vec![one(u32::MAX, "a")], "no id for later schemas"),
    ];
    for (schemas, message) in cases {
        let e = build(schemas).expect_err(message);
        assert!(e.contains(message), "{e:?} should say {message:?}");
        assert!(e.contains("Attestation"), "{e}");
    }
}

#[test]
fn later_schemas_are_numbered_after_the_genesis_ones() {
    let mut t = ext_with(GenesisConfig {
        schemas: vec![one(5, "a"), one(1500, "b")],
        person_id: None,
    });
    t.execute_with(|| assert_eq!(NextSchemaId::get(), Some(1501)));
    let mut t = ext_with(GenesisConfig {
        schemas: vec![],
        person_id: None,
    });
    t.execute_with(|| {
        assert_eq!(NextSchemaId::get(), Some(FIRST_REGISTERED_ID));
        assert!(Attestation::schemas().is_empty());
    });
}

#[test]
fn genesis_names_the_person_id_derivation_or_none() {
    use yima_person_id::{PersonIdKey, PersonIdScheme};
    let scheme = PersonIdScheme::for_key(&PersonIdKey::dev());
    let mut t = ext_with(GenesisConfig {
        person_id: Some(scheme),
        ..GenesisConfig::default()
    });
    t.execute_with(|| assert_eq!(crate::PersonIdDerivation::get(), Some(scheme)));
    let mut t = ext_with(GenesisConfig::default());
    t.execute_with(|| assert_eq!(crate::PersonIdDerivation::get(), None));
}
