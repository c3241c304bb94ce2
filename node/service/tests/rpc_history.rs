//! Complete histories end to end: the client library's `check_history` against a real [`NodeHost`] on the demo
//! chain (the `rpc_support` story: two packs in a case, shipped, received), served over HTTP by jsonrpsee. An
//! honest node passes; a node patched here to leave one hop out of `trace_history`, or out of `trace_chain`, is
//! caught by the client, which names the hop or the count — when it checks a trace, and when it writes an audit
//! bundle; a bundle written from the short trace by hand is refused offline by `AuditBundle::verify`.

#[allow(dead_code)] // the story, not every helper of the shared support
mod rpc_support;

use std::sync::Arc;

use jsonrpsee::server::{Server, ServerHandle};
use jsonrpsee::types::{ErrorObjectOwned, Params};
use rpc_support::*;
use yima_client::rpc::{NodeClient, RetryPolicy};
use yima_client::ClientError;
use yima_consensus::proof::TrustAnchor;
use yima_node::host::NodeHost;
use yima_node::rpc::trace::TraceApiServer;
use yima_node::rpc::Rpc;
use yima_trace::history::{HistoryError, Position, Relation};

/// Which answer the patched node falsifies.
#[derive(Clone, Copy)]
enum Patch {
    /// Serve the node's own answers.
    Honest,
    /// Leave the hop at this position of the first page out of `trace_history`.
    OmitFromTrace(usize),
    /// Leave the last event out of `trace_chain` of the case.
    OmitFromChain,
}

fn positional(params: &Params<'_>) -> Result<Vec<serde_json::Value>, ErrorObjectOwned> {
    Ok(params
        .parse::<Option<Vec<serde_json::Value>>>()?
        .unwrap_or_default())
}

