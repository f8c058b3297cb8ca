//! The embedded demo release: the Friday night of the story, opened at 16:40.

use chrono::{DateTime, Utc};

use super::Plan;

pub const DEMO_PLAN: &str = include_str!("../../assets/demo.toml");
pub const DEMO_PATH: &str = "demo.toml";

/// The story opens the war room at 16:40 for a 23:00 deploy.
pub const OPENS_BEFORE_DEPLOY: chrono::TimeDelta = chrono::TimeDelta::minutes(6 * 60 + 20);

pub fn plan() -> Plan {
    // The embedded plan is checked by the tests below; failing here is a build defect.
    Plan::parse(DEMO_PLAN, DEMO_PATH).expect("the embedded demo plan is valid")
}

/// The moment of the story the demo clock starts at.
pub fn story_start(plan: &Plan) -> DateTime<Utc> {
    plan.release.schedule.deploy_at - OPENS_BEFORE_DEPLOY
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ItemStatus, Priority, item::by_risk};

    #[test]
    fn moments_of_the_night_are_read_around_the_deploy() {
        let plan = plan();
        let deploy = plan.release.schedule.deploy_at;
        let at = |text: &str| plan.moment(text);
        assert_eq!(at("22:59:50"), Ok(deploy - chrono::TimeDelta::seconds(10)));
        assert_eq!(at("sat 00:30"), Ok(deploy + chrono::TimeDelta::minutes(90)));
        assert_eq!(at("thu 18:00"), Ok(deploy - chrono::TimeDelta::hours(29)));
        assert_eq!(
            at("2026-11-27T16:40 Asia/Seoul"),
            Ok(deploy - chrono::TimeDelta::minutes(380))
        );
        assert!(at("noon").is_err());
    }

    #[test]
    fn demo_tells_the_story() {
        let plan = plan();
        assert_eq!(plan.items.len(), 12);
        let passed = plan
            .items
            .iter()
            .filter(|i| i.status == ItemStatus::Passed)
            .count();
        assert_eq!(passed, 8);
        assert_eq!(plan.checklist.len(), 30);
        for text in [
            "Tests complete for every release item",
            "Risk assessment complete",
            "Rollback plan ready",
            "Monitoring dashboard checked",
            "Incident response guide shared",
            "Emergency contacts updated",
        ] {
            assert!(plan.checklist.iter().any(|c| c.text == text), "{text}");
        }
        let top = &plan.items[by_risk(&plan.items)[0]];
        assert_eq!(top.id, "API-TIMEOUT");
        assert_eq!(top.priority, Priority::Critical);
        assert_eq!(top.risk_score(), Some(54));
        let p95 = plan
            .metrics
            .iter()
            .find(|m| m.name == "API latency p95")
            .expect("p95 metric");
        assert_eq!(p95.limits.crit, Some(500.0));
    }

    #[test]
    fn demo_opens_at_1640_korean_time() {
        let plan = plan();
        let start = story_start(&plan);
        let zone = plan.release.schedule.zone;
        assert_eq!(zone.at(start).format("%a %H:%M").to_string(), "Fri 16:40");
        assert_eq!(
            plan.release.schedule.countdown(start, None).to_string(),
            "T-6:20:00"
        );
    }
}
