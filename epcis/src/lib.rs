//! EPCIS 2.0 JSON-LD ⇄ Yima's on-chain custody events ([`yima_trace::epcis::EpcisEvent`]), with the CBV 2.0 event
//! hash as each event's id. No I/O: the CLI reads and writes the files.
//!
//! ```
//! use yima_epcis::{event_hash, export_document, parse_document, PartyId};
//!
//! let doc = r#"{ "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-03-01T00:00:00Z",
//!   "epcisBody": { "eventList": [ {
//!     "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping", "disposition": "in_transit",
//!     "eventTime": "2026-03-01T10:00:00.000+08:00", "eventTimeZoneOffset": "+08:00",
//!     "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
//!     "destinationList": [{ "type": "owning_party", "destination": "urn:epc:id:pgln:4012345.00000" }] } ] } }"#;
//! // The caller maps party ids to on-chain organisations.
//! let resolver = |party: &PartyId| match party {
//!     PartyId::Gln(gln) if gln.as_str() == "4012345000009" => Some(7),
//!     _ => None,
//! };
//! let events = parse_document(doc, &resolver).unwrap();
//! assert_eq!(events[0].event.destination, Some(7));
//!
//! // Export names organisations back, and re-import gives the same event and hash.
//! let namer = |org: u32| (org == 7).then(|| PartyId::parse("urn:epc:id:pgln:4012345.00000"));
//! let exported = export_document(&[events[0].event.clone()], &namer, 0);
//! let again = parse_document(&exported.to_string(), &resolver).unwrap();
//! assert_eq!(again[0].event, events[0].event);
//! # let _ = event_hash;
//! ```
//!
//! | module | what |
//! |--------|------|
//! | [`import`] | [`parse_document`] / [`parse_events`]: document → [`ImportedEvent`]s, errors with event index, line and field |
//! | [`export`] | [`export_event`], [`export_document`]: on-chain events → JSON-LD |
//! | [`hash`] | [`event_hash`]: the CBV 2.0 event hash (pre-hash string, SHA-256, `ni:///sha-256;…?ver=CBV2.0`) |
//! | [`canon`] | canonical values for the hash (CBV URIs, numbers, constrained Digital Links) |
//! | [`urn`] | EPC URIs (`urn:epc:id:sgtin:…`) ⇄ Digital Links, with the company prefix length |
//! | [`cbv`] | CBV 2.0 vocabularies (bizStep, disposition, business transaction and source/destination types) |
//! | [`ids`] | EPCs, lot classes and locations ⇄ the chain's codes |
//! | [`party`] | sources/destinations and the caller's org mapping ([`PartyResolver`], [`PartyNamer`]) |
//! | [`fields`] | business transactions, ilmd, sensor summaries, certification references |
//! | [`datetime`] | `xsd:dateTime` / `xsd:date` ⇄ ms UTC |
//! | [`error`] | [`EpcisError`], [`Problem`] |

pub mod canon;
pub mod cbv;
pub mod datetime;
pub mod error;
pub mod export;
pub mod fields;
pub mod hash;
pub mod ids;
pub mod import;
pub mod party;
pub mod urn;

pub use error::{EpcisError, Problem};
pub use export::{export_document, export_event, EPCIS_CONTEXT};
pub use hash::{event_hash, event_hash_with, ni_uri, parse_ni, pre_hash_string, Namespaces};
pub use import::{parse_document, parse_events, ImportedEvent};
pub use party::{Party, PartyId, PartyNamer, PartyResolver, PartyRole};
