//! Yima's trace codes: parse, validate and normalise every code a scanner yields.
//!
//! Used by the pallets (inside the runtime), the node and the client alike, so it does no I/O, reads no clock and
//! is deterministic. Every type here is valid by construction: parsing, SCALE decoding and serde all refuse
//! invalid values, and each [`CodeError`] names the rule that failed.
//!
//! | type | what it is | module |
//! |------|-----------|--------|
//! | [`TraceCode`] | one traceable instance, in canonical form: SGTIN, SSCC, NMPA drug code or cold-chain code | [`trace_code`] |
//! | [`ProductId`] | what a product registry entry is keyed by: GTIN or NMPA product code | [`product_id`] |
//! | [`Gtin`], [`Sscc`], [`Gln`], [`gs1_check_digit`] | GS1 numeric keys, mod-10 | [`gs1`] |
//! | [`LotNumber`], [`SerialNumber`] | GS1 AI 10 and 21 values (character set 82) | [`cset82`] |
//! | [`NmpaCode`], [`NmpaProductCode`] | NMPA drug traceability code and its product code | [`nmpa`] |
//! | [`ColdChainCode`] | our cold-chain code, `CL` + issuer + serial + MOD 37,36 check | [`cold_chain`] |
//! | [`Giai`] | GS1 individual asset identifier (AI 8004): a piece of equipment | [`giai`] |
//! | [`RegistrationNumber`], [`EquipmentKind`], [`EquipmentCode`] | special equipment: the regulator's registration number, its kind, either code of a unit | [`equipment`] |
//! | [`Gs1Key`] (= [`DigitalLink`]) | everything read from a Digital Link or element string | [`gs1_key`], [`digital_link`], [`element_string`] |
//! | [`AiSpec`], [`ai::TABLE`] | the GS1 application identifiers known, and each one's value rule | [`ai`] |
//!
//! ```
//! use yima_codes::TraceCode;
//!
//! let scanned = "https://id.example.com/01/09521234543213/10/LOT1/21/SER1?17=261231";
//! let code = TraceCode::parse(scanned).unwrap();
//! assert_eq!(code.canonical(), "/01/09521234543213/21/SER1");
//! assert_eq!(TraceCode::parse("(01)09521234543213(10)LOT1(21)SER1"), Ok(code));
//! assert_eq!(TraceCode::parse(&code.canonical()), Ok(code));
//! ```

pub mod ai;
pub mod cold_chain;
pub mod cset82;
pub mod digital_link;
mod digits;
pub mod element_string;
pub mod equipment;
pub mod error;
pub mod giai;
pub mod gs1;
pub mod gs1_key;
pub mod nmpa;
pub mod product_id;
pub mod trace_code;

pub use ai::AiSpec;
pub use cold_chain::ColdChainCode;
pub use cset82::{LotNumber, SerialNumber};
pub use digital_link::parse_digital_link;
pub use element_string::parse_element_string;
pub use equipment::{EquipmentCode, EquipmentKind, RegistrationNumber};
pub use error::{AiPlace, CodeError, CodeKind, TextField};
pub use giai::Giai;
pub use gs1::{gs1_check_digit, Gln, Gtin, Sscc};
pub use gs1_key::{DigitalLink, Gs1Key};
pub use nmpa::{NmpaCode, NmpaProductCode};
pub use product_id::ProductId;
pub use trace_code::TraceCode;
