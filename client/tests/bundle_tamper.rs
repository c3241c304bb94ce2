//! Audit bundles against tampering (issue 19), on bundles of a real in-memory `demo` chain
//! (`support::DemoChain`): the attacks — a bundle moved to another code with its columns edited and a
//! hop deleted, swapped or repeated hops, an edited relation or height, a proof's Merkle leaf count changed —
//! then every field of the bundle JSON and every byte class of a proof: each must fail, naming what.

mod support;

use parity_scale_codec::Encode;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use support::{bundle, chain, decode_proof, dp, encode_proof};
use yima_client::{AuditBundle, Link, VerifyError};
use yima_consensus::proof::EventProof;

fn verify(bundle: &Value) -> Result<Vec<yima_client::bundle::VerifiedHop>, VerifyError> {
    AuditBundle::from_json(&bundle.to_string())?.verify(&chain().anchor())
}

/// `bundle` fails with a message containing every one of `expect`.
#[track_caller]
fn fails(bundle: &Value, expect: &[&str]) -> VerifyError {
    match verify(bundle) {
        Ok(_) => panic!("a tampered bundle verified; expected {expect:?}"),
        Err(e) => {
            let text = e.to_string();
            for word in expect {
                assert!(text.contains(word), "{text:?} does not name {word:?}");
            }
            e
        }
    }
}

fn hops(b: &Value) -> &Vec<Value> {
    b["hops"].as_array().unwrap()
}

/// Hop `hop`'s proof with `edit` applied (re-encoded canonically).
fn with_proof(b: &Value, hop: usize, edit: impl FnOnce(&mut EventProof)) -> Value {
    let mut proof = decode_proof(b["hops"][hop]["proof"].as_str().unwrap());
    edit(&mut proof);
    let mut out = b.clone();
    out["hops"][hop]["proof"] = encode_proof(&proof);
    out
}

/// Hop `hop`'s proof bytes with `edit` applied.
fn with_bytes(b: &Value, hop: usize, edit: impl FnOnce(&mut Vec<u8>)) -> Value {
    let text = b["hops"][hop]["proof"].as_str().unwrap();
    let mut bytes = hex::decode(text.trim_start_matches("0x")).unwrap();
    edit(&mut bytes);
    let mut out = b.clone();
    out["hops"][hop]["proof"] = Value::String(format!("0x{}", hex::encode(bytes)));
    out
}

#[test]
fn the_honest_bundle_shows_what_its_events_prove() {
    let b = bundle(&dp(1));
    let shown = verify(&b).unwrap();
    let trace = chain().trace(&dp(1));
    assert_eq!(shown.len(), trace.hops.len());
    for (s, h) in shown.iter().zip(&trace.hops) {
        assert_eq!((s.block, s.index), (h.at.block, h.at.index));
        assert_eq!(s.subject, h.subject.to_string());
        assert_eq!(s.org, h.org);
        assert_eq!(s.biz_step, h.epcis().biz_step.cbv());
        assert_eq!(s.event_time, h.epcis().event_time);
    }
    let relations: Vec<&str> = shown.iter().map(|h| h.relation.as_str()).collect();
    assert!(
        relations.contains(&"own") && relations.contains(&"container"),
        "{relations:?}"
    );
    assert_eq!(shown[0].biz_step, "commissioning");
}

/// The derivation from proven events agrees with the node's trace for every code of the demo chain (own,
/// container at every level, upstream through transformations, downstream).
#[test]
fn every_demo_code_s_bundle_verifies_with_the_node_s_relations() {
    let chain = chain();
    let mut relations = std::collections::BTreeSet::new();
    for code in chain.index.codes() {
        let b = bundle(&code);
        let shown = verify(&b).unwrap_or_else(|e| panic!("{code}: {e}"));
        let trace = chain.trace(&code);
        for (s, h) in shown.iter().zip(&trace.hops) {
            assert_eq!(
                (s.relation.as_str(), s.subject.as_str()),
                (
                    yima_client::derive::relation_name(h.relation),
                    h.subject.to_string().as_str()
                ),
                "{code}, block {} event {}",
                s.block,
                s.index
            );
            relations.insert(s.relation.clone());
        }
    }
    assert!(
        relations.len() >= 3,
        "the demo exercises several relations: {relations:?}"
    );
}

