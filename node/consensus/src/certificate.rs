//! Commit certificates as stored next to their block, and their offline verification.
//!
//! Storage encoding (stable; SCALE): `(version = 1u8, height: u64, round: u32, block hash: [u8; 32],
//! signatures: Vec<(validator key: [u8; 32], ed25519 signature: [u8; 64])>)`.
//!
//! [`verify_certificate`] is what an auditor runs, offline and without an async runtime: for each signature it
//! rebuilds the precommit `(height, round, block hash, signer)`, checks the signature with ed25519-consensus
//! (ZIP-215, the rule every node applies) over `signing::vote_sign_bytes` for the chain's genesis hash, refuses a
//! signer outside the set or listed twice, and requires the signers' power to exceed 2/3 of the set's total —
//! the same rule as Malachite's `VerifierExt::verify_commit_certificate`. Every refusal names what failed.

use malachitebft_core_types::{CommitCertificate, CommitSignature, NilOrVal, Round};
use parity_scale_codec::{Decode, Encode};
use yima_frame::{AccountId, BlockNumber, Hash};
use yima_membership::{validator_set_hash, Validator};
use yima_runtime::Header;

use crate::batch::{EachNow, Signatures};
use crate::codec::{commit_signatures_to_wire, decode_scale, sig_from_wire};
use crate::context::{Address, BlockHash, Height, ValidatorSet, ValidatorSetError, YimaContext};
use crate::signing::vote_sign_bytes;

/// Version byte of the storage encoding.
pub const CERTIFICATE_VERSION: u8 = 1;

/// Why a certificate is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    /// The bytes are not a stored certificate.
    #[error("not a stored commit certificate: {0}")]
    Malformed(String),
    /// A stored certificate of a format this code does not know.
    #[error("commit certificate format version {0} is unknown (this build reads version {CERTIFICATE_VERSION})")]
    UnknownVersion(u8),
    /// The certificate has no round (only a certificate for a defined round decides anything).
    #[error("commit certificate has a nil round")]
    NilRound,
    /// The certificate is for another height.
    #[error("certificate is for height {got}, not {expected}")]
    WrongHeight {
        /// The height being checked.
        expected: BlockNumber,
        /// The certificate's height.
        got: BlockNumber,
    },
    /// The certificate commits to another block.
    #[error("certificate commits to block {got}, not {expected}")]
    WrongBlock {
        /// The block being checked.
        expected: Hash,
        /// The certificate's block hash.
        got: Hash,
    },
    /// The validator set given is not the one the header names.
    #[error("validator set hashes to {got} but the header's validators_hash is {expected}")]
    WrongValidatorSet {
        /// `header.validators_hash`.
        expected: Hash,
        /// Hash of the set given.
        got: Hash,
    },
    /// The validator set given is not usable.
    #[error("validator set: {0}")]
    InvalidValidatorSet(#[from] ValidatorSetError),
    /// A signer is not in the validator set.
    #[error("signer {0} is not in the validator set for this height")]
    UnknownSigner(AccountId),
    /// A signer appears twice.
    #[error("signer {0} appears more than once")]
    DuplicateSigner(AccountId),
    /// A signature does not verify.
    #[error("signature of {0} does not verify for this chain, height, round and block")]
    BadSignature(AccountId),
    /// Not more than 2/3 of the voting power signed.
    #[error("signers hold {signed} of {total} voting power; more than two thirds (at least {required}) is needed")]
    InsufficientPower {
        /// Power of the valid signers.
        signed: u64,
        /// The set's total.
        total: u64,
        /// Least power that is more than two thirds.
        required: u64,
    },
}

#[derive(Encode, Decode)]
struct StoredCertificate {
    version: u8,
    height: u64,
    round: u32,
    value_id: Hash,
    signatures: Vec<(AccountId, [u8; 64])>,
}

/// The stable storage bytes of a certificate. A certificate with a nil round cannot be stored.
pub fn encode_certificate(
    certificate: &CommitCertificate<YimaContext>,
) -> Result<Vec<u8>, CertificateError> {
    let round = certificate
        .round
        .as_u32()
        .ok_or(CertificateError::NilRound)?;
    Ok(StoredCertificate {
        version: CERTIFICATE_VERSION,
        height: certificate.height.0,
        round,
        value_id: certificate.value_id.0,
        signatures: commit_signatures_to_wire(&certificate.commit_signatures),
    }
    .encode())
}

