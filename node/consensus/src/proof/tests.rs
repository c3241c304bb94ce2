//! Event proofs over a real in-memory chain of the `dev` preset: blocks built and executed by the runtime's
//! executive, certified by the dev validators' consensus keys; every tampered link is refused by name.

use std::sync::Arc;

use malachitebft_core_types::{CommitCertificate, CommitSignature, Context as _, NilOrVal, Round};
use parity_scale_codec::{Decode, Encode};
use yima_chain_spec::{dev_keys, presets};
use yima_frame::state::MemoryState;
use yima_frame::{Phase, Role, Roles};
use yima_membership::{Action, Call};
use yima_runtime::{ChainContext, Executive, RuntimeCall, SignedTransaction, SPEC_VERSION};

use super::*;
use crate::certificate::encode_certificate;
use crate::context::{Address, BlockHash, Height, YimaContext};
use crate::signing::ConsensusSigner;

/// A chain in memory: the dev preset's genesis, blocks proposed by alice.
struct Chain {
    state: Arc<MemoryState>,
    genesis: Header,
    head: Header,
    exec: Executive,
    nonce: u64,
    /// (header, its event records) of each produced block, from block 1.
    blocks: Vec<(Header, Vec<Vec<u8>>)>,
}

impl Chain {
    fn new() -> Self {
        let (genesis, state) = presets::dev().genesis_in_memory().unwrap();
        let exec = Executive::new(ChainContext {
            genesis_hash: genesis.header.hash(),
            spec_version: SPEC_VERSION,
        });
        Self {
            state,
            head: genesis.header.clone(),
            genesis: genesis.header,
            exec,
            nonce: 0,
            blocks: Vec::new(),
        }
    }

    fn anchor(&self) -> TrustAnchor {
        TrustAnchor::from_genesis(&self.genesis)
    }

    /// One block with alice's `call`.
    fn produce(&mut self, call: RuntimeCall) -> Header {
        let tx = SignedTransaction::sign(
            &dev_keys::dev_key("alice"),
            &self.genesis.hash(),
            SPEC_VERSION,
            self.nonce,
            self.head.number + 10,
            call,
        );
        self.nonce += 1;
        let built = self
            .exec
            .build_block(
                self.state.clone(),
                &self.head,
                dev_keys::dev_account("alice"),
                self.head.timestamp + 1_000,
                vec![tx],
                &|_| false,
            )
            .unwrap();
        assert_eq!(built.block.extrinsics.len(), 1, "{:?}", built.rejected);
        self.state.commit(built.update).unwrap();
        self.head = built.block.header.clone();
        let records = built.events.iter().map(|e| e.record_bytes()).collect();
        self.blocks.push((self.head.clone(), records));
        self.head.clone()
    }

    fn add_account(&mut self, name: &str) -> Header {
        self.produce(RuntimeCall::Membership(Call::AddAccount {
            account: dev_keys::dev_account(name),
            roles: Roles::of(&[Role::Operator]),
        }))
    }

    fn records(&self, number: u64) -> &[Vec<u8>] {
        &self.blocks[number as usize - 1].1
    }
}

fn signer(name: &str, genesis: &Header) -> ConsensusSigner {
    ConsensusSigner::new(dev_keys::dev_key(name).to_bytes(), genesis.hash())
}

/// A commit certificate for `header` signed by `who`.
fn certify(genesis: &Header, header: &Header, who: &[&str]) -> Vec<u8> {
    let signatures = who
        .iter()
        .map(|name| {
            let s = signer(name, genesis);
            let address = Address::from(&s.public_key());
            let vote = YimaContext.new_precommit(
                Height(header.number),
                Round::new(0),
                NilOrVal::Val(BlockHash(header.hash())),
                address,
            );
            CommitSignature::new(address, s.sign_vote_now(&vote))
        })
        .collect();
    encode_certificate(&CommitCertificate {
        height: Height(header.number),
        round: Round::new(0),
        value_id: BlockHash(header.hash()),
        commit_signatures: signatures,
    })
    .unwrap()
}

fn validators(names: &[&str]) -> Vec<Validator> {
    let mut set: Vec<Validator> = names
        .iter()
        .map(|n| Validator {
            key: dev_keys::dev_account(n),
            power: 1,
        })
        .collect();
    set.sort_by_key(|v| v.key);
    set
}

fn certified(chain: &Chain, header: &Header, signers: &[&str], set: &[&str]) -> CertifiedHeader {
    CertifiedHeader {
        header: header.clone(),
        certificate: certify(&chain.genesis, header, signers),
        validators: validators(set),
    }
}

#[test]
fn a_proof_from_a_real_chain_verifies_and_round_trips() {
    let mut chain = Chain::new();
    chain.add_account("eve");
    let header = chain.add_account("ferdie");
    let records = chain.records(2);
    assert!(records.len() >= 2, "the call's event and ExtrinsicSuccess");
    for index in 0..records.len() as u32 {
        let proof = EventProof::build(
            records,
            index,
            certified(&chain, &header, &["alice"], &["alice"]),
            vec![],
        )
        .unwrap();
        let verified = proof.verify(&chain.anchor()).unwrap();
        assert_eq!(verified.at, EventRef::new(2, index));
        assert_eq!(verified.block_hash, header.hash());
        assert_eq!(verified.record.phase, Phase::ApplyExtrinsic(0));
        assert_eq!(verified.certificate.signed_power, 1);
        let bytes = proof.to_bytes();
        assert_eq!(EventProof::from_bytes(&bytes).unwrap(), proof);
    }
    assert!(EventProof::build(
        records,
        records.len() as u32,
        certified(&chain, &header, &["alice"], &["alice"]),
        vec![]
    )
    .is_none());
}

