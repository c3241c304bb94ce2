//! Read-back of the domain records (`records_*`, [`yima_rpc_api::records`]), each checked: the client takes
//! the header at the answer's height, verifies every state proof against its `state_root`, recomputes the
//! answer from the proven values with the node's own read-back ([`yima_rpc_api::readback`]), and refuses an
//! answer whose JSON differs from what its proofs show. A value the node left out, changed or shortened (a
//! record card without its last dose) fails.
//!
//! Personal records are asked for with a [`ReadGrant`] signed here with the member's key, valid for
//! [`GRANT_MS`]. The header is the node's word, as for [`crate::state`]: to trust it without the node, prove
//! an event of that block with [`crate::bundle`], which checks its commit certificate.

use ed25519_dalek::SigningKey;
use parity_scale_codec::Encode;
use yima_attestation::types::{PseudonymousId, Subject};
use yima_frame::{Hash, Moment};
use yima_membership::uscc::Uscc;
use yima_rpc_api::params::{lot_text, subject_text};
use yima_rpc_api::readback;
use yima_rpc_api::reads::{ReadError, Reader, Verified};
use yima_rpc_api::records::*;
use yima_rpc_api::{ReadGrant, RecordsApiClient};
use yima_trace::types::LotKey;

use crate::error::{ClientError, Result};
use crate::rpc::NodeClient;

/// How long a grant the client signs stays valid: 2 minutes (the node accepts up to 5).
pub const GRANT_MS: Moment = 2 * 60 * 1000;

/// A read-back whose proofs held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked<T> {
    /// The answer, recomputed from proven values.
    pub value: T,
    /// The height read.
    pub height: u64,
    /// The state root the proofs were checked against.
    pub state_root: Hash,
}

fn now_ms() -> Moment {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Moment)
}

/// A member's signing key and the chain it signs for: what a personal read needs.
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    /// The member account's key.
    pub key: &'a SigningKey,
    /// The chain's genesis hash.
    pub genesis: &'a Hash,
}

impl Reading<'_> {
    fn grant(&self, record: PersonalRecord, subject: &impl Encode) -> ReadGrant {
        ReadGrant::sign(
            self.key,
            self.genesis,
            record.method(),
            &subject.encode(),
            now_ms() + GRANT_MS,
        )
    }
}

impl NodeClient {
    /// Checks `answer` to `method` and recomputes it with `replay` from its proven values.
    async fn check<T: PartialEq + std::fmt::Debug>(
        &self,
        method: &str,
        answer: Proven<T>,
        replay: impl FnOnce(&mut Reader<Verified>, Moment) -> std::result::Result<T, ReadError>,
    ) -> Result<Checked<T>> {
        let height = answer.proof.height;
        let (root, time) = self.state_root_at(height, method).await?;
        let bad = |e: ReadError| ClientError::BadProof(format!("{method} at block {height}: {e}"));
        let verified = Verified::check(&answer.proof, root).map_err(bad)?;
        let value = replay(&mut Reader::new(verified), time).map_err(bad)?;
        if value != answer.value {
            return Err(ClientError::BadProof(format!(
                "{method} at block {height}: the node's answer differs from what its proofs show \
                 (answered {:?}, proven {value:?})",
                answer.value
            )));
        }
        Ok(Checked {
            value,
            height,
            state_root: root,
        })
    }

    /// `recipient`'s vaccination record card, read as the member `as_member`.
    pub async fn record_card(
        &self,
        recipient: &PseudonymousId,
        as_member: Reading<'_>,
    ) -> Result<Checked<RecordCardJson>> {
        let grant = as_member.grant(PersonalRecord::RecordCard, recipient);
        let text = Hash(recipient.0).to_string();
        let method = PersonalRecord::RecordCard.method();
        let answer = self
            .retrying(method, |http| http.record_card(text.clone(), grant.clone()))
            .await?;
        self.check(method, answer, |r, _| readback::record_card(r, recipient))
            .await
    }

