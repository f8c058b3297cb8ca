//! The four panes, in the order of their number keys.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Items,
    Checklist,
    Metrics,
    Countdown,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Items, Pane::Checklist, Pane::Metrics, Pane::Countdown];

    pub fn number(self) -> usize {
        match self {
            Pane::Items => 1,
            Pane::Checklist => 2,
            Pane::Metrics => 3,
            Pane::Countdown => 4,
        }
    }

    pub fn from_number(n: usize) -> Option<Pane> {
        Pane::ALL.get(n.checked_sub(1)?).copied()
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Items => "Release items",
            Pane::Checklist => "Checklist",
            Pane::Metrics => "Metrics",
            Pane::Countdown => "Countdown",
        }
    }

    pub fn next(self) -> Pane {
        Pane::ALL[self.number() % 4]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.number() + 2) % 4]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_cycles_both_ways() {
        assert_eq!(Pane::Countdown.next(), Pane::Items);
        assert_eq!(Pane::Items.prev(), Pane::Countdown);
        for p in Pane::ALL {
            assert_eq!(p.next().prev(), p);
            assert_eq!(Pane::from_number(p.number()), Some(p));
        }
        assert_eq!(Pane::from_number(0), None);
        assert_eq!(Pane::from_number(5), None);
    }
}
