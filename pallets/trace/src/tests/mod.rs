//! FRAME-style tests of the trace pallet, one file per rule family.

mod smoke;
