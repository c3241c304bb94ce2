//! `alerts_subscribe`: every alert event ([`yima_runtime::alerts`]) of each finalized block, pushed over
//! WebSocket in chain order. A subscriber that falls behind the node's header channel loses nothing: the
//! blocks it skipped are read back from the store.

use jsonrpsee::core::{async_trait, SubscriptionResult};
use jsonrpsee::proc_macros::rpc;
use jsonrpsee::PendingSubscriptionSink;
use parity_scale_codec::Decode;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use yima_frame::{BlockNumber, EventRecord, Phase};
use yima_runtime::RuntimeEvent;

use super::error::to_hex;
use super::Rpc;
use crate::host::NodeHost;

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
    /// `temperature_excursion`, `refusal`, … ([`yima_runtime::alerts::AlertKind`]).
    pub kind: String,
    /// The codes it concerns.
    pub codes: Vec<String>,
    /// One sentence for people.
    pub message: String,
    /// The SCALE `EventRecord` (hex), every detail.
    pub record: String,
}

/// Alert streams.
#[rpc(server)]
pub trait AlertsApi {
    /// Every alert of each block finalized from now on.
    #[subscription(name = "alerts_subscribe" => "alerts_alert", unsubscribe = "alerts_unsubscribe", item = AlertJson)]
    async fn subscribe(&self) -> SubscriptionResult;
}

/// The alerts among block `number`'s events.
pub fn block_alerts(host: &NodeHost, number: BlockNumber) -> anyhow::Result<Vec<AlertJson>> {
    let mut out = Vec::new();
    for (index, bytes) in host.store().events(number)?.iter().enumerate() {
        let record = match EventRecord::<RuntimeEvent>::decode(&mut &bytes[..]) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(block = number, index, error = %e, "an event this node cannot decode");
                continue;
            }
        };
        if let Some(alert) = record.event.alert() {
            out.push(AlertJson {
                block: number,
                index: index as u32,
                extrinsic: match record.phase {
                    Phase::ApplyExtrinsic(i) => Some(i),
                    Phase::Initialization | Phase::Finalization => None,
                },
                pallet: alert.pallet.to_owned(),
                kind: alert.kind.as_str().to_owned(),
                codes: alert.codes.iter().map(ToString::to_string).collect(),
                message: alert.message,
                record: to_hex(bytes),
            });
        }
    }
    Ok(out)
}

#[async_trait]
impl AlertsApiServer for Rpc {
    async fn subscribe(&self, pending: PendingSubscriptionSink) -> SubscriptionResult {
        let mut heads = self.host.subscribe_finalized();
        // Everything after the head at subscription time.
        let mut next = self.host.store().head_number()?.unwrap_or(0) + 1;
        let sink = pending.accept().await?;
        loop {
            let head = tokio::select! {
                _ = sink.closed() => return Ok(()),
                received = heads.recv() => match received {
                    Ok(header) => header.number,
                    // Skipped headers: the store has their blocks.
                    Err(RecvError::Lagged(_)) => self.host.store().head_number()?.unwrap_or(0),
                    Err(RecvError::Closed) => return Ok(()),
                },
            };
            while next <= head {
                let host = self.host.clone();
                let number = next;
                let alerts =
                    tokio::task::spawn_blocking(move || block_alerts(&host, number)).await??;
                for alert in alerts {
                    let msg = serde_json::value::to_raw_value(&alert)?;
                    if sink.send(msg).await.is_err() {
                        return Ok(());
                    }
                }
                next += 1;
            }
        }
    }
}
