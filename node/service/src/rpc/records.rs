//! `records_*` ([`yima_rpc_api::records`]): the domain read-backs, each answered at the finalized head with
//! the state reads it rests on ([`yima_rpc_api::reads::Recorder`]), so the client recomputes it from proven
//! values.
//!
//! Personal records ([`PersonalRecord`]) need a [`ReadGrant`]: the grant must verify for this chain, method
//! and record at the node's clock, and its account must be an active member of an active organisation of a
//! kind the record names. Every personal read that passes is logged at `info` (account, organisation,
//! method), so the regulator can audit who looked at whose record; those that fail answer
//! [`ACCESS_DENIED`] with the reason.

use jsonrpsee::types::ErrorObjectOwned;
use parity_scale_codec::Encode;
use yima_attestation::types::Subject;
use yima_frame::state::StateBackend;
use yima_frame::{AccountId, Moment};
use yima_membership::types::AccountStatus;
use yima_rpc_api::params::{self, ParamError};
use yima_rpc_api::readback;
use yima_rpc_api::reads::{ReadError, ReadSource, Reader, Recorder};
use yima_rpc_api::records::*;
use yima_rpc_api::ReadGrant;
use yima_storage::RocksState;

use super::error::{bad_params, node_error};
use super::Rpc;

/// Error code: a personal record asked for without a grant that entitles the caller.
pub const ACCESS_DENIED: i32 = 1060;

/// A refused personal read.
pub fn access_denied(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(ACCESS_DENIED, message.into(), None::<()>)
}

fn param(e: ParamError) -> ErrorObjectOwned {
    bad_params(e.0)
}

fn read_error(e: ReadError) -> ErrorObjectOwned {
    match e {
        ReadError::TooManyReads => bad_params(e.to_string()),
        other => node_error(other),
    }
}

fn clock_ms() -> Moment {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Moment)
}

/// The state at the head, read without proofs (who is asking is the node's own business, not the answer's).
struct Head<'a>(&'a RocksState);

impl ReadSource for Head<'_> {
    fn read(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>, ReadError> {
        self.0.get(key).map_err(|e| ReadError::Store(e.to_string()))
    }
}

/// Why `account` may not read `record`, if it may not (state at the head).
fn entitled(
    state: &RocksState,
    account: &AccountId,
    record: PersonalRecord,
) -> Result<u32, ErrorObjectOwned> {
    let mut head = Reader::new(Head(state));
    let Some(a) = head
        .map::<yima_membership::Accounts>(account)
        .map_err(node_error)?
    else {
        return Err(access_denied(format!(
            "account {account} is not a member of this chain: a personal record is read by a member's account"
        )));
    };
    if a.status != AccountStatus::Active {
        return Err(access_denied(format!("account {account} is suspended")));
    }
    let org = head
        .map::<yima_membership::Organisations>(&a.org)
        .map_err(node_error)?
        .ok_or_else(|| {
            node_error(format!(
                "organisation {} of account {account} is missing",
                a.org
            ))
        })?;
    if !org.status.is_active() {
        return Err(access_denied(format!(
            "organisation {} of account {account} is suspended",
            a.org
        )));
    }
    if !record.readers().contains(&org.kind) {
        return Err(access_denied(format!(
            "{} is read by {:?} organisations; organisation {} is {:?}",
            record.method(),
            record.readers(),
            a.org,
            org.kind
        )));
    }
    Ok(a.org)
}

impl Rpc {
    /// Checks `grant` for `record` about `subject` (its SCALE bytes), logging the read when it passes.
    fn authorise(
        &self,
        record: PersonalRecord,
        subject: &[u8],
        grant: &ReadGrant,
    ) -> Result<(), ErrorObjectOwned> {
        use yima_consensus::Host;
        grant
            .check(
                &self.host.genesis_hash(),
                record.method(),
                subject,
                clock_ms(),
            )
            .map_err(|e| access_denied(e.to_string()))?;
        let state = self.host.store().state().map_err(node_error)?;
        let org = entitled(&state, &grant.account, record)?;
        tracing::info!(
            target: "yima::records",
            account = %grant.account,
            org,
            method = record.method(),
            "personal record read"
        );
        Ok(())
    }

