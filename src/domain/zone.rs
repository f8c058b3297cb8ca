//! A time zone that is either a named IANA zone or a fixed offset, so the plan
//! can say `+09:00` or `Asia/Seoul` and the screen can show both sides of a call.

use std::fmt;

use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Named(Tz),
    Fixed(FixedOffset),
}

impl Zone {
    pub fn utc() -> Zone {
        Zone::Named(Tz::UTC)
    }

    /// The zone of this seat: `TZ` when it names an IANA zone (teammates on one
    /// shared host each set their own), else the system's zone, else the
    /// current local offset.
    pub fn local() -> Zone {
        let from_env = std::env::var("TZ")
            .ok()
            .and_then(|tz| tz.trim_start_matches(':').parse::<Tz>().ok());
        let from_system = || {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| name.parse::<Tz>().ok())
        };
        match from_env.or_else(from_system) {
            Some(tz) => Zone::Named(tz),
            None => Zone::Fixed(chrono::Local::now().offset().fix()),
        }
    }

    pub fn at(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).fixed_offset(),
            Zone::Fixed(off) => t.with_timezone(off),
        }
    }

    /// A short name for a time in this zone: `KST`, `UTC`, or `+09:00`.
    pub fn abbreviation(&self, t: DateTime<Utc>) -> String {
        match self {
            Zone::Named(tz) => {
                let abbr = tz.offset_from_utc_datetime(&t.naive_utc()).to_string();
                // chrono-tz prints a bare offset like "+09" for zones without an
                // abbreviation; show it as a full offset instead.
                if abbr.starts_with(['+', '-']) {
                    self.at(t).format("%:z").to_string()
                } else {
                    abbr
                }
            }
            Zone::Fixed(_) => self.at(t).format("%:z").to_string(),
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Named(tz) => write!(f, "{}", tz.name()),
            Zone::Fixed(off) => write!(f, "{off}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_zone_has_its_abbreviation() {
        let t = Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap();
        let seoul = Zone::Named(chrono_tz::Asia::Seoul);
        assert_eq!(seoul.abbreviation(t), "KST");
        assert_eq!(seoul.at(t).format("%H:%M").to_string(), "23:00");
    }

    #[test]
    fn fixed_zone_shows_its_offset() {
        let t = Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap();
        let zone = Zone::Fixed(FixedOffset::east_opt(9 * 3600).unwrap());
        assert_eq!(zone.abbreviation(t), "+09:00");
    }
}