/// Reads stored certificate bytes (untrusted: never panics).
pub fn decode_certificate(
    bytes: &[u8],
) -> Result<CommitCertificate<YimaContext>, CertificateError> {
    match bytes.first() {
        None => return Err(CertificateError::Malformed("empty".into())),
        Some(&v) if v != CERTIFICATE_VERSION => return Err(CertificateError::UnknownVersion(v)),
        Some(_) => {}
    }
    let stored: StoredCertificate = decode_scale("commit certificate", bytes)
        .map_err(|e| CertificateError::Malformed(e.to_string()))?;
    // One certificate, one encoding: bytes that decode but are not the re-encoding are altered.
    if stored.encode() != bytes {
        return Err(CertificateError::Malformed(
            "not the canonical encoding of the certificate it decodes to".into(),
        ));
    }
    Ok(CommitCertificate {
        height: Height(stored.height),
        round: Round::new(stored.round),
        value_id: BlockHash(stored.value_id),
        commit_signatures: stored
            .signatures
            .into_iter()
            .map(|(a, s)| CommitSignature::new(Address(a), sig_from_wire(s)))
            .collect(),
    })
}

/// What a verified certificate proves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifiedCertificate {
    /// The round the block was decided in.
    pub round: u32,
    /// Power of the signers.
    pub signed_power: u64,
    /// Total power of the set.
    pub total_power: u64,
}

/// Checks that `certificate` decides block `block_hash` at `height` on the chain `genesis`, signed by more than
/// two thirds of the power of `validators` (the set deciding `height`, in the runtime's order).
pub fn verify_certificate(
    certificate: &CommitCertificate<YimaContext>,
    genesis: &Hash,
    block_hash: &Hash,
    height: BlockNumber,
    validators: &[Validator],
) -> Result<VerifiedCertificate, CertificateError> {
    verify_certificate_with(
        certificate,
        genesis,
        block_hash,
        height,
        validators,
        &mut EachNow,
    )
}

/// [`verify_certificate`] with its signature checks handed to `signatures` (a [`crate::batch::SignatureBatch`]
/// defers them: the certificate is then proven only once the batch verifies).
pub fn verify_certificate_with(
    certificate: &CommitCertificate<YimaContext>,
    genesis: &Hash,
    block_hash: &Hash,
    height: BlockNumber,
    validators: &[Validator],
    signatures: &mut dyn Signatures,
) -> Result<VerifiedCertificate, CertificateError> {
    if certificate.height.0 != height {
        return Err(CertificateError::WrongHeight {
            expected: height,
            got: certificate.height.0,
        });
    }
    if certificate.value_id.0 != *block_hash {
        return Err(CertificateError::WrongBlock {
            expected: *block_hash,
            got: certificate.value_id.0,
        });
    }
    let round = certificate
        .round
        .as_u32()
        .ok_or(CertificateError::NilRound)?;
    let set = ValidatorSet::from_membership(validators)?;
    let ctx = YimaContext;
    let mut seen = std::collections::BTreeSet::new();
    let mut signed: u128 = 0;
    for sig in &certificate.commit_signatures {
        let who = sig.address.0;
        if !seen.insert(who) {
            return Err(CertificateError::DuplicateSigner(who));
        }
        let validator = set
            .validators()
            .binary_search_by(|v| v.address.cmp(&sig.address))
            .map(|i| &set.validators()[i])
            .map_err(|_| CertificateError::UnknownSigner(who))?;
        let precommit = malachitebft_core_types::Context::new_precommit(
            &ctx,
            certificate.height,
            certificate.round,
            NilOrVal::Val(certificate.value_id),
            sig.address,
        );
        let message = vote_sign_bytes(genesis, &precommit);
        if !signatures.check(&validator.public_key, &message, &sig.signature) {
            return Err(CertificateError::BadSignature(who));
        }
        signed += u128::from(validator.voting_power);
    }
    let total = u128::from(set.validators().iter().map(|v| v.voting_power).sum::<u64>());
    // More than 2/3: 3 × signed > 2 × total.
    if 3 * signed <= 2 * total {
        return Err(CertificateError::InsufficientPower {
            signed: signed as u64,
            total: total as u64,
            required: (2 * total / 3 + 1) as u64,
        });
    }
    Ok(VerifiedCertificate {
        round,
        signed_power: signed as u64,
        total_power: total as u64,
    })
}

/// [`verify_certificate`] on stored certificate bytes.
pub fn verify_certificate_bytes(
    bytes: &[u8],
    genesis: &Hash,
    block_hash: &Hash,
    height: BlockNumber,
    validators: &[Validator],
) -> Result<VerifiedCertificate, CertificateError> {
    verify_certificate(
        &decode_certificate(bytes)?,
        genesis,
        block_hash,
        height,
        validators,
    )
}

