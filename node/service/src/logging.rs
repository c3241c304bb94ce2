//! Logs through `tracing` (`RUST_LOG`, default [`DEFAULT_FILTER`]), without Malachite's harmless
//! `NoPeersSubscribedToTopic` error (a lone validator publishing to a topic nobody else subscribes to).
//!
//! At `info` a node says what an operator needs: start-up, listening addresses, peers admitted or dropped, and one
//! line per finalized block (`finalized block`: height, hash, transactions, block time). Consensus steps — the
//! engine's rounds and votes, proposals sent and received, synced blocks — are at `debug`
//! (`RUST_LOG=info,arc_malachitebft=debug,yima_consensus=debug` shows them).

use std::fmt::Write as _;

use tracing::field::{Field, Visit};
use tracing::{Event, Metadata};
use tracing_subscriber::layer::{Context, Filter, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Drops events whose message mentions `NoPeersSubscribedToTopic`.
struct DropNoPeers;

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        }
    }
}

impl<S> Filter<S> for DropNoPeers {
    fn enabled(&self, _meta: &Metadata<'_>, _cx: &Context<'_, S>) -> bool {
        true
    }

    fn event_enabled(&self, event: &Event<'_>, _cx: &Context<'_, S>) -> bool {
        if *event.metadata().level() != tracing::Level::ERROR {
            return true;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        !message.0.contains("NoPeersSubscribedToTopic")
    }
}

/// The filter without `RUST_LOG`: our crates at `info`, Malachite's engine (whose `info` is every consensus
/// step) at `warn`.
pub const DEFAULT_FILTER: &str = "info,arc_malachitebft=warn";

/// Installs the global subscriber (once).
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter)
        .with_filter(DropNoPeers);
    let _ = tracing_subscriber::registry().with(layer).try_init();
}
