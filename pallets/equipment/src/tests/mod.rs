//! FRAME-style tests of the equipment pallet, one file per rule family.

mod deadlines;
mod records;
mod register;
