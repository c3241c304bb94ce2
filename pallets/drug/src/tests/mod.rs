//! FRAME-style tests of the drug pallet, one file per rule area. Every refusal is checked with `assert_noop!`:
//! the error AND unchanged state AND no events.

mod binding;
mod black_box;
mod codec;
mod compound;
mod dispensing;
mod gate;
mod policy;
mod prescription;
mod registry;
mod window;
