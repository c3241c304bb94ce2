//! The read-backs as functions of state: each reads storage through a [`Reader`] and builds its JSON. The node
//! runs them over a [`crate::reads::Recorder`] to answer, the client over [`crate::reads::Verified`] to check
//! the answer: one definition of what each answer means.
//!
//! Lists are read through their counted indexes (a pharmacist's `bindings`, a recipient's `Doses`, a
//! subject's `SubjectCount`), so a proven answer is also a complete one.

use yima_attestation::types::{Attestation, PseudonymousId, Subject};
use yima_cold_chain::types::{ColdLot, Entry};
use yima_drug::types::{Anchor, Prescription};
use yima_frame::{Hash, Moment};
use yima_membership::uscc::Uscc;
use yima_membership::OrgStatus;
use yima_trace::types::LotKey;

use crate::params::subject_text;
use crate::reads::{ReadError, ReadSource, Reader};
use crate::records::*;

impl From<&LotKey> for LotJson {
    fn from(l: &LotKey) -> Self {
        Self {
            product: l.product.as_str().to_owned(),
            lot: l.lot.as_str().to_owned(),
        }
    }
}

fn person(p: &PseudonymousId) -> Hash {
    Hash(p.0)
}

fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => crate::to_hex(bytes),
    }
}

/// `recipient`'s record card.
pub fn record_card<S: ReadSource>(
    r: &mut Reader<S>,
    recipient: &PseudonymousId,
) -> Result<RecordCardJson, ReadError> {
    let count = r.map::<yima_vaccine::Doses>(recipient)?.unwrap_or(0);
    let mut doses = Vec::new();
    for position in 0..count {
        let code = r
            .double::<yima_vaccine::DoseAt>(recipient, &position)?
            .ok_or_else(|| ReadError::Store(format!("dose {position} of {count} has no code")))?;
        let a = r
            .double::<yima_vaccine::RecordCard>(recipient, &code)?
            .ok_or_else(|| ReadError::Store(format!("dose {code} has no record")))?;
        doses.push(DoseJson {
            code: code.to_string(),
            lot: LotJson::from(&a.lot),
            cdc: a.cdc,
            site: a.site,
            equipment: text(&a.equipment),
            vaccinator: person(&a.vaccinator),
            time: a.time,
            block: a.block,
        });
    }
    Ok(RecordCardJson {
        recipient: person(recipient),
        doses,
    })
}

/// `buyer`'s purchase window judged at `now` (the block's time).
pub fn purchase_window<S: ReadSource>(
    r: &mut Reader<S>,
    buyer: &PseudonymousId,
    now: Moment,
) -> Result<PurchaseWindowJson, ReadError> {
    let policy = r.value::<yima_drug::Policy>()?.unwrap_or_default();
    let window = r.map::<yima_drug::Windows>(buyer)?.unwrap_or_default();
    let packs_in_window = window.packs_in_window(now, policy.window_ms);
    Ok(PurchaseWindowJson {
        buyer: person(buyer),
        now,
        purchases: window
            .entries
            .iter()
            .map(|p| PurchaseJson {
                at: p.at,
                packs: p.packs,
            })
            .collect(),
        packs_in_window,
        window_packs: policy.window_packs,
        window_ms: policy.window_ms,
        remaining: policy.window_packs.saturating_sub(packs_in_window),
    })
}

fn prescription_state(p: &Prescription) -> &'static str {
    match &p.review {
        None => "uploaded",
        Some(r) if !r.approved => "rejected",
        Some(_) if p.is_fully_dispensed() => "dispensed",
        Some(_) if p.lines.iter().any(|l| l.dispensed > 0) => "partly_dispensed",
        Some(_) => "approved",
    }
}

/// Prescription `id`, if there is one.
pub fn prescription<S: ReadSource>(
    r: &mut Reader<S>,
    id: &Hash,
) -> Result<Option<PrescriptionJson>, ReadError> {
    Ok(r.map::<yima_drug::Prescriptions>(id)?
        .map(|p| PrescriptionJson {
            id: *id,
            hospital: p.hospital,
            uploaded_by: p.uploaded_by,
            patient: person(&p.patient),
            lines: p
                .lines
                .iter()
                .map(|l| PrescriptionLineJson {
                    drug: l.drug.as_str().to_owned(),
                    quantity: l.quantity,
                    dispensed: l.dispensed,
                })
                .collect(),
            uploaded_block: p.uploaded_block,
            review: p.review.as_ref().map(|v| ReviewJson {
                pharmacy: v.pharmacy,
                pharmacist: person(&v.pharmacist),
                approved: v.approved,
                block: v.block,
            }),
            state: prescription_state(&p).to_owned(),
        }))
}

