//! Audit bundles: every hop of a code's trace with its [`EventProof`], in one JSON file (`yima proof`), and
//! their offline verification against a chain spec (`yima verify`).
//!
//! Format (`"format": "yima-audit-bundle/3"`): the code, the genesis hash of the chain it claims to be from, the
//! height its histories are proven complete at (the newest proven event's block), per hop only the event's place
//! (`block`, `index`) and `proof`, the SCALE [`EventProof`] as hex, `evidence` — proven events the derivation of
//! relations or the completeness check reads that are not hops — and `histories`: the history summary the chain
//! commits at that height for the code and every code its history rests on, each with its state proof
//! ([`crate::completeness`]).
//! Nothing a verifier shows is taken from the bundle: verification trusts only the chain spec (its genesis must
//! be the bundle's), every proof must verify against its [`TrustAnchor`] (event → Merkle path → `events_root` →
//! header → commit certificate → validator set, hand-overs from genesis), the hops must be in chain order, each
//! once, every other field must agree with the proofs, each hop's relation and subject are derived from the
//! proven events ([`crate::derive`]), and the hops must be exactly the committed histories' (a hop missing,
//! added, reordered or from another code is refused). Each failure names the hop, evidence entry, history entry
//! or field, and the broken link ([`Link`]).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use yima_codes::TraceCode;
use yima_consensus::batch::{batched, Signatures};
use yima_consensus::certificate::CertificateError;
use yima_consensus::proof::{EventProof, EventProofError, TrustAnchor, VerifiedEvent};
use yima_frame::Hash;
use yima_runtime::query::{EventRef, Hop};
use yima_trace::epcis::{Action, EventBody};

use crate::completeness::{self, BundleHistory, Completeness};
use crate::derive::{derive, relation_name, Listed};
use crate::error::{ClientError, Result};
use crate::rpc::NodeClient;
use crate::types::EventRefJson;
use yima_frame::storage::StorageMap;

/// The bundle format tag.
pub const BUNDLE_FORMAT: &str = "yima-audit-bundle/3";

/// The format before 3: its hops were proven, but nothing proved that none was left out. Refused with a
/// message saying to write a new bundle.
pub const BUNDLE_FORMAT_2: &str = "yima-audit-bundle/2";

/// The format before 2: its per-hop `relation`, `subject` and `bizStep` were shown but not proven, and its
/// chain's `events_root` did not bind the leaf count. Refused with a message saying to write a new bundle.
pub const BUNDLE_FORMAT_1: &str = "yima-audit-bundle/1";

/// One proven event of a bundle: where it is, and its proof. `block` and `index` are checked against the proof.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleHop {
    /// The block of the event (checked: the proof's block).
    pub block: u64,
    /// Its index among the block's events (checked: the proof's position).
    pub index: u32,
    /// The SCALE `EventProof`, hex (`0x` optional).
    pub proof: String,
}

