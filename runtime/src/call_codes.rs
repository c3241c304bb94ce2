//! Which trace codes a call names: what a refusal alert of that call is about (the node reads the refused
//! transaction's call beside its `ExtrinsicFailed` event), so the regulator sees the doses, packs or cartons a
//! refused administration, sale or carrier leg concerned, not just that something was refused.

use yima_attestation::types::Subject;
use yima_codes::TraceCode;

use crate::RuntimeCall;

/// Most codes a refusal alert lists (a capture may name 10,000): the first ones, in the call's order.
pub const MAX_ALERT_CODES: usize = 32;

impl RuntimeCall {
    /// The codes the call names, in its order, each once, at most `max`.
    pub fn codes(&self, max: usize) -> Vec<TraceCode> {
        let named: Box<dyn Iterator<Item = &TraceCode> + '_> = match self {
            RuntimeCall::Trace(call) => match call {
                yima_trace::Call::Capture { events } => {
                    Box::new(events.iter().flat_map(|e| e.codes()))
                }
                yima_trace::Call::RecallCode { code, .. }
                | yima_trace::Call::ClearExcursion { code, .. } => Box::new(std::iter::once(code)),
                _ => Box::new(std::iter::empty()),
            },
            RuntimeCall::Vaccine(yima_vaccine::Call::Administer { record }) => {
                Box::new(std::iter::once(&record.code))
            }
            RuntimeCall::Drug(
                yima_drug::Call::Dispense { codes, .. }
                | yima_drug::Call::SellCompound { codes, .. },
            ) => Box::new(codes.iter()),
            RuntimeCall::Food(yima_food::Call::Serve { codes, .. })
            | RuntimeCall::ColdChain(yima_cold_chain::Call::CarrierHop { codes, .. }) => {
                Box::new(codes.iter())
            }
            RuntimeCall::Food(yima_food::Call::RecordTest {
                sample: Some(code), ..
            })
            | RuntimeCall::Attestation(yima_attestation::Call::Attest {
                subject: Subject::Code(code),
                ..
            }) => Box::new(std::iter::once(code)),
            RuntimeCall::ColdChain(yima_cold_chain::Call::DeclareEntry { entry }) => {
                Box::new(std::iter::once(&entry.consignment))
            }
            _ => Box::new(std::iter::empty()),
        };
        // Stops reading at `max`: a capture may name 10,000 codes per event.
        let mut out: Vec<TraceCode> = Vec::with_capacity(max.min(MAX_ALERT_CODES));
        for code in named {
            if out.len() == max {
                break;
            }
            if !out.contains(code) {
                out.push(*code);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yima_vaccine::types::AdministrationRecord;

    fn code(n: u32) -> TraceCode {
        TraceCode::parse(&format!("(01)06901234567892(21)S{n}")).unwrap()
    }

    #[test]
    fn a_call_names_its_codes_once_in_order_and_at_most_max() {
        let sale = RuntimeCall::Drug(yima_drug::Call::SellCompound {
            buyer: yima_attestation::PseudonymousId([1; 32]),
            codes: vec![code(2), code(1), code(2), code(3)],
            time: 0,
            time_zone_offset_minutes: 480,
        });
        assert_eq!(sale.codes(10), vec![code(2), code(1), code(3)]);
        assert_eq!(sale.codes(2), vec![code(2), code(1)]);
        let dose = RuntimeCall::Vaccine(yima_vaccine::Call::Administer {
            record: AdministrationRecord {
                code: code(7),
                batch: yima_codes::LotNumber::parse("L1").unwrap(),
                cdc: 1,
                equipment: b"fridge".to_vec(),
                vaccinator: yima_attestation::PseudonymousId([2; 32]),
                recipient: yima_attestation::PseudonymousId([3; 32]),
                time: 0,
                time_zone_offset_minutes: 480,
            },
        });
        assert_eq!(dose.codes(MAX_ALERT_CODES), vec![code(7)]);
        let approval = RuntimeCall::Membership(yima_membership::Call::Approve { id: 1 });
        assert!(approval.codes(MAX_ALERT_CODES).is_empty());
    }
}
