//! Durations and date-times as the plan writes them.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
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
pub fn parse_deploy_at(text: &str) -> Result<(DateTime<Utc>, Zone), String> {
    let text = text.trim();
    let with_offset = DateTime::parse_from_rfc3339(text).or_else(|_| {
        // RFC 3339 wants seconds; people write "23:00+09:00".
        ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%dT%H:%MZ"]
            .iter()
            .find_map(|f| DateTime::parse_from_str(text, f).ok())
            .ok_or(())
    });
    if let Ok(t) = with_offset {
        return Ok((t.with_timezone(&Utc), Zone::Fixed(*t.offset())));
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
    let t = tz.from_local_datetime(&naive).single().ok_or_else(|| {
        format!("\"{text}\" does not name one moment in {zone_name} (a daylight-saving change); give an offset instead")
    })?;
    Ok((t.with_timezone(&Utc), Zone::Named(tz)))
}

pub const WALL_TIME_EXPECTED: &str = "expected \"18:00\", a weekday and a time like \"thursday 18:00\", or a date-time like \"2026-11-26T18:00 Asia/Seoul\"";

/// `18:00` (the deploy's day), `thursday 18:00`, or a full date-time.
pub fn parse_wall_time(text: &str) -> Result<WallTime, String> {
    let trimmed = text.trim();
    if let Ok((t, _)) = parse_deploy_at(trimmed) {
        return Ok(WallTime::At(t));
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