#[test]
fn attack_code_subject_biz_step_edited_and_a_hop_deleted() {
    let mut b = bundle(&dp(1));
    let receiving = hops(&b)
        .iter()
        .enumerate()
        .rev()
        .find(|(i, _)| verify(&bundle(&dp(1))).unwrap()[*i].biz_step == "receiving")
        .map(|(i, _)| i)
        .expect("the demo bag is received at the store");
    b["hops"].as_array_mut().unwrap().remove(receiving);
    b["code"] = Value::String(dp(2).to_string());
    // The bag's own sale names only DP0001: it is not part of DP0002's history.
    fails(
        &b,
        &[
            "relation to the bundle's code is broken",
            &dp(1).to_string(),
            &dp(2).to_string(),
        ],
    );
    // Columns can no longer be written into a bundle.
    let mut b = bundle(&dp(1));
    b["hops"][0]["subject"] = Value::String(dp(2).to_string());
    fails(&b, &["unknown field `subject`"]);
    let mut b = bundle(&dp(1));
    b["hops"][0]["bizStep"] = Value::String("shipping".into());
    fails(&b, &["unknown field `bizStep`"]);
    // A code no proven event names.
    let mut b = bundle(&dp(1));
    b["code"] = Value::String("/01/06970000000017/21/NOPE1".into());
    fails(
        &b,
        &["no hop's proven event names /01/06970000000017/21/NOPE1"],
    );
}

#[test]
fn attack_swapped_or_repeated_hops() {
    let mut b = bundle(&dp(1));
    b["hops"].as_array_mut().unwrap().swap(1, 2);
    fails(
        &b,
        &["hop 3", "hop order is broken", "comes before entry 2"],
    );
    let mut b = bundle(&dp(1));
    let first = b["hops"][0].clone();
    b["hops"].as_array_mut().unwrap().insert(1, first);
    fails(&b, &["hop 2", "hop order is broken", "repeats entry 1"]);
    let mut b = bundle(&dp(1));
    let first = b["hops"][0].clone();
    b["hops"].as_array_mut().unwrap().push(first);
    fails(&b, &["hop order is broken"]);
}

#[test]
fn attack_relation_and_height_edited() {
    let mut b = bundle(&dp(1));
    b["hops"][0]["relation"] = Value::String("container".into());
    fails(&b, &["unknown field `relation`"]);
    let mut b = bundle(&dp(1));
    b["height"] = Value::from(1u64);
    fails(&b, &["field `height` is wrong"]);
}

#[test]
fn attack_merkle_leaf_count_changed() {
    let b = bundle(&dp(1));
    for (i, hop) in hops(&b).iter().enumerate() {
        let proof = decode_proof(hop["proof"].as_str().unwrap());
        for total in 0..proof.path.total * 4 + 4 {
            if total != proof.path.total {
                let bad = with_proof(&b, i, |p| p.path.total = total);
                fails(
                    &bad,
                    &[&format!("hop {}", i + 1), "event or Merkle path is broken"],
                );
            }
        }
    }
}

#[test]
fn every_field_of_the_bundle_json_is_checked() {
    let b = bundle(&dp(1));
    let n = hops(&b).len();
    let mut bad = b.clone();
    bad["format"] = Value::String("yima-audit-bundle/4".into());
    fails(&bad, &["not a yima audit bundle", "yima-audit-bundle/4"]);
    bad["format"] = Value::String("yima-audit-bundle/2".into());
    fails(&bad, &["no longer read", "left out", "yima proof"]);
    bad["format"] = Value::String("yima-audit-bundle/1".into());
    fails(&bad, &["no longer read", "yima proof"]);
    let mut bad = b.clone();
    bad["code"] = Value::String("(01)06970000000017(21)DP0001".into());
    fails(&bad, &["field `code` is wrong", "canonical"]);
    bad["code"] = Value::String("not a code".into());
    fails(&bad, &["field `code` is wrong"]);
    let mut bad = b.clone();
    let g = b["genesisHash"].as_str().unwrap();
    let flipped = if g.ends_with('0') { "1" } else { "0" };
    bad["genesisHash"] = Value::String(format!("{}{flipped}", &g[..g.len() - 1]));
    fails(&bad, &["the bundle is for chain"]);
    let mut bad = b.clone();
    bad["height"] = Value::from(hops(&b)[n - 1]["block"].as_u64().unwrap() - 1);
    fails(&bad, &["field `height` is wrong"]);
    let mut bad = b.clone();
    bad["hops"] = Value::Array(vec![]);
    fails(&bad, &["no hops"]);
    let mut bad = b.clone();
    bad["extra"] = Value::Bool(true);
    fails(&bad, &["unknown field `extra`"]);
    for i in 0..n {
        let hop = format!("hop {}", i + 1);
        let mut bad = b.clone();
        bad["hops"][i]["block"] = Value::from(b["hops"][i]["block"].as_u64().unwrap() + 1);
        fails(&bad, &[&hop, "bundle field is broken", "`block`"]);
        let mut bad = b.clone();
        bad["hops"][i]["index"] = Value::from(b["hops"][i]["index"].as_u64().unwrap() + 1);
        fails(&bad, &[&hop, "bundle field is broken", "`index`"]);
        let mut bad = b.clone();
        bad["hops"][i]["proof"] = Value::String("0xzz".into());
        fails(&bad, &[&hop, "not hex"]);
        // Another hop's proof in its place.
        let mut bad = b.clone();
        bad["hops"][i]["proof"] = b["hops"][(i + 1) % n]["proof"].clone();
        fails(&bad, &[&hop]);
    }
}

