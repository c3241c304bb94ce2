//! [`NonceManager`]: nonces for many transactions in flight. The first nonce of an account is read (proven) from
//! the chain; later ones are handed out locally in order, so a client can sign thousands of transactions before
//! the first is included. After a refusal that shows the local view is wrong ("nonce already used", "already in
//! the pool"), [`NonceManager::resync`] reads the chain again.

use std::collections::HashMap;

use tokio::sync::Mutex;
use yima_frame::AccountId;

use crate::error::Result;
use crate::rpc::NodeClient;

/// Hands out nonces per account.
pub struct NonceManager {
    client: NodeClient,
    next: Mutex<HashMap<AccountId, u64>>,
}

impl NonceManager {
    /// Nonces read from `client`'s node.
    pub fn new(client: NodeClient) -> Self {
        Self {
            client,
            next: Mutex::new(HashMap::new()),
        }
    }

    /// The next nonce for `account` (reserved: the following call returns the one after).
    pub async fn next(&self, account: AccountId) -> Result<u64> {
        let mut map = self.next.lock().await;
        let n = match map.get(&account) {
            Some(n) => *n,
            None => self.client.nonce(&account).await?,
        };
        map.insert(account, n + 1);
        Ok(n)
    }

    /// Reserves `count` consecutive nonces and returns the first.
    pub async fn reserve(&self, account: AccountId, count: u64) -> Result<u64> {
        let mut map = self.next.lock().await;
        let n = match map.get(&account) {
            Some(n) => *n,
            None => self.client.nonce(&account).await?,
        };
        map.insert(account, n + count);
        Ok(n)
    }

    /// Makes the next nonce of `account` at least `at_least` (e.g. after a journal shows nonces in flight).
    pub async fn bump(&self, account: AccountId, at_least: u64) -> Result<()> {
        let mut map = self.next.lock().await;
        let n = match map.get(&account) {
            Some(n) => *n,
            None => self.client.nonce(&account).await?,
        };
        map.insert(account, n.max(at_least));
        Ok(())
    }

    /// Forgets the local view of `account`; its next nonce is read from the chain again.
    pub async fn resync(&self, account: &AccountId) {
        self.next.lock().await.remove(account);
    }
}
