//! Trace and recall latency over an index of more than a million (code, event) entries, in the shape of the
//! PostgreSQL baseline (`shared/bench/pg-baseline`), with custody state produced by the real trace pallet.
//!
//! `cargo bench -p yima-runtime --bench trace_query` (release profile). Knobs: `YIMA_BENCH_LOTS` (base lots,
//! default 400), `YIMA_BENCH_SEED`, `YIMA_BENCH_ROUNDS` (timed passes, default 5), `YIMA_BENCH_LOOP` (for
//! `perf record`: `trace`, `recall`, `walk` or `custody` repeated for 20 s after the table).
//!
//! **Data.** 1 lot = 1,000 items = 20 cases × 50 items on 1 pallet. Per lot, at its maker: commissioning (20
//! events of 50 items), the 21 SSCCs, packing (20 cases, 1 pallet) and shipping of the pallet; then receive and
//! ship at each of H = 3..6 hops (maker → H−1 distributors → retailer or processor), receive + unpack of the
//! pallet and its cases at the final organisation, and each item sold on its own 1–40 blocks later. About 5 % of
//! the lots go to a processor instead, which transforms them into a new 1,000-item lot — each output from 2
//! inputs, each input into 2 outputs (a butterfly with stride 1, 2, 4 by depth, so a depth-3 item has
//! 2 + 4 + 8 = 14 codes upstream) — that is packed and shipped on in turn, to depth 3. Every capture call is
//! executed by `yima_trace::Pallet::capture` inside externalities over a `MemoryState`, committed per block
//! (JMT and all), and every block's events are ingested into a `MemoryIndex`. Randomness is a seeded SplitMix64.
//! Like the baseline, a cut-off leaves the tail of the ledger in flight.
//!
//! **Queries.** `trace` of 1,000 random items and of 200 transformation outputs; `recall` of 100 random lots and
//! of up to 100 transformed lots (custody of every row read from state through `StateCustody`), then recall split
//! into its index walk and its state reads. Each query set runs once as warm-up, then in timed passes; each
//! printed statistic (p50/p99/mean/max) is the median over the passes, and the load average is printed so a
//! busy machine shows.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use yima_codes::{gs1_check_digit, Gtin, LotNumber, ProductId, SerialNumber, Sscc, TraceCode};
use yima_frame::externalities::{self as ext, Externalities};
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::{sha256, AccountId, Hash, Moment, OrgId, Origin, Phase, Role, Roles};
use yima_membership::testing::gtin_prefix;
use yima_membership::{
    GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator,
};
use yima_runtime::query::{recall, trace, EventIndex, MemoryIndex, RecallTarget, StateCustody};
use yima_runtime::{build_genesis, Membership, RuntimeGenesisConfig, System, Trace};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::types::{Category, LotKey};

#[path = "trace_query/stats.rs"]
mod stats;

use stats::{load_average, measure, row};

const ITEMS: usize = 1_000;
const CASES: usize = 20;
const PER_CASE: usize = ITEMS / CASES;
const MAKERS: usize = 4;
const DISTRIBUTORS: usize = 8;
const RETAILERS: usize = 6;
const PROCESSORS: usize = 3;
/// Chance that a base lot starts a transformation chain.
const P_CHAIN: f64 = 0.05;
const BLOCK_MS: Moment = 5_000;
const GENESIS_MS: Moment = 1_767_225_600_000;
const DAY: Moment = 86_400_000;

/// SplitMix64: small, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, lo: u64, hi_inclusive: u64) -> u64 {
        lo + self.next() % (hi_inclusive - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Maker,
    Distributor,
    Retailer,
    Processor,
}

/// Organisation `i` of the bench (0 is the regulator).
fn orgs() -> Vec<(Kind, usize)> {
    let mut v = Vec::new();
    for (kind, n) in [
        (Kind::Maker, MAKERS),
        (Kind::Distributor, DISTRIBUTORS),
        (Kind::Retailer, RETAILERS),
        (Kind::Processor, PROCESSORS),
    ] {
        v.extend((0..n).map(|i| (kind, i)));
    }
    v
}

fn org_id(kind: Kind, i: usize) -> OrgId {
    let offset = match kind {
        Kind::Maker => 0,
        Kind::Distributor => MAKERS,
        Kind::Retailer => MAKERS + DISTRIBUTORS,
        Kind::Processor => MAKERS + DISTRIBUTORS + RETAILERS,
    };
    (1 + offset + i) as OrgId
}

