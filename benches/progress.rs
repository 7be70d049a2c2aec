//! Rendering the `/progress` picture for a member with three months of history: layout, text,
//! rasterising and PNG encoding, everything `render_progress` does. The target is under 50 ms.
//!
//! `cargo bench --bench progress`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use studybot::picture::render_progress;

// The same fixed histories the picture tests compare with the reference image.
#[path = "../tests/picture/history.rs"]
#[allow(dead_code)]
mod history;

fn render(c: &mut Criterion) {
    let three_months = history::three_months();
    c.bench_function("progress/render 3 months (PNG)", |b| {
        b.iter(|| render_progress(black_box(&three_months)).expect("renders"))
    });
    let new_member = history::new_member();
    c.bench_function("progress/render new member (PNG)", |b| {
        b.iter(|| render_progress(black_box(&new_member)).expect("renders"))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
