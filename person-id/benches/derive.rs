//! `yima person-id` and the client's derivation: resident ids read, checked and turned into pseudonymous ids per
//! second, on one core (issue 15's goal: ≥ 100,000/s). `cargo bench -p yima-person-id --bench derive`.
#![allow(missing_docs)] // criterion's macros generate undocumented items

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yima_person_id::{PersonIdKey, PersonIdScheme, ResidentId};

/// `n` distinct valid resident ids, as text (the check character computed by parsing the 15-digit form).
fn ids(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let old = format!(
                "3301{:02}{:02}{:02}{:02}{:03}",
                i % 90 + 10,
                50 + i % 40,
                i % 12 + 1,
                i % 28 + 1,
                i % 1000
            );
            ResidentId::parse(&old).unwrap().as_str().to_string()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = ids(10_000);
    let key = PersonIdKey::dev();
    let scheme = PersonIdScheme::for_key(&key);
    scheme.check_key(&key).unwrap();
    let mut group = c.benchmark_group("person_id");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("parse_and_derive_10k", |b| {
        b.iter(|| {
            let mut acc = 0u8;
            for text in &texts {
                let id = ResidentId::parse(text).unwrap();
                acc ^= key.derive(&id)[0];
            }
            acc
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