fn uscc(n: usize) -> Uscc {
    let body = format!("91330100MA2Y{n:05}");
    let bytes: [u8; 17] = body.as_bytes().try_into().unwrap();
    let check = Uscc::check_character(&bytes).unwrap();
    Uscc::parse(&format!("{body}{check}")).unwrap()
}

fn key_of(org: OrgId) -> AccountId {
    let key =
        ed25519_dalek::SigningKey::from_bytes(&sha256(format!("bench org //{org}").as_bytes()).0);
    AccountId::from(key.verifying_key())
}

fn genesis() -> RuntimeGenesisConfig {
    let regulator = Uscc::parse("11330100MA2Y00000E").unwrap();
    let mut organisations = vec![GenesisOrganisation {
        name: "Regulator".into(),
        kind: OrgKind::Regulator,
        uscc: regulator,
        prefixes: vec![],
    }];
    let mut accounts = vec![GenesisAccount {
        account: key_of(0),
        uscc: regulator,
        roles: Roles::of(&[Role::Admin, Role::Governance]),
    }];
    for (kind, i) in orgs() {
        let id = org_id(kind, i);
        let k = match kind {
            Kind::Maker => OrgKind::Manufacturer,
            Kind::Distributor => OrgKind::Distributor,
            Kind::Retailer => OrgKind::Retailer,
            Kind::Processor => OrgKind::Processor,
        };
        organisations.push(GenesisOrganisation {
            name: format!("org {id}"),
            kind: k,
            uscc: uscc(id as usize),
            prefixes: match kind {
                Kind::Maker => vec![gtin_prefix(&maker_product(i))],
                Kind::Processor => vec![gtin_prefix(&processor_product(i))],
                _ => vec![],
            },
        });
        accounts.push(GenesisAccount {
            account: key_of(id),
            uscc: uscc(id as usize),
            roles: Roles::of(&[Role::Admin, Role::Operator]),
        });
    }
    RuntimeGenesisConfig {
        timestamp: GENESIS_MS,
        system: Default::default(),
        trace: Default::default(),
        attestation: Default::default(),
        membership: GenesisConfig {
            organisations,
            accounts,
            validators: vec![Validator {
                key: key_of(0),
                power: 1,
            }],
            regulator_threshold: 1,
            proposal_lifetime: 100,
        },
    }
}

fn gtin(prefix: &str, n: usize) -> Gtin {
    let body = format!("{prefix}{n:04}");
    let check = gs1_check_digit(body.as_bytes());
    Gtin::parse(&format!("{body}{check}")).unwrap()
}

fn maker_product(i: usize) -> Gtin {
    gtin("095212340", i)
}

fn processor_product(i: usize) -> Gtin {
    gtin("095212341", i)
}

fn sscc(n: u64) -> TraceCode {
    let body = format!("10614141{n:09}");
    let check = gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).unwrap())
}

fn event(body: EventBody, step: BizStep) -> EpcisEvent {
    EpcisEvent::new(body, 0, 480, step)
}

fn object(action: Action, epcs: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    event(
        EventBody::Object {
            action,
            epcs,
            quantities: vec![],
        },
        step,
    )
}

fn aggregation(
    action: Action,
    parent: TraceCode,
    children: Vec<TraceCode>,
    step: BizStep,
) -> EpcisEvent {
    event(
        EventBody::Aggregation {
            action,
            parent,
            children,
        },
        step,
    )
}

fn ilmd(lot: LotKey) -> Ilmd {
    Ilmd {
        lot,
        production_date: GENESIS_MS - DAY,
        expiry: GENESIS_MS + 3_650 * DAY,
    }
}

/// How a lot's items come into being.
enum Made {
    Commission,
    /// From the previous lot's items, butterfly with this stride.
    Transform {
        inputs: Vec<TraceCode>,
        stride: usize,
    },
}

/// A lot to plan: made at `origin` in block `start`.
struct NewLot {
    start: u64,
    origin: OrgId,
    key: LotKey,
    items: Vec<TraceCode>,
    made: Made,
    /// Transformations still to come after this lot (0: it is sold).
    chain_left: u32,
    /// Transformations before it (0: a base lot).
    depth: u32,
}

