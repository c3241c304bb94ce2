//! Validators in one process deciding blocks over 127.0.0.1: one validator (`dev`), four (`local`), and three of
//! four after one stops. Heights are awaited through each host's commit notifications, never by sleeping.

mod common;

use std::time::{Duration, Instant};

use common::{init_logs, sample_transaction, test_network, wait_for_height, TestNode};
use yima_chain_spec::presets;
use yima_consensus::{start, stop};

/// Tests share two cores; one network at a time keeps their timing honest.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const WAIT: Duration = Duration::from_secs(60);

type Running = Vec<(
    malachitebft_app_channel::EngineHandle,
    tokio::task::JoinHandle<Result<(), yima_consensus::AppError>>,
)>;

async fn start_all(nodes: &[TestNode]) -> Running {
    let mut running = Vec::new();
    for node in nodes {
        let handles = start(node.config.clone(), node.host.clone())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", node.name));
        running.push(handles);
    }
    running
}

async fn stop_all(running: Running) {
    for (engine, app) in running {
        stop(engine, app).await;
    }
}

/// Every host in `nodes` holds the same block at each height up to `height`.
fn assert_same_chain(nodes: &[&TestNode], height: u64) {
    for h in 1..=height {
        let hashes: Vec<_> = nodes
            .iter()
            .map(|n| n.host.block(h).expect("committed").0.hash())
            .collect();
        assert!(
            hashes.windows(2).all(|w| w[0] == w[1]),
            "height {h}: {hashes:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_validator_decides_blocks_that_execute() {
    init_logs();
    let _serial = SERIAL.lock().await;
    let spec = presets::dev();
    let nodes = test_network("solo", &spec, &["alice"]);
    let host = nodes[0].host.clone();
    host.submit(sample_transaction(&host.genesis()));

    let started = Instant::now();
    let running = start_all(&nodes).await;
    wait_for_height(&host, 5, WAIT).await;
    let took = started.elapsed();
    stop_all(running).await;

    host.audit();
    let with_tx: Vec<u64> = (1..=5)
        .filter(|h| !host.block(*h).unwrap().0.extrinsics.is_empty())
        .collect();
    assert_eq!(
        with_tx,
        vec![1],
        "the submitted transaction goes into block 1"
    );
    // Each block executed once: built by the only validator, never re-executed.
    assert!(host.executions() >= 5 && host.executions() <= host.height() + 1);
    eprintln!("solo: 5 heights in {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_validators_agree_on_every_block() {
    init_logs();
    let _serial = SERIAL.lock().await;
    let spec = presets::local();
    let nodes = test_network("four", &spec, &["alice", "bob", "charlie", "dave"]);
    let genesis = nodes[0].host.genesis();
    for n in &nodes {
        n.host.submit(sample_transaction(&genesis));
    }

    let started = Instant::now();
    let running = start_all(&nodes).await;
    for n in &nodes {
        wait_for_height(&n.host, 5, WAIT).await;
    }
    let took = started.elapsed();
    stop_all(running).await;

    let all: Vec<&TestNode> = nodes.iter().collect();
    let common = nodes.iter().map(|n| n.host.height()).min().unwrap();
    assert!(common >= 5);
    assert_same_chain(&all, common);
    for n in &nodes {
        n.host.audit();
    }
    let txs: usize = (1..=common)
        .map(|h| nodes[0].host.block(h).unwrap().0.extrinsics.len())
        .sum();
    assert_eq!(txs, 1, "the transaction is included exactly once");
    eprintln!("four: {common} heights in {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_of_four_validators_keep_deciding() {
    init_logs();
    let _serial = SERIAL.lock().await;
    let spec = presets::local();
    let nodes = test_network("three", &spec, &["alice", "bob", "charlie", "dave"]);

    let mut running = start_all(&nodes).await;
    for n in &nodes {
        wait_for_height(&n.host, 2, WAIT).await;
    }
    // Stop dave; alice, bob and charlie hold 3 of 4 votes, more than two thirds.
    let (engine, app) = running.pop().expect("four running");
    stop(engine, app).await;
    let stopped_at = nodes[3].host.height();
    let from = nodes[..3].iter().map(|n| n.host.height()).max().unwrap();

    let started = Instant::now();
    for n in &nodes[..3] {
        wait_for_height(&n.host, from + 5, WAIT).await;
    }
    let took = started.elapsed();
    stop_all(running).await;

    assert_eq!(
        nodes[3].host.height(),
        stopped_at,
        "a stopped node commits nothing"
    );
    let live: Vec<&TestNode> = nodes[..3].iter().collect();
    let common = live.iter().map(|n| n.host.height()).min().unwrap();
    assert_same_chain(&live, common);
    assert_same_chain(&nodes.iter().collect::<Vec<_>>(), stopped_at);
    for n in &live {
        n.host.audit();
    }
    eprintln!("three of four: heights {from}..{} in {took:?}", from + 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restarted_validator_catches_up_through_value_sync() {
    init_logs();
    let _serial = SERIAL.lock().await;
    let spec = presets::local();
    let nodes = test_network("restart", &spec, &["alice", "bob", "charlie", "dave"]);

    let mut running = start_all(&nodes).await;
    for n in &nodes {
        wait_for_height(&n.host, 2, WAIT).await;
    }
    let (engine, app) = running.pop().expect("four running");
    stop(engine, app).await;
    let stopped_at = nodes[3].host.height();
    let from = nodes[..3].iter().map(|n| n.host.height()).max().unwrap();
    for n in &nodes[..3] {
        wait_for_height(&n.host, from + 4, WAIT).await;
    }

    // Dave comes back with its chain and WAL: it starts at its next height and fetches what it missed.
    let started = Instant::now();
    let behind = nodes[..3].iter().map(|n| n.host.height()).min().unwrap();
    running.push(
        start(nodes[3].config.clone(), nodes[3].host.clone())
            .await
            .expect("restart dave"),
    );
    wait_for_height(&nodes[3].host, behind + 1, WAIT).await;
    let took = started.elapsed();
    for n in &nodes[..3] {
        wait_for_height(&n.host, behind + 1, WAIT).await;
    }
    stop_all(running).await;

    let all: Vec<&TestNode> = nodes.iter().collect();
    let common = nodes.iter().map(|n| n.host.height()).min().unwrap();
    assert!(common > behind);
    assert_same_chain(&all, common);
    nodes[3].host.audit();
    eprintln!(
        "restart: dave stopped at {stopped_at}, restarted {} behind, reached {} in {took:?}",
        behind - stopped_at,
        behind + 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_idle_chain_paces_empty_blocks_and_work_starts_a_block_at_once() {
    init_logs();
    let _serial = SERIAL.lock().await;
    let spec = presets::dev();
    let mut nodes = test_network("idle", &spec, &["alice"]);
    let interval = Duration::from_millis(800);
    nodes[0].config.app.idle_block_interval = Some(interval);
    let host = nodes[0].host.clone();

    let running = start_all(&nodes).await;
    wait_for_height(&host, 1, WAIT).await;
    let idle = Instant::now();
    wait_for_height(&host, 3, WAIT).await;
    let idle_took = idle.elapsed();

    // Work arrives while the chain waits: the next height starts at once and includes it.
    let busy = Instant::now();
    host.submit(sample_transaction(&host.genesis()));
    wait_for_height(&host, 4, WAIT).await;
    let busy_took = busy.elapsed();
    stop_all(running).await;

    assert!(
        idle_took >= interval * 2 - Duration::from_millis(100),
        "two empty blocks took {idle_took:?}, less than two idle intervals"
    );
    assert!(
        busy_took < interval,
        "a block with work took {busy_took:?}, not less than the idle interval"
    );
    assert_eq!(host.block(4).unwrap().0.extrinsics.len(), 1);
    host.audit();
    eprintln!("idle: 2 empty blocks in {idle_took:?}; block with work after {busy_took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_validator_set_change_takes_effect_at_the_next_height() {
    use yima_chain_spec::dev_keys::{dev_account, dev_key};
    use yima_membership::{validator_set_hash, Action, Call, Validator};
    use yima_runtime::{RuntimeCall, SignedTransaction, SPEC_VERSION};

    init_logs();
    let _serial = SERIAL.lock().await;
    let spec = presets::local();
    let nodes = test_network("valset", &spec, &["alice", "bob", "charlie", "dave"]);
    let genesis = nodes[0].host.genesis();

    // Regulators alice and bob (threshold 2) hand consensus to alice and bob alone.
    let mut new_set: Vec<Validator> = ["alice", "bob"]
        .iter()
        .map(|n| Validator {
            key: dev_account(n),
            power: 1,
        })
        .collect();
    new_set.sort_by_key(|v| v.key);
    let tx = |who: &str, call| {
        SignedTransaction::sign(&dev_key(who), &genesis, SPEC_VERSION, 0, 1_000, call)
    };
    let propose = tx(
        "alice",
        RuntimeCall::Membership(Call::Propose {
            action: Action::SetValidators {
                validators: new_set.clone(),
            },
        }),
    );
    let approve = tx("bob", RuntimeCall::Membership(Call::Approve { id: 0 }));
    for n in &nodes {
        n.host.submit(propose.clone());
        n.host.submit(approve.clone());
    }

    let mut running = start_all(&nodes).await;
    for n in &nodes {
        wait_for_height(&n.host, 3, WAIT).await;
    }
    let host = &nodes[0].host;
    let changed_at = (1..=3)
        .find(|h| {
            host.block(*h).unwrap().0.header.next_validators_hash == validator_set_hash(&new_set)
        })
        .expect("the change is decided within three blocks");
    assert_eq!(host.validators(changed_at + 1), new_set);

    // Charlie and dave stop: under the old set two of four could decide nothing; under the new one
    // alice and bob hold all the power.
    for _ in 0..2 {
        let (engine, app) = running.pop().expect("running");
        stop(engine, app).await;
    }
    let from = nodes[..2].iter().map(|n| n.host.height()).max().unwrap();
    for n in &nodes[..2] {
        wait_for_height(&n.host, from + 3, WAIT).await;
    }
    stop_all(running).await;

    let pair: Vec<&TestNode> = nodes[..2].iter().collect();
    let common = pair.iter().map(|n| n.host.height()).min().unwrap();
    assert_same_chain(&pair, common);
    for n in &pair {
        n.host.audit(); // each certificate against the set of its own height
    }
    let last = host.block(common).unwrap();
    assert_eq!(last.0.header.validators_hash, validator_set_hash(&new_set));
    let cert = yima_consensus::decode_certificate(&last.1).unwrap();
    assert!(cert.commit_signatures.len() <= 2);
    eprintln!("valset: set changed after block {changed_at}; alice and bob alone reached {common}");
}
