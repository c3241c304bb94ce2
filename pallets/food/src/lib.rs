//! # Food pallet — 浙食链
//!
//! The path of domestic food (DOMAIN.md §4): producer (farm or workshop) → processing → distribution → retail
//! or catering (canteens, school canteens), on top of the trace core and the attestations.
//!
//! - **Producers and origin certificates** ([`gate`]): a lot of a food product commissioned by a producer
//!   (OrgKind `Producer`: a farm, a cooperative, a small workshop) is a *farm lot*; its goods may not be shipped
//!   or sold — may not leave the farm — unless the lot holds a valid origin certificate (合格证, attestation
//!   schema `ORIGIN_CERTIFICATE`, issued by a producer). The producer attests it with the attestation pallet.
//! - **Processing** is the trace core's transformation: inputs consumed, outputs commissioned in the
//!   processor's lot. The gate records, as the transformation passes, which food lots the new lot is made from
//!   ([`types::FoodLot::ancestors`]), so a failed test on an input holds every lot made from it.
//! - **Tests** ([`testing`]): an inspection body or a regulator records a quick-test (快检) or inspection
//!   result, pass or fail, on a food lot, citing its own `QUICK_TEST_RESULT` attestation on the lot (and, if
//!   one code was sampled, recording the inspection on it in the trace). A fail holds the lot and raises
//!   [`Event::TestRecorded`] with `result: Fail` — an alert; a regulator's fail also recalls the lot in the
//!   trace core, and the runtime's recall query (一键排查) lists every downstream holder.
//! - **Decisions** ([`decision`]): a hold ends only by a regulator's decision (闭环) — **released**, citing a
//!   passing retest recorded after the latest fail and a decision document ([`Event::HoldReleased`]), or
//!   **disposed**, citing an `UNQUALIFIED_PRODUCT_DISPOSAL` attestation on the lot ([`Event::LotDisposed`]):
//!   the trace core then counts every code of the lot destroyed.
//! - **Distribution and retail** are plain trace capture; the gate refuses a retail sale or catering use of
//!   goods of a failed lot, or of a lot made from one ([`Error::FailedTestNoSale`]), and any other movement of
//!   them ([`Error::LotOnHold`]).
//! - **Catering** ([`catering`]): a caterer (canteen, school canteen) records the use of goods in its kitchen;
//!   it ends their custody like a sale, through the same gate.
//!
//! Every hop goes through `yima_trace::Pallet::record`, so it passes the same custody rules and gates as a
//! direct capture. Every call checks before its first write; a refused trace record undoes the whole call.

pub mod catering;
pub mod decision;
pub mod gate;
pub mod testing;
pub mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use yima_attestation::{AttestationId, AttestationInspect, LotRef, Subject};
use yima_codes::TraceCode;
use yima_frame::{storage, DispatchResult, Hash, Hooks, Moment, OrgId, Origin};
use yima_membership::{MembershipInspect, OrgKind};
use yima_trace::types::LotKey;

pub use types::{Disposal, Failure, FoodLot, Release, TestKind, TestRecord, TestResult};

/// The pallet's name in storage keys and errors.
pub const PALLET: &str = "Food";

/// China Standard Time, minutes east of UTC: the zone of the events this pallet records (at block time).
pub const CST_MINUTES: i16 = 480;

/// Most bytes of a kitchen id.
pub const MAX_KITCHEN_BYTES: usize = 64;

/// Most codes one catering use may name.
pub const MAX_CODES_PER_USE: usize = 1_000;

/// What the runtime supplies to the food pallet.
pub trait Config: yima_trace::Config + yima_system::Config<RuntimeEvent: From<Event>> {
    /// Origin certificates and test-result attestations.
    type Attestations: AttestationInspect;
}

storage! {
    pallet "Food";
    /// Every food lot: commissioned of a product of category `food`, or made from food lots.
    pub FoodLots: map LotKey => FoodLot;
    /// Every test result recorded, by lot and the attestation it cites.
    pub Tests: double_map LotKey, AttestationId => TestRecord;
    /// The open hold of each failed lot: its first failed test (removed by a regulator's release).
    pub Failures: map LotKey => Failure;
    /// Passes recorded while the lot's hold stood, by lot and their attestation: the latest fail each retests.
    pub Retests: double_map LotKey, AttestationId => AttestationId;
    /// The latest release of each lot's hold by a regulator.
    pub Releases: map LotKey => Release;
    /// Lots a regulator disposed of.
    pub Disposals: map LotKey => Disposal;
}

/// The attestation subject of a lot.
pub fn lot_subject(lot: &LotKey) -> Subject {
    Subject::Lot(LotRef {
        product: lot.product,
        lot: lot.lot,
    })
}

