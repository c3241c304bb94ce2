//! FRAME-style tests of the trace pallet, one file per rule family.

mod aggregation;
mod alerts;
mod authority;
mod commissioning;
mod disposal;
mod finishing;
mod gate;
mod history;
mod history_check;
mod invariants;
mod products;
mod readings;
mod recall;
mod shipping;
mod smoke;
mod transformation;
mod validation;
