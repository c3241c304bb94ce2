//! The schemas every Yima chain ships in genesis (DOMAIN.md §4), under fixed ids that other pallets name as
//! constants — `schemas::BATCH_RELEASE`, `schemas::DISINFECTION_CERTIFICATE` — so each administrative module works
//! from day one.
//!
//! | id | constant | issued by | about | longest validity |
//! |----|----------|-----------|-------|------------------|
//! | 1 | [`BUSINESS_LICENCE`] (营业执照; 证照分离, 商事登记) | regulator | organisation | — |
//! | 2 | [`SPECIAL_EQUIPMENT_REGISTRATION`] (特种设备使用登记) | regulator | equipment | — |
//! | 3 | [`SPECIAL_EQUIPMENT_INSPECTION`] (特种设备定期检验) | inspection body, regulator | equipment | 2192 days |
//! | 4 | [`ELEVATOR_MAINTENANCE`] (电梯一码: 维保) | maintenance firm | equipment | 15 days |
//! | 5 | [`ELEVATOR_INSPECTION`] (电梯一码: 定期检验) | inspection body, regulator | equipment | 366 days |
//! | 6 | [`METROLOGY_CALIBRATION`] (计量检定/校准证书) | inspection body | equipment | 731 days |
//! | 7 | [`IP_REGISTRATION`] (知识产权登记) | regulator | organisation | — |
//! | 8 | [`ENFORCEMENT_CASE`] (执法案件决定) | regulator | organisation | — |
//! | 9 | [`UNQUALIFIED_PRODUCT_DISPOSAL`] (不合格产品后处理) | regulator | lot | — |
//! | 10 | [`DRUG_INSPECTION`] (药品检查报告) | regulator, inspection body | lot | — |
//! | 11 | [`BATCH_RELEASE`] (批签发) | regulator, inspection body (NMPA, NIFDC) | lot | — |
//! | 12 | [`INSPECTION_QUARANTINE_CERTIFICATE`] (检验检疫证明) | customs | lot | — |
//! | 13 | [`NUCLEIC_ACID_REPORT`] (核酸检测报告) | inspection body, customs, CDC | lot | — |
//! | 14 | [`DISINFECTION_CERTIFICATE`] (消毒证明) | supervised warehouse, CDC, inspection body | lot | — |
//! | 15 | [`ORIGIN_CERTIFICATE`] (合格证) | producer | lot | — |
//! | 16 | [`QUICK_TEST_RESULT`] (快检结果) | inspection body, retailer, caterer, regulator | lot | — |
//! | 17 | [`STAFF_HEALTH_CERTIFICATE`] (健康证) | hospital, CDC | person | 366 days |
//! | 18 | [`FANGXIN_CONSUMPTION_UNIT`] (放心消费单位) | regulator | organisation | — |
//! | 19 | [`SUNSHINE_KITCHEN`] (阳光厨房) | regulator | location | — |
//! | 20 | [`PHARMACIST_LICENCE`] (执业药师注册证) | regulator, certification body | person | 1827 days |
//! | 21 | [`EQUIPMENT_INSURANCE`] (电梯安全责任保险) | insurer | equipment | 366 days |
//! | 22 | [`EQUIPMENT_ACCIDENT`] (特种设备事故) | regulator | equipment | — |
//!
//! Choices worth knowing:
//! - The longest validities are our policy defaults (periodic inspection of special equipment at most every six
//!   years, of elevators yearly, elevator maintenance every 15 days, calibration at most every two years, food
//!   handlers' health certificates yearly), data in genesis that a chain spec may change — not rules in code.
//!   Where a certificate lives as long as its subject (a licence, a batch release, a lot's test report),
//!   there is no limit and revocation ends it.
//! - The cold-chain "four no's" certificates are about the lot: downstream holders inherit the certificates of
//!   their lot (DOMAIN.md §4), and a cold-chain code is commissioned into a lot.
//! - Elevator maintenance is recorded by a maintenance firm (OrgKind `MaintenanceFirm`), and the equipment
//!   register lets only the firm the unit's user contracted record it; insurance by an `Insurer`.
//! - The equipment schemas (2–5, 21, 22) about a registered unit are checked and followed by the equipment
//!   register (`yima-equipment`): maintenance and inspection reset the unit's deadlines and clear its lapse.
//! - A licensed pharmacist's registration (执业药师注册) is issued by the drug regulator or its registration centre
//!   (a certification body) for five years; the drug pallet binds only a pharmacist holding a valid one.
//! - A 阳光厨房 is a kitchen, a place: one caterer may run several, each rated on its own.
//! - Id 0 is never a schema, ids below [`FIRST_REGISTERED_ID`] are reserved for schemas shipped in genesis, and
//!   schemas registered later by governance are numbered from [`FIRST_REGISTERED_ID`] up.

