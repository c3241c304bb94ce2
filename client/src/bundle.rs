//! Audit bundles: every hop of a code's trace with its [`EventProof`], in one JSON file (`yima proof`), and
//! their offline verification against a chain spec (`yima verify`).
//!
//! Format (`"format": "yima-audit-bundle/1"`): the code, the genesis hash of the chain it claims to be from,
//! and per hop the event's place (`block`, `index`), readable context (relation, subject, bizStep — for
//! people; never trusted) and `proof`, the SCALE [`EventProof`] as hex. Verification trusts only the chain
//! spec: its genesis must be the bundle's, and every hop's proof must verify against its [`TrustAnchor`]
//! (event → Merkle path → `events_root` → header → commit certificate → validator set, hand-overs from
//! genesis). Each failure names the hop and the broken link ([`Link`]).

use serde::{Deserialize, Serialize};
use yima_consensus::certificate::CertificateError;
use yima_consensus::proof::{EventProof, EventProofError, TrustAnchor, VerifiedEvent};

use crate::error::{ClientError, Result};
use crate::rpc::NodeClient;

/// The bundle format tag.
pub const BUNDLE_FORMAT: &str = "yima-audit-bundle/1";

/// One hop of a bundle.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BundleHop {
    /// The block of the event.
    pub block: u64,
    /// Its index among the block's events.
    pub index: u32,
    /// How the event relates to the code (`own`, `container`, `upstream`, `downstream`); informational.
    pub relation: String,
    /// The code the event names; informational.
    pub subject: String,
    /// The event's bizStep; informational.
    #[serde(default)]
    pub biz_step: String,
    /// The SCALE `EventProof`, hex.
    pub proof: String,
}

/// An audit bundle.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AuditBundle {
    /// [`BUNDLE_FORMAT`].
    pub format: String,
    /// The code traced (canonical form).
    pub code: String,
    /// The chain's genesis hash.
    pub genesis_hash: String,
    /// The finalized height the trace was read at.
    pub height: u64,
    /// Every hop, in chain order.
    pub hops: Vec<BundleHop>,
}

/// The link of the proof chain that broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Link {
    /// The bundle file itself (format, hex, SCALE).
    Bundle,
    /// The bundle is for another chain than the chain spec's.
    Chain,
    /// The event record (does not decode, or is not the one at the place the hop claims).
    Event,
    /// The event with its Merkle path does not reach the header's `events_root` (the event or the path was
    /// altered).
    EventPath,
    /// The header is not the block the certificate decides (a header field was altered).
    Header,
    /// The certificate's signatures, signers or power.
    Certificate,
    /// The validator set given does not hash to the header's, or is not the one reached from genesis.
    ValidatorSet,
    /// A validator-set hand-over between genesis and the block.
    SetChange,
}

impl Link {
    /// What a person reads.
    pub fn describe(self) -> &'static str {
        match self {
            Link::Bundle => "bundle",
            Link::Chain => "chain",
            Link::Event => "event",
            Link::EventPath => "event or Merkle path",
            Link::Header => "header",
            Link::Certificate => "commit certificate",
            Link::ValidatorSet => "validator set",
            Link::SetChange => "validator-set change",
        }
    }

    /// The link an [`EventProofError`] breaks.
    pub fn of(e: &EventProofError) -> Self {
        match e {
            EventProofError::UnknownVersion(_) | EventProofError::MalformedBundle(_) => {
                Link::Bundle
            }
            EventProofError::MalformedEvent(_) => Link::Event,
            EventProofError::EventNotInBlock { .. } => Link::EventPath,
            EventProofError::Certificate { source, .. } => match source {
                CertificateError::WrongBlock { .. } => Link::Header,
                CertificateError::WrongValidatorSet { .. }
                | CertificateError::InvalidValidatorSet(_) => Link::ValidatorSet,
                _ => Link::Certificate,
            },
            EventProofError::UntrustedValidatorSet { .. } => Link::ValidatorSet,
            EventProofError::SetChangeOutOfOrder { .. } | EventProofError::NotASetChange(_) => {
                Link::SetChange
            }
        }
    }
}

/// Why a bundle does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The file is not a bundle.
    #[error("not a yima audit bundle: {0}")]
    Malformed(String),
    /// The bundle is for another chain.
    #[error("the bundle is for chain {bundle} but the chain spec's genesis is {spec}: verify it with the chain spec of the chain it came from")]
    WrongChain {
        /// Genesis the bundle names.
        bundle: String,
        /// Genesis of the spec.
        spec: String,
    },
    /// A bundle with no hops proves nothing.
    #[error("the bundle has no hops: nothing to verify")]
    Empty,
    /// A hop fails.
    #[error("hop {hop} (block {block}, event {index}): {} is broken: {reason}", link.describe())]
    Hop {
        /// 1-based hop number.
        hop: usize,
        /// The block it claims.
        block: u64,
        /// The index it claims.
        index: u32,
        /// The link that broke.
        link: Link,
        /// The verifier's reason.
        reason: String,
    },
}

