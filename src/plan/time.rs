//! Durations and date-times as the plan writes them.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::Zone;

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

#[cfg(test)]
mod tests {
    use super::*;

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
