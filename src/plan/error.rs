//! Errors that name the file, line and column, and what was expected there.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// One thing wrong with a plan, at a place in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read plan {}: {source}", printable(&path.display().to_string()))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render_problems(path, problems))]
    Invalid {
        path: String,
        problems: Vec<Problem>,
    },
}

fn render_problems(path: &str, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{path}:{}:{}: {}", p.line, p.column, p.message))
        .collect();
    printable(&lines.join("\n"))
}

/// Plan text is echoed in messages: through the one function for outside
/// text, so a plan can never send escape sequences (or reorder a line) in
/// the terminal that prints the error.
pub fn printable(text: &str) -> String {
    crate::outside::shown(text)
}

impl PlanError {
    pub fn problems(&self) -> &[Problem] {
        match self {
            PlanError::Read { .. } => &[],
            PlanError::Invalid { problems, .. } => problems,
        }
    }
}

/// Turns byte offsets into 1-based line and column (in characters) of a text.
pub(crate) struct Locator<'a> {
    text: &'a str,
    /// Byte offset where each line starts: found once, so a plan with
    /// 20,000 problems is located in time linear in its length.
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator { text, line_starts }
    }

    pub fn problem(&self, span: Option<Range<usize>>, message: impl fmt::Display) -> Problem {
        let offset =
            floor_char_boundary(self.text, span.map_or(0, |s| s.start).min(self.text.len()));
        // The last line that starts at or before the offset.
        let index = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1)
            - 1;
        let line_start = self.line_starts[index];
        let line = index + 1;
        let column = self.text[line_start..offset].chars().count() + 1;
        Problem {
            line,
            column,
            message: message.to_string(),
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let loc = Locator::new("a = 1\nbé = 2\n");
        assert_eq!(loc.problem(Some(0..1), "x").line, 1);
        let p = loc.problem(Some(10..11), "x");
        assert_eq!((p.line, p.column), (2, 4));
        let p = loc.problem(None, "x");
        assert_eq!((p.line, p.column), (1, 1));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            printable("A\u{1b}[31mRED\tx\u{202e}"),
            "A\\u{1b}[31mRED\\u{9}x\\u{202e}"
        );
    }

    #[test]
    fn invalid_plan_lists_every_problem_with_its_place() {
        let err = PlanError::Invalid {
            path: "plan.toml".into(),
            problems: vec![
                Problem {
                    line: 3,
                    column: 1,
                    message: "first".into(),
                },
                Problem {
                    line: 9,
                    column: 14,
                    message: "second".into(),
                },
            ],
        };
        assert_eq!(
            err.to_string(),
            "plan.toml:3:1: first\nplan.toml:9:14: second"
        );
    }
}
