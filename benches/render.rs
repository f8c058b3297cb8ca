//! How long one frame of the full war room takes to draw. Target: under 1 ms
//! at 200×60 with the demo state.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn render(c: &mut Criterion) {
    let state = common::demo_state();
    for (width, height) in [(80, 24), (200, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        c.bench_function(&format!("render demo {width}x{height}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| warroom::ui::render(std::hint::black_box(&state), frame))
                    .expect("draw");
            });
        });
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