fn arg<T: serde::de::DeserializeOwned>(args: &[serde_json::Value], i: usize) -> Option<T> {
    args.get(i)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// Serves the node's RPC over HTTP on loopback with `patch` applied.
async fn serve(host: Arc<NodeHost>, patch: Patch) -> (String, ServerHandle) {
    let mut module = Rpc::new(host.clone(), true).into_module();
    let real = Rpc::new(host, true);
    module.remove_method("trace_history");
    module.remove_method("trace_chain");
    let history = real.clone();
    module
        .register_blocking_method("trace_history", move |params, _, _| {
            let args = positional(&params)?;
            let code: String = arg(&args, 0).unwrap_or_default();
            let mut answer = history.history(code, arg(&args, 1), arg(&args, 2))?;
            if let Patch::OmitFromTrace(i) = patch {
                answer.hops.remove(i);
                answer.total -= 1;
            }
            Ok::<_, ErrorObjectOwned>(answer)
        })
        .unwrap();
    module
        .register_blocking_method("trace_chain", move |params, _, _| {
            let args = positional(&params)?;
            let code: String = arg(&args, 0).unwrap_or_default();
            let mut answer = real.chain(code, arg(&args, 1), arg(&args, 2), arg(&args, 3))?;
            if matches!(patch, Patch::OmitFromChain) && answer.code == case().to_string() {
                answer.hops.pop();
                answer.total -= 1;
            }
            Ok::<_, ErrorObjectOwned>(answer)
        })
        .unwrap();
    let server = Server::builder().build("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", server.local_addr().unwrap());
    (url, server.start(module))
}

/// `yima proof` of the pack against the node with `patch`.
async fn audit_bundle(
    chain: &Chain,
    patch: Patch,
) -> Result<yima_client::AuditBundle, ClientError> {
    let (url, handle) = serve(chain.host.clone(), patch).await;
    let client = NodeClient::new(&url, RetryPolicy::none()).unwrap();
    let anchor = TrustAnchor::from_genesis(&chain.genesis);
    let result = client
        .audit_bundle(&pack(1).to_string(), &anchor, |_, _| {})
        .await;
    handle.stop().unwrap();
    result
}

async fn check(
    chain: &Chain,
    patch: Patch,
) -> Result<yima_client::history::CheckedTrace, ClientError> {
    let (url, handle) = serve(chain.host.clone(), patch).await;
    let client = NodeClient::new(&url, RetryPolicy::none()).unwrap();
    let result = client.check_history(&pack(1).to_string()).await;
    handle.stop().unwrap();
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_refuses_a_node_that_leaves_a_hop_out() {
    let chain = story().await;

    // Honest: the pack's commissioning and packing are its own, the case's shipping and receiving its
    // container's; two chains (the pack's and the case's) were checked.
    let checked = check(&chain, Patch::Honest).await.unwrap();
    let relations: Vec<Relation> = checked.history.hops.values().map(|(r, _)| *r).collect();
    assert_eq!(
        relations,
        vec![
            Relation::Own,
            Relation::Own,
            Relation::Container,
            Relation::Container
        ]
    );
    assert_eq!(checked.history.codes.len(), 2);
    assert_eq!(checked.trace.hops.len(), 4);
    let receiving = checked.trace.hops[3].at;

    // The attack: the receiving at the CDC (the case's, while the pack was inside) left out of the trace. The
    // plain `trace` reads it without a word, as every client did before the histories were committed …
    let (url, handle) = serve(chain.host.clone(), Patch::OmitFromTrace(3)).await;
    let plain = NodeClient::new(&url, RetryPolicy::none())
        .unwrap()
        .trace(&pack(1).to_string())
        .await
        .unwrap();
    handle.stop().unwrap();
    assert_eq!(plain.hops.len(), 3, "the patched node serves a short trace");
    // … and `check_history` refuses it, naming the hop.
    match check(&chain, Patch::OmitFromTrace(3)).await {
        Err(ClientError::IncompleteHistory {
            source:
                HistoryError::NotShown {
                    at,
                    relation: Relation::Container,
                    subject,
                },
            ..
        }) => {
            assert_eq!(at, Position::new(receiving.block, receiving.index));
            assert_eq!(subject, case());
        }
        other => panic!("a trace missing a hop must be refused, got {other:?}"),
    }

    // The same hop left out of the case's chain as well: the committed count gives it away.
    match check(&chain, Patch::OmitFromChain).await {
        Err(ClientError::IncompleteHistory {
            source:
                HistoryError::Missing {
                    code,
                    committed,
                    given,
                },
            ..
        }) => {
            assert_eq!(code, case());
            assert_eq!(committed, given + 1);
        }
        other => panic!("a chain missing a hop must be refused, got {other:?}"),
    }

    // A bundle: the honest node's verifies offline (the case's chain and the pack's, proven at its height) …
    let anchor = TrustAnchor::from_genesis(&chain.genesis);
    let honest = audit_bundle(&chain, Patch::Honest).await.unwrap();
    assert_eq!(honest.hops.len(), 4);
    assert_eq!(honest.histories.len(), 2);
    let (_, complete) = honest.verify_complete(&anchor).unwrap();
    assert_eq!(complete.codes.len(), 2);
    // … the patched node's trace is refused before a bundle is written …
    match audit_bundle(&chain, Patch::OmitFromTrace(3)).await {
        Err(ClientError::IncompleteHistory {
            source: HistoryError::NotShown { at, .. },
            ..
        }) => assert_eq!(at, Position::new(receiving.block, receiving.index)),
        other => panic!("a bundle of a short trace must be refused, got {other:?}"),
    }
    // … and the case's shipping left out of an honest bundle by hand is refused offline: the case's chain is
    // short. (Leaving out the newest hop moves the height the histories are proven at: refused as well.)
    let mut short = honest.clone();
    short.hops.remove(2);
    let e = short.verify(&anchor).unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("{}: the chain commits", case()))
            && e.to_string().contains("left out"),
        "{e}"
    );
    let mut short = honest.clone();
    short.hops.pop();
    assert!(short.verify(&anchor).is_err());
}
