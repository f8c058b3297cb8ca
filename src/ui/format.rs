//! Numbers as the room reads them: short, with their unit.

pub use crate::metrics::format::{number, value};

/// `45s`, `3m`, `2h`: how long ago, coarsely.
pub fn age(seconds: i64) -> String {
    match seconds.max(0) {
        s @ 0..=119 => format!("{s}s"),
        s @ 120..=7199 => format!("{}m", s / 60),
        s => format!("{}h", s / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(age(45), "45s");
        assert_eq!(age(600), "10m");
        assert_eq!(age(7200), "2h");
        assert_eq!(age(-3), "0s");
    }
}