/// Pharmacist `id` and every binding they had, if they were ever bound.
pub fn pharmacist<S: ReadSource>(
    r: &mut Reader<S>,
    id: &PseudonymousId,
) -> Result<Option<PharmacistJson>, ReadError> {
    let Some(p) = r.map::<yima_drug::Pharmacists>(id)? else {
        return Ok(None);
    };
    let mut bindings = Vec::new();
    for n in 0..p.bindings {
        let b = r
            .double::<yima_drug::Bindings>(id, &n)?
            .ok_or_else(|| ReadError::Store(format!("binding {n} of {} is missing", p.bindings)))?;
        bindings.push(BindingJson {
            pharmacy: b.pharmacy,
            licence: b.licence,
            bound_at: b.bound_at,
            bound_block: b.bound_block,
            unbound_at: b.unbound_at,
        });
    }
    Ok(Some(PharmacistJson {
        pharmacist: person(id),
        pharmacy: p.pharmacy,
        licence: p.licence,
        bindings,
    }))
}

fn anchor(a: Option<Anchor>) -> Option<AnchorJson> {
    a.map(|a| AnchorJson {
        digest: a.digest,
        block: a.block,
        time: a.time,
    })
}

/// The black box of `lot`.
pub fn black_box<S: ReadSource>(
    r: &mut Reader<S>,
    lot: &LotKey,
) -> Result<BlackBoxJson, ReadError> {
    let policy = r.value::<yima_drug::Policy>()?.unwrap_or_default();
    let records = r.map::<yima_drug::BatchRecordsOf>(lot)?.unwrap_or_default();
    Ok(BlackBoxJson {
        lot: LotJson::from(lot),
        wms: anchor(records.wms),
        scada: anchor(records.scada),
        lims: anchor(records.lims),
        required: policy.require_batch_records,
        complete: records.wms.is_some() && records.scada.is_some() && records.lims.is_some(),
    })
}

fn entry(e: Entry) -> EntryJson {
    EntryJson {
        importer: e.importer,
        declaration: e.declaration.as_str().to_owned(),
        origin: String::from_utf8_lossy(&e.origin.0).into_owned(),
        port: e.port.as_str().to_owned(),
        consignment: e.consignment.to_string(),
        quantity: e.quantity,
        uom: e.uom.map(|u| String::from_utf8_lossy(&u).into_owned()),
        declared_at: e.declared_at,
        clearance: e.clearance.map(|c| ClearanceJson {
            customs: c.customs,
            certificate: c.certificate,
            at: c.at,
        }),
        codes_issued: e.codes_issued,
    }
}

/// The customs record of cold-chain lot `lot`.
pub fn customs_entry<S: ReadSource>(
    r: &mut Reader<S>,
    lot: &LotKey,
) -> Result<CustomsEntryJson, ReadError> {
    use yima_cold_chain as cc;
    let cold = r.map::<cc::ColdLots>(lot)?;
    let (cold_lot, derived_from) = match &cold {
        None => (None, vec![]),
        Some(ColdLot::Imported) => (Some("imported".to_owned()), vec![]),
        Some(ColdLot::Derived(from)) => (
            Some("derived".to_owned()),
            from.iter().map(LotJson::from).collect(),
        ),
    };
    Ok(CustomsEntryJson {
        lot: LotJson::from(lot),
        cold_lot,
        derived_from,
        entry: r.map::<cc::Entries>(lot)?.map(entry),
        positive: r.map::<cc::Positives>(lot)?.map(|p| PositiveJson {
            by: p.by,
            report: p.report,
            at: p.at,
            recalled: p.recalled,
        }),
        release: r.map::<cc::Releases>(lot)?.map(|x| ReleaseJson {
            by: x.by,
            positive: x.positive,
            retest: x.retest,
            decision: x.decision,
            recall_lifted: x.recall_lifted,
            at: x.at,
        }),
        disposal: r.map::<cc::Disposals>(lot)?.map(|d| DisposalJson {
            by: d.by,
            disposal: d.disposal,
            at: d.at,
        }),
    })
}

fn attestation(id: Hash, a: &Attestation, now: Moment) -> AttestationJson {
    AttestationJson {
        id,
        schema: a.schema,
        issuer_org: a.issuer_org,
        issuer: a.issuer,
        subject: subject_text(&a.subject),
        digest: a.digest,
        uri: a
            .uri
            .as_deref()
            .map(|u| String::from_utf8_lossy(u).into_owned()),
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        issued_at: a.issued_at,
        revoked: a.revoked.as_ref().map(|v| RevocationJson {
            by: v.by,
            reason: v.reason,
            at: v.at,
            time: v.time,
        }),
        valid: a.check_at(now).is_ok(),
    }
}

