//! What the regulator decided about a lot's hold (闭环): held, released or disposed, read from chain state.
//!
//! A food lot is held by a failed test (`yima_food::Failures`), a cold-chain lot by a positive test
//! (`yima_cold_chain::Positives`); a regulator ends the hold by a **release** (a passing or negative retest cited,
//! `Releases`) or a **disposal** (`Disposals`; the trace core then counts every code of the lot destroyed). Recall
//! ([`super::recall`]) reports this per lot, and the scan page may call [`lot_holds`] for the lot of a scanned
//! code. Only a lot's own holds are listed: a lot held because a lot it was made from failed shows through that
//! lot (both are in the same recall).

use yima_frame::storage::StorageMap;
use yima_frame::{BlockNumber, Hash, OrgId};
use yima_trace::types::LotKey;

/// Where a hold came from.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum HoldSource {
    /// A failed food test (浙食链).
    FailedTest,
    /// A positive cold-chain test (浙冷链).
    PositiveTest,
}

impl HoldSource {
    /// The stable name: `failed_test`, `positive_test` (the alert kinds of the tests that hold).
    pub fn as_str(&self) -> &'static str {
        match self {
            HoldSource::FailedTest => "failed_test",
            HoldSource::PositiveTest => "positive_test",
        }
    }
}

/// Where a hold stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HoldState {
    /// Held: the test stands and no regulator has decided.
    Held {
        /// Who recorded the test.
        by: OrgId,
        /// The block it was recorded in.
        at: BlockNumber,
        /// Whether the lot stands recalled in the trace core.
        recalled: bool,
    },
    /// Released by a regulator citing a retest (the latest release, when no new hold stands).
    Released {
        /// The regulator.
        by: OrgId,
        /// The block of the decision.
        at: BlockNumber,
        /// The retest cited (food: its test-result attestation; cold chain: its report digest).
        retest: Hash,
        /// SHA-256 of the decision document.
        decision: Hash,
        /// Whether the release ended the recall the test made.
        recall_lifted: bool,
    },
    /// Disposed of by a regulator: every code of the lot counts as destroyed; final.
    Disposed {
        /// The regulator.
        by: OrgId,
        /// The block of the decision.
        at: BlockNumber,
        /// The `UNQUALIFIED_PRODUCT_DISPOSAL` attestation cited.
        disposal: Hash,
    },
}

impl HoldState {
    /// The stable name: `held`, `released`, `disposed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            HoldState::Held { .. } => "held",
            HoldState::Released { .. } => "released",
            HoldState::Disposed { .. } => "disposed",
        }
    }
}

/// One hold of a lot and where it stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LotHold {
    /// Food or cold chain.
    pub source: HoldSource,
    /// Held, released or disposed.
    pub state: HoldState,
}

/// The holds of `lot` (food first, then cold chain), each at its latest stand: disposed over held over released.
/// Reads state; call inside externalities (as [`super::StateCustody`] does).
pub fn lot_holds(lot: &LotKey) -> Vec<LotHold> {
    let food = yima_food::Disposals::get(lot)
        .map(|d| disposed(d.by, d.at, d.disposal))
        .or_else(|| {
            yima_food::Failures::get(lot).map(|f| HoldState::Held {
                by: f.by,
                at: f.at,
                recalled: f.recalled,
            })
        })
        .or_else(|| {
            yima_food::Releases::get(lot)
                .map(|r| released(r.by, r.at, r.retest, r.decision, r.recall_lifted))
        })
        .map(|state| LotHold {
            source: HoldSource::FailedTest,
            state,
        });
    let cold = yima_cold_chain::Disposals::get(lot)
        .map(|d| disposed(d.by, d.at, d.disposal))
        .or_else(|| {
            yima_cold_chain::Positives::get(lot).map(|p| HoldState::Held {
                by: p.by,
                at: p.at,
                recalled: p.recalled,
            })
        })
        .or_else(|| {
            yima_cold_chain::Releases::get(lot)
                .map(|r| released(r.by, r.at, r.retest, r.decision, r.recall_lifted))
        })
        .map(|state| LotHold {
            source: HoldSource::PositiveTest,
            state,
        });
    food.into_iter().chain(cold).collect()
}

fn disposed(by: OrgId, at: BlockNumber, disposal: Hash) -> HoldState {
    HoldState::Disposed { by, at, disposal }
}

fn released(
    by: OrgId,
    at: BlockNumber,
    retest: Hash,
    decision: Hash,
    recall_lifted: bool,
) -> HoldState {
    HoldState::Released {
        by,
        at,
        retest,
        decision,
        recall_lifted,
    }
}
