//! FRAME-style tests of the attestation pallet, one file per area.

mod attest;
mod codec;
mod genesis;
mod pseudonym;
mod queries;
mod revoke;
mod schemas;
mod validity;