use yima_membership::OrgKind;

use crate::genesis::GenesisSchema;
use crate::types::{SchemaId, SubjectKind};

/// Business licence (营业执照; 证照分离, 商事登记) of an organisation.
pub const BUSINESS_LICENCE: SchemaId = 1;
/// Special-equipment registration (特种设备使用登记).
pub const SPECIAL_EQUIPMENT_REGISTRATION: SchemaId = 2;
/// Special-equipment periodic inspection (特种设备定期检验).
pub const SPECIAL_EQUIPMENT_INSPECTION: SchemaId = 3;
/// Elevator maintenance record (电梯一码: 维保).
pub const ELEVATOR_MAINTENANCE: SchemaId = 4;
/// Elevator periodic inspection (电梯一码: 定期检验).
pub const ELEVATOR_INSPECTION: SchemaId = 5;
/// Metrology verification or calibration certificate (计量检定/校准证书) of an instrument.
pub const METROLOGY_CALIBRATION: SchemaId = 6;
/// Intellectual-property registration (知识产权登记: trademark, patent) held by an organisation.
pub const IP_REGISTRATION: SchemaId = 7;
/// Enforcement case decision (执法案件决定) against an organisation.
pub const ENFORCEMENT_CASE: SchemaId = 8;
/// Disposal of an unqualified product lot (不合格产品后处理).
pub const UNQUALIFIED_PRODUCT_DISPOSAL: SchemaId = 9;
/// Drug inspection report (药品检查) on a lot.
pub const DRUG_INSPECTION: SchemaId = 10;
/// Vaccine batch release (批签发): a batch may not leave the manufacturer without it.
pub const BATCH_RELEASE: SchemaId = 11;
/// Inspection/quarantine certificate (检验检疫证明) of an imported cold-chain lot.
pub const INSPECTION_QUARANTINE_CERTIFICATE: SchemaId = 12;
/// Nucleic-acid test report (核酸检测报告) of an imported cold-chain lot.
pub const NUCLEIC_ACID_REPORT: SchemaId = 13;
/// Disinfection certificate (消毒证明) of an imported cold-chain lot.
pub const DISINFECTION_CERTIFICATE: SchemaId = 14;
/// Origin certificate of a farm or workshop lot (食用农产品合格证).
pub const ORIGIN_CERTIFICATE: SchemaId = 15;
/// Quick-test result (快检) on a food lot.
pub const QUICK_TEST_RESULT: SchemaId = 16;
/// Staff health certificate (健康证) of a pseudonymous person.
pub const STAFF_HEALTH_CERTIFICATE: SchemaId = 17;
/// 放心消费 unit: an organisation rated for consumer trust.
pub const FANGXIN_CONSUMPTION_UNIT: SchemaId = 18;
/// 阳光厨房 kitchen (明厨亮灶): a kitchen open to view.
pub const SUNSHINE_KITCHEN: SchemaId = 19;
/// Licensed pharmacist registration (执业药师注册证) of a pseudonymous person: what a resident pharmacist holds.
pub const PHARMACIST_LICENCE: SchemaId = 20;
/// Liability insurance of a unit of special equipment (电梯安全责任保险).
pub const EQUIPMENT_INSURANCE: SchemaId = 21;
/// An accident with a unit of special equipment (特种设备事故), as the regulator recorded it.
pub const EQUIPMENT_ACCIDENT: SchemaId = 22;

/// The certificates imported cold-chain food needs besides its trace code before it may go to retail (四个不:
/// inspection/quarantine, nucleic acid, disinfection).
pub const COLD_CHAIN_CERTIFICATES: [SchemaId; 3] = [
    INSPECTION_QUARANTINE_CERTIFICATE,
    NUCLEIC_ACID_REPORT,
    DISINFECTION_CERTIFICATE,
];

/// The first id governance-registered schemas get; ids below are reserved for the shipped list.
pub const FIRST_REGISTERED_ID: SchemaId = 1000;

