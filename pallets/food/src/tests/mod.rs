//! FRAME-style tests of the food pallet, one file per rule family.

mod catering;
mod codec;
mod decision;
mod hold;
mod origin;
mod processing;
mod testing;
