//! What the tail-latency benches share: percentiles of a plain timing loop (criterion reports
//! means and medians, not tails) and the table row they print.

use std::time::Duration;

/// p50 and p99 of `samples`, by nearest rank.
pub fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |fraction: f64| samples[((samples.len() - 1) as f64 * fraction).round() as usize];
    (at(0.50), at(0.99))
}

/// Prints `| name | p50 | p99 | calls |` in microseconds; the p50.
pub fn print_row(name: &str, samples: Vec<Duration>) -> Duration {
    let calls = samples.len();
    let (p50, p99) = percentiles(samples);
    println!(
        "| {name} | {:.1} µs | {:.1} µs | {calls} |",
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6
    );
    p50
}