/// An audit bundle. Every column a verifier shows comes from the proofs ([`crate::derive`]); the other fields are
/// checked against them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditBundle {
    /// [`BUNDLE_FORMAT`].
    pub format: String,
    /// The code traced (canonical form); the proven own hops must name it.
    pub code: String,
    /// The chain's genesis hash; must be the chain spec's.
    pub genesis_hash: String,
    /// The block at whose end the histories are proven complete: the newest proven event's (its certified
    /// header's `state_root` proves `histories`).
    pub height: u64,
    /// Every event of the code's history, in chain order (block, then index), each once.
    pub hops: Vec<BundleHop>,
    /// Proven events the derivation or the completeness check reads that are not in the history (an outer
    /// container's packing before the code entered it, a container's events while the code was not inside), in
    /// chain order; none of them a hop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<BundleHop>,
    /// The committed history summary, proven at `height`, of the code and of every code its history rests on
    /// (containers it rode in, transformation inputs, recursively).
    pub histories: Vec<BundleHistory>,
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
    /// A field of the bundle that the proof contradicts (named in the reason).
    Field,
    /// The order of the hops: chain order (block, then index), each once.
    Order,
    /// The event's relation to the bundle's code, derived from the proven events ([`crate::derive`]).
    Code,
    /// The completeness of the history: the proven events against the summaries the chain commits
    /// ([`crate::completeness`]).
    History,
    /// A history summary's state proof against the certified header's `state_root`.
    StateProof,
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
            Link::Field => "bundle field",
            Link::Order => "hop order",
            Link::Code => "relation to the bundle's code",
            Link::History => "completeness of the history",
            Link::StateProof => "state proof of the history summary",
        }
    }

    /// The link an [`EventProofError`] breaks.
    pub fn of(e: &EventProofError) -> Self {
        match e {
            EventProofError::UnknownVersion(_)
            | EventProofError::MalformedBundle(_)
            | EventProofError::NonCanonical => Link::Bundle,
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
    /// A field of the bundle (not of a hop) is wrong.
    #[error("field `{field}` is wrong: {reason}")]
    Field {
        /// The field's name in the JSON.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// No proven hop names the bundle's code.
    #[error("no hop's proven event names {code}: the hops do not concern the bundle's code")]
    NotOfCode {
        /// The bundle's code.
        code: String,
    },
    /// An evidence entry fails.
    #[error("evidence {item} (block {block}, event {index}): {} is broken: {reason}", link.describe())]
    Evidence {
        /// 1-based entry number.
        item: usize,
        /// The block it claims.
        block: u64,
        /// The index it claims.
        index: u32,
        /// The link that broke.
        link: Link,
        /// The verifier's reason.
        reason: String,
    },
    /// A history entry fails.
    #[error("history {item} ({code}): {} is broken: {reason}", link.describe())]
    History {
        /// 1-based entry number.
        item: usize,
        /// The code it claims.
        code: String,
        /// The link that broke.
        link: Link,
        /// The verifier's reason.
        reason: String,
    },
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
            VerifyError::Field { .. } => Link::Field,
            VerifyError::NotOfCode { .. } => Link::Code,
            VerifyError::Hop { link, .. }
            | VerifyError::Evidence { link, .. }
            | VerifyError::History { link, .. } => *link,
        }
    }
}

/// A verified hop: every field is read from its proof (the proven event, its certified header) or derived from
/// the bundle's proven events ([`crate::derive`]); nothing is copied from the bundle.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedHop {
    /// Block.
    pub block: u64,
    /// Event index.
    pub index: u32,
    /// The block's hash.
    pub block_hash: String,
    /// The block's time (the header's), ms UTC.
    pub block_time: u64,
    /// The round that decided it.
    pub round: u32,
    /// Signers' power.
    pub signed_power: u64,
    /// The set's power.
    pub total_power: u64,
    /// How the event relates to the bundle's code: `own`, `container`, `upstream` or `downstream`.
    pub relation: String,
    /// The code of the history the event is in: the bundle's code, a container, an upstream or downstream code.
    pub subject: String,
    /// The organisation that captured the event (signed its transaction).
    pub org: u32,
    /// `object`, `aggregation`, `transaction` or `transformation`.
    pub event_type: String,
    /// `add`, `observe` or `delete` (empty for a transformation).
    pub action: String,
    /// The event's CBV business step.
    pub biz_step: String,
    /// The event's time as its organisation recorded it, ms UTC.
    pub event_time: u64,
    /// Every code the event names, canonical.
    pub codes: Vec<String>,
}

impl VerifiedHop {
    fn new(v: &VerifiedEvent, hop: &Hop) -> Self {
        let e = hop.epcis();
        let (event_type, action, codes): (&str, Option<Action>, Vec<&TraceCode>) = match &e.body {
            EventBody::Object { action, epcs, .. } => {
                ("object", Some(*action), epcs.iter().collect())
            }
            EventBody::Transaction { action, epcs, .. } => {
                ("transaction", Some(*action), epcs.iter().collect())
            }
            EventBody::Aggregation {
                action,
                parent,
                children,
            } => (
                "aggregation",
                Some(*action),
                std::iter::once(parent).chain(children).collect(),
            ),
            EventBody::Transformation { inputs, outputs } => (
                "transformation",
                None,
                inputs.iter().chain(outputs).collect(),
            ),
        };
        Self {
            block: v.at.block,
            index: v.at.index,
            block_hash: v.block_hash.to_string(),
            block_time: v.block_time,
            round: v.certificate.round,
            signed_power: v.certificate.signed_power,
            total_power: v.certificate.total_power,
            relation: relation_name(hop.relation).into(),
            subject: hop.subject.to_string(),
            org: hop.org,
            event_type: event_type.into(),
            action: match action {
                Some(Action::Add) => "add",
                Some(Action::Observe) => "observe",
                Some(Action::Delete) => "delete",
                None => "",
            }
            .into(),
            biz_step: e.biz_step.cbv().into(),
            event_time: e.event_time,
            codes: codes.into_iter().map(ToString::to_string).collect(),
        }
    }
}