#[test]
fn tampering_with_event_path_header_or_certificate_is_named() {
    let mut chain = Chain::new();
    let header = chain.add_account("eve");
    let good = EventProof::build(
        chain.records(1),
        0,
        certified(&chain, &header, &["alice"], &["alice"]),
        vec![],
    )
    .unwrap();
    let anchor = chain.anchor();
    assert!(good.verify(&anchor).is_ok());

    // The event: another phase, still a well-formed record.
    let mut record = EventRecord::<RuntimeEvent>::decode(&mut &good.record[..]).unwrap();
    record.phase = Phase::ApplyExtrinsic(7);
    let mut bad = good.clone();
    bad.record = record.encode();
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::EventNotInBlock {
            block: 1,
            source: ProofError::RootMismatch
        })
    ));
    // The event: garbage.
    let mut bad = good.clone();
    bad.record = vec![9, 9, 9];
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::MalformedEvent(_))
    ));

    // The path.
    let mut bad = good.clone();
    bad.path.path[0].0[0] ^= 1;
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::EventNotInBlock { .. })
    ));
    let mut bad = good.clone();
    bad.path.index = bad.path.total;
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::EventNotInBlock {
            source: ProofError::IndexOutOfRange { .. },
            ..
        })
    ));

    // The header: any field changes its hash, which the certificate does not sign.
    let mut bad = good.clone();
    bad.block.header.timestamp += 1;
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::Certificate {
            block: 1,
            source: CertificateError::WrongBlock { .. }
        })
    ));
    // The header's events_root (with a path made for it): the event is in that "block" but nobody decided it.
    let mut bad = good.clone();
    bad.record = chain.records(1)[1].clone();
    bad.path = merkle::prove(&[merkle::leaf_hash(&bad.record)], 0).unwrap();
    bad.block.header.events_root = merkle::root(&[&bad.record]);
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::Certificate {
            source: CertificateError::WrongBlock { .. },
            ..
        })
    ));

    // The certificate: a flipped signature byte, or a signer outside the set.
    let mut bad = good.clone();
    let n = bad.block.certificate.len();
    bad.block.certificate[n - 1] ^= 1;
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::Certificate {
            source: CertificateError::BadSignature(_),
            ..
        })
    ));
    let mut bad = good.clone();
    bad.block.certificate = certify(&chain.genesis, &header, &["bob"]);
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::Certificate {
            source: CertificateError::UnknownSigner(_),
            ..
        })
    ));
    // Another validator set than the header's.
    let mut bad = good.clone();
    bad.block.validators = validators(&["bob"]);
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::Certificate {
            source: CertificateError::WrongValidatorSet { .. },
            ..
        })
    ));
    // Another chain.
    let other = TrustAnchor {
        genesis_hash: Hash([7; 32]),
        ..anchor
    };
    assert!(matches!(
        good.verify(&other),
        Err(EventProofError::Certificate {
            source: CertificateError::BadSignature(_),
            ..
        })
    ));
    // A bundle of an unknown version.
    let mut bytes = good.to_bytes();
    bytes[0] = 2;
    assert_eq!(
        EventProof::from_bytes(&bytes),
        Err(EventProofError::UnknownVersion(2))
    );
    assert!(matches!(
        EventProof::from_bytes(&bytes[..0]),
        Err(EventProofError::MalformedBundle(_))
    ));
}

#[test]
fn a_validator_set_change_must_be_carried_and_certified_by_the_old_set() {
    let mut chain = Chain::new();
    // Block 1: alice (the dev chain's only regulator voter, threshold 1) hands over to alice + bob + charlie.
    let change = chain.produce(RuntimeCall::Membership(Call::Propose {
        action: Action::SetValidators {
            validators: validators(&["alice", "bob", "charlie"]),
        },
    }));
    assert!(changes_validator_set(&change));
    // Block 2 is decided by the new set.
    let header = chain.add_account("eve");
    let new_set = ["alice", "bob", "charlie"];
    let block = certified(&chain, &header, &["alice", "bob", "charlie"], &new_set);
    let handover = certified(&chain, &change, &["alice"], &["alice"]);
    let anchor = chain.anchor();

    let proof =
        EventProof::build(chain.records(2), 0, block.clone(), vec![handover.clone()]).unwrap();
    assert_eq!(proof.verify(&anchor).unwrap().at, EventRef::new(2, 0));

    // Without the hand-over the new set is not trusted.
    let mut bad = proof.clone();
    bad.set_changes.clear();
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::UntrustedValidatorSet { block: 2, .. })
    ));
    // A hand-over signed by a set the anchor does not trust.
    let mut bad = proof.clone();
    bad.set_changes[0].certificate = certify(&chain.genesis, &change, &["bob"]);
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::Certificate {
            block: 1,
            source: CertificateError::UnknownSigner(_)
        })
    ));
    // A block that is not a change, listed as one.
    let mut bad = proof.clone();
    bad.set_changes = vec![block.clone()];
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::SetChangeOutOfOrder { number: 2, .. })
    ));
    // Two thirds of the new set is not more than two thirds.
    let mut bad = proof.clone();
    bad.block = certified(&chain, &header, &["alice", "bob"], &new_set);
    assert!(matches!(
        bad.verify(&anchor),
        Err(EventProofError::Certificate {
            source: CertificateError::InsufficientPower { .. },
            ..
        })
    ));
}
