//! A read-back recorded over a real Jellyfish Merkle state, then checked and replayed as a client does: the
//! honest answer replays to the same JSON, and every way a node could bend it — a changed value, a dropped key,
//! another root, a proof standing for another key — fails.

use parity_scale_codec::Encode;
use yima_attestation::types::PseudonymousId;
use yima_codes::{LotNumber, ProductId, TraceCode};
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::Hash;
use yima_rpc_api::readback::record_card;
use yima_rpc_api::reads::{ReadError, Reader, Recorder, StateReads, Verified};
use yima_rpc_api::records::RecordCardJson;
use yima_trace::types::LotKey;
use yima_vaccine::types::Administration;
use yima_vaccine::{DoseAt, Doses, RecordCard};

fn wang() -> PseudonymousId {
    PseudonymousId([0x11; 32])
}

fn dose(n: u32) -> TraceCode {
    TraceCode::parse(&format!("(01)06901234567892(21)D{n}")).unwrap()
}

fn state() -> MemoryState {
    state_with(2)
}

/// Wang's card with `doses` doses.
fn state_with(doses: u32) -> MemoryState {
    let lot = LotKey {
        product: ProductId::parse("06901234567892").unwrap(),
        lot: LotNumber::parse("L1").unwrap(),
    };
    let mut changes = vec![(Doses::storage_key(&wang()), Some(doses.encode()))];
    for n in 0..doses {
        let a = Administration {
            code: dose(n),
            lot: lot.clone(),
            cdc: 3,
            site: 7,
            equipment: b"FRIDGE-1".to_vec(),
            vaccinator: PseudonymousId([0x22; 32]),
            recipient: wang(),
            time: 1_800_000_000_000 + u64::from(n),
            block: 10 + u64::from(n),
        };
        changes.push((DoseAt::storage_key(&wang(), &n), Some(dose(n).encode())));
        changes.push((RecordCard::storage_key(&wang(), &dose(n)), Some(a.encode())));
    }
    let state = MemoryState::new();
    state.commit(state.prepare(0, changes).unwrap()).unwrap();
    state
}

fn answer(state: &MemoryState) -> (RecordCardJson, StateReads) {
    let mut reader = Reader::new(Recorder::new(|key: &[u8]| {
        state.prove(key, 0).map_err(|e| e.to_string())
    }));
    let card = record_card(&mut reader, &wang()).unwrap();
    let reads = reader.into_source().finish(0, state.root_at(0).unwrap());
    (card, reads)
}

fn replay(reads: &StateReads, root: Hash) -> Result<RecordCardJson, ReadError> {
    let verified = Verified::check(reads, root)?;
    record_card(&mut Reader::new(verified), &wang())
}

#[test]
fn an_honest_answer_replays_to_the_same_card() {
    let state = state();
    let (card, reads) = answer(&state);
    assert_eq!(card.doses.len(), 2);
    assert_eq!(card.doses[1].code, dose(1).to_string());
    assert_eq!(card.doses[0].equipment, "FRIDGE-1");
    // The count, then a code and a record per dose.
    assert_eq!(reads.reads.len(), 5);
    assert_eq!(replay(&reads, state.root_at(0).unwrap()).unwrap(), card);
}

#[test]
fn a_changed_value_fails_its_proof() {
    let state = state();
    let (_, mut reads) = answer(&state);
    // The node says Wang had one dose.
    reads.reads[0].value = Some(format!("0x{}", hex::encode(1u32.encode())));
    let e = replay(&reads, state.root_at(0).unwrap()).unwrap_err();
    assert!(matches!(e, ReadError::BadProof { .. }), "{e}");
}

#[test]
fn a_dropped_dose_is_missing() {
    let state = state();
    let (_, mut reads) = answer(&state);
    reads.reads.truncate(3);
    let e = replay(&reads, state.root_at(0).unwrap()).unwrap_err();
    assert!(matches!(e, ReadError::Missing(_)), "{e}");
    assert!(e.to_string().contains("left a value out"), "{e}");
}

#[test]
fn an_answer_read_against_another_root_is_refused() {
    let state = state();
    let (_, reads) = answer(&state);
    let e = replay(&reads, Hash([9; 32])).unwrap_err();
    assert!(e.to_string().contains("state root"), "{e}");
    // Claiming the other root in the answer too: then the proofs fail.
    let mut claimed = reads.clone();
    claimed.state_root = Hash([9; 32]).to_string();
    let e = replay(&claimed, Hash([9; 32])).unwrap_err();
    assert!(matches!(e, ReadError::BadProof { .. }), "{e}");
}

