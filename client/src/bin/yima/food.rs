//! `yima food`: the food pallet's calls as inspection bodies, caterers and regulators use them — record a quick
//! test or inspection (a fail holds the lot and every lot made from it), record a canteen's use, release a held
//! lot after a passing retest, dispose of one.

use clap::Subcommand;
use yima_food::types::{TestKind, TestResult};
use yima_runtime::RuntimeCall;

use crate::common::Global;
use crate::common::{CmdResult, Failure};
use crate::pharmacy::DocumentArgs;
use crate::tx::{code, hash, lot, sign_and_submit};

/// `yima food …`.
#[derive(Subcommand)]
pub(crate) enum FoodCommand {
    /// Record a test result on a food lot (signer: an inspection body's Inspector or a regulator's Operator),
    /// citing the signer's own QUICK_TEST_RESULT attestation on the lot (`yima attest --schema 16`). A fail holds
    /// the lot and every lot made from it: no sale, no serving.
    RecordTest {
        /// The lot tested, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// quick-test (快检) or inspection (监督抽检).
        #[arg(long)]
        kind: String,
        /// pass or fail.
        #[arg(long)]
        result: String,
        /// The test-result attestation's id (0x…).
        #[arg(long)]
        attestation: String,
        /// The code sampled, if one was.
        #[arg(long)]
        sample: Option<String>,
    },
    /// Record goods used in a canteen's kitchen (signer: the caterer's Operator, their custodian).
    Serve {
        /// A code used (any scanned form); repeat for each.
        #[arg(long = "code", required = true)]
        codes: Vec<String>,
        /// The kitchen, e.g. its 阳光厨房 location id.
        #[arg(long)]
        kitchen: String,
    },
    /// Release a held lot (signer: a regulator's Operator), citing a passing retest recorded after its latest
    /// fail, and the decision document.
    ReleaseHold {
        /// The held lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// The passing retest's attestation id (0x…), recorded with `record-test`.
        #[arg(long)]
        retest: String,
        #[command(flatten)]
        decision: DocumentArgs,
    },
    /// Dispose of a held lot (signer: a regulator's Operator), citing a valid UNQUALIFIED_PRODUCT_DISPOSAL
    /// attestation on it: its codes count as destroyed.
    DisposeLot {
        /// The held lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// The disposal attestation's id (0x…).
        #[arg(long)]
        disposal: String,
    },
}

fn test_kind(text: &str) -> Result<TestKind, Failure> {
    Ok(match text.to_ascii_lowercase().replace('_', "-").as_str() {
        "quick-test" | "quick" => TestKind::QuickTest,
        "inspection" => TestKind::Inspection,
        _ => {
            return Err(format!("unknown test kind {text:?}: use quick-test or inspection").into())
        }
    })
}

fn test_result(text: &str) -> Result<TestResult, Failure> {
    Ok(match text.to_ascii_lowercase().as_str() {
        "pass" => TestResult::Pass,
        "fail" => TestResult::Fail,
        _ => return Err(format!("unknown test result {text:?}: use pass or fail").into()),
    })
}

/// Runs `yima food …`.
pub(crate) async fn run(g: &Global, command: FoodCommand) -> CmdResult {
    use yima_food::Call;
    let call = match command {
        FoodCommand::RecordTest {
            lot: l,
            kind,
            result,
            attestation,
            sample,
        } => Call::RecordTest {
            lot: lot(&l)?,
            kind: test_kind(&kind)?,
            result: test_result(&result)?,
            attestation: hash("--attestation", &attestation)?,
            sample: sample.as_deref().map(code).transpose()?,
        },
        FoodCommand::Serve { codes, kitchen } => Call::Serve {
            codes: codes.iter().map(|c| code(c)).collect::<Result<_, _>>()?,
            kitchen: kitchen.into_bytes(),
        },
        FoodCommand::ReleaseHold {
            lot: l,
            retest,
            decision,
        } => Call::ReleaseHold {
            lot: lot(&l)?,
            retest: hash("--retest", &retest)?,
            decision: decision.digest()?,
        },
        FoodCommand::DisposeLot { lot: l, disposal } => Call::DisposeLot {
            lot: lot(&l)?,
            disposal: hash("--disposal", &disposal)?,
        },
    };
    sign_and_submit(g, RuntimeCall::Food(call)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_kinds_and_results_read_as_written() {
        assert_eq!(test_kind("quick_test").unwrap(), TestKind::QuickTest);
        assert_eq!(test_kind("Inspection").unwrap(), TestKind::Inspection);
        assert!(test_kind("smell").is_err());
        assert_eq!(test_result("FAIL").unwrap(), TestResult::Fail);
        assert!(test_result("maybe").is_err());
    }
}
