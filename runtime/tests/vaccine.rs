//! A vaccine's whole life through real signed transactions and blocks: the manufacturer commissions doses and
//! packs them, tries to ship before batch release (refused), the lab releases the batch, the doses go to the CDC
//! and on to a vaccination site — one of them through a temperature excursion — and the site administers doses
//! with their 7-in-one records; a second administration of a dose, the flagged dose, a recipient given by national
//! id and an administration by a non-site are refused — each refusal, and the excursion, an alert. Every block is indexed as a node would, and the trace
//! rebuild (一码统管) of an administered dose returns every hop, each proven into its block's `events_root`.

mod common;

use common::trace::*;
use yima_attestation::{schemas, AttestationInspect, LotRef, PseudonymousId, Subject};
use yima_codes::{ProductId, SerialNumber, TraceCode};
use yima_frame::{sha256, OrgId, Role};
use yima_membership::OrgKind;
use yima_runtime::alerts::{Alert, AlertKind};
use yima_runtime::query::{trace, Relation};
use yima_runtime::{describe_error, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig};
use yima_trace::epcis::BizStep;
use yima_trace::types::{Category, CodeStatus, LotKey, TemperatureRange};
use yima_vaccine::types::{Administration, AdministrationRecord};

const CDC: &str = "11330100MA2Y002020";
const SITE: &str = "12330100MA2Y01515F";
const LAB: &str = "12330100MA2Y016168";
const HOSPITAL: &str = "12330100MA2Y01414N";

/// Organisation ids after the trace genesis's five.
const CDC_ORG: OrgId = 5;
const SITE_ORG: OrgId = 6;
const LAB_ORG: OrgId = 7;

/// The trace genesis plus a CDC, a vaccination site, an inspection lab (batch release) and a hospital, each with
/// an account named after it.
fn vaccine_genesis() -> RuntimeGenesisConfig {
    let mut config = trace_genesis_config();
    add_members(
        &mut config,
        &[
            ("cdc", OrgKind::Cdc, uscc(CDC), &[Role::Operator]),
            (
                "site",
                OrgKind::VaccinationSite,
                uscc(SITE),
                &[Role::Operator],
            ),
            (
                "lab",
                OrgKind::InspectionBody,
                uscc(LAB),
                &[Role::Inspector],
            ),
            (
                "hospital",
                OrgKind::Hospital,
                uscc(HOSPITAL),
                &[Role::Operator],
            ),
        ],
    );
    let m = &config.membership;
    assert_eq!(m.organisations[CDC_ORG as usize].kind, OrgKind::Cdc);
    config
}

fn chain() -> IndexedChain {
    IndexedChain::with_config(&vaccine_genesis())
}

fn dose(n: u32) -> TraceCode {
    TraceCode::Sgtin {
        gtin: maker_gtin(),
        serial: SerialNumber::parse(&format!("D{n}")).unwrap(),
    }
}

fn lot() -> LotKey {
    lot_of(maker_gtin(), "V2026A")
}

fn release_subject() -> Subject {
    Subject::Lot(LotRef {
        product: lot().product,
        lot: lot().lot,
    })
}

fn person(name: &str) -> PseudonymousId {
    PseudonymousId(sha256(format!("pepper|{name}").as_bytes()).0)
}

fn administer(n: u32, recipient: PseudonymousId) -> RuntimeCall {
    RuntimeCall::Vaccine(yima_vaccine::Call::Administer {
        record: AdministrationRecord {
            code: dose(n),
            batch: lot().lot,
            cdc: CDC_ORG,
            equipment: b"FRIDGE-2".to_vec(),
            vaccinator: person("vaccinator 7"),
            recipient,
            time: 2,
            time_zone_offset_minutes: 480,
        },
    })
}

/// The refusals of a block, in the words a regulator reads.
fn refusals(built: &yima_runtime::BuiltBlock) -> Vec<String> {
    failures(built).iter().map(describe_error).collect()
}

/// The alerts of a block (what the node pushes to regulators).
fn alerts(built: &yima_runtime::BuiltBlock) -> Vec<Alert> {
    events(built)
        .iter()
        .filter_map(RuntimeEvent::alert)
        .collect()
}

