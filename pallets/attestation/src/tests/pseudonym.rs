//! The pseudonymous-id rules: random-looking ids (what an HMAC yields) pass, a national id in clear does not,
//! however it was squeezed into 32 bytes.

use crate::PseudonymousId;
use proptest::prelude::*;
use yima_frame::sha256;

use crate::pseudonym::{check, NotPseudonymous};

/// A resident id of the first generation (15 digits) and of the second (17 digits and a check character).
const OLD_ID: &[u8] = b"110105491231002";
const NEW_ID: &[u8] = b"11010519491231002X";

fn placed(at: usize, text: &[u8], fill: [u8; 32]) -> PseudonymousId {
    let mut id = fill;
    id[at..at + text.len()].copy_from_slice(text);
    PseudonymousId(id)
}

#[test]
fn hashes_pass() {
    for name in ["Wang", "Zhao", "nurse Li", "", "11010519491231002X"] {
        assert_eq!(check(&PseudonymousId(sha256(name.as_bytes()).0)), Ok(()));
    }
}

#[test]
fn all_zeros_is_refused_as_the_attestation_pallet_refuses_it() {
    assert_eq!(check(&PseudonymousId([0; 32])), Err(NotPseudonymous::Empty));
}

#[test]
fn a_national_id_as_digits_anywhere_is_refused() {
    let noise = sha256(b"noise").0;
    for at in [0, 5, 14] {
        assert_eq!(
            check(&placed(at, NEW_ID, noise)),
            Err(NotPseudonymous::NationalIdDigits)
        );
        assert_eq!(
            check(&placed(at, OLD_ID, noise)),
            Err(NotPseudonymous::NationalIdDigits)
        );
    }
    // Lower-case check character.
    assert_eq!(
        check(&placed(3, b"11010519491231002x", noise)),
        Err(NotPseudonymous::NationalIdDigits)
    );
}

#[test]
fn fourteen_digits_in_a_row_are_not_an_id() {
    let noise = [0xa5; 32];
    assert_eq!(check(&placed(2, b"11010519491231", noise)), Ok(()));
    // An `X` after fourteen digits completes a fifteen-character id.
    assert_eq!(
        check(&placed(2, b"11010519491231X", noise)),
        Err(NotPseudonymous::NationalIdDigits)
    );
}

#[test]
fn a_padded_short_value_is_refused() {
    // The id as an integer (8 bytes) or in BCD (9 bytes), zero-padded.
    let mut integer = [0u8; 32];
    integer[..8].copy_from_slice(&11_010_519_491_231_002u64.to_le_bytes());
    assert_eq!(
        check(&PseudonymousId(integer)),
        Err(NotPseudonymous::Padded)
    );
    let bcd = [0x11, 0x01, 0x05, 0x19, 0x49, 0x12, 0x31, 0x00, 0x2a];
    assert_eq!(
        check(&placed(23, &bcd, [0; 32])),
        Err(NotPseudonymous::Padded)
    );
    // Eight zero bytes are still accepted.
    let mut eight = sha256(b"x").0.map(|b| b | 1);
    eight[..8].copy_from_slice(&[0; 8]);
    assert_eq!(check(&PseudonymousId(eight)), Ok(()));
}

#[test]
fn text_in_clear_is_refused() {
    let spaces = [b' '; 32];
    assert_eq!(
        check(&placed(0, b"110105-1949-1231-002X", spaces)),
        Err(NotPseudonymous::Text)
    );
    assert_eq!(
        check(&placed(0, b"Wang Xiaoming", spaces)),
        Err(NotPseudonymous::Text)
    );
    // 32 hex characters: half of a hex-encoded HMAC, not the HMAC.
    assert_eq!(
        check(&PseudonymousId(*b"3fa85f6457174562b3fc2c963f66afa6")),
        Err(NotPseudonymous::Text)
    );
}

proptest! {
    /// What an HMAC yields — uniformly random bytes — is accepted (the rules' false-refusal rate is below 10⁻¹³).
    #[test]
    fn random_ids_pass(bytes in proptest::array::uniform32(any::<u8>())) {
        prop_assert_eq!(check(&PseudonymousId(bytes)), Ok(()));
    }
}
