//! A time zone that is either a named IANA zone or a fixed offset, so the plan
//! can say `+09:00` or `Asia/Seoul` and the screen can show both sides of a call.

use std::fmt;

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc,
};
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

    /// The moment a wall-clock time names in this zone. On the night clocks go
    /// back it is the earlier of the two; a time the clocks skip is read as
    /// the same time on the clock that follows the jump (02:30 → 03:30), so a
    /// weekly rule still falls on its day.
    pub fn resolve_local(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self {
            Zone::Fixed(off) => (local - off.fix()).and_utc(),
            Zone::Named(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.to_utc(),
                LocalResult::None => {
                    // Read with the offset before the jump: 02:30 at +01:00 is
                    // 01:30 UTC, which the clock after the jump shows as 03:30.
                    let before = tz.offset_from_utc_datetime(&(local - TimeDelta::days(1)));
                    (local - TimeDelta::seconds(i64::from(before.fix().local_minus_utc())))
                        .and_utc()
                }
            },
        }
    }

    /// The calendar date of a moment in this zone.
    pub fn date_of(&self, t: DateTime<Utc>) -> NaiveDate {
        self.at(t).date_naive()
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
    fn wall_times_across_daylight_saving_changes() {
        let berlin = Zone::Named(chrono_tz::Europe::Berlin);
        let local = |d: &str| NaiveDateTime::parse_from_str(d, "%Y-%m-%d %H:%M").unwrap();
        let utc = |d: &str| local(d).and_utc();
        // Spring: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
        assert_eq!(
            berlin.resolve_local(local("2026-03-29 01:30")),
            utc("2026-03-29 00:30")
        );
        assert_eq!(
            berlin.resolve_local(local("2026-03-29 02:30")),
            utc("2026-03-29 01:30")
        );
        assert_eq!(
            berlin
                .at(utc("2026-03-29 01:30"))
                .format("%H:%M")
                .to_string(),
            "03:30"
        );
        assert_eq!(
            berlin.resolve_local(local("2026-03-29 03:30")),
            utc("2026-03-29 01:30")
        );
        // Autumn: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
        assert_eq!(
            berlin.resolve_local(local("2026-10-25 02:30")),
            utc("2026-10-25 00:30")
        );
        assert_eq!(
            berlin.resolve_local(local("2026-10-25 03:30")),
            utc("2026-10-25 02:30")
        );
        let fixed = Zone::Fixed(FixedOffset::east_opt(9 * 3600).unwrap());
        assert_eq!(
            fixed.resolve_local(local("2026-11-27 23:00")),
            utc("2026-11-27 14:00")
        );
    }

    #[test]
    fn fixed_zone_shows_its_offset() {
        let t = Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap();
        let zone = Zone::Fixed(FixedOffset::east_opt(9 * 3600).unwrap());
        assert_eq!(zone.abbreviation(t), "+09:00");
    }
}