#[test]
fn a_proof_of_one_key_does_not_stand_for_another() {
    let state = state();
    let (_, mut reads) = answer(&state);
    // Swap the two doses' records: each proof is valid, but for the other key.
    let (a, b) = (reads.reads[2].clone(), reads.reads[4].clone());
    reads.reads[2].key = b.key.clone();
    reads.reads[4].key = a.key.clone();
    let e = replay(&reads, state.root_at(0).unwrap()).unwrap_err();
    assert!(matches!(e, ReadError::BadProof { .. }), "{e}");
}

#[test]
fn a_card_past_the_read_bound_is_refused_before_it_is_read_whole() {
    // 2,100 doses: 1 + 2 × 2,100 reads, past MAX_READS. The node stops at the bound and proves no more.
    let state = state_with(2_100);
    let mut reader = Reader::new(Recorder::new(|key: &[u8]| {
        state.prove(key, 0).map_err(|e| e.to_string())
    }));
    assert_eq!(
        record_card(&mut reader, &wang()),
        Err(ReadError::TooManyReads)
    );
    let proved = reader.into_source().finish(0, state.root_at(0).unwrap());
    assert_eq!(proved.reads.len(), yima_rpc_api::reads::MAX_READS);
    // A client is not made to check more than the bound either.
    let mut padded = proved.clone();
    padded.reads.push(proved.reads[0].clone());
    assert_eq!(
        Verified::check(&padded, state.root_at(0).unwrap()).unwrap_err(),
        ReadError::TooManyReads
    );
}

mod equipment {
    //! A unit read back by its GIAI: two reads (the GIAI's unit, then the unit), each proven; a node that
    //! hides the unit's open lapse fails its proof.

    use parity_scale_codec::Encode;
    use yima_codes::{EquipmentCode, EquipmentKind, Giai, RegistrationNumber};
    use yima_equipment::{ByGiai, Unit, UnitStatus, Units};
    use yima_frame::state::{MemoryState, StateBackend};
    use yima_frame::storage::StorageMap;
    use yima_rpc_api::readback::equipment;
    use yima_rpc_api::reads::{ReadError, Reader, Recorder, Verified};

    fn lift() -> RegistrationNumber {
        RegistrationNumber::parse("梯11浙A00102(24)").unwrap()
    }

    fn giai() -> Giai {
        Giai::parse("6970000011LIFT02").unwrap()
    }

    fn unit(lapsed: bool) -> Unit {
        Unit {
            kind: EquipmentKind::Elevator,
            giai: Some(giai()),
            area: 330_106,
            address: "门诊楼 2 号梯".as_bytes().to_vec(),
            user: 9,
            maintainer: Some(19),
            rescue: b"96333".to_vec(),
            registered_at: 1_800_000_000_000,
            registered_by: 0,
            status: UnitStatus::InService,
            maintenance: None,
            inspection: None,
            insurance: None,
            accidents: 0,
            maintenance_due: Some(1_801_296_000_000),
            inspection_due: 1_817_280_000_000,
            lapsed: [lapsed, false],
        }
    }

    #[test]
    fn a_unit_read_by_its_giai_replays_and_a_hidden_lapse_fails() {
        let state = MemoryState::new();
        let changes = vec![
            (ByGiai::storage_key(&giai()), Some(lift().encode())),
            (Units::storage_key(&lift()), Some(unit(true).encode())),
        ];
        state.commit(state.prepare(0, changes).unwrap()).unwrap();
        let code = EquipmentCode::parse("https://id.example.com/8004/6970000011LIFT02").unwrap();
        let mut reader = Reader::new(Recorder::new(|key: &[u8]| {
            state.prove(key, 0).map_err(|e| e.to_string())
        }));
        let answer = equipment(&mut reader, &code).unwrap().unwrap();
        assert_eq!(answer.number, "梯11浙A00102(24)");
        assert_eq!(answer.kind, "elevator");
        assert_eq!(answer.lapses, vec!["maintenance_overdue".to_owned()]);
        let root = state.root_at(0).unwrap();
        let mut reads = reader.into_source().finish(0, root);
        assert_eq!(reads.reads.len(), 2);
        let replayed = equipment(
            &mut Reader::new(Verified::check(&reads, root).unwrap()),
            &code,
        )
        .unwrap();
        assert_eq!(replayed, Some(answer));

        // The node swaps in the unit without its lapse.
        reads.reads[1].value = Some(format!("0x{}", hex::encode(unit(false).encode())));
        let e = Verified::check(&reads, root)
            .and_then(|v| equipment(&mut Reader::new(v), &code))
            .unwrap_err();
        assert!(matches!(e, ReadError::BadProof { .. }), "{e}");

        // A GIAI no unit carries: proven absent.
        let other = EquipmentCode::parse("/8004/6970000011LIFT99").unwrap();
        let mut reader = Reader::new(Recorder::new(|key: &[u8]| {
            state.prove(key, 0).map_err(|e| e.to_string())
        }));
        assert_eq!(equipment(&mut reader, &other).unwrap(), None);
    }
}
