//! JMeter writes a sample's sub-results (a redirect followed, an embedded
//! resource) as rows of their own, labelled after their parent with `-0`,
//! `-1`..., from the parent's thread and within its time, next to the
//! parent's row. They are part of one request, not requests of their own:
//! counted once, with their parent.

use super::Call;

/// Rows shaped like sub-results held until their parent row is seen; more
/// than this in a row cannot all be one sample's (JMeter follows at most 20
/// redirects by default), so they are calls of their own.
const MOST_HELD: usize = 256;

#[derive(Debug, Clone)]
struct Row {
    call: Call,
    label: Vec<u8>,
    thread: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct SubResults {
    /// Rows like `label-0` waiting for a `label` row after them.
    held: Vec<Row>,
    /// The last row that was a call of its own, for sub-results written
    /// after it.
    parent: Option<Row>,
    /// Sub-result rows counted with their parent.
    pub folded: u64,
}

impl SubResults {
    /// Takes the next row; hands on each call of its own.
    pub fn take(&mut self, call: Call, label: &[u8], thread: &[u8], out: &mut dyn FnMut(Call)) {
        if let Some(prefix) = parent_label(label) {
            let after_its_parent = self.held.is_empty()
                && self.parent.as_ref().is_some_and(|p| {
                    p.label == prefix && p.thread == thread && within(&p.call, &call)
                });
            if after_its_parent {
                self.folded += 1;
                return;
            }
            if self.held.len() >= MOST_HELD {
                self.flush(out);
            }
            self.held.push(Row {
                call,
                label: label.to_vec(),
                thread: thread.to_vec(),
            });
            return;
        }
        if !self.held.is_empty() {
            let all_its_own = self.held.iter().all(|row| {
                parent_label(&row.label) == Some(label)
                    && row.thread == thread
                    && within(&call, &row.call)
            });
            if all_its_own {
                self.folded += self.held.len() as u64;
                self.held.clear();
            } else {
                self.flush(out);
            }
        }
        out(call);
        // The row's buffers are reused: no allocation per call.
        let parent = self.parent.get_or_insert_with(|| Row {
            call,
            label: Vec::new(),
            thread: Vec::new(),
        });
        parent.call = call;
        parent.label.clear();
        parent.label.extend_from_slice(label);
        parent.thread.clear();
        parent.thread.extend_from_slice(thread);
    }

    /// Hands on the rows held: no parent came for them.
    pub fn flush(&mut self, out: &mut dyn FnMut(Call)) {
        for row in self.held.drain(..) {
            out(row.call);
        }
    }
}

/// `GET /login` for `GET /login-1`.
fn parent_label(label: &[u8]) -> Option<&[u8]> {
    let dash = label.iter().rposition(|b| *b == b'-')?;
    let (prefix, number) = (&label[..dash], &label[dash + 1..]);
    (!prefix.is_empty() && !number.is_empty() && number.iter().all(u8::is_ascii_digit))
        .then_some(prefix)
}

fn within(parent: &Call, sub: &Call) -> bool {
    parent.start_ms <= sub.start_ms && sub.end_ms() <= parent.end_ms()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(start: i64, elapsed: u32) -> Call {
        Call {
            start_ms: start,
            elapsed_ms: elapsed,
            ok: true,
            label: 0,
            code: 0,
        }
    }

    fn run(rows: &[(Call, &str, &str)]) -> (Vec<Call>, u64) {
        let mut subs = SubResults::default();
        let mut out = Vec::new();
        for (c, label, thread) in rows {
            subs.take(*c, label.as_bytes(), thread.as_bytes(), &mut |c| {
                out.push(c)
            });
        }
        subs.flush(&mut |c| out.push(c));
        (out, subs.folded)
    }

    #[test]
    fn sub_results_before_their_parent_are_folded_into_it() {
        let (out, folded) = run(&[
            (call(0, 40), "GET /login-0", "TG 1-1"),
            (call(40, 60), "GET /login-1", "TG 1-1"),
            (call(0, 100), "GET /login", "TG 1-1"),
        ]);
        assert_eq!(out, [call(0, 100)]);
        assert_eq!(folded, 2);
    }

    #[test]
    fn sub_results_after_their_parent_are_folded_into_it() {
        let (out, folded) = run(&[
            (call(0, 100), "GET /login", "TG 1-1"),
            (call(0, 40), "GET /login-0", "TG 1-1"),
            (call(40, 60), "GET /login-1", "TG 1-1"),
        ]);
        assert_eq!(out, [call(0, 100)]);
        assert_eq!(folded, 2);
    }

    #[test]
    fn labels_that_only_look_like_sub_results_are_calls() {
        // Another thread's, outside the parent's time, or with no parent.
        let (out, folded) = run(&[
            (call(0, 100), "step", "TG 1-1"),
            (call(10, 20), "step-1", "TG 1-2"),
            (call(500, 20), "step-2", "TG 1-1"),
            (call(600, 20), "other", "TG 1-1"),
            (call(700, 20), "step-3", "TG 1-1"),
        ]);
        assert_eq!(
            out,
            [
                call(0, 100),
                call(10, 20),
                call(500, 20),
                call(600, 20),
                call(700, 20)
            ]
        );
        assert_eq!(folded, 0);
    }

    #[test]
    fn a_long_run_of_look_alikes_is_not_held_without_bound() {
        let rows: Vec<(Call, String)> = (0..1000).map(|i| (call(i, 1), format!("s-{i}"))).collect();
        let mut subs = SubResults::default();
        let mut out = 0;
        for (c, label) in &rows {
            subs.take(*c, label.as_bytes(), b"t", &mut |_| out += 1);
            assert!(subs.held.len() <= MOST_HELD);
        }
        subs.flush(&mut |_| out += 1);
        assert_eq!(out, 1000);
    }
}
