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
use jsonrpsee::PendingSubscriptionSink;
use parity_scale_codec::Decode;
use tokio::sync::broadcast::{self, error::RecvError};
use yima_codes::TraceCode;
use yima_frame::storage::StorageMap;
use yima_frame::OrgId;
use yima_frame::{BlockNumber, EventRecord, Phase};
use yima_runtime::alerts::AlertKind;
use yima_runtime::call_codes::MAX_ALERT_CODES;
use yima_runtime::RuntimeEvent;

use super::error::to_hex;
use super::readers::Readers;
use super::Rpc;
use crate::host::NodeHost;

/// Blocks of alerts the hub keeps for subscribers that are behind.
pub const HUB_CAPACITY: usize = 1024;

pub use yima_rpc_api::alerts::{AlertJson, AlertsApiServer};

/// The alerts among block `number`'s events. A refusal (`ExtrinsicFailed`) also names what the refused call
/// was about: the codes it names and the signer's organisation (read from the block and its state).
pub fn block_alerts(host: &NodeHost, number: BlockNumber) -> anyhow::Result<Vec<AlertJson>> {
    let mut out = Vec::new();
    let events = host.store().block_events(number)?;
    let mut refused = RefusedCalls::new(host, number);
    for (index, bytes) in events.records.iter().enumerate() {
        let record = match EventRecord::<RuntimeEvent>::decode(&mut &bytes[..]) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(block = number, index, error = %e, "an event this node cannot decode");
                continue;
            }
        };
        if let Some(alert) = record.event.alert() {
            let extrinsic = match record.phase {
                Phase::ApplyExtrinsic(i) => Some(i),
                Phase::Initialization | Phase::Finalization => None,
            };
            let mut codes: Vec<String> = alert.codes.iter().map(ToString::to_string).collect();
            let mut org = None;
            if let (AlertKind::Refusal, Some(i)) = (alert.kind, extrinsic) {
                if let Some((call_codes, signer_org)) = refused.about(i)? {
                    codes.extend(call_codes.iter().map(ToString::to_string));
                    org = signer_org;
                }
            }
            out.push(AlertJson {
                block: number,
                index: index as u32,
                extrinsic,
                pallet: alert.pallet.to_owned(),
                kind: alert.kind.as_str().to_owned(),
                codes,
                org,
                message: alert.message,
                record: to_hex(bytes),
            });
        }
    }
    Ok(out)
}

/// The refused transactions of one block: its body and state opened once, when the first refusal needs them.
struct RefusedCalls<'a> {
    host: &'a NodeHost,
    number: BlockNumber,
    read: Option<(Option<yima_runtime::Block>, yima_storage::RocksState)>,
}

impl<'a> RefusedCalls<'a> {
    fn new(host: &'a NodeHost, number: BlockNumber) -> Self {
        Self {
            host,
            number,
            read: None,
        }
    }

    /// The codes transaction `i` names and its signer's organisation at this block (`None`: no such transaction).
    fn about(&mut self, i: u32) -> anyhow::Result<Option<(Vec<TraceCode>, Option<OrgId>)>> {
        if self.read.is_none() {
            let store = self.host.store();
            self.read = Some((store.block(self.number)?, store.state()?));
        }
        let Some((block, state)) = &self.read else {
            return Ok(None);
        };
        let Some(tx) = block.as_ref().and_then(|b| b.extrinsics.get(i as usize)) else {
            return Ok(None);
        };
        let key = <yima_membership::Accounts as StorageMap>::storage_key(&tx.signer);
        let org = state
            .get_at(&key, self.number)?
            .and_then(|v| yima_membership::types::Account::decode(&mut &v[..]).ok())
            .map(|a| a.org);
        Ok(Some((tx.call.codes(MAX_ALERT_CODES), org)))
    }
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
    async fn subscribe_alerts(&self, pending: PendingSubscriptionSink) -> SubscriptionResult {
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
