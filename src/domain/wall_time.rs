//! Moments as a plan writes them around the deploy: a full date-time, a time
//! on the deploy day (`18:00`), or a weekday and a time (`thursday 18:00`),
//! read in the plan's zone so a rule means the same wall clock across a
//! daylight-saving change.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};

use super::Zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallTime {
    At(DateTime<Utc>),
    OnDeployDay(NaiveTime),
    Weekday(Weekday, NaiveTime),
}

/// Which of the weekdays of that name a `Weekday` time means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toward {
    /// On or before the deploy's day: a freeze "by thursday 18:00" of the
    /// deploy's week.
    Before,
    /// The first at or after the deploy: check-ins "until monday 09:00".
    After,
    /// Within three days either side: the milestones of the night.
    Nearest,
}

impl WallTime {
    pub fn resolve(&self, deploy_at: DateTime<Utc>, zone: &Zone, toward: Toward) -> DateTime<Utc> {
        let deploy_day = zone.date_of(deploy_at);
        let on = |day: NaiveDate, time: NaiveTime| zone.resolve_local(day.and_time(time));
        match *self {
            WallTime::At(t) => t,
            WallTime::OnDeployDay(time) => on(deploy_day, time),
            WallTime::Weekday(day, time) => {
                let ahead = i64::from(
                    (7 + day.num_days_from_monday() - deploy_day.weekday().num_days_from_monday())
                        % 7,
                );
                let days = match toward {
                    Toward::Before if ahead == 0 => 0,
                    Toward::Before => ahead - 7,
                    Toward::After => ahead,
                    Toward::Nearest if ahead > 3 => ahead - 7,
                    Toward::Nearest => ahead,
                };
                let date = deploy_day + TimeDelta::days(days);
                let t = on(date, time);
                if toward == Toward::After && t < deploy_at {
                    on(date + TimeDelta::days(7), time)
                } else {
                    t
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn seoul() -> Zone {
        Zone::Named(chrono_tz::Asia::Seoul)
    }

    fn kst(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Seoul
            .with_ymd_and_hms(2026, 11, d, h, m, 0)
            .unwrap()
            .to_utc()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn around_the_friday_deploy() {
        let deploy = kst(27, 23, 0);
        let zone = seoul();
        let at = |w: WallTime, t: Toward| w.resolve(deploy, &zone, t);
        assert_eq!(
            at(WallTime::OnDeployDay(hm(18, 0)), Toward::Nearest),
            kst(27, 18, 0)
        );
        let thursday = WallTime::Weekday(Weekday::Thu, hm(18, 0));
        assert_eq!(at(thursday, Toward::Before), kst(26, 18, 0));
        assert_eq!(at(thursday, Toward::Nearest), kst(26, 18, 0));
        let wednesday = WallTime::Weekday(Weekday::Wed, hm(18, 0));
        assert_eq!(at(wednesday, Toward::Before), kst(25, 18, 0));
        let friday = WallTime::Weekday(Weekday::Fri, hm(18, 0));
        assert_eq!(at(friday, Toward::Before), kst(27, 18, 0));
        // Friday 18:00 after a Friday 23:00 deploy is the next Friday's.
        let next_friday = chrono_tz::Asia::Seoul.with_ymd_and_hms(2026, 12, 4, 18, 0, 0);
        assert_eq!(at(friday, Toward::After), next_friday.unwrap().to_utc());
        let monday = WallTime::Weekday(Weekday::Mon, hm(9, 0));
        assert_eq!(at(monday, Toward::After), kst(30, 9, 0));
        assert_eq!(at(monday, Toward::Nearest), kst(30, 9, 0));
        assert_eq!(at(monday, Toward::Before), kst(23, 9, 0));
        let saturday = WallTime::Weekday(Weekday::Sat, hm(8, 30));
        assert_eq!(at(saturday, Toward::Nearest), kst(28, 8, 30));
    }

    #[test]
    fn weekly_times_keep_their_wall_clock_across_a_change() {
        // Monday 30 March 2026, 10:00 in Berlin; summer time began on Sunday.
        let berlin = Zone::Named(chrono_tz::Europe::Berlin);
        let deploy = Utc.with_ymd_and_hms(2026, 3, 30, 8, 0, 0).unwrap();
        let thursday = WallTime::Weekday(Weekday::Thu, hm(18, 0));
        // Thursday 18:00 CET is 17:00 UTC; the deploy's 10:00 CEST is 08:00 UTC.
        assert_eq!(
            thursday.resolve(deploy, &berlin, Toward::Before),
            Utc.with_ymd_and_hms(2026, 3, 26, 17, 0, 0).unwrap()
        );
        let skipped = WallTime::Weekday(Weekday::Sun, hm(2, 30));
        assert_eq!(
            skipped.resolve(deploy, &berlin, Toward::Before),
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap(),
            "02:30 does not exist that night: read as 03:30 CEST"
        );
    }
}
