//! What the food pallet keeps: which lots are food (and which of those come from a farm or workshop), the
//! lots each was made from, and the test results recorded on lots.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use yima_attestation::AttestationId;
use yima_codes::TraceCode;
use yima_frame::{BlockNumber, OrgId};
use yima_trace::types::LotKey;

/// What kind of test a result comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub enum TestKind {
    /// A quick test (快检) on site: pesticide residue, veterinary drugs, additives.
    #[codec(index = 0)]
    QuickTest,
    /// A laboratory inspection (监督抽检) of a sample.
    #[codec(index = 1)]
    Inspection,
}

/// The verdict of a test.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub enum TestResult {
    /// Within every limit.
    #[codec(index = 0)]
    Pass,
    /// Over a limit: the lot is held (and recalled when a regulator reports it).
    #[codec(index = 1)]
    Fail,
}

/// A food lot as the gate knows it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct FoodLot {
    /// Commissioned by a producer (farm or workshop): it may not be shipped or sold without a valid origin
    /// certificate (合格证).
    pub farm: bool,
    /// Every food lot it was made from by transformations, at any depth, sorted: a failed test on any of them
    /// holds this lot too.
    pub ancestors: Vec<LotKey>,
}

/// One test result recorded on a lot.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct TestRecord {
    /// Quick test or inspection.
    pub kind: TestKind,
    /// The verdict.
    pub result: TestResult,
    /// The inspection body or regulator that recorded it.
    pub by: OrgId,
    /// The sample tested, if one code was.
    pub sample: Option<TraceCode>,
    /// The block it was recorded in.
    pub at: BlockNumber,
}

/// The first failed test of a lot: while it stands, the lot and every lot made from it are held.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Failure {
    /// Quick test or inspection.
    pub kind: TestKind,
    /// Who recorded it.
    pub by: OrgId,
    /// The test-result attestation cited.
    pub attestation: AttestationId,
    /// The block it was recorded in.
    pub at: BlockNumber,
    /// Whether the lot stands recalled in the trace core (a regulator's fail recalls it; an earlier recall
    /// counts too).
    pub recalled: bool,
}
