//! # yima-chain-spec
//!
//! A chain spec is the JSON file that defines a chain: its id and name, the protocol id its nodes speak, boot
//! nodes, the peers allowed to connect, and the runtime genesis (validators, organisations, accounts, roles,
//! governance and policy parameters). The same spec always gives the same genesis state root and genesis hash.
//!
//! [`presets`] ships `dev` (one validator), `local` (four validators) and `demo` (an organisation of every kind);
//! [`demo`] holds the histories a `demo` chain records in its first blocks;
//! [`dev_keys`] derives their well-known keys from names like `alice`. Dev keys are public knowledge: never use
//! them on a real chain.

pub mod demo;
pub mod dev_keys;
pub mod presets;
mod spec;

pub use spec::{ChainSpec, ChainSpecError, ChainType};