/// The runtime events of a block.
fn events(built: &yima_runtime::BuiltBlock) -> Vec<RuntimeEvent> {
    built
        .events
        .iter()
        .map(|e| e.decode::<RuntimeEvent>().unwrap().event)
        .collect()
}

#[test]
fn manufacturer_to_cdc_to_site_to_administration_with_release_alerts_and_a_provable_trace() {
    let mut c = chain();
    let doses: Vec<TraceCode> = (0..4).map(dose).collect();

    // Block 1: the vaccine product, 2–8 °C, and the regulator's approval citing its licence.
    c.ok(vec![
        (
            "maker",
            RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
                product: ProductId::Gtin(maker_gtin()),
                name: "Demo vaccine".as_bytes().to_vec(),
                category: Category::Vaccine,
                temperature: Some(TemperatureRange::VACCINE),
                shelf_life_days: 730,
            }),
        ),
        ("reg1", approve(ProductId::Gtin(maker_gtin()))),
    ]);
    // Block 2: four doses commissioned and packed in a case.
    c.ok(vec![(
        "maker",
        capture(vec![
            commissioning(doses.clone(), Some(lot())),
            commissioning(vec![sscc(0)], None),
            packing(sscc(0), doses.clone()),
        ]),
    )]);
    // Block 3: shipping before batch release is refused, and the refusal is in the block.
    let refused = c.block(vec![(
        "maker",
        capture(vec![shipping_at(vec![sscc(0)], CDC_ORG, 500)]),
    )]);
    let unreleased = alerts(&refused);
    assert_eq!(unreleased.len(), 1);
    assert_eq!(unreleased[0].kind, AlertKind::Refusal);
    assert!(
        unreleased[0]
            .message
            .contains("Vaccine::BatchNotReleased: "),
        "{}",
        unreleased[0].message
    );
    // Block 4: the lab releases the batch.
    let release = c.ok(vec![(
        "lab",
        RuntimeCall::Attestation(yima_attestation::Call::Attest {
            schema: schemas::BATCH_RELEASE,
            subject: release_subject(),
            digest: sha256(b"batch release certificate V2026A"),
            uri: None,
            valid_from: 0,
            valid_until: None,
        }),
    )]);
    let release_id = events(&release)
        .into_iter()
        .find_map(|e| match e {
            RuntimeEvent::Attestation(yima_attestation::Event::Attested {
                id,
                schema,
                subject,
                issuer_org,
            }) => {
                assert_eq!(
                    (schema, subject, issuer_org),
                    (schemas::BATCH_RELEASE, release_subject(), LAB_ORG)
                );
                Some(id)
            }
            _ => None,
        })
        .expect("the release is announced");
    // Blocks 5–6: the case to the CDC at 5 °C; the CDC receives and opens it.
    c.ok(vec![(
        "maker",
        capture(vec![shipping_at(vec![sscc(0)], CDC_ORG, 500)]),
    )]);
    c.ok(vec![(
        "cdc",
        capture(vec![receiving(vec![sscc(0)]), unpacking(sscc(0), vec![])]),
    )]);
    // Block 7: three doses to the site at 5 °C, the fourth in a cold box that reached 10 °C.
    let hot = c.ok(vec![(
        "cdc",
        capture(vec![
            shipping_at(doses[..3].to_vec(), SITE_ORG, 500),
            shipping_at(vec![dose(3)], SITE_ORG, 1_000),
        ]),
    )]);
    let hot_alerts = alerts(&hot);
    assert_eq!(hot_alerts.len(), 1, "{hot_alerts:?}");
    assert_eq!(
        (hot_alerts[0].kind, hot_alerts[0].codes.clone()),
        (AlertKind::TemperatureExcursion, vec![dose(3)])
    );
    // Block 8: the site receives them all.
    c.ok(vec![("site", capture(vec![receiving(doses.clone())]))]);
    // Block 9: two administrations.
    let given = c.ok(vec![
        ("site", administer(0, person("recipient A"))),
        ("site", administer(1, person("recipient B"))),
    ]);
    let records: Vec<Administration> = events(&given)
        .into_iter()
        .filter_map(|e| match e {
            RuntimeEvent::Vaccine(yima_vaccine::Event::Administered(a)) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(
        records
            .iter()
            .map(|a| (a.code, a.recipient, a.cdc, a.site, a.lot.clone()))
            .collect::<Vec<_>>(),
        vec![
            (dose(0), person("recipient A"), CDC_ORG, SITE_ORG, lot()),
            (dose(1), person("recipient B"), CDC_ORG, SITE_ORG, lot()),
        ]
    );
    // Block 10: a second administration of dose 0, the flagged dose, a national id in clear, and a hospital.
    let mut national_id = [0u8; 32];
    national_id[..18].copy_from_slice(b"11010519491231002X");
    let refused = c.block(vec![
        ("site", administer(0, person("recipient C"))),
        ("site", administer(3, person("recipient C"))),
        ("site", administer(2, PseudonymousId(national_id))),
        ("hospital", administer(2, person("recipient C"))),
    ]);
    let words = refusals(&refused);
    let names: Vec<&str> = words
        .iter()
        .map(|w| w.split(':').take(3).collect::<Vec<_>>()[2])
        .collect();
    assert_eq!(
        names,
        vec![
            "AlreadyAdministered",
            "ExcursionFlagged",
            "RecipientNotPseudonymous",
            "NotVaccinationSite"
        ],
        "{words:?}"
    );
    assert!(words[0].contains("double administration"), "{}", words[0]);
    // Each refusal is an alert for the regulators' stream, in the pallet's words.
    let refused_alerts = alerts(&refused);
    assert_eq!(refused_alerts.len(), 4);
    for (alert, words) in refused_alerts.iter().zip(&words) {
        assert_eq!(alert.kind, AlertKind::Refusal);
        assert!(alert.message.contains(words.as_str()), "{}", alert.message);
    }
    // An administration is no alert.
    assert_eq!(alerts(&given), vec![]);

    // State: custody, the batch release, the record cards.
    let custody = c.chain.read(|| {
        doses
            .iter()
            .map(|d| yima_trace::custody::custody(d, 0).unwrap().status)
            .collect::<Vec<_>>()
    });
    assert_eq!(
        custody,
        vec![
            CodeStatus::Administered,
            CodeStatus::Administered,
            CodeStatus::Active,
            CodeStatus::Active
        ]
    );
    c.chain.read(|| {
        let now = yima_system::Pallet::<yima_runtime::Runtime>::now();
        assert!(yima_runtime::Attestation::has_valid(
            &release_subject(),
            schemas::BATCH_RELEASE,
            now
        ));
        assert!(yima_runtime::Attestation::is_valid(
            &release_id,
            &release_subject(),
            schemas::BATCH_RELEASE,
            now
        )
        .is_ok());
        let card =
            yima_vaccine::Pallet::<yima_runtime::Runtime>::record_card(&person("recipient A"));
        assert_eq!(card.len(), 1);
        assert_eq!((card[0].0, card[0].1.block), (dose(0), 9));
        assert!(
            yima_vaccine::Pallet::<yima_runtime::Runtime>::record_card(&person("recipient C"))
                .is_empty()
        );
    });

    // The trace of dose 0: every hop, from commissioning to administration, each proven into its block.
    let t = trace(&c.index, &dose(0)).unwrap();
    use BizStep::*;
    use Relation::*;
    let seen = hops_by_org(&t.hops);
    assert_eq!(
        seen,
        vec![
            (2, Commissioning, Own, MAKER_ORG),
            (2, Packing, Own, MAKER_ORG),
            (5, Shipping, Container, MAKER_ORG),
            (6, Receiving, Container, CDC_ORG),
            // "Unpack everything" names only the case.
            (6, Unpacking, Container, CDC_ORG),
            (7, Shipping, Own, CDC_ORG),
            (8, Receiving, Own, SITE_ORG),
            (9, Administering, Own, SITE_ORG),
        ]
    );
    let administering = t.hops.last().unwrap().epcis();
    assert_eq!(administering.source, Some(CDC_ORG));
    c.verify_inclusion(&t.hops);
}
