//! [`Store::check_head`]: the last committed block holds together, checked when the node starts.
//!
//! A disk that lost or mangled the last write, or a database edited by hand, must not be served to auditors or
//! built on: every check below compares a stored part of the head with what its header commits to.
//!
//! - the header is indexed under its own hash and names the block below as its parent;
//! - the body's transactions give the header's `extrinsics_root`, the stored events its `events_root`;
//! - the stored state tree has the header's `state_root` at the head's version;
//! - a block above genesis has its commit certificate.
//!
//! The cost is one block's Merkle roots and one tree-root read, whatever the chain's length.

use yima_frame::BlockNumber;
use yima_runtime::executive::{events_root, extrinsics_root};

use crate::error::StorageError;
use crate::store::Store;

impl Store {
    /// Checks the head as the module docs say; `Ok(None)` for an empty database, `Ok(Some(head))` when the
    /// head holds together, [`StorageError::DamagedHead`] naming the first part that does not.
    pub fn check_head(&self) -> Result<Option<BlockNumber>, StorageError> {
        let Some(number) = self.head_number()? else {
            return Ok(None);
        };
        let damaged = |what: String| StorageError::DamagedHead { number, what };
        let header = self
            .header(number)?
            .ok_or_else(|| damaged("its header is missing".into()))?;
        let hash = header.hash();
        if self.number_of(&hash)? != Some(number) {
            return Err(damaged(format!(
                "its header's hash {hash} is not indexed as block {number}"
            )));
        }
        if number > 0 {
            let parent = self
                .header(number - 1)?
                .ok_or_else(|| damaged("the block below it is missing".into()))?;
            if parent.hash() != header.parent_hash {
                return Err(damaged(format!(
                    "it names parent {}, but the stored block below it is {}",
                    header.parent_hash,
                    parent.hash()
                )));
            }
            if self.certificate(number)?.is_none() {
                return Err(damaged("its commit certificate is missing".into()));
            }
        }
        let block = self
            .block(number)
            .map_err(|e| damaged(format!("its body does not read back ({e})")))?
            .ok_or_else(|| damaged("its body is missing".into()))?;
        let root = extrinsics_root(&block.extrinsics);
        if root != header.extrinsics_root {
            return Err(damaged(format!(
                "its {} transactions give root {root}, its header says {}",
                block.extrinsics.len(),
                header.extrinsics_root
            )));
        }
        let events = self
            .raw_events(number)
            .map_err(|e| damaged(format!("its events do not read back ({e})")))?;
        let root = events_root(&events);
        if root != header.events_root {
            return Err(damaged(format!(
                "its {} stored events give root {root}, its header says {}",
                events.len(),
                header.events_root
            )));
        }
        let state_root = self
            .state()?
            .tree_root(number)
            .map_err(|e| damaged(format!("its state tree does not read back ({e})")))?;
        if state_root != header.state_root {
            return Err(damaged(format!(
                "the stored state has root {state_root}, its header says {}",
                header.state_root
            )));
        }
        Ok(Some(number))
    }
}
