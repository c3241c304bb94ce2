//! # yima-node
//!
//! The node binary's pieces:
//!
//! - [`host`] — [`host::NodeHost`], the consensus `Host` over the RocksDB store, the runtime's executive and the
//!   transaction pool;
//! - [`cli`] — the command line (`--dev`, `--chain`, `--base-path`, `--validator-key`, ports, `--bootnodes`,
//!   `build-spec`, `key generate|inspect`);
//! - [`rpc`] — JSON-RPC over HTTP and WebSocket (chain, state with proofs, trace, recall, event proofs, alerts);
//! - [`metrics`] — Prometheus metrics and the `/metrics` endpoint;
//! - [`demo`] — seeding a fresh `demo` chain with the demo histories (`--dev`);
//! - [`gossip`] — transaction gossip wiring: the pool as the network's sink, re-gossip, admitted peers on both
//!   networks following the validator set, the peer gauge;
//! - [`web`] — the GS1 Digital Link resolver, scan page, QR codes, recall view and dashboard on the RPC port;
//! - [`service`] — opening the store, starting the gossip network, RPC, `/metrics` and consensus, shutting down.

pub mod cli;
pub mod demo;
pub mod gossip;
pub mod host;
pub mod logging;
pub mod metrics;
pub mod rpc;
pub mod service;
pub mod web;