/// The events a bundle of a trace carries as evidence: the packings and unpackings of its container spans that
/// are not hops (see [`AuditBundle::evidence`]), in chain order.
pub fn evidence_of(
    hops: &[EventRef],
    spans: impl IntoIterator<Item = (EventRef, Option<EventRef>)>,
) -> Vec<EventRef> {
    let hops: BTreeSet<EventRef> = hops.iter().copied().collect();
    let refs: BTreeSet<EventRef> = spans
        .into_iter()
        .flat_map(|(packed, unpacked)| std::iter::once(packed).chain(unpacked))
        .filter(|r| !hops.contains(r))
        .collect();
    refs.into_iter().collect()
}

impl AuditBundle {
    /// Reads bundle JSON (no field may be missing or unknown).
    pub fn from_json(text: &str) -> Result<Self, VerifyError> {
        #[derive(Deserialize)]
        struct Tag {
            format: Option<String>,
        }
        match serde_json::from_str::<Tag>(text) {
            Ok(Tag {
                format: Some(f),
            }) if f == BUNDLE_FORMAT_2 => {
                return Err(VerifyError::Malformed(format!(
                    "format {BUNDLE_FORMAT_2:?} is no longer read: it does not prove that no hop was left out; write a new bundle with `yima proof` (format {BUNDLE_FORMAT:?})"
                )))
            }
            Ok(Tag {
                format: Some(f),
            }) if f == BUNDLE_FORMAT_1 => {
                return Err(VerifyError::Malformed(format!(
                    "format {BUNDLE_FORMAT_1:?} is no longer read: its relation, subject and bizStep were not proven; write a new bundle with `yima proof` (format {BUNDLE_FORMAT:?})"
                )))
            }
            Ok(Tag {
                format: Some(f),
            }) if f != BUNDLE_FORMAT => {
                return Err(VerifyError::Malformed(format!(
                    "format {f:?}, this build reads {BUNDLE_FORMAT:?}"
                )))
            }
            _ => {}
        }
        serde_json::from_str(text).map_err(|e| VerifyError::Malformed(e.to_string()))
    }

    /// Verifies the proof of `entry` (hop `i`, or evidence `i`) against `anchor`: it decodes canonically,
    /// verifies, and is of the place the entry names.
    fn verify_entry(
        &self,
        which: Listed,
        anchor: &TrustAnchor,
        signatures: &mut dyn Signatures,
    ) -> Result<(VerifiedEvent, Hash), VerifyError> {
        let entry = match which {
            Listed::Hop(i) => &self.hops[i],
            Listed::Evidence(i) => &self.evidence[i],
        };
        let claimed = EventRef::new(entry.block, entry.index);
        let fail = |link: Link, reason: String| which.fail(claimed, link, reason);
        let bytes = hex::decode(entry.proof.strip_prefix("0x").unwrap_or(&entry.proof))
            .map_err(|e| fail(Link::Bundle, format!("proof is not hex: {e}")))?;
        let proof =
            EventProof::from_bytes(&bytes).map_err(|e| fail(Link::of(&e), e.to_string()))?;
        let verified = proof
            .verify_with(anchor, signatures)
            .map_err(|e| fail(Link::of(&e), e.to_string()))?;
        if verified.at.block != entry.block {
            return Err(fail(
                Link::Field,
                format!(
                    "`block` says {} but the proof is of an event of block {}",
                    entry.block, verified.at.block
                ),
            ));
        }
        if verified.at.index != entry.index {
            return Err(fail(
                Link::Field,
                format!(
                    "`index` says {} but the proof is of event {} of its block",
                    entry.index, verified.at.index
                ),
            ));
        }
        Ok((verified, proof.block.header.state_root))
    }

    /// Verifies hop `i` (0-based)'s proof alone: the event is in a block certified from genesis.
    pub fn verify_hop(&self, i: usize, anchor: &TrustAnchor) -> Result<VerifiedEvent, VerifyError> {
        batched(|signatures| self.verify_entry(Listed::Hop(i), anchor, signatures)).map(|(v, _)| v)
    }

