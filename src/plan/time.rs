//! Durations and date-times as the plan writes them.

use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::domain::Zone;
use crate::domain::wall_time::WallTime;

pub const DURATION_EXPECTED: &str =
    "expected a duration like \"30s\", \"50m\", \"2h\" or \"1h30m\"";
pub const DEPLOY_AT_EXPECTED: &str = "expected a date-time with an offset or a zone, like \"2026-11-27T23:00:00+09:00\" or \"2026-11-27T23:00 Asia/Seoul\"";

pub fn parse_duration(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text.trim()) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err(format!("duration \"{text}\" is zero; {DURATION_EXPECTED}")),
        Err(_) => Err(format!("bad duration \"{text}\"; {DURATION_EXPECTED}")),
    }
}

/// `2026-11-27T23:00:00+09:00` (RFC 3339) or `2026-11-27T23:00[:00] Area/City`.
/// The deploy time must name one moment: a local time that a daylight-saving
/// change skips or repeats is refused.
pub fn parse_deploy_at(text: &str) -> Result<(DateTime<Utc>, Zone), String> {
    parse_date_time(text, true)
}

/// Years a plan may name: every later sum of durations stays in range.
const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

fn parse_date_time(text: &str, exact: bool) -> Result<(DateTime<Utc>, Zone), String> {
    let text = text.trim();
    let with_offset = DateTime::parse_from_rfc3339(text).or_else(|_| {
        // RFC 3339 wants seconds; people write "23:00+09:00".
        ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%dT%H:%MZ"]
            .iter()
            .find_map(|f| DateTime::parse_from_str(text, f).ok())
            .ok_or(())
    });
    let in_range = |t: DateTime<Utc>, zone: Zone| {
        let year = zone.at(t).year();
        if YEARS.contains(&year) {
            Ok((t, zone))
        } else {
            Err(format!(
                "the year {year} in \"{text}\" is out of range; expected a year from 1970 to 9999"
            ))
        }
    };
    if let Ok(t) = with_offset {
        return in_range(t.with_timezone(&Utc), Zone::Fixed(*t.offset()));
    }
    let bad = || format!("bad date-time \"{text}\"; {DEPLOY_AT_EXPECTED}");
    let (local, zone_name) = text.rsplit_once(' ').ok_or_else(bad)?;
    let tz: Tz = zone_name.parse().map_err(|_| {
        format!("unknown time zone \"{zone_name}\"; expected an IANA name like \"Asia/Seoul\"")
    })?;
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(local.trim(), f).ok())
    .ok_or_else(bad)?;
    if !YEARS.contains(&naive.year()) {
        return in_range(naive.and_utc(), Zone::utc());
    }
    let zone = Zone::Named(tz);
    if !exact {
        return in_range(zone.resolve_local(naive), zone);
    }
    let t = tz.from_local_datetime(&naive).single().ok_or_else(|| {
        format!("\"{text}\" does not name one moment in {zone_name} (a daylight-saving change); give an offset instead")
    })?;
    in_range(t.with_timezone(&Utc), zone)
}

pub const WALL_TIME_EXPECTED: &str = "expected \"18:00\", a weekday and a time like \"thursday 18:00\", or a date-time like \"2026-11-26T18:00 Asia/Seoul\"";

/// `18:00` (the deploy's day), `thursday 18:00`, or a full date-time. A full
/// date-time on a daylight-saving change is read as `Zone::resolve_local`
/// reads it, like the other forms.
pub fn parse_wall_time(text: &str) -> Result<WallTime, String> {
    let trimmed = text.trim();
    // A date first: the date-time's own error says what is wrong with it.
    let bytes = trimmed.as_bytes();
    let dated = bytes.len() > 4 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-';
    if dated {
        return parse_date_time(trimmed, false).map(|(t, _)| WallTime::At(t));
    }
    let bad = || format!("bad time \"{text}\"; {WALL_TIME_EXPECTED}");
    if let Some(time) = clock(trimmed) {
        return Ok(WallTime::OnDeployDay(time));
    }
    let (day, time) = trimmed.split_once(char::is_whitespace).ok_or_else(bad)?;
    let day: Weekday = day.parse().map_err(|_| bad())?;
    Ok(WallTime::Weekday(day, clock(time.trim()).ok_or_else(bad)?))
}