impl VerifyError {
    /// The broken link.
    pub fn link(&self) -> Link {
        match self {
            VerifyError::Malformed(_) | VerifyError::Empty => Link::Bundle,
            VerifyError::WrongChain { .. } => Link::Chain,
            VerifyError::Hop { link, .. } => *link,
        }
    }
}

/// A verified hop.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedHop {
    /// Block.
    pub block: u64,
    /// Event index.
    pub index: u32,
    /// The block's hash.
    pub block_hash: String,
    /// The round that decided it.
    pub round: u32,
    /// Signers' power.
    pub signed_power: u64,
    /// The set's power.
    pub total_power: u64,
    /// Relation (from the bundle).
    pub relation: String,
    /// Subject (from the bundle).
    pub subject: String,
    /// bizStep (from the bundle).
    pub biz_step: String,
}

impl AuditBundle {
    /// Reads bundle JSON.
    pub fn from_json(text: &str) -> Result<Self, VerifyError> {
        let b: Self =
            serde_json::from_str(text).map_err(|e| VerifyError::Malformed(e.to_string()))?;
        if b.format != BUNDLE_FORMAT {
            return Err(VerifyError::Malformed(format!(
                "format {:?}, this build reads {BUNDLE_FORMAT:?}",
                b.format
            )));
        }
        Ok(b)
    }

    /// Verifies hop `i` (0-based).
    pub fn verify_hop(&self, i: usize, anchor: &TrustAnchor) -> Result<VerifiedEvent, VerifyError> {
        let hop = &self.hops[i];
        let fail = |link: Link, reason: String| VerifyError::Hop {
            hop: i + 1,
            block: hop.block,
            index: hop.index,
            link,
            reason,
        };
        let bytes = hex::decode(hop.proof.trim_start_matches("0x"))
            .map_err(|e| fail(Link::Bundle, format!("proof is not hex: {e}")))?;
        let proof =
            EventProof::from_bytes(&bytes).map_err(|e| fail(Link::of(&e), e.to_string()))?;
        let verified = proof
            .verify(anchor)
            .map_err(|e| fail(Link::of(&e), e.to_string()))?;
        if (verified.at.block, verified.at.index) != (hop.block, hop.index) {
            return Err(fail(
                Link::Event,
                format!(
                    "the proof is of event {} of block {}, not of the place the hop names",
                    verified.at.index, verified.at.block
                ),
            ));
        }
        Ok(verified)
    }

    /// Verifies every hop against `anchor` (the chain spec's), offline.
    pub fn verify(&self, anchor: &TrustAnchor) -> Result<Vec<VerifiedHop>, VerifyError> {
        let spec = anchor.genesis_hash.to_string();
        if !self.genesis_hash.eq_ignore_ascii_case(&spec) {
            return Err(VerifyError::WrongChain {
                bundle: self.genesis_hash.clone(),
                spec,
            });
        }
        if self.hops.is_empty() {
            return Err(VerifyError::Empty);
        }
        (0..self.hops.len())
            .map(|i| {
                let v = self.verify_hop(i, anchor)?;
                let hop = &self.hops[i];
                Ok(VerifiedHop {
                    block: hop.block,
                    index: hop.index,
                    block_hash: v.block_hash.to_string(),
                    round: v.certificate.round,
                    signed_power: v.certificate.signed_power,
                    total_power: v.certificate.total_power,
                    relation: hop.relation.clone(),
                    subject: hop.subject.clone(),
                    biz_step: hop.biz_step.clone(),
                })
            })
            .collect()
    }
}

impl NodeClient {
    /// The audit bundle of `code`: its trace, and every hop's proof — each checked against `anchor` before it
    /// is written, so a bundle this returns verifies.
    pub async fn audit_bundle(
        &self,
        code: &str,
        anchor: &TrustAnchor,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<AuditBundle> {
        let trace = self.trace(code).await?;
        let mut hops = Vec::with_capacity(trace.hops.len());
        for (i, hop) in trace.hops.iter().enumerate() {
            let p = self.event_proof(hop.at.block, hop.at.index).await?;
            hops.push(BundleHop {
                block: hop.at.block,
                index: hop.at.index,
                relation: hop.relation.clone(),
                subject: hop.subject.clone(),
                biz_step: hop.event["bizStep"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                proof: p.bundle,
            });
            progress(i + 1, trace.hops.len());
        }
        let bundle = AuditBundle {
            format: BUNDLE_FORMAT.into(),
            code: trace.code,
            genesis_hash: anchor.genesis_hash.to_string(),
            height: trace.height,
            hops,
        };
        bundle
            .verify(anchor)
            .map_err(|e| ClientError::BadProof(e.to_string()))?;
        Ok(bundle)
    }
}