/// Checks a header with its stored certificate: the set given must be the one `header.validators_hash` names,
/// and the certificate must decide this header's hash at its number.
pub fn verify_header_certificate(
    header: &Header,
    certificate: &[u8],
    genesis: &Hash,
    validators: &[Validator],
) -> Result<VerifiedCertificate, CertificateError> {
    verify_header_certificate_with(header, certificate, genesis, validators, &mut EachNow)
}

/// [`verify_header_certificate`] with its signature checks handed to `signatures`.
pub fn verify_header_certificate_with(
    header: &Header,
    certificate: &[u8],
    genesis: &Hash,
    validators: &[Validator],
    signatures: &mut dyn Signatures,
) -> Result<VerifiedCertificate, CertificateError> {
    let got = validator_set_hash(validators);
    if got != header.validators_hash {
        return Err(CertificateError::WrongValidatorSet {
            expected: header.validators_hash,
            got,
        });
    }
    verify_certificate_with(
        &decode_certificate(certificate)?,
        genesis,
        &header.hash(),
        header.number,
        validators,
        signatures,
    )
}

#[cfg(test)]
mod tests {
    use malachitebft_core_types::Context as _;
    use proptest::prelude::*;

    use super::*;
    use crate::signing::ConsensusSigner;

    const CHAIN: Hash = Hash([0x11; 32]);

    struct Net {
        signers: Vec<ConsensusSigner>,
        validators: Vec<Validator>,
    }

    fn net(n: u8, powers: &[u64]) -> Net {
        let mut signers: Vec<_> = (1..=n)
            .map(|i| ConsensusSigner::new([i; 32], CHAIN))
            .collect();
        signers.sort_by_key(|s| *s.public_key().as_bytes());
        let validators = signers
            .iter()
            .zip(powers)
            .map(|(s, p)| Validator {
                key: AccountId(*s.public_key().as_bytes()),
                power: *p,
            })
            .collect();
        Net {
            signers,
            validators,
        }
    }

    fn certify(
        net: &Net,
        who: &[usize],
        height: u64,
        round: u32,
        block: Hash,
    ) -> CommitCertificate<YimaContext> {
        let sigs = who
            .iter()
            .map(|&i| {
                let s = &net.signers[i];
                let address = Address::from(&s.public_key());
                let vote = YimaContext.new_precommit(
                    Height(height),
                    Round::new(round),
                    NilOrVal::Val(BlockHash(block)),
                    address,
                );
                CommitSignature::new(address, s.sign_vote_now(&vote))
            })
            .collect();
        CommitCertificate {
            height: Height(height),
            round: Round::new(round),
            value_id: BlockHash(block),
            commit_signatures: sigs,
        }
    }

    const BLOCK: Hash = Hash([0x42; 32]);

    #[test]
    fn a_quorum_certificate_verifies_and_round_trips() {
        let n = net(4, &[1, 1, 1, 1]);
        let cert = certify(&n, &[0, 1, 2], 7, 2, BLOCK);
        let bytes = encode_certificate(&cert).unwrap();
        assert_eq!(decode_certificate(&bytes).unwrap(), cert);
        let ok = verify_certificate_bytes(&bytes, &CHAIN, &BLOCK, 7, &n.validators).unwrap();
        assert_eq!(
            ok,
            VerifiedCertificate {
                round: 2,
                signed_power: 3,
                total_power: 4
            }
        );
    }