/// A weekday and a time: `friday 18:00`.
pub fn parse_weekday_time(text: &str) -> Result<(Weekday, NaiveTime), String> {
    match parse_wall_time(text) {
        Ok(WallTime::Weekday(day, time)) => Ok((day, time)),
        _ => Err(format!(
            "bad weekday and time \"{text}\"; expected a weekday and a time like \"friday 18:00\""
        )),
    }
}

pub const DATE_EXPECTED: &str = "expected a date like \"2026-12-25\"";

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("bad date \"{text}\"; {DATE_EXPECTED}"))
}

fn clock(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_times() {
        let six = NaiveTime::from_hms_opt(18, 0, 0).unwrap();
        assert_eq!(parse_wall_time("18:00"), Ok(WallTime::OnDeployDay(six)));
        assert_eq!(
            parse_wall_time("thursday 18:00"),
            Ok(WallTime::Weekday(Weekday::Thu, six))
        );
        assert_eq!(
            parse_wall_time("Thu 18:00"),
            Ok(WallTime::Weekday(Weekday::Thu, six))
        );
        assert_eq!(
            parse_wall_time("2026-11-26T18:00 Asia/Seoul"),
            Ok(WallTime::At(
                Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
            ))
        );
        assert_eq!(
            parse_wall_time("someday 18:00"),
            Err(format!("bad time \"someday 18:00\"; {WALL_TIME_EXPECTED}"))
        );
        assert!(parse_wall_time("25:00").is_err());
        assert!(
            parse_wall_time("日本語 18:00").is_err(),
            "never a panic on any text"
        );
        // A time that happens twice is the first; one the clocks skip moves on.
        assert_eq!(
            parse_wall_time("2026-10-25T02:30 Europe/Berlin"),
            Ok(WallTime::At(
                Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
            ))
        );
        assert_eq!(
            parse_wall_time("2026-11-26T18:00 Mars/Olympus"),
            Err(
                "unknown time zone \"Mars/Olympus\"; expected an IANA name like \"Asia/Seoul\""
                    .into()
            )
        );
        assert_eq!(
            parse_deploy_at("+262142-12-31T23:00 UTC"),
            Err("the year 262142 in \"+262142-12-31T23:00 UTC\" is out of range; expected a year from 1970 to 9999".into())
        );
        assert!(parse_weekday_time("18:00").is_err());
        assert_eq!(
            parse_date("2026-12-25"),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap())
        );
        assert!(parse_date("25.12.2026").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("50m"), Ok(Duration::from_secs(3000)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(
            parse_duration("soon"),
            Err(format!("bad duration \"soon\"; {DURATION_EXPECTED}"))
        );
        assert!(parse_duration("0s").is_err());
    }

    #[test]
    fn deploy_at_with_offset_or_zone() {
        let expected = Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap();
        let (t, zone) = parse_deploy_at("2026-11-27T23:00:00+09:00").unwrap();
        assert_eq!(t, expected);
        assert_eq!(zone.to_string(), "+09:00");
        let (t, zone) = parse_deploy_at("2026-11-27T23:00 Asia/Seoul").unwrap();
        assert_eq!(t, expected);
        assert_eq!(zone, Zone::Named(chrono_tz::Asia::Seoul));
        let (t, zone) = parse_deploy_at("2026-11-27T23:00+09:00").unwrap();
        assert_eq!(t, expected);
        assert_eq!(zone.to_string(), "+09:00");
    }

    #[test]
    fn deploy_at_errors_say_what_was_expected() {
        assert_eq!(
            parse_deploy_at("tonight"),
            Err(format!("bad date-time \"tonight\"; {DEPLOY_AT_EXPECTED}"))
        );
        assert_eq!(
            parse_deploy_at("2026-11-27T23:00 Mars/Olympus"),
            Err(
                "unknown time zone \"Mars/Olympus\"; expected an IANA name like \"Asia/Seoul\""
                    .into()
            )
        );
        assert!(
            parse_deploy_at("2026-03-08T02:30 America/New_York")
                .unwrap_err()
                .contains("daylight-saving")
        );
    }
}