fn schema(
    id: SchemaId,
    name: &str,
    issuers: &[OrgKind],
    subject: SubjectKind,
    max_validity_days: Option<u32>,
) -> GenesisSchema {
    GenesisSchema {
        id,
        name: name.to_string(),
        version: 1,
        issuers: issuers.to_vec(),
        subject,
        max_validity_days,
    }
}

/// The shipped schemas, in id order: the default genesis of this pallet.
pub fn builtin() -> Vec<GenesisSchema> {
    use OrgKind::*;
    use SubjectKind::*;
    vec![
        schema(
            BUSINESS_LICENCE,
            "business licence (营业执照)",
            &[Regulator],
            Organisation,
            None,
        ),
        schema(
            SPECIAL_EQUIPMENT_REGISTRATION,
            "special-equipment registration (特种设备使用登记)",
            &[Regulator],
            Equipment,
            None,
        ),
        schema(
            SPECIAL_EQUIPMENT_INSPECTION,
            "special-equipment inspection (特种设备定期检验)",
            &[InspectionBody, Regulator],
            Equipment,
            Some(2192),
        ),
        schema(
            ELEVATOR_MAINTENANCE,
            "elevator maintenance (电梯维保)",
            &[MaintenanceFirm],
            Equipment,
            Some(15),
        ),
        schema(
            ELEVATOR_INSPECTION,
            "elevator inspection (电梯定期检验)",
            &[InspectionBody, Regulator],
            Equipment,
            Some(366),
        ),
        schema(
            METROLOGY_CALIBRATION,
            "metrology calibration certificate (计量检定校准证书)",
            &[InspectionBody],
            Equipment,
            Some(731),
        ),
        schema(
            IP_REGISTRATION,
            "IP registration (知识产权登记)",
            &[Regulator],
            Organisation,
            None,
        ),
        schema(
            ENFORCEMENT_CASE,
            "enforcement case decision (执法案件)",
            &[Regulator],
            Organisation,
            None,
        ),
        schema(
            UNQUALIFIED_PRODUCT_DISPOSAL,
            "unqualified-product disposal (不合格产品后处理)",
            &[Regulator],
            Lot,
            None,
        ),
        schema(
            DRUG_INSPECTION,
            "drug inspection report (药品检查)",
            &[Regulator, InspectionBody],
            Lot,
            None,
        ),
        schema(
            BATCH_RELEASE,
            "batch release (批签发)",
            &[Regulator, InspectionBody],
            Lot,
            None,
        ),
        schema(
            INSPECTION_QUARANTINE_CERTIFICATE,
            "inspection/quarantine certificate (检验检疫证明)",
            &[Customs],
            Lot,
            None,
        ),
        schema(
            NUCLEIC_ACID_REPORT,
            "nucleic-acid report (核酸检测报告)",
            &[InspectionBody, Customs, Cdc],
            Lot,
            None,
        ),
        schema(
            DISINFECTION_CERTIFICATE,
            "disinfection certificate (消毒证明)",
            &[SupervisedWarehouse, Cdc, InspectionBody],
            Lot,
            None,
        ),
        schema(
            ORIGIN_CERTIFICATE,
            "origin certificate (合格证)",
            &[Producer],
            Lot,
            None,
        ),
        schema(
            QUICK_TEST_RESULT,
            "quick test result (快检)",
            &[InspectionBody, Retailer, Caterer, Regulator],
            Lot,
            None,
        ),
        schema(
            STAFF_HEALTH_CERTIFICATE,
            "staff health certificate (健康证)",
            &[Hospital, Cdc],
            Person,
            Some(366),
        ),
        schema(
            FANGXIN_CONSUMPTION_UNIT,
            "放心消费 unit",
            &[Regulator],
            Organisation,
            None,
        ),
        schema(
            SUNSHINE_KITCHEN,
            "阳光厨房 kitchen",
            &[Regulator],
            Location,
            None,
        ),
        schema(
            PHARMACIST_LICENCE,
            "licensed pharmacist registration (执业药师注册证)",
            &[Regulator, CertificationBody],
            Person,
            Some(1827),
        ),
        schema(
            EQUIPMENT_INSURANCE,
            "equipment liability insurance (电梯安全责任保险)",
            &[Insurer],
            Equipment,
            Some(366),
        ),
        schema(
            EQUIPMENT_ACCIDENT,
            "special-equipment accident (特种设备事故)",
            &[Regulator],
            Equipment,
            None,
        ),
    ]
}
