//! A transaction's validity before it runs, in parts the executive combines: its window, its signer's standing
//! and nonce (read once per account in a batch), and its nonce against the account's.

use yima_frame::{AccountId, BlockNumber, Signer};

use crate::executive::InvalidTransaction;
use crate::transaction::SignedTransaction;
use crate::{Membership, System};

/// The validity window: not expired at `block`, and not valid for more than `window` blocks past it.
pub(crate) fn check_window(
    tx: &SignedTransaction,
    block: BlockNumber,
    window: BlockNumber,
) -> Result<(), InvalidTransaction> {
    if tx.valid_until < block {
        return Err(InvalidTransaction::Expired {
            valid_until: tx.valid_until,
            block,
        });
    }
    let max = block.saturating_add(window);
    if tx.valid_until > max {
        return Err(InvalidTransaction::ValidityTooLong {
            valid_until: tx.valid_until,
            max,
            block,
            window,
        });
    }
    Ok(())
}

/// The account's signer as dispatch sees it and its next nonce. Must run inside externalities.
pub(crate) fn account_standing(account: &AccountId) -> Result<(Signer, u64), InvalidTransaction> {
    let signer = Membership::resolve_signer(account).map_err(InvalidTransaction::Signer)?;
    Ok((signer, System::account_nonce(account)))
}

/// The nonce against the account's next one (checked last, so that `Future` means "valid but early").
pub(crate) fn check_nonce(tx: &SignedTransaction, expected: u64) -> Result<(), InvalidTransaction> {
    if tx.nonce < expected {
        return Err(InvalidTransaction::Stale {
            expected,
            got: tx.nonce,
        });
    }
    if tx.nonce > expected {
        return Err(InvalidTransaction::Future {
            expected,
            got: tx.nonce,
        });
    }
    Ok(())
}
