//! The runtime's composition: which pallets exist, at which stable index, and how their calls, events and
//! errors are wrapped. Indices are part of the wire format and never change.

use std::str::FromStr;

use parity_scale_codec::{Decode, Encode};
use yima_frame::pallet::Pallet as _;
use yima_frame::{DispatchError, DispatchResult, Origin};

/// The concrete runtime: the type every pallet's `Config` is implemented for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Runtime;

impl yima_system::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
}

impl yima_membership::Config for Runtime {
    /// Regulator governance may make other pallets' root calls ([`crate::governance`]).
    type Dispatch = Runtime;
}

impl yima_trace::Config for Runtime {
    type Membership = yima_membership::Pallet<Runtime>;
    /// The cold-chain four no's and positive-test holds, then the vaccine rules (batch release, custody path,
    /// administration only with its 7-in-one record), then the food rules (origin certificate on farm lots,
    /// failed-test holds), then the drug rules (black box before a batch ships, prescription drugs and
    /// controlled compound preparations leave a pharmacy only through the drug pallet).
    type Gate = (
        yima_cold_chain::Pallet<Runtime>,
        (
            yima_vaccine::Pallet<Runtime>,
            (yima_food::Pallet<Runtime>, yima_drug::Pallet<Runtime>),
        ),
    );
}

impl yima_attestation::Config for Runtime {
    type Membership = yima_membership::Pallet<Runtime>;
    /// Subjects are not checked against trace state yet: any well-formed subject may be attested.
    type Subjects = ();
    /// The equipment register checks and follows attestations about its units.
    type Watch = yima_equipment::Pallet<Runtime>;
}

impl yima_cold_chain::Config for Runtime {
    type Attestations = yima_attestation::Pallet<Runtime>;
}

impl yima_vaccine::Config for Runtime {
    type Attestations = yima_attestation::Pallet<Runtime>;
}

impl yima_food::Config for Runtime {
    type Attestations = yima_attestation::Pallet<Runtime>;
}

impl yima_drug::Config for Runtime {
    type Attestations = yima_attestation::Pallet<Runtime>;
}

impl yima_equipment::Config for Runtime {
    type Membership = yima_membership::Pallet<Runtime>;
}

/// A call to any pallet. Index 0 is the system pallet, which has no calls.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum RuntimeCall {
    /// Organisations, accounts, roles, keys, validators and regulator governance.
    #[codec(index = 1)]
    Membership(yima_membership::Call),
    /// Products, codes, custody events, recall.
    #[codec(index = 2)]
    Trace(yima_trace::Call),
    /// Schemas, attestations (licences, inspections, certificates) and their revocation.
    #[codec(index = 3)]
    Attestation(yima_attestation::Call),
    /// Imported cold-chain food: customs entry and clearance, cold-chain codes, carrier hops, positive tests.
    #[codec(index = 4)]
    ColdChain(yima_cold_chain::Call),
    /// Vaccine administration: the 7-in-one record.
    #[codec(index = 5)]
    Vaccine(yima_vaccine::Call),
    /// Drugs: registry, pharmacists, prescriptions, dispensing, compound-preparation sales, black box, policy.
    #[codec(index = 6)]
    Drug(yima_drug::Call),
    /// Food (浙食链): test results on lots, catering use.
    #[codec(index = 7)]
    Food(yima_food::Call),
    /// Special equipment (电梯一码, 特种设备): the register, maintenance firms, stopping and returning to service.
    #[codec(index = 8)]
    Equipment(yima_equipment::Call),
}

impl RuntimeCall {
    /// Dispatches the call to its pallet.
    pub fn dispatch(self, origin: &Origin) -> DispatchResult {
        match self {
            RuntimeCall::Membership(call) => {
                yima_membership::Pallet::<Runtime>::dispatch(origin, call)
            }
            RuntimeCall::Trace(call) => yima_trace::Pallet::<Runtime>::dispatch(origin, call),
            RuntimeCall::Attestation(call) => {
                yima_attestation::Pallet::<Runtime>::dispatch(origin, call)
            }
            RuntimeCall::ColdChain(call) => {
                yima_cold_chain::Pallet::<Runtime>::dispatch(origin, call)
            }
            RuntimeCall::Vaccine(call) => yima_vaccine::Pallet::<Runtime>::dispatch(origin, call),
            RuntimeCall::Drug(call) => yima_drug::Pallet::<Runtime>::dispatch(origin, call),
            RuntimeCall::Food(call) => yima_food::Pallet::<Runtime>::dispatch(origin, call),
            RuntimeCall::Equipment(call) => {
                yima_equipment::Pallet::<Runtime>::dispatch(origin, call)
            }
        }
    }
}

yima_frame::runtime_event! {
    /// An event of any pallet.
    pub enum RuntimeEvent {
        /// Transaction outcomes.
        System(yima_system::Event) = 0,
        /// Membership and governance.
        Membership(yima_membership::Event) = 1,
        /// Products, custody events, recalls and alerts.
        Trace(yima_trace::Event) = 2,
        /// Schemas, attestations and revocations.
        Attestation(yima_attestation::Event) = 3,
        /// Customs entries and clearances, cold-chain codes, carrier hops, positive tests.
        ColdChain(yima_cold_chain::Event) = 4,
        /// Vaccine administrations (7-in-one records).
        Vaccine(yima_vaccine::Event) = 5,
        /// Drug listings, pharmacist bindings, prescriptions, dispensings and compound sales, black-box anchors.
        Drug(yima_drug::Event) = 6,
        /// Food test results (a fail is an alert), lots made from food lots, catering use.
        Food(yima_food::Event) = 7,
        /// Equipment registrations, maintenance firms, status changes, lapses (an alert) and their closing,
        /// accidents (an alert).
        Equipment(yima_equipment::Event) = 8,
    }
}

/// A refusal in words, for people: the pallet's own message when the error is known to this runtime.
pub fn describe_error(error: &DispatchError) -> String {
    fn words<E: FromStr + std::fmt::Display>(m: &yima_frame::ModuleError) -> Option<String> {
        E::from_str(&m.error)
            .ok()
            .map(|e| format!("{}::{}: {e}", m.pallet, m.error))
    }
    let described = match error {
        DispatchError::Module(m) if m.pallet == yima_membership::PALLET => {
            words::<yima_membership::Error>(m)
        }
        DispatchError::Module(m) if m.pallet == yima_trace::PALLET => words::<yima_trace::Error>(m),
        DispatchError::Module(m) if m.pallet == yima_attestation::PALLET => {
            words::<yima_attestation::Error>(m)
        }
        DispatchError::Module(m) if m.pallet == yima_cold_chain::PALLET => {
            words::<yima_cold_chain::Error>(m)
        }
        DispatchError::Module(m) if m.pallet == yima_vaccine::PALLET => {
            words::<yima_vaccine::Error>(m)
        }
        DispatchError::Module(m) if m.pallet == yima_food::PALLET => words::<yima_food::Error>(m),
        DispatchError::Module(m) if m.pallet == yima_drug::PALLET => words::<yima_drug::Error>(m),
        DispatchError::Module(m) if m.pallet == yima_equipment::PALLET => {
            words::<yima_equipment::Error>(m)
        }
        _ => None,
    };
    described.unwrap_or_else(|| error.to_string())
}