    /// Every hop's and evidence's proof, in bundle order, with the state root of its certified header; the first
    /// failure names its entry.
    fn verify_entries(
        &self,
        anchor: &TrustAnchor,
        signatures: &mut dyn Signatures,
    ) -> Result<ProvenEntries, VerifyError> {
        let mut each = |listed: fn(usize) -> Listed, n: usize| {
            (0..n)
                .map(|i| self.verify_entry(listed(i), anchor, signatures))
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.into_iter().unzip())
        };
        let hops = each(Listed::Hop, self.hops.len())?;
        let evidence = each(Listed::Evidence, self.evidence.len())?;
        Ok(ProvenEntries { hops, evidence })
    }

    /// [`AuditBundle::verify_entries`] with every commit signature checked in one batch
    /// ([`SignatureBatch`]: the same verdict as one by one, at a fraction of the cost, and a block's certificate
    /// shared by several hops is checked once). When anything fails the entries are checked again one by one,
    /// so the error names the first entry that fails and what broke, as a one-by-one check would.
    fn verify_entries_batched(&self, anchor: &TrustAnchor) -> Result<ProvenEntries, VerifyError> {
        batched(|signatures| self.verify_entries(anchor, signatures))
    }

    /// Verifies the bundle against `anchor` (the chain spec's), offline, and returns its hops as the proofs show
    /// them: see [`AuditBundle::verify_complete`].
    pub fn verify(&self, anchor: &TrustAnchor) -> Result<Vec<VerifiedHop>, VerifyError> {
        self.verify_complete(anchor).map(|(hops, _)| hops)
    }

    /// Verifies the bundle against `anchor` (the chain spec's), offline: every hop's proof, the order of the
    /// hops (chain order, each once), the evidence, the fields against the proofs, each hop's relation to the
    /// code derived from the proven events ([`crate::derive`]), and that the hops are the whole history the
    /// chain commits at the bundle's height ([`crate::completeness`]). Returns the hops as the proofs show them
    /// and what the completeness check covered. The first failure names the hop (or evidence or history entry,
    /// or field) and what broke.
    pub fn verify_complete(
        &self,
        anchor: &TrustAnchor,
    ) -> Result<(Vec<VerifiedHop>, Completeness), VerifyError> {
        let spec = anchor.genesis_hash.to_string();
        if !self.genesis_hash.eq_ignore_ascii_case(&spec) {
            return Err(VerifyError::WrongChain {
                bundle: self.genesis_hash.clone(),
                spec,
            });
        }
        let code = TraceCode::parse(&self.code).map_err(|e| VerifyError::Field {
            field: "code",
            reason: format!("{:?} is not a trace code: {e}", self.code),
        })?;
        if code.to_string() != self.code {
            return Err(VerifyError::Field {
                field: "code",
                reason: format!(
                    "{:?} is not in canonical form ({code}): bundles name their code canonically",
                    self.code
                ),
            });
        }
        if self.hops.is_empty() {
            return Err(VerifyError::Empty);
        }
        let ProvenEntries {
            hops: (hops, hop_roots),
            evidence: (evidence, evidence_roots),
        } = self.verify_entries_batched(anchor)?;
        in_chain_order(&hops, Listed::Hop)?;
        in_chain_order(&evidence, Listed::Evidence)?;
        for (i, e) in evidence.iter().enumerate() {
            if let Ok(h) = hops.binary_search_by_key(&e.at, |h| h.at) {
                return Err(Listed::Evidence(i).fail(
                    e.at,
                    Link::Order,
                    format!(
                        "it is hop {} too: an event is either a hop or evidence",
                        h + 1
                    ),
                ));
            }
        }
        // The newest proven event's certified header: its state root proves the histories.
        let (newest, state_root) = hops
            .iter()
            .zip(&hop_roots)
            .chain(evidence.iter().zip(&evidence_roots))
            .map(|(v, root)| (v.at.block, *root))
            .max_by_key(|(block, _)| *block)
            .unwrap_or((0, Hash::default()));
        if self.height != newest {
            return Err(VerifyError::Field {
                field: "height",
                reason: format!(
                    "it says {} but the newest proven event is in block {newest}: the histories are proven at the end of that block, whose certified header holds the state root",
                    self.height
                ),
            });
        }
        let mut proven: Vec<VerifiedEvent> = hops.iter().chain(&evidence).cloned().collect();
        proven.sort_by_key(|v| v.at);
        let derived = derive(&code, &hops, &evidence)?;
        let chains = completeness::proven_chains(&self.histories, newest, state_root, &proven)?;
        let hop_refs: Vec<EventRef> = hops.iter().map(|v| v.at).collect();
        let evidence_refs: Vec<EventRef> = evidence.iter().map(|v| v.at).collect();
        let complete = completeness::check_complete(
            &code,
            newest,
            &self.histories,
            &chains,
            (&hop_refs, &evidence_refs),
            &derived,
        )?;
        Ok((
            hops.iter()
                .zip(&derived)
                .map(|(v, h)| VerifiedHop::new(v, h))
                .collect(),
            complete,
        ))
    }
}

