//! Story 1 of the worked example: a vaccine minimum pack, in a case, on a pallet — manufacturer → CDC →
//! vaccination site, released by the inspection institute (批签发) before the first shipment and administered
//! through the vaccine pallet's 7-in-one record.

use super::*;

/// Story 1: a vaccine minimum pack traced to its administration.
pub(crate) fn vaccine(story: &mut Story, out: &mut String) {
    let product = NmpaProductCode::parse("8612345").unwrap();
    let pack = |n: u64| TraceCode::Nmpa(NmpaCode::parse(&format!("8612345{n:013}")).unwrap());
    let packs: Vec<TraceCode> = (1..=4).map(pack).collect();
    let (case, pallet) = (sscc(1), sscc(2));
    let lot = LotKey {
        product: ProductId::Nmpa(product),
        lot: LotNumber::parse("202601A").unwrap(),
    };

    // A vaccine is registered by its manufacturer and approved by the regulator, citing its licence.
    story.block(vec![
        (
            "manufacturer",
            register(
                ProductId::Nmpa(product),
                "Demo vaccine (Vero cell), 0.5 ml",
                Category::Vaccine,
                TemperatureRange::VACCINE,
            ),
        ),
        (
            "alice",
            approve(ProductId::Nmpa(product), "国药准字 S2026 demo vaccine"),
        ),
    ]);
    let t = story.now();
    let mut commission = object(Action::Add, packs.clone(), BizStep::Commissioning, t);
    commission.ilmd = Some(Ilmd {
        lot: lot.clone(),
        production_date: t - 30 * DAY,
        expiry: t + 700 * DAY,
    });
    // The inspection institute releases the batch (批签发) before the first shipment.
    let release = RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema: yima_attestation::schemas::BATCH_RELEASE,
        subject: yima_attestation::Subject::Lot(yima_attestation::LotRef {
            product: lot.product,
            lot: lot.lot,
        }),
        digest: sha256("batch release certificate 202601A".as_bytes()),
        uri: None,
        valid_from: t - DAY,
        valid_until: None,
    });
    story.block(vec![
        ("inspection_body", release),
        (
            "manufacturer",
            capture(vec![
                commission,
                object(Action::Add, vec![case, pallet], BizStep::Commissioning, t),
                aggregation(Action::Add, case, packs.clone(), BizStep::Packing, t),
                aggregation(Action::Add, pallet, vec![case], BizStep::Packing, t),
                ship(vec![pallet], "cdc", t, temperature(410, 580, "logger-17")),
            ]),
        ),
    ]);
    let t = story.now();
    story.block(vec![(
        "cdc",
        capture(vec![receive(vec![pallet], t, "CDC cold room 2")]),
    )]);
    let t = story.now();
    story.block(vec![(
        "cdc",
        capture(vec![ship(
            vec![pallet],
            "vaccination_site",
            t,
            temperature(350, 520, "logger-21"),
        )]),
    )]);
    let t = story.now();
    story.block(vec![(
        "vaccination_site",
        capture(vec![
            receive(vec![pallet], t, "clinic fridge 1"),
            aggregation(Action::Delete, pallet, vec![], BizStep::Unpacking, t),
            aggregation(Action::Delete, case, vec![], BizStep::Unpacking, t),
        ]),
    )]);
    let t = story.now();
    // The 7-in-one record: the vaccine pallet records the administering event for the site.
    let pseudonym = |label: &str| yima_attestation::PseudonymousId(sha256(label.as_bytes()).0);
    story.block(vec![(
        "vaccination_site",
        RuntimeCall::Vaccine(yima_vaccine::Call::Administer {
            record: yima_vaccine::types::AdministrationRecord {
                code: packs[1],
                batch: lot.lot,
                cdc: org("cdc"),
                equipment: b"clinic-fridge-1".to_vec(),
                vaccinator: pseudonym("worked example vaccinator"),
                recipient: pseudonym("worked example recipient"),
                time: t,
                time_zone_offset_minutes: 480,
            },
        }),
    )]);

    let index = story.net.index();
    let traced = trace(index, &packs[1]).unwrap();
    story.assert_proven(&traced);
    use BizStep::*;
    use Relation::*;
    assert_eq!(
        steps(&traced),
        vec![
            (2, Own, "manufacturer", Commissioning),
            (2, Own, "manufacturer", Packing),
            (2, Container, "manufacturer", Packing),
            (2, Container, "manufacturer", Shipping),
            (3, Container, "cdc", Receiving),
            (4, Container, "cdc", Shipping),
            (5, Container, "vaccination_site", Receiving),
            (5, Container, "vaccination_site", Unpacking),
            (5, Container, "vaccination_site", Unpacking),
            (6, Own, "vaccination_site", Administering),
        ]
    );
    assert_eq!(traced.hops[2].subject, case);
    assert_eq!(traced.hops[3].subject, pallet);
    assert!(traced.upstream.is_empty() && traced.downstream.is_empty());

    let recalled = recall(index, &story.net.custody(), RecallTarget::Lot(lot)).unwrap();
    let statuses: Vec<CodeStatus> = recalled.rows.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        vec![
            CodeStatus::Active,
            CodeStatus::Administered,
            CodeStatus::Active,
            CodeStatus::Active
        ]
    );
    assert!(recalled
        .rows
        .iter()
        .all(|r| r.holder == org("vaccination_site")));

    out.push_str(
        "### 1. Vaccine: minimum pack → case → pallet, manufacturer → CDC → vaccination site\n\n",
    );
    render_calls(out, &story.log);
    let _ = writeln!(
        out,
        "`trace({})` — the minimum pack that was administered:\n",
        short(&packs[1])
    );
    render_trace(out, &traced);
    let _ = writeln!(out, "`recall(Lot 8612345 / 202601A)`:\n");
    render_recall(out, &recalled);
}
