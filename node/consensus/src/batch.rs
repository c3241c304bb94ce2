//! Signature checks deferred into one batch.
//!
//! Verifying an audit bundle checks hundreds of commit signatures: a certificate per hop, each signed by most of
//! the validator set. [`SignatureBatch`] queues them and checks them all at once with ed25519-consensus's batch
//! verifier, which coalesces the terms of each key: a batch of n signatures by k keys costs one multiscalar
//! multiplication of about n + k points instead of n double-scalar multiplications. It accepts exactly what
//! checking each signature alone accepts (ZIP-215 rules, the rules Malachite signs and checks votes by), so
//! batching changes the cost, not the answer. A signature queued twice (the same key, message and signature: one
//! block's certificate in the proofs of two hops, or a hand-over header every proof carries) is checked once.
//!
//! A failed batch says only that some signature is bad: [`batched`] runs a check with a batch and, when it
//! fails, again with [`EachNow`] to name the signature.

use std::collections::HashSet;

use ed25519_consensus::batch;
use ed25519_consensus::VerificationKeyBytes;
use malachitebft_signing_ed25519::{PublicKey, Signature};

use crate::signing::verify_bytes;

/// Where signatures go to be checked: at once, or into a batch.
pub trait Signatures {
    /// Whether `signature` by `key` covers `message`. A batch queues it and answers `true`: its own verdict comes
    /// from [`SignatureBatch::verify`].
    fn check(&mut self, key: &PublicKey, message: &[u8], signature: &Signature) -> bool;
}

/// Checks each signature as it comes.
#[derive(Clone, Copy, Debug, Default)]
pub struct EachNow;

impl Signatures for EachNow {
    fn check(&mut self, key: &PublicKey, message: &[u8], signature: &Signature) -> bool {
        verify_bytes(key, message, signature)
    }
}

/// Signatures queued for one batch check; see the module docs.
#[derive(Default)]
pub struct SignatureBatch {
    verifier: batch::Verifier,
    /// Key, signature and message of everything queued, so a repeat is not queued again.
    seen: HashSet<Vec<u8>>,
}

impl std::fmt::Debug for SignatureBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureBatch")
            .field("queued", &self.seen.len())
            .finish()
    }
}

impl SignatureBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many distinct signatures are queued.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Whether every queued signature verifies (an empty batch does). The batch's random coefficients come from
    /// the thread's CSPRNG: a forger cannot choose signatures whose errors cancel out.
    pub fn verify(self) -> bool {
        self.verifier.verify(rand::thread_rng()).is_ok()
    }
}

/// Runs `check` with its signatures in one batch, then the batch; if either fails, runs `check` again with each
/// signature checked as it comes ([`EachNow`]), so that its error names what broke. The answer is the one-by-one
/// check's, at a batch's cost when all is well.
pub fn batched<T, E>(mut check: impl FnMut(&mut dyn Signatures) -> Result<T, E>) -> Result<T, E> {
    let mut batch = SignatureBatch::new();
    match check(&mut batch) {
        Ok(checked) if batch.verify() => Ok(checked),
        _ => check(&mut EachNow),
    }
}

impl Signatures for SignatureBatch {
    fn check(&mut self, key: &PublicKey, message: &[u8], signature: &Signature) -> bool {
        let mut id = Vec::with_capacity(32 + 64 + message.len());
        id.extend_from_slice(key.as_bytes());
        id.extend_from_slice(&signature.to_bytes());
        id.extend_from_slice(message);
        if self.seen.insert(id) {
            self.verifier.queue((
                VerificationKeyBytes::from(*key.as_bytes()),
                *signature.inner(),
                message,
            ));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use malachitebft_signing_ed25519::PrivateKey;

    fn key(n: u8) -> PrivateKey {
        PrivateKey::from([n; 32])
    }

    #[test]
    fn a_batch_of_good_signatures_verifies_and_repeats_are_queued_once() {
        let mut batch = SignatureBatch::new();
        for n in 1..=4u8 {
            let k = key(n);
            for m in [b"block 1".as_slice(), b"block 2"] {
                let sig = k.sign(m);
                assert!(batch.check(&k.public_key(), m, &sig));
                assert!(batch.check(&k.public_key(), m, &sig), "a repeat");
            }
        }
        assert_eq!(batch.len(), 8);
        assert!(batch.verify());
    }

    #[test]
    fn one_bad_signature_fails_the_batch_and_each_now_names_it() {
        let mut batch = SignatureBatch::new();
        let (a, b) = (key(1), key(2));
        batch.check(&a.public_key(), b"m", &a.sign(b"m"));
        // b's signature of another message, presented as b's signature of `m`.
        let forged = b.sign(b"other");
        batch.check(&b.public_key(), b"m", &forged);
        assert!(!batch.verify());
        assert!(EachNow.check(&a.public_key(), b"m", &a.sign(b"m")));
        assert!(!EachNow.check(&b.public_key(), b"m", &forged));
    }

    #[test]
    fn a_repeat_with_another_message_is_still_checked() {
        let mut batch = SignatureBatch::new();
        let a = key(1);
        let sig = a.sign(b"m");
        batch.check(&a.public_key(), b"m", &sig);
        batch.check(&a.public_key(), b"n", &sig);
        assert_eq!(batch.len(), 2);
        assert!(!batch.verify());
    }

    #[test]
    fn batched_answers_as_one_by_one_and_names_the_bad_signature() {
        let (a, b) = (key(1), key(2));
        let forged = b.sign(b"other");
        let check = |sigs: &mut dyn Signatures| -> Result<usize, &'static str> {
            if !sigs.check(&a.public_key(), b"m", &a.sign(b"m")) {
                return Err("a's");
            }
            if !sigs.check(&b.public_key(), b"m", &forged) {
                return Err("b's");
            }
            Ok(2)
        };
        assert_eq!(batched(check), Err("b's"));
        let honest = |sigs: &mut dyn Signatures| -> Result<(), ()> {
            sigs.check(&a.public_key(), b"m", &a.sign(b"m"))
                .then_some(())
                .ok_or(())
        };
        assert_eq!(batched(honest), Ok(()));
    }

    #[test]
    fn an_empty_batch_verifies() {
        assert!(SignatureBatch::new().is_empty());
        assert!(SignatureBatch::new().verify());
    }
}
