//! A result file's timestamps: epoch milliseconds by default, or a date
//! format when JMeter was set to one (`timestamp_format`), which it writes
//! in its own machine's zone with no offset. The shape is told by the first
//! call and held to.

use chrono::NaiveDateTime;

use crate::domain::zone::Zone;

/// The date formats JMeter is commonly set to write, most precise first.
const FORMATS: [&str; 6] = [
    "%Y/%m/%d %H:%M:%S%.3f",
    "%Y-%m-%d %H:%M:%S%.3f",
    "%Y-%m-%dT%H:%M:%S%.3f",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Shape {
    #[default]
    Unknown,
    Millis,
    /// With its own offset (RFC 3339).
    Offset,
    /// One of `FORMATS`, in the zone.
    Local(usize),
}

#[derive(Debug, Clone, Default)]
pub struct Stamps {
    shape: Shape,
    /// Where formatted times were written; this machine's zone unless told.
    zone: Option<Zone>,
}

impl Stamps {
    pub fn in_zone(zone: Zone) -> Stamps {
        Stamps {
            shape: Shape::Unknown,
            zone: Some(zone),
        }
    }

    /// The moment a timestamp field names, in epoch milliseconds.
    pub fn read(&mut self, field: &[u8]) -> Option<i64> {
        match self.shape {
            Shape::Millis => return millis(field),
            Shape::Offset => return offset(field),
            Shape::Local(i) => return self.local(field, FORMATS[i]),
            Shape::Unknown => {}
        }
        if let Some(ms) = millis(field) {
            self.shape = Shape::Millis;
            return Some(ms);
        }
        if let Some(ms) = offset(field) {
            self.shape = Shape::Offset;
            return Some(ms);
        }
        for (i, format) in FORMATS.iter().enumerate() {
            if let Some(ms) = self.local(field, format) {
                self.shape = Shape::Local(i);
                return Some(ms);
            }
        }
        None
    }

    /// What a timestamp must look like, for an error.
    pub fn expected(&self) -> &'static str {
        match self.shape {
            Shape::Unknown | Shape::Millis => "epoch milliseconds or a date and time",
            Shape::Offset => "a date and time with its offset, as the lines before it",
            Shape::Local(_) => "a date and time, as the lines before it",
        }
    }

    fn local(&mut self, field: &[u8], format: &str) -> Option<i64> {
        let text = std::str::from_utf8(field).ok()?;
        let naive = NaiveDateTime::parse_from_str(text, format).ok()?;
        let zone = *self.zone.get_or_insert_with(Zone::local);
        Some(zone.resolve_local(naive).timestamp_millis())
    }
}

fn millis(field: &[u8]) -> Option<i64> {
    match field.split_first() {
        Some((b'-', rest)) => digits(rest).and_then(|n| i64::try_from(n).ok()).map(|n| -n),
        Some((b'+', rest)) => digits(rest).and_then(|n| i64::try_from(n).ok()),
        _ => digits(field).and_then(|n| i64::try_from(n).ok()),
    }
}

/// A whole number written in ASCII digits, nothing else: read on every
/// row, so without the detour through a `str`.
pub fn digits(field: &[u8]) -> Option<u64> {
    if field.is_empty() || field.len() > 20 {
        return None;
    }
    field.iter().try_fold(0u64, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

fn offset(field: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(field).ok()?;
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Stamps {
        Stamps::in_zone(Zone::Named(chrono_tz::Europe::Berlin))
    }

    #[test]
    fn epoch_milliseconds_as_jmeter_writes_them_by_default() {
        assert_eq!(berlin().read(b"1800000000123"), Some(1_800_000_000_123));
    }

    #[test]
    fn a_date_format_is_read_in_the_zone_jmeter_wrote_it_in() {
        let mut stamps = berlin();
        // 19:30:00.250 in Berlin in December is 18:30:00.250 UTC.
        let utc = chrono::DateTime::parse_from_rfc3339("2026-12-04T18:30:00.250Z")
            .unwrap()
            .timestamp_millis();
        assert_eq!(stamps.read(b"2026/12/04 19:30:00.250"), Some(utc));
        assert_eq!(stamps.read(b"2026/12/04 19:30:01.000"), Some(utc + 750));
        // Held to: another shape later is not a timestamp of this file.
        assert_eq!(stamps.read(b"1800000000123"), None);
    }

    #[test]
    fn seconds_without_a_fraction_and_with_an_offset() {
        let mut stamps = berlin();
        assert_eq!(stamps.read(b"2026-12-04 19:30:00"), Some(1_796_409_000_000));
        let mut stamps = berlin();
        assert_eq!(
            stamps.read(b"2026-12-04T19:30:00.5+01:00"),
            Some(1_796_409_000_500)
        );
    }

    #[test]
    fn what_is_not_a_time_is_not_read() {
        assert_eq!(berlin().read(b"yesterday"), None);
        assert_eq!(berlin().read(b""), None);
    }
}