#[test]
fn evidence_is_checked_like_hops() {
    // The bag packed into a case already on a pallet: the case's loading is evidence, the pallet's shipping a
    // container hop two levels out.
    let code = support::nested_bag();
    let b = bundle(&code);
    // The pallet's and the case's commissionings and the case's loading: in their chains, not the bag's history.
    let n = b["evidence"].as_array().map_or(0, Vec::len);
    assert_eq!(n, 3, "{b}");
    let shown = verify(&b).unwrap();
    assert_eq!(shown.last().unwrap().biz_step, "shipping");
    assert_eq!(shown.last().unwrap().relation, "container");
    assert_eq!(
        shown.last().unwrap().subject,
        yima_chain_spec::demo::trace::sscc("06970000000000100").to_string()
    );
    assert!(verify(&b).is_ok(), "{code}");
    // Evidence that is a hop, or a hop moved to the evidence.
    let mut bad = b.clone();
    let first = b["hops"][0].clone();
    bad["evidence"].as_array_mut().unwrap().push(first);
    fails(&bad, &[&format!("evidence {}", n + 1), "it is hop 1 too"]);
    let mut bad = b.clone();
    let last = bad["hops"].as_array_mut().unwrap().pop().unwrap();
    bad["evidence"].as_array_mut().unwrap().push(last);
    fails(&bad, &["evidence"]);
    let mut bad = b.clone();
    bad["evidence"][0]["block"] = Value::from(b["evidence"][0]["block"].as_u64().unwrap() + 1);
    fails(&bad, &["evidence 1", "`block`"]);
    // Without the evidence the pallet's shipping is not part of the bag's history.
    let mut bad = b.clone();
    bad.as_object_mut().unwrap().remove("evidence");
    fails(&bad, &["relation to the bundle's code is broken"]);
}

#[test]
fn every_byte_of_a_proof_matters() {
    let b = bundle(&dp(1));
    // Every byte of the first hop's proof, each flipped.
    let len = hex::decode(
        b["hops"][0]["proof"]
            .as_str()
            .unwrap()
            .trim_start_matches("0x"),
    )
    .unwrap()
    .len();
    let mut rng = rand::rngs::StdRng::seed_from_u64(19);
    for at in 0..len {
        let mask: u8 = rng.gen_range(1..=255);
        let bad = with_bytes(&b, 0, |bytes| bytes[at] ^= mask);
        fails(&bad, &["hop 1"]);
    }
    // 240 random single-bit flips anywhere in any hop's proof.
    for _ in 0..240 {
        let hop = rng.gen_range(0..hops(&b).len());
        let mut flipped = 0;
        let bad = with_bytes(&b, hop, |bytes| {
            flipped = rng.gen_range(0..bytes.len());
            bytes[flipped] ^= 1 << rng.gen_range(0..8);
        });
        let e = fails(&bad, &[&format!("hop {}", hop + 1)]);
        assert_ne!(e.link(), Link::Chain, "byte {flipped} of hop {}", hop + 1);
    }
    // A byte added or removed at the end.
    fails(
        &with_bytes(&b, 0, |bytes| bytes.push(0)),
        &["hop 1", "bundle is broken"],
    );
    fails(
        &with_bytes(&b, 0, |bytes| {
            bytes.pop();
        }),
        &["hop 1", "bundle is broken"],
    );
}