/// What one lot is, for the queries.
struct LotInfo {
    key: LotKey,
    items: Vec<TraceCode>,
    depth: u32,
    /// Consumed by a transformation (at this block).
    transformed_at: Option<u64>,
}

/// The plan: capture calls per block (org, events), in order.
struct Plan {
    rng: Rng,
    calls: BTreeMap<u64, Vec<(OrgId, Vec<EpcisEvent>)>>,
    sells: BTreeMap<(u64, OrgId), Vec<TraceCode>>,
    lots: Vec<LotInfo>,
    next_sscc: u64,
    cutoff: u64,
}

impl Plan {
    fn call(&mut self, block: u64, org: OrgId, events: Vec<EpcisEvent>) {
        self.calls.entry(block).or_default().push((org, events));
    }

    /// Plans one lot, its journey, and what follows (sale or transformation).
    fn lot(&mut self, lot: NewLot) {
        let NewLot {
            start,
            origin,
            key,
            items,
            made,
            chain_left,
            depth,
        } = lot;
        let lot_index = self.lots.len();
        self.lots.push(LotInfo {
            key: key.clone(),
            items: items.clone(),
            depth,
            transformed_at: None,
        });
        let mut events = Vec::new();
        match made {
            Made::Commission => {
                for chunk in items.chunks(PER_CASE) {
                    let mut e = object(Action::Add, chunk.to_vec(), BizStep::Commissioning);
                    e.ilmd = Some(ilmd(key.clone()));
                    events.push(e);
                }
            }
            Made::Transform { inputs, stride } => {
                for x in (0..ITEMS).filter(|x| x & stride == 0) {
                    let y = x ^ stride;
                    let mut e = event(
                        EventBody::Transformation {
                            inputs: vec![inputs[x], inputs[y]],
                            outputs: vec![items[x], items[y]],
                        },
                        BizStep::Transforming,
                    );
                    e.ilmd = Some(ilmd(key.clone()));
                    events.push(e);
                }
            }
        }
        let cases: Vec<TraceCode> = (0..CASES).map(|_| self.sscc()).collect();
        let pallet = self.sscc();
        let mut units = cases.clone();
        units.push(pallet);
        events.push(object(Action::Add, units, BizStep::Commissioning));
        for (case, chunk) in cases.iter().zip(items.chunks(PER_CASE)) {
            events.push(aggregation(
                Action::Add,
                *case,
                chunk.to_vec(),
                BizStep::Packing,
            ));
        }
        events.push(aggregation(
            Action::Add,
            pallet,
            cases.clone(),
            BizStep::Packing,
        ));

        // Route: origin → H−1 distributors → retailer or processor.
        let hops = self.rng.range(3, 6) as usize;
        let to_processor = chain_left > 0;
        let mut route = vec![origin];
        for _ in 1..hops {
            let mut d;
            loop {
                d = org_id(Kind::Distributor, self.rng.below(DISTRIBUTORS));
                if d != *route.last().unwrap() {
                    break;
                }
            }
            route.push(d);
        }
        route.push(if to_processor {
            org_id(Kind::Processor, self.rng.below(PROCESSORS))
        } else {
            org_id(Kind::Retailer, self.rng.below(RETAILERS))
        });
        let mut ship = object(Action::Observe, vec![pallet], BizStep::Shipping);
        ship.destination = Some(route[1]);
        events.push(ship);
        self.call(start, origin, events);

        let mut block = start;
        for j in 1..=hops {
            block += self.rng.range(2, 8);
            let receive = object(Action::Observe, vec![pallet], BizStep::Receiving);
            if j < hops {
                self.call(block, route[j], vec![receive]);
                block += self.rng.range(1, 3);
                let mut ship = object(Action::Observe, vec![pallet], BizStep::Shipping);
                ship.destination = Some(route[j + 1]);
                self.call(block, route[j], vec![ship]);
            } else {
                let mut events = vec![
                    receive,
                    aggregation(Action::Delete, pallet, vec![], BizStep::Unpacking),
                ];
                events.extend(
                    cases
                        .iter()
                        .map(|c| aggregation(Action::Delete, *c, vec![], BizStep::Unpacking)),
                );
                self.call(block, route[j], events);
            }
        }
        let last = route[hops];
        if to_processor {
            let at = block + self.rng.range(1, 3);
            self.lots[lot_index].transformed_at = Some(at);
            let p = (last as usize) - 1 - MAKERS - DISTRIBUTORS - RETAILERS;
            let out_key = LotKey {
                product: ProductId::Gtin(processor_product(p)),
                lot: LotNumber::parse(&format!("T{}D{}", lot_index, depth + 1)).unwrap(),
            };
            let outputs: Vec<TraceCode> = (0..ITEMS)
                .map(|i| TraceCode::Sgtin {
                    gtin: processor_product(p),
                    serial: SerialNumber::parse(&format!("T{lot_index:05}{i:04}")).unwrap(),
                })
                .collect();
            let stride = 1 << depth;
            self.lot(NewLot {
                start: at,
                origin: last,
                key: out_key,
                items: outputs,
                made: Made::Transform {
                    inputs: items,
                    stride,
                },
                chain_left: chain_left - 1,
                depth: depth + 1,
            });
        } else {
            for item in items {
                let at = block + self.rng.range(1, 40);
                self.sells.entry((at, last)).or_default().push(item);
            }
        }
    }

