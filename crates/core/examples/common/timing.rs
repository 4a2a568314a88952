//! Timing shared by the benchmark examples (included with `#[path]`; not an example itself).
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Runs `f` `runs` times; returns the median and the worst run.
pub fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    samples.sort();
    (samples[runs / 2], samples[runs - 1])
}

/// A duration as milliseconds, right-aligned for a column of figures.
pub fn ms(d: Duration) -> String {
    format!("{:8.2} ms", d.as_secs_f64() * 1000.0)
}