/// An edit of a decoded proof.
type Edit = Box<dyn Fn(&mut EventProof)>;

#[test]
fn every_structural_field_of_a_proof_is_named() {
    let b = bundle(&dp(1));
    let path = "event or Merkle path is broken";
    let cases: Vec<(&str, Edit, &str)> = vec![
        ("version", Box::new(|p| p.version += 1), "bundle is broken"),
        (
            "record",
            Box::new(|p| {
                let l = p.record.len() - 1;
                p.record[l] ^= 1;
            }),
            "is broken",
        ),
        (
            "record appended",
            Box::new(|p| p.record.push(0)),
            "event is broken",
        ),
        ("path.index", Box::new(|p| p.path.index ^= 1), "is broken"),
        ("path.total", Box::new(|p| p.path.total += 1), path),
        (
            "path.path appended",
            Box::new(|p| p.path.path.push(Default::default())),
            path,
        ),
        (
            "path.path[0]",
            Box::new(|p| {
                if let Some(h) = p.path.path.first_mut() {
                    h.0[0] ^= 1
                } else {
                    p.path.path.push(Default::default())
                }
            }),
            path,
        ),
        (
            "header.parent_hash",
            Box::new(|p| p.block.header.parent_hash.0[0] ^= 1),
            "header is broken",
        ),
        (
            "header.number",
            Box::new(|p| p.block.header.number += 1),
            "is broken",
        ),
        (
            "header.timestamp",
            Box::new(|p| p.block.header.timestamp += 1),
            "header is broken",
        ),
        (
            "header.proposer",
            Box::new(|p| p.block.header.proposer = Default::default()),
            "header is broken",
        ),
        (
            "header.state_root",
            Box::new(|p| p.block.header.state_root.0[0] ^= 1),
            "header is broken",
        ),
        (
            "header.extrinsics_root",
            Box::new(|p| p.block.header.extrinsics_root.0[0] ^= 1),
            "header is broken",
        ),
        (
            "header.events_root",
            Box::new(|p| p.block.header.events_root.0[0] ^= 1),
            path,
        ),
        (
            "header.validators_hash",
            Box::new(|p| p.block.header.validators_hash.0[0] ^= 1),
            "validator set is broken",
        ),
        (
            "header.next_validators_hash",
            Box::new(|p| p.block.header.next_validators_hash.0[0] ^= 1),
            "header is broken",
        ),
        (
            "certificate",
            Box::new(|p| {
                let l = p.block.certificate.len() - 1;
                p.block.certificate[l] ^= 1;
            }),
            "commit certificate is broken",
        ),
        (
            "certificate appended",
            Box::new(|p| p.block.certificate.push(0)),
            "commit certificate is broken",
        ),
        (
            "validators[0].power",
            Box::new(|p| p.block.validators[0].power += 1),
            "validator set is broken",
        ),
        (
            "validators appended",
            Box::new(|p| {
                let v = p.block.validators[0].clone();
                p.block.validators.push(v);
            }),
            "validator set is broken",
        ),
        (
            "set_changes",
            Box::new(|p| {
                let c = p.block.clone();
                p.set_changes.push(c);
            }),
            "validator-set change is broken",
        ),
    ];
    for (field, edit, expect) in cases {
        let bad = with_proof(&b, 1, |p| edit(p));
        let e = verify(&bad).expect_err(field);
        let text = e.to_string();
        assert!(
            text.contains("hop 2") && text.contains(expect),
            "{field}: {text}"
        );
    }
    // Non-canonical SCALE: the record's length prefix in a longer compact form decodes but is refused.
    let bad = with_bytes(&b, 1, |bytes| {
        let proof = EventProof::from_bytes(bytes).unwrap();
        let len = proof.record.len() as u32;
        assert!(
            len < 1 << 14,
            "the demo record fits a two-byte compact length"
        );
        // version (1 byte), then Compact(len) in the 4-byte mode instead of the canonical one.
        let canonical = parity_scale_codec::Compact(len).encode();
        let long = ((len << 2) | 0b10).to_le_bytes();
        bytes.splice(1..1 + canonical.len(), long);
    });
    fails(&bad, &["hop 2", "bundle is broken"]);
}

