//! FRAME-style tests of the membership pallet, one file per area.

mod accounts;
mod authority;
mod codec;
mod counts;
mod dispatch;
mod genesis;
mod governance;
mod organisations;
mod prefixes;
mod uscc;
