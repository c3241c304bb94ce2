//! Pagination of long answers (`trace_history`'s hops, `trace_recall`'s rows, the web's scan JSON, audit
//! bundles and dashboard): a **cursor** (where the page starts: an offset in chain order, `0` or absent for the
//! first page) and a **limit** (how many items, at most the answer's hard cap). Each answer says where the next
//! page starts (`nextCursor`, absent on the last page) and how many items there are in all (`total`). The chain
//! only grows, so a cursor stays valid across pages read at different heights.
//!
//! | answer | items | default and hard cap |
//! |--------|-------|----------------------|
//! | `trace_history`, `trace_chain`, scan JSON | hops | [`MAX_HOPS`] |
//! | `trace_recall`, recall JSON | codes | [`MAX_ROWS`] |
//! | `/bundle/…` | proofs | [`MAX_PROOFS`] |
//! | `/dashboard` | blocks of alerts, newest first (the cursor is a block number) | the node's `web::dashboard::RECENT_BLOCKS` |

/// Most hops per page of a trace.
pub const MAX_HOPS: usize = 500;
/// Most codes per page of a recall.
pub const MAX_ROWS: usize = 1000;
/// Most proofs per page of an audit bundle.
pub const MAX_PROOFS: usize = 100;

/// One page's bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// The first item.
    pub cursor: usize,
    /// How many items at most.
    pub limit: usize,
}

impl Page {
    /// The page at `cursor` (default 0) of at most `limit` items (default and most: `cap`); a limit above the
    /// cap is refused with the cap in the message.
    pub fn new(cursor: Option<u64>, limit: Option<u64>, cap: usize) -> Result<Self, String> {
        let limit = match limit {
            None => cap,
            Some(l) if l as usize > cap || l > u32::MAX as u64 => {
                return Err(format!(
                    "limit {l} is above {cap}, the most one page holds: follow nextCursor for more"
                ))
            }
            Some(l) => l as usize,
        };
        let cursor = usize::try_from(cursor.unwrap_or(0)).unwrap_or(usize::MAX);
        Ok(Self { cursor, limit })
    }

    /// The page's items of `all` and the cursor of the next page, if any.
    pub fn slice<'a, T>(&self, all: &'a [T]) -> (&'a [T], Option<u64>) {
        let start = self.cursor.min(all.len());
        let end = start.saturating_add(self.limit).min(all.len());
        let next = (end < all.len()).then_some(end as u64);
        (&all[start..end], next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_each_other_and_the_cap_holds() {
        let all: Vec<u32> = (0..7).collect();
        let first = Page::new(None, Some(3), 5).unwrap();
        assert_eq!(first.slice(&all), (&all[0..3], Some(3)));
        let last = Page::new(Some(6), Some(3), 5).unwrap();
        assert_eq!(last.slice(&all), (&all[6..7], None));
        assert_eq!(Page::new(Some(99), None, 5).unwrap().slice(&all).0.len(), 0);
        assert_eq!(
            Page::new(None, None, 5).unwrap().limit,
            5,
            "the cap is the default"
        );
        assert!(Page::new(None, Some(6), 5)
            .unwrap_err()
            .contains("nextCursor"));
    }
}