/// The completeness attack: the receiving at the store (the last hop that is one) left out of an honest
/// bundle, nothing else changed — it verified with `yima-audit-bundle/2`.
#[test]
fn attack_a_hop_left_out() {
    let b = bundle(&dp(1));
    let shown = verify(&b).unwrap();
    let receiving = shown
        .iter()
        .rposition(|h| h.biz_step == "receiving")
        .expect("the demo bag is received at the store");
    let mut bad = b.clone();
    bad["hops"].as_array_mut().unwrap().remove(receiving);
    // Every remaining hop verifies and is of the code; the committed history counts one event more.
    fails(
        &bad,
        &[
            "completeness of the history is broken",
            "1 hop(s) left out",
            "yima proof",
        ],
    );
}

/// The hop index of the first entry of `b` whose proven event is of `block`/`index`.
fn hop_at(b: &Value, block: u64, index: u64) -> Option<usize> {
    hops(b)
        .iter()
        .position(|h| h["block"] == block && h["index"] == index)
}

/// History entry `i` with `edit` applied to its `field`'s bytes.
fn with_history_bytes(b: &Value, i: usize, field: &str, edit: impl FnOnce(&mut Vec<u8>)) -> Value {
    let text = b["histories"][i][field].as_str().unwrap();
    let mut bytes = hex::decode(text.trim_start_matches("0x")).unwrap();
    edit(&mut bytes);
    let mut out = b.clone();
    out["histories"][i][field] = Value::String(format!("0x{}", hex::encode(bytes)));
    out
}

/// A hop deleted, duplicated, swapped, or of another code inserted: each refused, naming the hop or the count.
#[test]
fn completeness_hops_missing_added_reordered_or_foreign() {
    let b = bundle(&dp(1));
    let n = hops(&b).len();
    let own = b["histories"]
        .as_array()
        .unwrap()
        .iter()
        .position(|h| h["code"] == dp(1).to_string())
        .expect("the code's own history is carried");
    // Every hop deleted in turn: the committed count (or, for a packing, the derivation; for the newest, the
    // height its histories are proven at) gives it away.
    for i in 0..n {
        let mut bad = b.clone();
        bad["hops"].as_array_mut().unwrap().remove(i);
        let e = fails(&bad, &[]);
        assert!(
            matches!(e.link(), Link::History | Link::Code | Link::Field),
            "hop {} deleted: {e}",
            i + 1
        );
    }
    // The code's own first hop deleted: its chain is one short, named by its history entry and the count.
    let mut bad = b.clone();
    bad["hops"].as_array_mut().unwrap().remove(0);
    fails(
        &bad,
        &[
            &format!("history {} ({})", own + 1, dp(1)),
            "completeness of the history is broken",
            "1 hop(s) left out",
        ],
    );
    // Duplicated, swapped.
    let mut bad = b.clone();
    let hop = b["hops"][1].clone();
    bad["hops"].as_array_mut().unwrap().insert(2, hop);
    fails(&bad, &["hop 3", "repeats entry 2"]);
    let mut bad = b.clone();
    bad["hops"].as_array_mut().unwrap().swap(0, n - 1);
    fails(&bad, &["hop order is broken"]);
    // A proven event of another code (one that does not name the bag) slipped in at its place in chain order:
    // on the nested bag, whose history ends after the demo's.
    let bag = support::nested_bag();
    let b = bundle(&bag);
    let height = b["height"].as_u64().unwrap();
    let (other, foreign) = chain()
        .index
        .codes()
        .into_iter()
        .filter(|c| *c != bag)
        .find_map(|c| {
            let o = bundle(&c);
            verify(&o)
                .unwrap()
                .into_iter()
                .zip(hops(&o))
                .find(|(v, _)| {
                    v.relation == "own"
                        && v.block < height
                        && !v.codes.contains(&bag.to_string())
                        && hop_at(&b, v.block, v.index.into()).is_none()
                        && !b["evidence"].as_array().is_some_and(|e| {
                            e.iter()
                                .any(|e| e["block"] == v.block && e["index"] == v.index)
                        })
                })
                .map(|(_, h)| (c, h.clone()))
        })
        .expect("another code has an event of its own before the bag's last");
    let mut bad = b.clone();
    let at = hops(&b)
        .iter()
        .position(|h| {
            (h["block"].as_u64(), h["index"].as_u64())
                > (foreign["block"].as_u64(), foreign["index"].as_u64())
        })
        .expect("a hop after it");
    bad["hops"].as_array_mut().unwrap().insert(at, foreign);
    fails(
        &bad,
        &[&format!("hop {}", at + 1), &other.to_string(), "is broken"],
    );
}

