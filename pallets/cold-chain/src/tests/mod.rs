//! FRAME-style tests of the cold-chain pallet, one file per area.

mod carrier;
mod clearance;
mod codec;
mod decision;
mod entry;
mod gate;
mod issuance;
mod positive;
mod types;
