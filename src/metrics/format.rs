//! Metric values as people read them: short, with their unit. Shared by the
//! screen and the gate's reasons, so both say the same number the same way.

/// Three significant figures at most below 100, none after the point above:
/// `212`, `12.3`, `0.003`; trailing zeros dropped, so a limit reads `0.1`.
pub fn number(v: f64) -> String {
    let a = v.abs();
    let text = if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

pub fn value(v: f64, unit: &str) -> String {
    match unit {
        "" => number(v),
        "%" => format!("{}%", number(v)),
        u => format!("{} {u}", number(v)),
    }
}

/// How far a backlog has been read: `45% of 127 MB`.
pub fn progress(read: u64, total: u64) -> String {
    let percent = (u128::from(read.min(total)) * 100)
        .checked_div(u128::from(total))
        .unwrap_or(100);
    let mb = total as f64 / 1_000_000.0;
    let size = if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    };
    format!("{percent}% of {size}")
}

/// A time at or above a limit: `40 s`, `12 min`, `2 h 5 min`.
pub fn held(secs: u64) -> String {
    match secs {
        0..=119 => format!("{secs} s"),
        120..=7199 => format!("{} min", secs / 60),
        _ => format!("{} h {} min", secs / 3600, secs / 60 % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_a_glance() {
        assert_eq!(value(212.4, "ms"), "212 ms");
        assert_eq!(value(0.0023, "%"), "0.002%");
        assert_eq!(value(0.1, "%"), "0.1%");
        assert_eq!(value(1512.0, "TPS"), "1512 TPS");
        assert_eq!(value(12.34, ""), "12.3");
        assert_eq!(value(12.0, ""), "12");
        assert_eq!(value(0.0, "ms"), "0 ms");
    }

    #[test]
    fn progress_in_words() {
        assert_eq!(progress(45, 100), "45% of 0.0 MB");
        assert_eq!(progress(60_000_000, 127_000_000), "47% of 127 MB");
        assert_eq!(progress(9, 0), "100% of 0.0 MB");
        assert_eq!(progress(u64::MAX, u64::MAX), "100% of 18446744073710 MB");
    }
}
