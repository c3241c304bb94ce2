//! The rolling window on its own: what counts, pruning, merging, and the bound on its size.

use proptest::prelude::*;

use crate::types::DAY_MS;
use crate::window::{Purchase, PurchaseWindow, MAX_ENTRIES};

const W: u64 = 30 * DAY_MS;

#[test]
fn a_purchase_counts_until_the_window_has_passed_over_it() {
    let mut w = PurchaseWindow::default();
    w.record(1_000, 2, W);
    assert_eq!(w.packs_in_window(1_000, W), 2);
    assert_eq!(w.packs_in_window(1_000 + W - 1, W), 2);
    assert_eq!(w.packs_in_window(1_000 + W, W), 0);
}

#[test]
fn recording_prunes_what_left_the_window_and_merges_a_block() {
    let mut w = PurchaseWindow::default();
    w.record(0, 1, W);
    w.record(10 * DAY_MS, 1, W);
    w.record(10 * DAY_MS, 1, W);
    assert_eq!(
        w.entries,
        vec![
            Purchase { at: 0, packs: 1 },
            Purchase {
                at: 10 * DAY_MS,
                packs: 2
            }
        ]
    );
    w.record(W, 1, W);
    assert_eq!(w.entries.len(), 2, "the purchase at 0 is pruned");
    assert_eq!(w.packs_in_window(W, W), 3);
}

#[test]
fn a_full_record_merges_its_oldest_under_the_later_time() {
    let mut w = PurchaseWindow::default();
    for i in 0..=MAX_ENTRIES as u64 {
        w.record(i, 1, W);
    }
    assert_eq!(w.entries.len(), MAX_ENTRIES);
    assert_eq!(w.entries[0], Purchase { at: 1, packs: 2 });
    assert_eq!(
        w.packs_in_window(MAX_ENTRIES as u64, W),
        MAX_ENTRIES as u32 + 1
    );
}

proptest! {
    /// Whatever the purchases, the record stays bounded and never counts fewer packs inside the window than
    /// were bought inside it (merging only keeps packs longer).
    #[test]
    fn bounded_and_never_under_counting(steps in proptest::collection::vec((0u64..5 * DAY_MS, 1u32..3), 1..200)) {
        let mut w = PurchaseWindow::default();
        let mut now = 0;
        let mut all = vec![];
        for (gap, packs) in steps {
            now += gap;
            w.record(now, packs, W);
            all.push((now, packs));
            prop_assert!(w.entries.len() <= MAX_ENTRIES);
            let truth: u32 = all.iter().filter(|(t, _)| now < t + W).map(|(_, p)| p).sum();
            prop_assert!(w.packs_in_window(now, W) >= truth);
        }
    }
}