    /// `buyer`'s purchase window of controlled compound preparations, read as the member `as_member`.
    pub async fn purchase_window(
        &self,
        buyer: &PseudonymousId,
        as_member: Reading<'_>,
    ) -> Result<Checked<PurchaseWindowJson>> {
        let grant = as_member.grant(PersonalRecord::PurchaseWindow, buyer);
        let text = Hash(buyer.0).to_string();
        let method = PersonalRecord::PurchaseWindow.method();
        let answer = self
            .retrying(method, |http| {
                http.purchase_window(text.clone(), grant.clone())
            })
            .await?;
        self.check(method, answer, |r, now| {
            readback::purchase_window(r, buyer, now)
        })
        .await
    }

    /// Prescription `id`, read as the member `as_member`.
    pub async fn prescription(
        &self,
        id: &Hash,
        as_member: Reading<'_>,
    ) -> Result<Checked<Option<PrescriptionJson>>> {
        let grant = as_member.grant(PersonalRecord::Prescription, id);
        let method = PersonalRecord::Prescription.method();
        let answer = self
            .retrying(method, |http| {
                http.prescription(id.to_string(), grant.clone())
            })
            .await?;
        self.check(method, answer, |r, _| readback::prescription(r, id))
            .await
    }

    /// Pharmacist `id`'s licence and bindings.
    pub async fn pharmacist(&self, id: &PseudonymousId) -> Result<Checked<Option<PharmacistJson>>> {
        let method = "records_pharmacist";
        let text = Hash(id.0).to_string();
        let answer = self
            .retrying(method, |http| http.pharmacist(text.clone()))
            .await?;
        self.check(method, answer, |r, _| readback::pharmacist(r, id))
            .await
    }

    /// The black box of drug batch `lot`.
    pub async fn black_box(&self, lot: &LotKey) -> Result<Checked<BlackBoxJson>> {
        let method = "records_blackBox";
        let answer = self
            .retrying(method, |http| http.black_box(lot_text(lot)))
            .await?;
        self.check(method, answer, |r, _| readback::black_box(r, lot))
            .await
    }

    /// The customs record of cold-chain lot `lot`.
    pub async fn customs_entry(&self, lot: &LotKey) -> Result<Checked<CustomsEntryJson>> {
        let method = "records_customsEntry";
        let answer = self
            .retrying(method, |http| http.customs_entry(lot_text(lot)))
            .await?;
        self.check(method, answer, |r, _| readback::customs_entry(r, lot))
            .await
    }

    /// The unit of equipment registered under `code` (its number or GIAI); `None` when there is none.
    pub async fn equipment(
        &self,
        code: &yima_codes::EquipmentCode,
    ) -> Result<Checked<Option<EquipmentJson>>> {
        let method = "records_equipment";
        let text = match code {
            yima_codes::EquipmentCode::Registration(n) => n.to_string(),
            yima_codes::EquipmentCode::Giai(g) => g.digital_link_path(),
        };
        let answer = self
            .retrying(method, |http| http.equipment(text.clone()))
            .await?;
        self.check(method, answer, |r, _| readback::equipment(r, code))
            .await
    }

    /// Every attestation about `subject`; a person subject is read as the member `as_member` (required).
    pub async fn attestations_about(
        &self,
        subject: &Subject,
        as_member: Option<Reading<'_>>,
    ) -> Result<Checked<SubjectAttestationsJson>> {
        let method = "records_attestations";
        let grant =
            match (subject, as_member) {
                (Subject::Person(_), Some(m)) => {
                    Some(m.grant(PersonalRecord::PersonAttestations, subject))
                }
                (Subject::Person(_), None) => return Err(ClientError::Other(
                    "the attestations about a person are read by a member: give the member's key"
                        .into(),
                )),
                _ => None,
            };
        let text = subject_text(subject);
        let answer = self
            .retrying(method, |http| {
                http.attestations(text.clone(), grant.clone())
            })
            .await?;
        self.check(method, answer, |r, now| {
            readback::attestations(r, subject, now)
        })
        .await
    }

    /// The member organisation with USCC `uscc`, with its prefixes and the attestations about it.
    pub async fn organisation(&self, uscc: &Uscc) -> Result<Checked<Option<OrganisationJson>>> {
        let method = "records_organisation";
        let answer = self
            .retrying(method, |http| http.organisation(uscc.to_string()))
            .await?;
        self.check(method, answer, |r, now| {
            readback::organisation(r, uscc, now)
        })
        .await
    }
}
