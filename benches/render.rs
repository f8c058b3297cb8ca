//! How long one frame of the full war room takes to draw (target: under 1 ms
//! at 200×60 with the demo state), and the in-process part of the start: plan
//! parsed and validated, state built, first frame drawn (target for the whole
//! start, process included: under 100 ms).

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
    // The heaviest frame: the largest screen, presenting, every row masked.
    let mut presenting = common::demo_state();
    presenting.view.present = true;
    presenting.night.plan.private = vec!["dev-lead".into(), "payments".into()];
    let mut terminal = Terminal::new(TestBackend::new(250, 70)).expect("test terminal");
    c.bench_function("render demo presenting 250x70", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| warroom::ui::render(std::hint::black_box(&presenting), frame))
                .expect("draw");
        });
    });
}

fn start(c: &mut Criterion) {
    use warroom::app::State;
    use warroom::domain::Zone;
    use warroom::plan::{Plan, demo};
    c.bench_function(
        "start: parse demo plan, build state, first frame 200x60",
        |b| {
            b.iter(|| {
                let plan = Plan::parse(demo::DEMO_PLAN, demo::DEMO_PATH).expect("demo plan");
                let now = demo::story_start(&plan);
                let state = State::new(plan, now, Zone::utc());
                let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");
                terminal
                    .draw(|frame| warroom::ui::render(&state, frame))
                    .expect("draw");
            });
        },
    );
}

criterion_group!(benches, render, start);
criterion_main!(benches);
