//! FRAME-style tests of the vaccine pallet, one file per rule area. Every refusal is checked with `assert_noop!`:
//! the error AND unchanged state AND no events.

mod administration;
mod codec;
mod commissioning;
mod custody_path;
mod record_card;
mod release;