/// Events of the food pallet.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Event {
    /// A test result was recorded on a lot; `result: Fail` is an alert (the lot is held, or recalled).
    #[codec(index = 0)]
    TestRecorded {
        /// The lot.
        lot: LotKey,
        /// Quick test or inspection.
        kind: TestKind,
        /// The verdict.
        result: TestResult,
        /// The inspection body or regulator.
        by: OrgId,
        /// The test-result attestation cited.
        attestation: AttestationId,
        /// The code sampled, if any.
        sample: Option<TraceCode>,
        /// Whether the lot stands recalled in the trace core afterwards.
        recalled: bool,
    },
    /// A transformation made lot `lot` from food lots: it inherits their holds.
    #[codec(index = 1)]
    LotDerived {
        /// The new lot.
        lot: LotKey,
        /// Every food lot it is made from, at any depth, sorted.
        ancestors: Vec<LotKey>,
    },
    /// A caterer used goods in its kitchen (their custody ends).
    #[codec(index = 2)]
    Served {
        /// The caterer.
        caterer: OrgId,
        /// The kitchen id.
        kitchen: Vec<u8>,
        /// The codes.
        codes: Vec<TraceCode>,
    },
    /// A regulator released a lot's hold, citing a passing retest recorded after the latest fail (闭环): its
    /// goods, and those of lots made from it that nothing else holds, may move again.
    #[codec(index = 3)]
    HoldReleased {
        /// The lot.
        lot: LotKey,
        /// The regulator.
        by: OrgId,
        /// The failed test the hold came from.
        failure: AttestationId,
        /// The passing retest cited.
        retest: AttestationId,
        /// SHA-256 of the decision document.
        decision: Hash,
        /// Whether the lot's recall in the trace core (made by a regulator's fail) ended too.
        recall_lifted: bool,
    },
    /// A regulator disposed of a held lot (不合格产品后处理, 闭环): every code of it counts as destroyed.
    #[codec(index = 4)]
    LotDisposed {
        /// The lot.
        lot: LotKey,
        /// The regulator.
        by: OrgId,
        /// The `UNQUALIFIED_PRODUCT_DISPOSAL` attestation cited.
        disposal: AttestationId,
    },
}

/// Why a food call or a custody event was refused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Error {
    /// A farm lot leaving the farm without its origin certificate.
    #[error("合格证: this farm lot has no valid origin certificate now — never issued, revoked or expired; the producer must attest one (schema ORIGIN_CERTIFICATE) before its goods are shipped or sold")]
    MissingOriginCertificate,
    /// Sale or catering use of goods that failed a test.
    #[error("this lot, or a lot it was made from, failed a quick test or inspection: it may not be sold or served; hold it and contact the regulator")]
    FailedTestNoSale,
    /// Any other movement of goods that failed a test.
    #[error("this lot, or a lot it was made from, failed a quick test or inspection: it is held and may only be received, stored, inspected, unpacked or destroyed")]
    LotOnHold,
    /// A test result recorded by someone who does not test.
    #[error("only an inspection body (Inspector) or a regulator (Operator or Governance) records a test result; a market's own quick test stays an attestation until an inspection body confirms it")]
    NotTester,
    /// The lot is not known to the trace core.
    #[error("unknown lot: no code was ever commissioned in it on this chain")]
    UnknownLot,
    /// The lot is not food.
    #[error("this lot is not food (no product of category food, nor made from one); record the result on the food lot")]
    NotFoodLot,
    /// The cited attestation was issued by another organisation.
    #[error("the cited test-result attestation was issued by another organisation; cite your own QUICK_TEST_RESULT attestation on this lot")]
    NotOwnAttestation,
    /// The attestation was already recorded on the lot.
    #[error("this test-result attestation is already recorded on the lot; attest a new result for a new test")]
    AlreadyRecorded,
    /// The sampled code is not of the lot.
    #[error("the sampled code was never commissioned in this lot; name a code of the lot tested, or none")]
    SampleNotInLot,
    /// Catering use by a non-caterer.
    #[error("only a caterer (canteen, school canteen) records catering use; a retailer records a retail sale")]
    NotCaterer,
    /// Catering use of no codes, or too many.
    #[error("a catering use names between 1 and 1000 codes; split a larger use")]
    InvalidCodeCount,
    /// A kitchen id empty or too long.
    #[error("the kitchen id must be 1 to 64 bytes (e.g. the 阳光厨房 location id)")]
    InvalidKitchen,
    /// A hold decision by someone who is not a regulator.
    #[error("only a regulator (Operator or Governance account of a regulator organisation) releases or disposes of a held lot")]
    NotRegulator,
    /// An all-zero decision document digest.
    #[error("the decision document digest is all zeros; pass the SHA-256 of the regulator's decision document")]
    InvalidDecision,
    /// The lot is not held.
    #[error("this lot is not held (no failed test stands on it nor on a lot it was made from): there is nothing to release or dispose of")]
    NotHeld,
    /// The lot is held only through a lot it was made from.
    #[error("this lot is held because a lot it was made from failed: release or dispose of that lot, or dispose of this one")]
    HeldByAncestor,
    /// The lot was already disposed of.
    #[error("this lot was disposed of: its codes count as destroyed, and the decision is final")]
    LotDisposed,
    /// The cited retest is not recorded on the lot.
    #[error("the cited retest is not recorded on this lot; an inspection body or regulator must record the retest (RecordTest) first")]
    RetestNotRecorded,
    /// The cited retest did not pass.
    #[error("the cited retest did not pass; a release needs a passing retest, otherwise dispose of the lot")]
    RetestNotPassing,
    /// The cited retest was recorded before the hold's latest fail.
    #[error("the cited retest was recorded before the lot's latest failed test; cite a passing retest recorded after it")]
    RetestBeforeHold,
}