/// The summaries' state proofs: every byte of a proof, the record, a stale summary, an entry removed, added
/// or moved to another code — each refused, naming the history entry or the field.
#[test]
fn completeness_summary_and_its_state_proof() {
    let code = support::nested_bag();
    let b = bundle(&code);
    let histories = b["histories"].as_array().unwrap().clone();
    assert_eq!(histories.len(), 3, "the bag, its case and the pallet: {b}");
    let height = b["height"].as_u64().unwrap();
    for i in 0..histories.len() {
        let entry = format!("history {}", i + 1);
        let len = hex::decode(
            histories[i]["proof"]
                .as_str()
                .unwrap()
                .trim_start_matches("0x"),
        )
        .unwrap()
        .len();
        for at in 0..len {
            let bad = with_history_bytes(&b, i, "proof", |bytes| bytes[at] ^= 0x10);
            let e = fails(&bad, &[&entry]);
            assert_eq!(e.link(), Link::StateProof, "proof byte {at}: {e}");
        }
        let bad = with_history_bytes(&b, i, "proof", |bytes| bytes.push(0));
        fails(
            &bad,
            &[&entry, "state proof of the history summary is broken"],
        );
        // The record: its count (the summary's first 4 of 36 bytes, last in the record) or its head changed.
        let bad = with_history_bytes(&b, i, "record", |bytes| {
            let l = bytes.len();
            bytes[l - 36] ^= 1;
        });
        fails(
            &bad,
            &[&entry, "state proof of the history summary is broken"],
        );
        let bad = with_history_bytes(&b, i, "record", |bytes| {
            let l = bytes.len();
            bytes[l - 1] ^= 1;
        });
        fails(
            &bad,
            &[&entry, "state proof of the history summary is broken"],
        );
        // Another code's record and proof under this code.
        let mut bad = b.clone();
        bad["histories"][i]["record"] = histories[(i + 1) % 3]["record"].clone();
        bad["histories"][i]["proof"] = histories[(i + 1) % 3]["proof"].clone();
        fails(
            &bad,
            &[&entry, "state proof of the history summary is broken"],
        );
        // The summary proven at an older block (fewer events): not under this header's state root.
        let c = yima_codes::TraceCode::parse(histories[i]["code"].as_str().unwrap()).unwrap();
        let mut bad = b.clone();
        bad["histories"][i] = chain().history_entry(&c, height - 1);
        fails(
            &bad,
            &[&entry, "state proof of the history summary is broken"],
        );
        // The entry left out.
        let mut bad = b.clone();
        bad["histories"].as_array_mut().unwrap().remove(i);
        fails(
            &bad,
            &["field `histories` is wrong", "no proven history of"],
        );
    }
    // An entry for a code the history does not rest on.
    let mut bad = b.clone();
    bad["histories"]
        .as_array_mut()
        .unwrap()
        .push(chain().history_entry(&dp(2), height));
    fails(&bad, &["history 4", &dp(2).to_string(), "left out"]);
    // Twice the same entry.
    let mut bad = b.clone();
    bad["histories"]
        .as_array_mut()
        .unwrap()
        .push(histories[0].clone());
    fails(&bad, &["history 4", "each code once"]);
    // A container's event outside the bag's window (evidence) left out: the container's chain is short.
    let mut bad = b.clone();
    bad["evidence"].as_array_mut().unwrap().remove(0);
    fails(
        &bad,
        &["completeness of the history is broken", "1 hop(s) left out"],
    );
    // The histories proven at an older block than the newest proven event's.
    let mut bad = b.clone();
    bad["height"] = Value::from(height - 1);
    fails(&bad, &["field `height` is wrong", "newest proven event"]);
    // No histories at all.
    let mut bad = b.clone();
    bad.as_object_mut().unwrap().remove("histories");
    fails(&bad, &["missing field `histories`"]);
}
