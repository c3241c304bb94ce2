//! Latency statistics of the trace/recall benchmark: percentiles per pass, the median over passes, table rows.

use std::time::{Duration, Instant};

pub(crate) struct Stats {
    pub(crate) n: usize,
    pub(crate) p50: f64,
    pub(crate) p99: f64,
    pub(crate) mean: f64,
    pub(crate) max: f64,
    pub(crate) size_mean: f64,
    pub(crate) size_max: usize,
}

pub(crate) fn stats(mut times: Vec<Duration>, sizes: &[usize]) -> Stats {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let n = times.len();
    let pct = |p: f64| ms(times[((n as f64 * p).ceil() as usize).clamp(1, n) - 1]);
    Stats {
        n,
        p50: pct(0.50),
        p99: pct(0.99),
        mean: times.iter().map(|d| ms(*d)).sum::<f64>() / n as f64,
        max: ms(times[n - 1]),
        size_mean: sizes.iter().sum::<usize>() as f64 / n as f64,
        size_max: sizes.iter().copied().max().unwrap_or(0),
    }
}

/// Runs `query` on every input once as warm-up, then `rounds` timed passes over all of them; each statistic is
/// the median over the passes (so one pass disturbed by another process on the machine does not decide a
/// percentile).
pub(crate) fn measure<T>(rounds: usize, inputs: &[T], query: impl Fn(&T) -> usize) -> Stats {
    for x in inputs {
        std::hint::black_box(query(x));
    }
    let mut passes = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let mut times = Vec::with_capacity(inputs.len());
        let mut sizes = Vec::with_capacity(inputs.len());
        for x in inputs {
            let t = Instant::now();
            let size = std::hint::black_box(query(x));
            times.push(t.elapsed());
            sizes.push(size);
        }
        passes.push(stats(times, &sizes));
    }
    let median = |f: fn(&Stats) -> f64| {
        let mut v: Vec<f64> = passes.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    Stats {
        n: inputs.len(),
        p50: median(|s| s.p50),
        p99: median(|s| s.p99),
        mean: median(|s| s.mean),
        max: median(|s| s.max),
        size_mean: passes[0].size_mean,
        size_max: passes[0].size_max,
    }
}

pub(crate) fn row(what: &str, s: &Stats, unit: &str) {
    println!(
        "| {what} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.1} / {} {unit} |",
        s.n, s.p50, s.p99, s.mean, s.max, s.size_mean, s.size_max
    );
}

pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