    /// Runs `build` at the finalized head over a recorder, and answers with what it read.
    fn answer<T>(
        &self,
        build: impl for<'a> FnOnce(&mut Reader<NodeRecorder<'a>>, Moment) -> Result<T, ReadError>,
    ) -> Result<Proven<T>, ErrorObjectOwned> {
        let state = self.host.store().state().map_err(node_error)?;
        let height = state.head().ok_or_else(|| node_error("no genesis"))?;
        let header = self
            .host
            .store()
            .header(height)
            .map_err(node_error)?
            .ok_or_else(|| node_error(format!("header {height} missing")))?;
        let prove: Prove<'_> =
            Box::new(|key: &[u8]| state.prove(key, height).map_err(|e| e.to_string()));
        let mut reader = Reader::new(Recorder::new(prove));
        let value = build(&mut reader, header.timestamp).map_err(read_error)?;
        Ok(Proven {
            value,
            proof: reader.into_source().finish(height, header.state_root),
        })
    }
}

type ProveResult = Result<(Option<Vec<u8>>, yima_frame::state::StateProof), String>;

/// The node's recorder: proves keys against the state at one height.
type NodeRecorder<'a> = Recorder<Prove<'a>>;

/// Proves one key at the height read.
type Prove<'a> = Box<dyn FnMut(&[u8]) -> ProveResult + 'a>;

impl RecordsApiServer for Rpc {
    fn record_card(
        &self,
        recipient: String,
        grant: ReadGrant,
    ) -> Result<Proven<RecordCardJson>, ErrorObjectOwned> {
        let person = params::parse_person(&recipient).map_err(param)?;
        self.authorise(PersonalRecord::RecordCard, &person.encode(), &grant)?;
        self.answer(|r, _| readback::record_card(r, &person))
    }

    fn purchase_window(
        &self,
        buyer: String,
        grant: ReadGrant,
    ) -> Result<Proven<PurchaseWindowJson>, ErrorObjectOwned> {
        let person = params::parse_person(&buyer).map_err(param)?;
        self.authorise(PersonalRecord::PurchaseWindow, &person.encode(), &grant)?;
        self.answer(|r, now| readback::purchase_window(r, &person, now))
    }

    fn prescription(
        &self,
        id: String,
        grant: ReadGrant,
    ) -> Result<Proven<Option<PrescriptionJson>>, ErrorObjectOwned> {
        let id = yima_frame::Hash::from_hex(id.trim())
            .map_err(|e| bad_params(format!("a prescription id is the document's SHA-256: {e}")))?;
        self.authorise(PersonalRecord::Prescription, &id.encode(), &grant)?;
        self.answer(|r, _| readback::prescription(r, &id))
    }

    fn pharmacist(
        &self,
        pharmacist: String,
    ) -> Result<Proven<Option<PharmacistJson>>, ErrorObjectOwned> {
        let person = params::parse_person(&pharmacist).map_err(param)?;
        self.answer(|r, _| readback::pharmacist(r, &person))
    }

    fn black_box(&self, lot: String) -> Result<Proven<BlackBoxJson>, ErrorObjectOwned> {
        let lot = params::parse_lot(&lot).map_err(param)?;
        self.answer(|r, _| readback::black_box(r, &lot))
    }

    fn customs_entry(&self, lot: String) -> Result<Proven<CustomsEntryJson>, ErrorObjectOwned> {
        let lot = params::parse_lot(&lot).map_err(param)?;
        self.answer(|r, _| readback::customs_entry(r, &lot))
    }

    fn equipment(&self, code: String) -> Result<Proven<Option<EquipmentJson>>, ErrorObjectOwned> {
        let code = params::parse_equipment(&code).map_err(param)?;
        self.answer(|r, _| readback::equipment(r, &code))
    }

    fn attestations(
        &self,
        subject: String,
        grant: Option<ReadGrant>,
    ) -> Result<Proven<SubjectAttestationsJson>, ErrorObjectOwned> {
        let subject = params::parse_subject(&subject).map_err(param)?;
        if let Subject::Person(_) = subject {
            let grant = grant.ok_or_else(|| {
                access_denied("the attestations about a person are read with a grant: sign one as a member (yima records … --as ACCOUNT)")
            })?;
            self.authorise(
                PersonalRecord::PersonAttestations,
                &subject.encode(),
                &grant,
            )?;
        }
        self.answer(|r, now| readback::attestations(r, &subject, now))
    }

    fn organisation(
        &self,
        uscc: String,
    ) -> Result<Proven<Option<OrganisationJson>>, ErrorObjectOwned> {
        let uscc = yima_membership::uscc::Uscc::parse(uscc.trim())
            .map_err(|e| bad_params(format!("{uscc:?} is not a USCC: {e}")))?;
        self.answer(|r, now| readback::organisation(r, &uscc, now))
    }
}
