//! The import journal: an append-only JSON-lines file beside the input (`FILE.yima-journal`) that makes imports
//! resumable.
//!
//! Before a transaction is submitted its line is written and synced (`signed`: the ids of its events, its hash,
//! nonce, the head at signing and its bytes); when its block is finalized a `done` line follows (block, and the
//! failure if the call was refused). A rerun skips the events of transactions `done` without failure,
//! resubmits the bytes of transactions `signed` but not `done` (the node answers "already in the pool", includes
//! them, or says the nonce is used — then the blocks since signing are searched for the hash), and imports the
//! rest. The chain keeps no index of event ids, so the journal is what names the events already on chain; it is
//! trusted only together with the chain (a `signed` line is confirmed by finding the transaction in a block).
//! A torn last line (crash mid-write) is ignored.

use std::fs::{File, OpenOptions};
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{ClientError, Result};

/// One journal line.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Entry {
    /// A transaction signed and about to be submitted.
    #[serde(rename_all = "camelCase")]
    Signed {
        /// Ids of the events it carries (CBV event hashes, `ni:///sha-256;…` or hex).
        events: Vec<String>,
        /// Its hash.
        tx: String,
        /// Its nonce.
        nonce: u64,
        /// The finalized head when it was signed.
        head: u64,
        /// Its SCALE bytes (hex), to resubmit.
        bytes: String,
    },
    /// A transaction finalized.
    #[serde(rename_all = "camelCase")]
    Done {
        /// Its hash.
        tx: String,
        /// The block.
        block: u64,
        /// The failure, if its call was refused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

/// An open journal.
pub struct Journal {
    path: PathBuf,
    file: File,
    entries: Vec<Entry>,
}

impl Journal {
    /// The journal of `input` (`<input>.yima-journal`).
    pub fn path_for(input: &Path) -> PathBuf {
        let mut name = input.as_os_str().to_owned();
        name.push(".yima-journal");
        PathBuf::from(name)
    }

    /// Opens (or creates) the journal at `path` and reads what it holds.
    pub fn open(path: &Path) -> Result<Self> {
        let mut entries = Vec::new();
        if path.exists() {
            let f = File::open(path).map_err(|e| ClientError::io(path, e))?;
            for line in BufReader::new(f).lines() {
                let line = line.map_err(|e| ClientError::io(path, e))?;
                if let Ok(e) = serde_json::from_str::<Entry>(&line) {
                    entries.push(e);
                }
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| ClientError::io(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            entries,
        })
    }

    /// What the journal holds.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Appends `entries` and syncs.
    pub fn append(&mut self, entries: &[Entry]) -> Result<()> {
        let mut text = String::new();
        for e in entries {
            text.push_str(&serde_json::to_string(e).expect("journal entries serialise"));
            text.push('\n');
        }
        // A torn last line from a crash: start on a fresh line.
        self.file
            .write_all(b"\n")
            .and_then(|_| self.file.write_all(text.as_bytes()))
            .and_then(|_| self.file.sync_data())
            .map_err(|e| ClientError::io(&self.path, e))?;
        self.entries.extend_from_slice(entries);
        Ok(())
    }

    /// Events of transactions finalized without failure.
    pub fn imported(&self) -> std::collections::HashSet<String> {
        let ok: std::collections::HashSet<&str> = self
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Done {
                    tx, error: None, ..
                } => Some(tx.as_str()),
                _ => None,
            })
            .collect();
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Signed { events, tx, .. } if ok.contains(tx.as_str()) => {
                    Some(events.clone())
                }
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// Transactions signed but not known to be finalized: (events, tx hash, nonce, head, bytes).
    pub fn in_flight(&self) -> Vec<Entry> {
        let done: std::collections::HashSet<&str> = self
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Done { tx, .. } => Some(tx.as_str()),
                _ => None,
            })
            .collect();
        self.entries
            .iter()
            .filter(|e| matches!(e, Entry::Signed { tx, .. } if !done.contains(tx.as_str())))
            .cloned()
            .collect()
    }
}
