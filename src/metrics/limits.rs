//! A metric's warn and crit levels, and where a value stands against them.

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    pub warn: Option<f64>,
    pub crit: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    Warn,
    Crit,
}

impl Limits {
    /// A value at its limit already counts as over it: the 500 ms timeout fires at 500 ms.
    pub fn level(&self, value: f64) -> Level {
        if self.crit.is_some_and(|c| value >= c) {
            Level::Crit
        } else if self.warn.is_some_and(|w| value >= w) {
            Level::Warn
        } else {
            Level::Ok
        }
    }

    /// The highest limit, which the chart keeps in view.
    pub fn top(&self) -> Option<f64> {
        self.crit.or(self.warn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_against_the_story_timeout() {
        let limits = Limits {
            warn: Some(400.0),
            crit: Some(500.0),
        };
        assert_eq!(limits.level(200.0), Level::Ok);
        assert_eq!(limits.level(400.0), Level::Warn);
        assert_eq!(limits.level(500.0), Level::Crit);
        assert_eq!(Limits::default().level(1e9), Level::Ok);
    }
}
