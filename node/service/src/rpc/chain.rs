//! `chain_*`: headers, blocks, certificates and the finalized-heads subscription.

use jsonrpsee::core::{async_trait, SubscriptionResult};
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::PendingSubscriptionSink;
use tokio::sync::broadcast::error::RecvError;

use super::error::{node_error, to_hex};
use super::Rpc;

pub use yima_rpc_api::chain::{BlockJson, ChainApiServer, HeaderJson};

#[async_trait]
impl ChainApiServer for Rpc {
    fn get_header(&self, number: Option<u64>) -> Result<Option<HeaderJson>, ErrorObjectOwned> {
        match number {
            Some(n) => Ok(self
                .host
                .store()
                .header(n)
                .map_err(node_error)?
                .as_ref()
                .map(HeaderJson::from)),
            None => self.finalized_head().map(Some),
        }
    }

    fn get_block(&self, number: u64) -> Result<Option<BlockJson>, ErrorObjectOwned> {
        Ok(self
            .host
            .store()
            .block(number)
            .map_err(node_error)?
            .as_ref()
            .map(BlockJson::from))
    }

    fn finalized_head(&self) -> Result<HeaderJson, ErrorObjectOwned> {
        let head = self
            .host
            .store()
            .head()
            .map_err(node_error)?
            .ok_or_else(|| node_error("no genesis"))?;
        Ok(HeaderJson::from(&head))
    }

    fn get_certificate(&self, number: u64) -> Result<Option<String>, ErrorObjectOwned> {
        Ok(self
            .host
            .store()
            .certificate(number)
            .map_err(node_error)?
            .map(|c| to_hex(&c)))
    }

    async fn subscribe_finalized_heads(
        &self,
        pending: PendingSubscriptionSink,
    ) -> SubscriptionResult {
        let mut heads = self.host.subscribe_finalized();
        let sink = pending.accept().await?;
        loop {
            tokio::select! {
                _ = sink.closed() => return Ok(()),
                next = heads.recv() => match next {
                    Ok(header) => {
                        let msg = serde_json::value::to_raw_value(&HeaderJson::from(&header))?;
                        if sink.send(msg).await.is_err() {
                            return Ok(());
                        }
                    }
                    // A slow subscriber skips headers rather than holding the node back.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return Ok(()),
                },
            }
        }
    }
}
