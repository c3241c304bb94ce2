//! The node's JSON-RPC shapes, from `yima-rpc-api`: one definition for node and client, under the names this
//! crate has always used. Unknown fields are ignored, so a newer node's additions do not break an older client.

pub use yima_rpc_api::alerts::AlertJson;
pub use yima_rpc_api::author::SubmitOutcome;
pub use yima_rpc_api::chain::{BlockJson, HeaderJson};
pub use yima_rpc_api::proof::EventProofJson;
pub use yima_rpc_api::state::StateValue as StateValueJson;
pub use yima_rpc_api::system::Health as HealthJson;
pub use yima_rpc_api::trace_json::{
    ChainHopJson, ChainJson, ClearanceJson, ContainerJson, CustodyJson, EpcisJson, EventRefJson,
    HolderJson, HopJson, LocationJson, LotHoldJson, LotJson, OrgEventJson, OrgEventsJson,
    RecallJson, RecallRowJson, TraceJson,
};