fn attestations_about<S: ReadSource>(
    r: &mut Reader<S>,
    subject: &Subject,
    now: Moment,
) -> Result<Vec<AttestationJson>, ReadError> {
    use yima_attestation as at;
    let count = r.map::<at::SubjectCount>(subject)?.unwrap_or(0);
    let mut out = Vec::new();
    for position in 0..count {
        let id = r
            .double::<at::SubjectAt>(subject, &position)?
            .ok_or_else(|| {
                ReadError::Store(format!("attestation {position} of {count} has no id"))
            })?;
        let a = r
            .map::<at::Attestations>(&id)?
            .ok_or_else(|| ReadError::Store(format!("attestation {id} is indexed but missing")))?;
        out.push(attestation(id, &a, now));
    }
    Ok(out)
}

/// Every attestation about `subject`, validity judged at `now` (the block's time).
pub fn attestations<S: ReadSource>(
    r: &mut Reader<S>,
    subject: &Subject,
    now: Moment,
) -> Result<SubjectAttestationsJson, ReadError> {
    Ok(SubjectAttestationsJson {
        subject: subject_text(subject),
        now,
        attestations: attestations_about(r, subject, now)?,
    })
}

/// The member organisation with USCC `uscc`, if there is one.
pub fn organisation<S: ReadSource>(
    r: &mut Reader<S>,
    uscc: &Uscc,
    now: Moment,
) -> Result<Option<OrganisationJson>, ReadError> {
    use yima_membership as m;
    let Some(id) = r.map::<m::OrgByUscc>(uscc)? else {
        return Ok(None);
    };
    let org = r
        .map::<m::Organisations>(&id)?
        .ok_or_else(|| ReadError::Store(format!("organisation {id} is indexed but missing")))?;
    let prefixes = r.map::<m::OrgPrefixes>(&id)?.unwrap_or_default();
    let (status, suspended_by) = match org.status {
        OrgStatus::Active => ("active", None),
        OrgStatus::Suspended { by } => ("suspended", Some(by)),
    };
    Ok(Some(OrganisationJson {
        id,
        name: String::from_utf8_lossy(&org.name).into_owned(),
        kind: org.kind,
        uscc: org.uscc.to_string(),
        status: status.to_owned(),
        suspended_by,
        admitted_at: org.admitted_at,
        prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
        attestations: attestations_about(r, &Subject::Organisation(*uscc), now)?,
    }))
}

fn unit_record(r: yima_equipment::Record) -> UnitRecordJson {
    UnitRecordJson {
        attestation: r.attestation,
        by: r.by,
        at: r.at,
        until: r.until,
    }
}

/// The unit registered under `code` (its number, or the GIAI on its label); `None` when there is none.
pub fn equipment<S: ReadSource>(
    r: &mut Reader<S>,
    code: &yima_codes::EquipmentCode,
) -> Result<Option<EquipmentJson>, ReadError> {
    use yima_equipment::{Lapse, UnitStatus};
    let number = match code {
        yima_codes::EquipmentCode::Registration(n) => n.clone(),
        yima_codes::EquipmentCode::Giai(g) => match r.map::<yima_equipment::ByGiai>(g)? {
            Some(n) => n,
            None => return Ok(None),
        },
    };
    let Some(unit) = r.map::<yima_equipment::Units>(&number)? else {
        return Ok(None);
    };
    Ok(Some(EquipmentJson {
        number: number.to_string(),
        kind: unit.kind.as_str().to_owned(),
        giai: unit.giai.map(|g| g.to_string()),
        area: unit.area,
        address: text(&unit.address),
        user: unit.user,
        maintainer: unit.maintainer,
        rescue: text(&unit.rescue),
        registered_at: unit.registered_at,
        registered_by: unit.registered_by,
        status: match unit.status {
            UnitStatus::InService => "in_service",
            UnitStatus::Stopped => "stopped",
        }
        .to_owned(),
        maintenance: unit.maintenance.map(unit_record),
        inspection: unit.inspection.map(unit_record),
        insurance: unit.insurance.map(unit_record),
        accidents: unit.accidents,
        maintenance_due: unit.maintenance_due,
        inspection_due: unit.inspection_due,
        lapses: [Lapse::MaintenanceOverdue, Lapse::InspectionExpired]
            .into_iter()
            .filter(|l| unit.is_lapsed(*l))
            .map(|l| l.as_str().to_owned())
            .collect(),
    }))
}