/// The verified events of a bundle's hops and evidence, each with its certified header's state root.
struct ProvenEntries {
    hops: (Vec<VerifiedEvent>, Vec<Hash>),
    evidence: (Vec<VerifiedEvent>, Vec<Hash>),
}

/// Fails naming the first of `proven` that is not strictly after the one before it.
fn in_chain_order(
    proven: &[VerifiedEvent],
    listed: impl Fn(usize) -> Listed,
) -> Result<(), VerifyError> {
    for (i, pair) in proven.windows(2).enumerate() {
        let (before, this) = (pair[0].at, pair[1].at);
        if this <= before {
            let what = if this == before {
                "repeats"
            } else {
                "comes before"
            };
            return Err(listed(i + 1).fail(
                this,
                Link::Order,
                format!(
                    "it {what} entry {} (block {}, event {}): entries must be in chain order (block, then event), each once",
                    i + 1,
                    before.block,
                    before.index
                ),
            ));
        }
    }
    Ok(())
}

impl NodeClient {
    /// The audit bundle of `code`: its trace checked complete against the committed histories
    /// ([`NodeClient::check_history`]), every hop's proof and the evidence's (the container spans' packings and
    /// unpackings and every other event of the chains the history rests on), and each of those chains' summary
    /// with its state proof at the newest proven event's block — checked against `anchor` before it is written,
    /// so a bundle this returns verifies.
    pub async fn audit_bundle(
        &self,
        code: &str,
        anchor: &TrustAnchor,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<AuditBundle> {
        let checked = self.check_history(code).await?;
        let trace = &checked.trace;
        let at = |r: &EventRefJson| EventRef::new(r.block, r.index);
        let hop_refs: Vec<EventRef> = trace.hops.iter().map(|h| at(&h.at)).collect();
        let chain_refs = checked
            .chains
            .values()
            .flat_map(|c| c.hops.iter())
            .map(|h| (EventRef::new(h.at.block, h.at.index), None));
        let evidence_refs = evidence_of(
            &hop_refs,
            trace
                .containers
                .iter()
                .map(|c| (at(&c.packed), c.unpacked.as_ref().map(at)))
                .chain(chain_refs),
        );
        let total = hop_refs.len() + evidence_refs.len() + checked.chains.len();
        let mut proven = Vec::with_capacity(total);
        for (i, r) in hop_refs.iter().chain(&evidence_refs).enumerate() {
            let p = self.event_proof(r.block, r.index).await?;
            proven.push(BundleHop {
                block: r.block,
                index: r.index,
                proof: p.bundle,
            });
            progress(i + 1, total);
        }
        let evidence = proven.split_off(hop_refs.len());
        let height = hop_refs
            .iter()
            .chain(&evidence_refs)
            .map(|r| r.block)
            .max()
            .unwrap_or(0);
        let mut histories = Vec::with_capacity(checked.chains.len());
        for (i, c) in checked.chains.keys().enumerate() {
            let key = yima_trace::Codes::storage_key(c);
            let answer = self.state_get_raw(&key, Some(height)).await?;
            let record = answer.value.ok_or_else(|| {
                ClientError::BadProof(format!(
                    "the node has no record of {c} at block {height}, yet served events naming it"
                ))
            })?;
            histories.push(BundleHistory {
                code: c.to_string(),
                record,
                proof: answer.proof,
            });
            progress(proven.len() + evidence.len() + i + 1, total);
        }
        let bundle = AuditBundle {
            format: BUNDLE_FORMAT.into(),
            code: trace.code.clone(),
            genesis_hash: anchor.genesis_hash.to_string(),
            height,
            hops: proven,
            evidence,
            histories,
        };
        bundle
            .verify(anchor)
            .map_err(|e| ClientError::BadProof(e.to_string()))?;
        Ok(bundle)
    }
}
