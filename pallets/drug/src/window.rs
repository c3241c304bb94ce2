//! A buyer's rolling purchase window for compound preparations with controlled ingredients, across all
//! pharmacies.
//!
//! Each buyer has one small record ([`PurchaseWindow`]): a ring of `(block time, packs)` purchases, oldest
//! first. A purchase at time `t` counts while `now < t + window`, so the buyer may buy again as soon as the
//! window has passed over enough of their purchases. Checking reads one record and sums at most
//! [`MAX_ENTRIES`] entries; recording prunes what has left the window and appends, so the record never holds
//! more than the limit's worth of entries (each counted sale adds at least one pack, and an over-limit sale is
//! refused). Packs dispensed against prescriptions count too but are not limited (the prescription is the
//! authority); should a buyer collect more than [`MAX_ENTRIES`] purchases inside one window that way, the two
//! oldest are merged under the later time — which only ever counts packs for longer, never shorter.
//!
//! Times are block timestamps (`yima_system`), never a clock and never the time a pharmacy claims. Pruning uses
//! the window in force when the record is written: lengthening the window later counts only purchases still on
//! record.

use parity_scale_codec::{Decode, Encode};
use yima_frame::Moment;

/// Most purchases one record holds.
pub const MAX_ENTRIES: usize = 32;

/// One purchase.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Purchase {
    /// Block time, ms UTC.
    pub at: Moment,
    /// Minimum packs.
    pub packs: u32,
}

/// A buyer's purchases still inside the window when it was last written, oldest first.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode)]
pub struct PurchaseWindow {
    /// The purchases.
    pub entries: Vec<Purchase>,
}

impl PurchaseWindow {
    /// Packs bought within `window_ms` before `now` (purchases at `t` with `now < t + window_ms`).
    pub fn packs_in_window(&self, now: Moment, window_ms: Moment) -> u32 {
        self.entries
            .iter()
            .filter(|p| in_window(p.at, now, window_ms))
            .fold(0u32, |sum, p| sum.saturating_add(p.packs))
    }

    /// Drops what left the window, then records `packs` at `now`.
    pub fn record(&mut self, now: Moment, packs: u32, window_ms: Moment) {
        self.entries.retain(|p| in_window(p.at, now, window_ms));
        match self.entries.last_mut() {
            // Several sales in one block share an entry.
            Some(last) if last.at == now => last.packs = last.packs.saturating_add(packs),
            _ => self.entries.push(Purchase { at: now, packs }),
        }
        while self.entries.len() > MAX_ENTRIES {
            let oldest = self.entries.remove(0);
            let next = &mut self.entries[0];
            next.packs = next.packs.saturating_add(oldest.packs);
        }
    }

    /// Whether nothing is on record.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn in_window(at: Moment, now: Moment, window_ms: Moment) -> bool {
    now < at.saturating_add(window_ms)
}
