//! The administration "7-in-one" record (DOMAIN.md §4): as a vaccination site submits it
//! ([`AdministrationRecord`]) and as the chain keeps and announces it ([`Administration`]).
//!
//! The seven: the supervision code (the dose's trace code), the batch, the CDC that supplied the site, the
//! vaccination site (the signer's organisation), the cold-chain equipment the dose was taken from, the vaccinator
//! and the recipient — the last two only as pseudonymous ids (DOMAIN.md §6).

use parity_scale_codec::{Decode, Encode};
use yima_attestation::PseudonymousId;
use yima_codes::{LotNumber, TraceCode};
use yima_frame::{BlockNumber, Moment, OrgId};
use yima_trace::types::LotKey;

/// The 7-in-one record as the vaccination site submits it with [`crate::Call::Administer`]; the site is the
/// signer's organisation.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct AdministrationRecord {
    /// (1) The supervision code: the dose's trace code, scanned from the minimum package.
    pub code: TraceCode,
    /// (2) The batch printed on the package; must be the lot the code was commissioned in (catches a
    /// mis-scan).
    pub batch: LotNumber,
    /// (3) The CDC that supplied the site (an organisation of kind CDC).
    pub cdc: OrgId,
    /// (5) The cold-chain equipment the dose was taken from (refrigerator or cold box id, 1 to 64 bytes of
    /// UTF-8); recorded as the event's read point.
    pub equipment: Vec<u8>,
    /// (6) The vaccinator, pseudonymous.
    pub vaccinator: PseudonymousId,
    /// (7) The recipient, pseudonymous.
    pub recipient: PseudonymousId,
    /// When the dose was given, ms UTC (may lie before the block, by at most the chain's clock skew after it).
    pub time: Moment,
    /// The site's time zone offset from UTC, minutes.
    pub time_zone_offset_minutes: i16,
}

/// An administered dose, as kept on the recipient's record card and announced by
/// [`crate::Event::Administered`].
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Administration {
    /// (1) The supervision code.
    pub code: TraceCode,
    /// (2) The batch: product and lot number.
    pub lot: LotKey,
    /// (3) The supplying CDC.
    pub cdc: OrgId,
    /// (4) The vaccination site.
    pub site: OrgId,
    /// (5) The cold-chain equipment id.
    pub equipment: Vec<u8>,
    /// (6) The vaccinator, pseudonymous.
    pub vaccinator: PseudonymousId,
    /// (7) The recipient, pseudonymous.
    pub recipient: PseudonymousId,
    /// When, ms UTC, as the site recorded it.
    pub time: Moment,
    /// The block that recorded it.
    pub block: BlockNumber,
}
