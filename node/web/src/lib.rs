//! # The web surface's pure parts
//!
//! What a `GET` to a node's web port asks for ([`routes`]: route, format, language, page) and the two languages
//! its pages speak ([`i18n`]). Both read text from anyone who can reach the port, so they live apart from the
//! node (`yima-node`'s `web` module renders and serves the pages): no store, no network, no clock, and the fuzz
//! target `web_routes` (`fuzz/`) builds them without RocksDB.

pub mod i18n;
pub mod routes;