    #[test]
    fn each_defect_is_named() {
        let n = net(4, &[1, 1, 1, 1]);
        let cert = certify(&n, &[0, 1, 2, 3], 7, 0, BLOCK);
        let v = |c: &CommitCertificate<YimaContext>| {
            verify_certificate(c, &CHAIN, &BLOCK, 7, &n.validators)
        };
        assert!(v(&cert).is_ok());

        // Tampered signature.
        let mut bad = cert.clone();
        let mut b = bad.commit_signatures[1].signature.to_bytes();
        b[0] ^= 0x80;
        bad.commit_signatures[1].signature = malachitebft_signing_ed25519::Signature::from_bytes(b);
        let who = bad.commit_signatures[1].address.0;
        assert_eq!(v(&bad), Err(CertificateError::BadSignature(who)));

        // Signatures removed below two thirds.
        let mut few = cert.clone();
        few.commit_signatures.truncate(2);
        assert_eq!(
            v(&few),
            Err(CertificateError::InsufficientPower {
                signed: 2,
                total: 4,
                required: 3
            })
        );

        // A signer outside the set (a valid signature by an unknown key).
        let outsider = ConsensusSigner::new([99; 32], CHAIN);
        let address = Address::from(&outsider.public_key());
        let vote = YimaContext.new_precommit(
            Height(7),
            Round::new(0),
            NilOrVal::Val(BlockHash(BLOCK)),
            address,
        );
        let mut stranger = cert.clone();
        stranger
            .commit_signatures
            .push(CommitSignature::new(address, outsider.sign_vote_now(&vote)));
        assert_eq!(
            v(&stranger),
            Err(CertificateError::UnknownSigner(address.0))
        );

        // A duplicate signer (counted twice it would reach the quorum).
        let mut dup = certify(&n, &[0, 1], 7, 0, BLOCK);
        dup.commit_signatures.push(dup.commit_signatures[0].clone());
        assert_eq!(
            v(&dup),
            Err(CertificateError::DuplicateSigner(
                dup.commit_signatures[0].address.0
            ))
        );

        // Another block hash: the certificate's own, or a relabelled certificate.
        let other = Hash([0x43; 32]);
        assert_eq!(
            verify_certificate(&cert, &CHAIN, &other, 7, &n.validators),
            Err(CertificateError::WrongBlock {
                expected: other,
                got: BLOCK
            })
        );
        let mut relabelled = cert.clone();
        relabelled.value_id = BlockHash(other);
        assert!(matches!(
            verify_certificate(&relabelled, &CHAIN, &other, 7, &n.validators),
            Err(CertificateError::BadSignature(_))
        ));

        // Another height, another round, another chain.
        assert!(matches!(
            verify_certificate(&cert, &CHAIN, &BLOCK, 8, &n.validators),
            Err(CertificateError::WrongHeight { .. })
        ));
        let mut moved = cert.clone();
        moved.round = Round::new(1);
        assert!(matches!(v(&moved), Err(CertificateError::BadSignature(_))));
        assert!(matches!(
            verify_certificate(&cert, &Hash([0x12; 32]), &BLOCK, 7, &n.validators),
            Err(CertificateError::BadSignature(_))
        ));
    }

    #[test]
    fn power_is_weighted() {
        // One validator with more than two thirds of the power suffices alone; the three others do not.
        let n = net(4, &[1, 1, 1, 10]);
        let heavy = certify(&n, &[3], 1, 0, BLOCK);
        assert!(verify_certificate(&heavy, &CHAIN, &BLOCK, 1, &n.validators).is_ok());
        let light = certify(&n, &[0, 1, 2], 1, 0, BLOCK);
        assert!(matches!(
            verify_certificate(&light, &CHAIN, &BLOCK, 1, &n.validators),
            Err(CertificateError::InsufficientPower {
                signed: 3,
                total: 13,
                required: 9
            })
        ));
    }

    #[test]
    fn header_check_requires_the_named_validator_set() {
        let n = net(4, &[1, 1, 1, 1]);
        let mut header = Header {
            parent_hash: Hash([1; 32]),
            number: 3,
            timestamp: 5,
            proposer: n.validators[0].key,
            state_root: Hash([2; 32]),
            extrinsics_root: Hash([3; 32]),
            events_root: Hash([4; 32]),
            validators_hash: validator_set_hash(&n.validators),
            next_validators_hash: validator_set_hash(&n.validators),
        };
        let cert = encode_certificate(&certify(&n, &[0, 1, 2], 3, 0, header.hash())).unwrap();
        assert!(verify_header_certificate(&header, &cert, &CHAIN, &n.validators).is_ok());
        header.validators_hash = Hash([9; 32]);
        assert!(matches!(
            verify_header_certificate(&header, &cert, &CHAIN, &n.validators),
            Err(CertificateError::WrongValidatorSet { .. })
        ));
    }

    #[test]
    fn malformed_bytes_are_named() {
        assert!(matches!(
            decode_certificate(&[]),
            Err(CertificateError::Malformed(_))
        ));
        assert_eq!(
            decode_certificate(&[2, 0, 0]),
            Err(CertificateError::UnknownVersion(2))
        );
        assert!(matches!(
            decode_certificate(&[1, 0, 0]),
            Err(CertificateError::Malformed(_))
        ));
    }

    proptest! {
        #[test]
        fn garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let n = net(2, &[1, 1]);
            let _ = verify_certificate_bytes(&bytes, &CHAIN, &BLOCK, 1, &n.validators);
            let mut versioned = bytes.clone();
            versioned.insert(0, CERTIFICATE_VERSION);
            let _ = verify_certificate_bytes(&versioned, &CHAIN, &BLOCK, 1, &n.validators);
        }

        #[test]
        fn stored_certificates_round_trip(h in any::<u64>(), r in any::<u32>(), id in any::<[u8; 32]>(), who in prop::collection::vec(0usize..4, 0..6)) {
            let n = net(4, &[1, 1, 1, 1]);
            let cert = certify(&n, &who, h, r, Hash(id));
            let bytes = encode_certificate(&cert).unwrap();
            prop_assert_eq!(decode_certificate(&bytes).unwrap(), cert);
        }
    }
}
