//! What the food pallet keeps: which lots are food (and which of those come from a farm or workshop), the
//! lots each was made from, and the test results recorded on lots.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use yima_attestation::AttestationId;
use yima_codes::TraceCode;
use yima_frame::{BlockNumber, Hash, OrgId};
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

/// The first failed test of a lot's open hold: while it stands, the lot and every lot made from it are held. A
/// regulator's release removes it ([`crate::decision`]); a later fail opens a new hold.
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
    /// The test-result attestation of the latest fail recorded while the hold stands (the first one's until
    /// another fail follows): a retest counts for a release only when it was recorded after it.
    pub latest: AttestationId,
}

/// A regulator's release of a lot's hold (the lot's retest passed).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Release {
    /// The regulator.
    pub by: OrgId,
    /// The failed test the hold came from (its test-result attestation).
    pub failure: AttestationId,
    /// The passing retest cited (its test-result attestation), recorded after the latest fail.
    pub retest: AttestationId,
    /// SHA-256 of the regulator's decision document.
    pub decision: Hash,
    /// Whether the release also ended the lot's recall in the trace core (the recall a regulator's fail made).
    pub recall_lifted: bool,
    /// The block it was decided in.
    pub at: BlockNumber,
}

/// A regulator's disposal of a held lot (不合格产品后处理): its codes count as destroyed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Disposal {
    /// The regulator.
    pub by: OrgId,
    /// The `UNQUALIFIED_PRODUCT_DISPOSAL` attestation cited.
    pub disposal: AttestationId,
    /// The block it was decided in.
    pub at: BlockNumber,
}
