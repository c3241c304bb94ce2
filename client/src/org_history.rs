//! An organisation's history: the custody events it captured (`trace_orgEvents`, a page at a time), each one
//! proven — its `proof_event` verified against the chain's [`TrustAnchor`] (one signature batch per page), the
//! proven event decoded and required to be a `Captured` by that organisation, and the node's JSON required to be
//! that event's. Every field shown is proven; that no event is left out is the node's word (the chain commits no
//! per-organisation summary, unlike a code's history).

use yima_consensus::proof::TrustAnchor;
use yima_frame::OrgId;
use yima_rpc_api::trace_json::{EpcisJson, EventRefJson, OrgEventJson};
use yima_runtime::RuntimeEvent;

use crate::error::{ClientError, Result};
use crate::receipt::verify_all;
use crate::rpc::NodeClient;

/// One page of an organisation's proven history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgHistoryPage {
    /// The events, each proven, in chain order.
    pub events: Vec<OrgEventJson>,
    /// Where the next page starts.
    pub next: Option<EventRefJson>,
}

impl NodeClient {
    /// Up to `limit` custody events `org` captured from `from` on, each proven against `anchor`.
    pub async fn org_history(
        &self,
        org: OrgId,
        from: Option<EventRefJson>,
        limit: Option<u64>,
        anchor: &TrustAnchor,
    ) -> Result<OrgHistoryPage> {
        let page = self.org_events_page(org, from, limit).await?;
        let mut proofs = Vec::with_capacity(page.events.len());
        for shown in &page.events {
            let (block, index) = (shown.at.block, shown.at.index);
            let bad =
                |e: String| ClientError::BadProof(format!("event {index} of block {block}: {e}"));
            let (proof, record) = self.event_and_proof(block, index).await?;
            let RuntimeEvent::Trace(yima_trace::Event::Captured { org: by, event, .. }) =
                record.event
            else {
                return Err(bad("is not a custody event".into()));
            };
            if by != org {
                return Err(bad(format!("was captured by organisation {by}, not {org}")));
            }
            if EpcisJson::from(&event) != shown.event {
                return Err(bad(
                    "the node's JSON of it differs from the proven event".into()
                ));
            }
            if let Some(last) = proofs
                .last()
                .map(|p: &yima_consensus::proof::EventProof| (p.block.header.number, p.path.index))
            {
                if (block, index) <= last {
                    return Err(bad("the events are not in chain order".into()));
                }
            }
            proofs.push(proof);
        }
        let first = page.events.first().map_or(0, |e| e.at.block);
        verify_all(&proofs, anchor, first)?;
        Ok(OrgHistoryPage {
            events: page.events,
            next: page.next,
        })
    }
}