yima_frame::impl_pallet_error!(Error, PALLET);

/// Calls of the food pallet; indices are stable.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Call {
    /// Records a quick-test or inspection result on a food lot (an inspection body's Inspector or a regulator's
    /// Operator or Governance account), citing the signer organisation's `QUICK_TEST_RESULT` attestation.
    #[codec(index = 0)]
    RecordTest {
        /// The lot tested.
        lot: LotKey,
        /// Quick test or inspection.
        kind: TestKind,
        /// The verdict.
        result: TestResult,
        /// The test-result attestation on the lot.
        attestation: AttestationId,
        /// The code sampled, if one was.
        sample: Option<TraceCode>,
    },
    /// Records the use of goods in a caterer's kitchen (a caterer's Operator, the custodian).
    #[codec(index = 1)]
    Serve {
        /// The codes used (top level: a container's contents go with it).
        codes: Vec<TraceCode>,
        /// The kitchen, e.g. its 阳光厨房 location id.
        kitchen: Vec<u8>,
    },
    /// Releases a held lot (a regulator's Operator or Governance account), citing a passing retest recorded on
    /// it after its latest fail, and the decision document.
    #[codec(index = 2)]
    ReleaseHold {
        /// The held lot.
        lot: LotKey,
        /// The passing retest (its test-result attestation, recorded with `RecordTest`).
        retest: AttestationId,
        /// SHA-256 of the regulator's decision document.
        decision: Hash,
    },
    /// Disposes of a held lot (a regulator's Operator or Governance account), citing a valid
    /// `UNQUALIFIED_PRODUCT_DISPOSAL` attestation on it: its codes count as destroyed.
    #[codec(index = 3)]
    DisposeLot {
        /// The held lot.
        lot: LotKey,
        /// The disposal attestation.
        disposal: AttestationId,
    },
}

/// The food pallet.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> yima_frame::pallet::Pallet for Pallet<T> {
    const NAME: &'static str = PALLET;
    type Call = Call;

    fn dispatch(origin: &Origin, call: Call) -> DispatchResult {
        match call {
            Call::RecordTest {
                lot,
                kind,
                result,
                attestation,
                sample,
            } => Self::record_test(origin, lot, kind, result, attestation, sample),
            Call::Serve { codes, kitchen } => Self::serve(origin, codes, kitchen),
            Call::ReleaseHold {
                lot,
                retest,
                decision,
            } => Self::release_hold(origin, lot, retest, decision),
            Call::DisposeLot { lot, disposal } => Self::dispose_lot(origin, lot, disposal),
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {}

impl<T: Config> Pallet<T> {
    /// What the gate knows about `lot`, if it is food.
    pub fn food_lot(lot: &LotKey) -> Option<FoodLot> {
        use yima_frame::storage::StorageMap;
        FoodLots::get(lot)
    }

    /// The first failed test of `lot`.
    pub fn failure(lot: &LotKey) -> Option<Failure> {
        use yima_frame::storage::StorageMap;
        Failures::get(lot)
    }

    /// The latest release of `lot`'s hold.
    pub fn release(lot: &LotKey) -> Option<Release> {
        use yima_frame::storage::StorageMap;
        Releases::get(lot)
    }

    /// The disposal of `lot`.
    pub fn disposal(lot: &LotKey) -> Option<Disposal> {
        use yima_frame::storage::StorageMap;
        Disposals::get(lot)
    }

    /// The result recorded on `lot` citing `attestation`.
    pub fn test(lot: &LotKey, attestation: &AttestationId) -> Option<TestRecord> {
        use yima_frame::storage::StorageDoubleMap;
        Tests::get(lot, attestation)
    }

    pub(crate) fn deposit_event(event: Event) {
        yima_system::Pallet::<T>::deposit_event(event);
    }

    pub(crate) fn now() -> Moment {
        yima_system::Pallet::<T>::now()
    }

    pub(crate) fn org_kind(org: OrgId) -> Option<OrgKind> {
        <<T as yima_trace::Config>::Membership as MembershipInspect>::org_kind(org)
    }
}
