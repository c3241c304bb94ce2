//! Transactions signed before a phase starts, so the measured window spends no client CPU on signing: each
//! client gets its own operator accounts (nonces in order, spread round-robin) and its own serial numbers.

use yima_frame::Hash;

use crate::testnet::tx_hex;
use crate::workload::{capture, commission, item, Signer};

/// One signed transaction ready to send.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// `0x` hex of its SCALE bytes.
    pub hex: String,
    /// Its hash as RPC shows it.
    pub hash: String,
    /// Custody events it carries.
    pub events: u32,
}

/// The operator account names of client `client`.
pub fn account_names(client: usize, accounts: usize) -> Vec<String> {
    (0..accounts)
        .map(|a| format!("load-{client}-{a}"))
        .collect()
}

/// A client's signers and serial counter, kept across phases.
pub struct ClientKeys {
    client: usize,
    signers: Vec<Signer>,
    next_signer: usize,
    next_serial: u64,
}

impl ClientKeys {
    /// Client `client` with `accounts` operator accounts (all at nonce 0).
    pub fn new(client: usize, accounts: usize) -> Self {
        Self {
            client,
            signers: account_names(client, accounts)
                .iter()
                .map(|n| Signer::dev(n, 0))
                .collect(),
            next_signer: 0,
            next_serial: 0,
        }
    }

    /// `count` transactions of `events_per_tx` commissioning events each, new codes every time.
    pub fn prepare(&mut self, genesis: &Hash, count: usize, events_per_tx: u32) -> Vec<Prepared> {
        (0..count)
            .map(|_| {
                let events = (0..events_per_tx)
                    .map(|_| {
                        let serial = format!("C{}N{}", self.client, self.next_serial);
                        self.next_serial += 1;
                        commission(item(&serial))
                    })
                    .collect();
                let accounts = self.signers.len();
                let signer = &mut self.signers[self.next_signer];
                self.next_signer = (self.next_signer + 1) % accounts;
                let tx = signer.sign(genesis, capture(events));
                Prepared {
                    hex: tx_hex(&tx),
                    hash: tx.hash().to_string(),
                    events: events_per_tx,
                }
            })
            .collect()
    }
}
