//! `alerts_subscribe`: every alert event (`yima_runtime::alerts`) of each finalized block, pushed over WebSocket
//! in chain order.

use jsonrpsee::core::SubscriptionResult;
use jsonrpsee::proc_macros::rpc;
use serde::{Deserialize, Serialize};

/// One alert as pushed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AlertJson {
    /// The block.
    pub block: u64,
    /// The event's position in it (`proof_event(block, index)` proves it).
    pub index: u32,
    /// The transaction that raised it, by position in the block (`null` outside transactions).
    pub extrinsic: Option<u32>,
    /// The pallet that raised it.
    pub pallet: String,
    /// `temperature_excursion`, `refusal`, … (`yima_runtime::alerts::AlertKind`).
    pub kind: String,
    /// The codes it concerns (for a refusal: the codes the refused call names, at most
    /// `yima_runtime::call_codes::MAX_ALERT_CODES`).
    pub codes: Vec<String>,
    /// The organisation it concerns, when known (for a refusal: the signer's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<u32>,
    /// One sentence for people.
    pub message: String,
    /// The SCALE `EventRecord` (hex), every detail.
    pub record: String,
}

/// Alert streams.
#[rpc(server, client)]
pub trait AlertsApi {
    /// Every alert of each block finalized from now on.
    #[subscription(name = "alerts_subscribe" => "alerts_alert", unsubscribe = "alerts_unsubscribe", item = AlertJson)]
    async fn subscribe_alerts(&self) -> SubscriptionResult;
}