    fn sscc(&mut self) -> TraceCode {
        self.next_sscc += 1;
        sscc(self.next_sscc)
    }
}

/// A block's work: given how to get each organisation's origin, apply its calls.
type BlockBody<'a> = dyn FnMut(&dyn Fn(OrgId) -> Origin) + 'a;

struct Built {
    state: Arc<MemoryState>,
    index: MemoryIndex,
    lots: Vec<LotInfo>,
    blocks: u64,
    execute: Duration,
    ingest: Duration,
    plan: Duration,
}

fn build(base_lots: usize, seed: u64) -> Built {
    let t = Instant::now();
    let mut plan = Plan {
        rng: Rng(seed),
        calls: BTreeMap::new(),
        sells: BTreeMap::new(),
        lots: Vec::new(),
        next_sscc: 0,
        cutoff: 0,
    };
    for k in 0..base_lots {
        let start = 2 + k as u64;
        let m = plan.rng.below(MAKERS);
        let key = LotKey {
            product: ProductId::Gtin(maker_product(m)),
            lot: LotNumber::parse(&format!("L{k:05}")).unwrap(),
        };
        let items = (0..ITEMS)
            .map(|i| TraceCode::Sgtin {
                gtin: maker_product(m),
                serial: SerialNumber::parse(&format!("{k:05}{i:04}")).unwrap(),
            })
            .collect();
        let chain = if plan.rng.chance(P_CHAIN) {
            // Depth 1, 2, 3 about as often as in the baseline (152 : 87 : 34).
            1 + u32::from(plan.rng.chance(0.45)) + u32::from(plan.rng.chance(0.3))
        } else {
            0
        };
        plan.lot(NewLot {
            start,
            origin: org_id(Kind::Maker, m),
            key,
            items,
            made: Made::Commission,
            chain_left: chain,
            depth: 0,
        });
    }
    // "Now": a little after the last lot started, so the tail is in flight.
    plan.cutoff = 2 + base_lots as u64 + 40;
    let sells = std::mem::take(&mut plan.sells);
    for ((block, org), items) in sells {
        for chunk in items.chunks(1_000) {
            let events = chunk
                .iter()
                .map(|c| object(Action::Observe, vec![*c], BizStep::RetailSelling))
                .collect();
            plan.call(block, org, events);
        }
    }
    let plan_time = t.elapsed();

    let state = Arc::new(MemoryState::new());
    let genesis = build_genesis(&genesis(), state.clone()).unwrap();
    state.commit(genesis.update).unwrap();
    let mut parent = genesis.header.hash();
    let mut index = MemoryIndex::new();
    let mut execute = Duration::ZERO;
    let mut ingest = Duration::ZERO;

    // Block 1: every maker and processor registers its product.
    let mut block1 = Vec::new();
    for m in 0..MAKERS {
        block1.push((org_id(Kind::Maker, m), ProductId::Gtin(maker_product(m))));
    }
    for p in 0..PROCESSORS {
        block1.push((
            org_id(Kind::Processor, p),
            ProductId::Gtin(processor_product(p)),
        ));
    }
    let run_block = |number: u64,
                     parent: &mut Hash,
                     body: &mut BlockBody<'_>|
     -> Vec<yima_frame::event::RawEvent> {
        let mut externalities = Externalities::new(state.clone() as Arc<dyn StateBackend>);
        externalities.execute_with(|| {
            System::initialize(number, *parent, GENESIS_MS + number * BLOCK_MS);
            let origin = |org: OrgId| {
                Origin::Signed(Membership::resolve_signer(&key_of(org)).expect("bench account"))
            };
            body(&origin);
        });
        let (changes, events) = externalities.drain();
        let update = state.prepare(number, changes).unwrap();
        *parent = update.root;
        state.commit(update).unwrap();
        events
    };

    let t = Instant::now();
    let events = run_block(1, &mut parent, &mut |origin| {
        for (i, (org, product)) in block1.iter().enumerate() {
            ext::set_phase(Phase::ApplyExtrinsic(i as u32));
            Trace::register_product(
                &origin(*org),
                *product,
                b"bench product".to_vec(),
                Category::Food,
                None,
                3_650,
            )
            .unwrap();
        }
    });
    execute += t.elapsed();
    index.ingest(1, &events).unwrap();

    let mut calls = std::mem::take(&mut plan.calls);
    let last = plan.cutoff;
    for number in 2..=last {
        let mut block_calls = calls.remove(&number).unwrap_or_default();
        let now = GENESIS_MS + number * BLOCK_MS;
        for (_, events) in &mut block_calls {
            for e in events.iter_mut() {
                e.event_time = now - 1_000;
            }
        }
        let t = Instant::now();
        let events = run_block(number, &mut parent, &mut |origin| {
            for (i, (org, events)) in block_calls.drain(..).enumerate() {
                ext::set_phase(Phase::ApplyExtrinsic(i as u32));
                if let Err(e) = Trace::capture(&origin(org), events) {
                    panic!("block {number}: capture by org {org} refused: {e:?}");
                }
            }
        });
        execute += t.elapsed();
        let t = Instant::now();
        index.ingest(number, &events).unwrap();
        ingest += t.elapsed();
    }
    Built {
        state,
        index,
        lots: plan.lots,
        blocks: last,
        execute,
        ingest,
        plan: plan_time,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: then only smoke-test small.
    let benching = std::env::args().any(|a| a == "--bench");
    let lots: usize = std::env::var("YIMA_BENCH_LOTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if benching { 400 } else { 4 });
    let seed: u64 = std::env::var("YIMA_BENCH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_126);

    let t = Instant::now();
    let built = build(lots, seed);
    let setup = t.elapsed();
    let index = &built.index;
    let custody = StateCustody::new(built.state.clone());

    let mut rng = Rng(seed ^ 0x42);
    let exists = |c: &TraceCode| !index.events_of_code(c).is_empty();
    let items: Vec<TraceCode> = built
        .lots
        .iter()
        .flat_map(|l| l.items.iter().copied())
        .filter(exists)
        .collect();
    let outputs: Vec<TraceCode> = built
        .lots
        .iter()
        .filter(|l| l.depth > 0)
        .flat_map(|l| l.items.iter().copied())
        .filter(exists)
        .collect();
    let lots: Vec<&LotInfo> = built
        .lots
        .iter()
        .filter(|l| !index.codes_of_lot(&l.key).is_empty())
        .collect();
    let transformed: Vec<&LotInfo> = lots
        .iter()
        .copied()
        .filter(|l| l.transformed_at.is_some_and(|b| b <= built.blocks))
        .collect();
    let depths = (0..=3)
        .map(|d| lots.iter().filter(|l| l.depth == d).count())
        .collect::<Vec<_>>();

    let rounds: usize = std::env::var("YIMA_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let load_before = load_average();
    println!("## trace_query (seed {seed}, {rounds} timed passes per query set, median of each statistic)");
    println!();
    println!(
        "{} base lots planned; {} lots on chain (by transformation depth 0/1/2/3: {:?}), {} transformed; {} blocks",
        lots.iter().filter(|l| l.depth == 0).count(),
        lots.len(),
        depths,
        transformed.len(),
        built.blocks
    );
    println!(
        "index: {} custody events, {} (code, event) entries, {} codes, {} lots",
        index.event_count(),
        index.entry_count(),
        index.code_count(),
        index.lot_count()
    );
    println!(
        "setup {:.1} s = plan {:.1} s + pallet execution and JMT commit {:.1} s + index ingest {:.1} s",
        setup.as_secs_f64(),
        built.plan.as_secs_f64(),
        built.execute.as_secs_f64(),
        built.ingest.as_secs_f64()
    );
    println!();
    println!("| query | n | p50 ms | p99 ms | mean ms | max ms | size mean / max |");
    println!("|---|---|---|---|---|---|---|");

    let sample = |rng: &mut Rng, from: &[TraceCode], n: usize| -> Vec<TraceCode> {
        (0..n).map(|_| from[rng.below(from.len())]).collect()
    };
    let time_traces =
        |codes: &[TraceCode]| measure(rounds, codes, |c| trace(index, c).unwrap().hops.len());
    let time_recalls = |targets: &[&LotInfo]| {
        measure(rounds, targets, |l| {
            recall(index, &custody, RecallTarget::Lot(l.key.clone()))
                .unwrap()
                .rows
                .len()
        })
    };

    let picked = sample(&mut rng, &items, 1_000);
    row("trace(item), random items", &time_traces(&picked), "hops");
    if !outputs.is_empty() {
        let picked = sample(&mut rng, &outputs, 200);
        row(
            "trace(item), transformation outputs only",
            &time_traces(&picked),
            "hops",
        );
    }
    let picked: Vec<&LotInfo> = (0..100).map(|_| lots[rng.below(lots.len())]).collect();
    row("recall(lot), random lots", &time_recalls(&picked), "rows");
    let plain: Vec<&LotInfo> = lots
        .iter()
        .copied()
        .filter(|l| l.transformed_at.is_none())
        .collect();
    let picked: Vec<&LotInfo> = (0..100).map(|_| plain[rng.below(plain.len())]).collect();
    row(
        "recall(lot), untransformed lots (1,000 codes)",
        &time_recalls(&picked),
        "rows",
    );
    if !transformed.is_empty() {
        let picked: Vec<&LotInfo> = (0..100.min(transformed.len() * 4))
            .map(|_| transformed[rng.below(transformed.len())])
            .collect();
        row(
            "recall(lot), transformed lots only",
            &time_recalls(&picked),
            "rows",
        );
    }
    // For profiling (`perf record`): YIMA_BENCH_LOOP=trace|recall|custody repeats one query kind for ~20 s.
    if let Ok(what) = std::env::var("YIMA_BENCH_LOOP") {
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until {
            let l = lots[rng.below(lots.len())];
            match what.as_str() {
                "trace" => {
                    let c = items[rng.below(items.len())];
                    std::hint::black_box(trace(index, &c).ok());
                }
                "walk" => {
                    std::hint::black_box(
                        recall(index, &NoCustody, RecallTarget::Lot(l.key.clone())).ok(),
                    );
                }
                "custody" => {
                    let codes = index.codes_of_lot(&l.key);
                    std::hint::black_box(yima_runtime::query::CustodyView::custody_of(
                        &custody, &codes,
                    ));
                }
                _ => {
                    std::hint::black_box(
                        recall(index, &custody, RecallTarget::Lot(l.key.clone())).ok(),
                    );
                }
            }
        }
    }
    // Where recall's time goes: the index walk alone vs. reading custody from state.
    let picked: Vec<&LotInfo> = (0..100).map(|_| plain[rng.below(plain.len())]).collect();
    let walk = measure(rounds, &picked, |l| {
        // Fails at the first row (no custody): everything before reading state.
        let _ = std::hint::black_box(recall(index, &NoCustody, RecallTarget::Lot(l.key.clone())));
        index.codes_of_lot(&l.key).len()
    });
    row(
        "  recall part: index walk (untransformed lots)",
        &walk,
        "codes",
    );
    let state = measure(rounds, &picked, |l| {
        let codes = index.codes_of_lot(&l.key);
        yima_runtime::query::CustodyView::custody_of(&custody, &codes).len()
    });
    row(
        "  recall part: custody from state (untransformed lots)",
        &state,
        "codes",
    );
    println!();
    println!(
        "load average before / after the queries: {load_before} / {}",
        load_average()
    );
}

/// The 1/5/15-minute load averages (Linux), to note how quiet the machine was.
/// A custody view that knows nothing, to time recall's index walk alone (recall then fails at the first row).
struct NoCustody;

impl yima_runtime::query::CustodyView for NoCustody {
    fn custody_of(&self, codes: &[TraceCode]) -> Vec<Option<yima_runtime::query::CodeCustody>> {
        vec![None; codes.len()]
    }
}
