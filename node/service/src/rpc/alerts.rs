//! `alerts_subscribe`: every alert event ([`yima_runtime::alerts`]) of each finalized block, pushed over
//! WebSocket in chain order.
//!
//! **Computed once per block.** One [`AlertHub`] per server follows the finalized heads, reads each block's
//! alerts once (through the [`Readers`]) and fans them out to every subscription over a broadcast channel;
//! with nobody subscribed it reads nothing. A subscriber that falls more than [`HUB_CAPACITY`] blocks behind
//! loses nothing: the blocks it skipped are read back from the store (through the readers, so a slow
//! subscriber cannot take threads from block execution).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use jsonrpsee::core::{async_trait, SubscriptionResult};
use jsonrpsee::proc_macros::rpc;
use jsonrpsee::PendingSubscriptionSink;
use parity_scale_codec::Decode;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::{self, error::RecvError};
use yima_frame::{BlockNumber, EventRecord, Phase};
use yima_runtime::RuntimeEvent;

use super::error::to_hex;
use super::readers::Readers;
use super::Rpc;
use crate::host::NodeHost;

/// Blocks of alerts the hub keeps for subscribers that are behind.
pub const HUB_CAPACITY: usize = 1024;

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
    let events = host.store().block_events(number)?;
    for (index, bytes) in events.records.iter().enumerate() {
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

/// One block's alerts, shared by every subscriber.
pub type BlockAlerts = (BlockNumber, Arc<Vec<AlertJson>>);

/// Reads each finalized block's alerts once and fans them out.
#[derive(Debug)]
pub struct AlertHub {
    sender: broadcast::Sender<BlockAlerts>,
    scanned: Arc<AtomicU64>,
}

impl AlertHub {
    /// Starts following `host`'s finalized heads (on the current tokio runtime): every block after the head
    /// at this call.
    pub fn start(host: Arc<NodeHost>, readers: Readers) -> Self {
        let (sender, _) = broadcast::channel(HUB_CAPACITY);
        let scanned = Arc::new(AtomicU64::new(0));
        // Subscribed before the head is read, so no block falls between.
        let heads = host.subscribe_finalized();
        let next = head_number(&host) + 1;
        tokio::spawn(feed(
            host,
            readers,
            heads,
            next,
            sender.clone(),
            scanned.clone(),
        ));
        Self { sender, scanned }
    }

    /// Blocks whose alerts the hub has read.
    pub fn blocks_scanned(&self) -> u64 {
        self.scanned.load(Ordering::Relaxed)
    }

    /// Every block's alerts from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<BlockAlerts> {
        self.sender.subscribe()
    }
}

fn head_number(host: &NodeHost) -> BlockNumber {
    host.store().head_number().ok().flatten().unwrap_or(0)
}

async fn feed(
    host: Arc<NodeHost>,
    readers: Readers,
    mut heads: broadcast::Receiver<yima_runtime::Header>,
    mut next: BlockNumber,
    sender: broadcast::Sender<BlockAlerts>,
    scanned: Arc<AtomicU64>,
) {
    loop {
        let head = match heads.recv().await {
            Ok(header) => header.number,
            Err(RecvError::Lagged(_)) => head_number(&host),
            Err(RecvError::Closed) => return,
        };
        while next <= head {
            if sender.receiver_count() == 0 {
                // Nobody listens: subscribers start from the head they subscribe at.
                next = head + 1;
                break;
            }
            let number = next;
            let reader = host.clone();
            match readers
                .run_in_turn(move || block_alerts(&reader, number))
                .await
            {
                Ok(Ok(alerts)) => {
                    scanned.fetch_add(1, Ordering::Relaxed);
                    let _ = sender.send((number, Arc::new(alerts)));
                }
                Ok(Err(e)) => {
                    tracing::warn!(block = number, error = %e, "cannot read a block's alerts")
                }
                Err(e) => {
                    tracing::warn!(block = number, error = %e, "cannot read a block's alerts")
                }
            }
            next += 1;
        }
    }
}

impl Rpc {
    /// The server's alert hub, started with the first subscription.
    pub fn alert_hub(&self) -> &AlertHub {
        self.alerts
            .get_or_init(|| AlertHub::start(self.host.clone(), self.readers.clone()))
    }
}

async fn send_all(
    sink: &jsonrpsee::SubscriptionSink,
    alerts: &[AlertJson],
) -> Result<bool, serde_json::Error> {
    for alert in alerts {
        let msg = serde_json::value::to_raw_value(alert)?;
        if sink.send(msg).await.is_err() {
            return Ok(false);
        }
    }
    Ok(true)
}

#[async_trait]
impl AlertsApiServer for Rpc {
    async fn subscribe(&self, pending: PendingSubscriptionSink) -> SubscriptionResult {
        let mut blocks = self.alert_hub().subscribe();
        // Everything after the head at subscription time (subscribed first, so no block falls between).
        let mut next = self.host.store().head_number()?.unwrap_or(0) + 1;
        let sink = pending.accept().await?;
        loop {
            let (number, alerts) = tokio::select! {
                _ = sink.closed() => return Ok(()),
                received = blocks.recv() => match received {
                    Ok(block) => block,
                    // Fell behind the hub: the next block received shows the gap, read back below.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return Ok(()),
                },
            };
            while next < number {
                let (host, skipped) = (self.host.clone(), next);
                let missed = self
                    .readers
                    .run(move || block_alerts(&host, skipped))
                    .await??;
                if !send_all(&sink, &missed).await? {
                    return Ok(());
                }
                next += 1;
            }
            if number == next {
                if !send_all(&sink, &alerts).await? {
                    return Ok(());
                }
                next += 1;
            }
        }
    }
}
