//! Every way a plan file can be wrong, each with the exact text the user reads:
//! `file:line:column: message`, where the message says what was expected.
//!
//! Plans are written as raw strings; `load` drops the newline right after
//! `r#"`, so line 1 is the first line of the literal as it appears here.

use chrono::{TimeZone, Utc};
use std::time::Duration;

use warroom::domain::gate::{GateRules, Severity};
use warroom::domain::{ChecklistEntry, ReleaseItem, Schedule};
use warroom::metrics::Limits;
use warroom::plan::*;

use warroom::domain::{ItemStatus, Priority, Zone};
use warroom::sources::demo::Signal;

const DURATION_EXPECTED: &str = r#"expected a duration like "30s", "50m", "2h" or "1h30m""#;
const DEPLOY_AT_EXPECTED: &str = r#"expected a date-time with an offset or a zone, like "2026-11-27T23:00:00+09:00" or "2026-11-27T23:00 Asia/Seoul""#;

fn load(text: &str) -> Result<Plan, PlanError> {
    Plan::parse(text.strip_prefix('\n').unwrap_or(text), "plan.toml")
}

/// The whole error as printed: one `plan.toml:line:column: message` per problem.
fn error(text: &str) -> String {
    match load(text) {
        Ok(plan) => panic!("expected an invalid plan, got {plan:#?}"),
        Err(err) => err.to_string(),
    }
}

fn problems(text: &str) -> Vec<Problem> {
    match load(text) {
        Ok(plan) => panic!("expected an invalid plan, got {plan:#?}"),
        Err(err) => err.problems().to_vec(),
    }
}

fn problem(line: usize, column: usize, message: &str) -> Problem {
    Problem {
        line,
        column,
        message: message.to_string(),
    }
}

// --- Unknown keys -------------------------------------------------------------

#[test]
fn unknown_key_in_release() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"
watchfor = "1h"
"#;
    assert_eq!(
        error(text),
        "plan.toml:4:1: unknown key `watchfor`; expected one of `name`, `deploy_at`, `watch_for`, `list_at`, `check_in_every`, `check_ins_until`"
    );
}

#[test]
fn unknown_key_in_item() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
owner_name = "dev-lead"
"#;
    assert_eq!(
        error(text),
        "plan.toml:9:1: unknown key `owner_name`; expected one of `id`, `title`, `priority`, `status`, `owner`, `risk`, `added_at`, `timeout`, `max_error_rate`, `max_timeouts`, `p95_under`"
    );
}

#[test]
fn unknown_key_in_inline_risk_table() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
risk = { impact = 1, likelihood = 1, recovery = "1h", cost = 3 }
"#;
    assert_eq!(
        error(text),
        "plan.toml:9:55: unknown key `cost`; expected one of `impact`, `likelihood`, `recovery`"
    );
}

#[test]
fn unknown_key_in_risk_table() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"

[items.risk]
impact = 1
likelihood = 1
recovery = "1h"
cost = 3
"#;
    assert_eq!(
        error(text),
        "plan.toml:14:1: unknown key `cost`; expected one of `impact`, `likelihood`, `recovery`"
    );
}

#[test]
fn unknown_top_level_key() {
    let text = r#"
version = 2

[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"
"#;
    assert_eq!(
        error(text),
        "plan.toml:1:1: unknown key `version`; expected one of `release`, `items`, `checklist`, `checklist_group`, `metrics`, `gate`, `timeline`, `policy`, `chat`, `journal`, `present`, `rollback`"
    );
}

// --- Missing fields -------------------------------------------------------------

#[test]
fn item_without_title_points_at_its_table() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
priority = "high"
"#;
    assert_eq!(error(text), "plan.toml:5:1: missing key `title`");
}

#[test]
fn release_without_deploy_at_points_at_its_table() {
    let text = r#"
[[items]]
id = "A"
title = "Apply"
priority = "high"

[release]
name = "R"
"#;
    assert_eq!(error(text), "plan.toml:6:1: missing key `deploy_at`");
}

#[test]
fn checklist_entry_without_text() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[checklist]]
id = "c"
"#;
    assert_eq!(error(text), "plan.toml:5:1: missing key `text`");
}

#[test]
fn plan_without_release() {
    let text = r#"
[[items]]
id = "A"
title = "Apply"
priority = "high"
"#;
    assert_eq!(error(text), "plan.toml:1:1: missing key `release`");
}

#[test]
fn risk_without_recovery_points_at_the_inline_table() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
risk = { impact = 3, likelihood = 1 }
"#;
    assert_eq!(error(text), "plan.toml:9:8: missing key `recovery`");
}

// --- Enumerations ---------------------------------------------------------------

#[test]
fn bad_priority_lists_the_priorities() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "urgent"
"#;
    assert_eq!(
        error(text),
        "plan.toml:8:12: unknown value `urgent`; expected one of `critical`, `high`, `medium`, `low`"
    );
}

#[test]
fn bad_status_lists_the_statuses() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
status = "done"
"#;
    assert_eq!(
        error(text),
        "plan.toml:9:10: unknown value `done`; expected one of `untested`, `in_progress`, `passed`, `failed`"
    );
}

// --- Ids ------------------------------------------------------------------------

#[test]
fn duplicate_item_id_names_the_first_place() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "API-TIMEOUT"
title = "Apply"
priority = "high"

[[items]]
id = "API-TIMEOUT"
title = "Again"
priority = "low"

[[checklist]]
id = "c"
text = "Check"
"#;
    assert_eq!(
        error(text),
        r#"plan.toml:11:6: duplicate item id "API-TIMEOUT" (first at line 6, column 6); expected each id once"#
    );
}

#[test]
fn duplicate_checklist_id_names_the_first_place() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "backup"
text = "Backup taken"

[[checklist]]
  id = "backup"
text = "Backup verified"
"#;
    assert_eq!(
        error(text),
        r#"plan.toml:15:8: duplicate checklist id "backup" (first at line 11, column 6); expected each id once"#
    );
}

#[test]
fn invalid_id_characters() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "API TIMEOUT"
title = "Apply"
priority = "high"

[[items]]
id = ""
title = "Nameless"
priority = "low"

[[checklist]]
id = "db/backup"
text = "Backup taken"
"#;
    assert_eq!(
        problems(text),
        [
            problem(
                6,
                6,
                r#"item id "API TIMEOUT" is not valid; expected letters, digits, '-', '_' or '.'"#
            ),
            problem(
                11,
                6,
                r#"item id "" is not valid; expected letters, digits, '-', '_' or '.'"#
            ),
            problem(
                16,
                6,
                r#"checklist id "db/backup" is not valid; expected letters, digits, '-', '_' or '.'"#
            ),
        ]
    );
}

#[test]
fn ids_may_use_letters_digits_dash_underscore_and_dot() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "API-timeout_2.1"
title = "Apply"
priority = "high"

[[checklist]]
id = "db.backup-2_b"
text = "Backup taken"
"#;
    let plan = load(text).unwrap();
    assert_eq!(plan.items[0].id, "API-timeout_2.1");
    assert_eq!(plan.checklist[0].id, "db.backup-2_b");
}

// --- Risk -----------------------------------------------------------------------

fn with_risk(risk: &str) -> String {
    format!(
        r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
risk = {risk}

[[checklist]]
id = "c"
text = "Check"
"#
    )
}

#[test]
fn risk_impact_zero() {
    assert_eq!(
        error(&with_risk(
            r#"{ impact = 0, likelihood = 1, recovery = "1h" }"#
        )),
        "plan.toml:9:19: risk impact is 0; expected a whole number from 1 to 10"
    );
}

#[test]
fn risk_impact_eleven() {
    assert_eq!(
        error(&with_risk(
            r#"{ impact = 11, likelihood = 1, recovery = "1h" }"#
        )),
        "plan.toml:9:19: risk impact is 11; expected a whole number from 1 to 10"
    );
}

#[test]
fn risk_likelihood_negative() {
    assert_eq!(
        error(&with_risk(
            r#"{ impact = 1, likelihood = -1, recovery = "1h" }"#
        )),
        "plan.toml:9:35: risk likelihood is -1; expected a whole number from 1 to 10"
    );
}

#[test]
fn risk_bad_recovery_duration() {
    assert_eq!(
        error(&with_risk(
            r#"{ impact = 1, likelihood = 1, recovery = "soon" }"#
        )),
        format!(r#"plan.toml:9:49: bad duration "soon"; {DURATION_EXPECTED}"#)
    );
}

#[test]
fn risk_zero_recovery_duration() {
    assert_eq!(
        error(&with_risk(
            r#"{ impact = 1, likelihood = 1, recovery = "0s" }"#
        )),
        format!(r#"plan.toml:9:49: duration "0s" is zero; {DURATION_EXPECTED}"#)
    );
}

#[test]
fn every_risk_problem_of_one_item_is_reported() {
    assert_eq!(
        problems(&with_risk(
            r#"{ impact = 0, likelihood = 11, recovery = "0s" }"#
        )),
        [
            problem(
                9,
                19,
                "risk impact is 0; expected a whole number from 1 to 10"
            ),
            problem(
                9,
                35,
                "risk likelihood is 11; expected a whole number from 1 to 10"
            ),
            problem(
                9,
                50,
                &format!(r#"duration "0s" is zero; {DURATION_EXPECTED}"#)
            ),
        ]
    );
}

// --- deploy_at ------------------------------------------------------------------

/// A plan whose `deploy_at` is on line 3, its value at column 13.
fn with_deploy_at(value: &str) -> String {
    format!(
        r#"
[release]
name = "R"
deploy_at = {value}

[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "c"
text = "Check"
"#
    )
}

#[test]
fn deploy_at_bad_string() {
    assert_eq!(
        error(&with_deploy_at(r#""tonight""#)),
        format!(r#"plan.toml:3:13: bad date-time "tonight"; {DEPLOY_AT_EXPECTED}"#)
    );
}

#[test]
fn deploy_at_string_without_offset_or_zone() {
    assert_eq!(
        error(&with_deploy_at(r#""2026-11-27T23:00:00""#)),
        format!(r#"plan.toml:3:13: bad date-time "2026-11-27T23:00:00"; {DEPLOY_AT_EXPECTED}"#)
    );
}

#[test]
fn deploy_at_unknown_zone() {
    assert_eq!(
        error(&with_deploy_at(r#""2026-11-27T23:00 Mars/Olympus""#)),
        r#"plan.toml:3:13: unknown time zone "Mars/Olympus"; expected an IANA name like "Asia/Seoul""#
    );
}

#[test]
fn deploy_at_in_a_daylight_saving_gap() {
    assert_eq!(
        error(&with_deploy_at(r#""2026-03-08T02:30 America/New_York""#)),
        r#"plan.toml:3:13: "2026-03-08T02:30 America/New_York" does not name one moment in America/New_York (a daylight-saving change); give an offset instead"#
    );
}

#[test]
fn deploy_at_toml_datetime_without_offset() {
    assert_eq!(
        error(&with_deploy_at("2026-11-27T23:00:00")),
        format!(
            "plan.toml:3:13: date-time 2026-11-27T23:00:00 has no offset; {DEPLOY_AT_EXPECTED}"
        )
    );
}

#[test]
fn deploy_at_as_a_float() {
    assert_eq!(
        error(&with_deploy_at("2026.5")),
        format!("plan.toml:3:13: deploy_at is a float; {DEPLOY_AT_EXPECTED}")
    );
}

/// "an integer", not "a integer".
#[test]
fn deploy_at_as_an_integer() {
    assert_eq!(
        error(&with_deploy_at("20261127")),
        format!("plan.toml:3:13: deploy_at is an integer; {DEPLOY_AT_EXPECTED}")
    );
}

#[test]
fn deploy_at_accepts_rfc3339_string() {
    let plan = load(&with_deploy_at(r#""2026-11-27T23:00:00+09:00""#)).unwrap();
    let schedule = plan.release.schedule;
    assert_eq!(
        schedule.deploy_at,
        Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap()
    );
    assert_eq!(schedule.zone.to_string(), "+09:00");
}

#[test]
fn deploy_at_accepts_toml_datetime_with_offset() {
    let plan = load(&with_deploy_at("2026-11-27T23:00:00+09:00")).unwrap();
    let schedule = plan.release.schedule;
    assert_eq!(
        schedule.deploy_at,
        Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap()
    );
    assert_eq!(schedule.zone.to_string(), "+09:00");
}

#[test]
fn deploy_at_accepts_local_time_and_zone_name() {
    let plan = load(&with_deploy_at(r#""2026-11-27T23:00 Asia/Seoul""#)).unwrap();
    let schedule = plan.release.schedule;
    assert_eq!(
        schedule.deploy_at,
        Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap()
    );
    assert_eq!(schedule.zone, Zone::Named(chrono_tz::Asia::Seoul));
}

// --- watch_for ------------------------------------------------------------------

#[test]
fn watch_for_bad_duration() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"
watch_for = "a while"

[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "c"
text = "Check"
"#;
    assert_eq!(
        error(text),
        format!(r#"plan.toml:4:13: bad duration "a while"; {DURATION_EXPECTED}"#)
    );
}

#[test]
fn watch_for_zero() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"
watch_for = "0m"

[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "c"
text = "Check"
"#;
    assert_eq!(
        error(text),
        format!(r#"plan.toml:4:13: duration "0m" is zero; {DURATION_EXPECTED}"#)
    );
}

// --- Items and checklist present ------------------------------------------------

#[test]
fn no_checklist_at_all() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
"#;
    assert_eq!(
        error(text),
        "plan.toml:1:1: the checklist is empty; expected at least one [[checklist]] entry"
    );
}

#[test]
fn empty_checklist_array_points_at_it() {
    let text = r#"
# Tonight's plan

checklist = []

[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
"#;
    assert_eq!(
        error(text),
        "plan.toml:3:13: the checklist is empty; expected at least one [[checklist]] entry"
    );
}

#[test]
fn no_items() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[checklist]]
id = "c"
text = "Check"
"#;
    assert_eq!(
        error(text),
        "plan.toml:1:1: the plan has no [[items]]; expected at least one release item"
    );
}

/// An empty `items = []` is reported where it is written, like `checklist = []`.
#[test]
fn empty_items_array_points_at_it() {
    let text = r#"
# Tonight's plan

items = []

[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[checklist]]
id = "c"
text = "Check"
"#;
    assert_eq!(
        error(text),
        "plan.toml:3:9: the plan has no [[items]]; expected at least one release item"
    );
}

#[test]
fn neither_items_nor_checklist() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"
"#;
    assert_eq!(
        error(text),
        "plan.toml:1:1: the plan has no [[items]]; expected at least one release item\n\
         plan.toml:1:1: the checklist is empty; expected at least one [[checklist]] entry"
    );
}

// --- Metrics --------------------------------------------------------------------

/// A valid plan followed by `metrics`, which starts on line 14.
fn with_metrics(metrics: &str) -> String {
    format!(
        r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "c"
text = "Check"

{}"#,
        metrics.strip_prefix('\n').unwrap_or(metrics)
    )
}

#[test]
fn metric_interval_too_short() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }
interval = "50ms"
"#,
    );
    assert_eq!(
        error(&text),
        r#"plan.toml:17:12: interval "50ms" is too short; expected at least 100ms"#
    );
}

#[test]
fn metric_interval_bad_duration() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }
interval = "fast"
"#,
    );
    assert_eq!(
        error(&text),
        format!(r#"plan.toml:17:12: bad duration "fast"; {DURATION_EXPECTED}"#)
    );
}

#[test]
fn metric_hold_bad_duration() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }
hold = "a while"
"#,
    );
    assert_eq!(
        error(&text),
        format!(r#"plan.toml:17:8: bad duration "a while"; {DURATION_EXPECTED}"#)
    );
}

#[test]
fn metric_hold_defaults_to_the_gates_and_bell_to_on() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }

[[metrics]]
name = "p95"
source = { demo = { signal = "latency_p95" } }
hold = "2m"
bell = false

[gate]
metrics_hold = "45s"
"#,
    );
    let plan = load(&text).unwrap();
    let rules: Vec<(Duration, bool)> = plan.metrics.iter().map(|m| (m.hold, m.bell)).collect();
    assert_eq!(
        rules,
        [
            (Duration::from_secs(45), true),
            (Duration::from_secs(120), false)
        ]
    );
}

#[test]
fn metric_crit_equal_to_warn() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "Latency"
source = { demo = { signal = "latency_p95" } }
warn = 500
crit = 500
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:18:8: crit 500 is not above warn 500; expected crit > warn"
    );
}

#[test]
fn metric_crit_below_warn() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "Error rate"
source = { demo = { signal = "error_rate" } }
warn = 0.5
crit = 0.3
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:18:8: crit 0.3 is not above warn 0.5; expected crit > warn"
    );
}

#[test]
fn metric_limit_not_finite() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }
warn = 1
crit = inf
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:18:8: crit is inf; expected a finite number"
    );
}

#[test]
fn duplicate_metric_name_names_the_first_place() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }

[[metrics]]
name = "TPS"
source = { demo = { signal = "tps", seed = 2 } }
"#,
    );
    assert_eq!(
        error(&text),
        r#"plan.toml:19:8: duplicate metric name "TPS" (first at line 15, column 8); expected each name once"#
    );
}

#[test]
fn empty_metric_name() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "  "
source = { demo = { signal = "tps" } }
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:15:8: metric name is empty; expected a name"
    );
}

#[test]
fn unknown_metric_source_kind() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { graphite = { query = "x" } }
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:16:12: unknown value `graphite`; expected one of `demo`, `prometheus`, `http_json`, `probe`, `jtl`, `k6`"
    );
}

#[test]
fn prometheus_source_without_a_url() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { prometheus = { query = "rate(http_requests_total[1m])" } }
"#,
    );
    assert_eq!(error(&text), "plan.toml:16:25: missing key `url`");
}

#[test]
fn prometheus_urls_hold_no_secrets() {
    let cases = [
        (
            "http://admin:hunter2@127.0.0.1:9090",
            "the URL holds credentials; name environment variables for them instead",
        ),
        ("ftp://127.0.0.1", "expected an http:// or https:// URL"),
        (
            "http://127.0.0.1:9090/?token=x",
            "expected the server's base URL, without a query",
        ),
        (
            "not a url",
            "bad URL (relative URL without a base); expected e.g. \"http://127.0.0.1:9090\"",
        ),
    ];
    for (url, message) in cases {
        let text = with_metrics(&format!(
            "\n[[metrics]]\nname = \"TPS\"\nsource = {{ prometheus = {{ url = \"{url}\", query = \"up\" }} }}\n"
        ));
        let err = error(&text);
        assert!(err.ends_with(message), "{url}: {err}");
        assert!(!err.contains("hunter2"), "a secret in an error: {err}");
    }
}

#[test]
fn a_secret_pasted_where_its_variable_name_belongs_is_refused_unrepeated() {
    let token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0";
    for source in [
        format!(
            r#"{{ prometheus = {{ url = "http://127.0.0.1:9090", query = "up", token_env = "{token}" }} }}"#
        ),
        format!(
            r#"{{ prometheus = {{ url = "http://127.0.0.1:9090", query = "up", user_env = "U", password_env = "{token}" }} }}"#
        ),
        format!(
            r#"{{ http_json = {{ url = "http://127.0.0.1:9", pointer = "/p", headers_env = {{ Authorization = "Bearer {token}" }} }} }}"#
        ),
    ] {
        let text = with_metrics(&format!(
            "\n[[metrics]]\nname = \"TPS\"\nsource = {source}\n"
        ));
        let err = error(&text);
        assert!(
            err.ends_with(
                "is not the name of an environment variable (a secret pasted in its place?); expected a name like PROM_TOKEN"
            ),
            "{err}"
        );
        assert!(!err.contains(token), "the secret in an error: {err}");
    }
}

#[test]
fn unknown_demo_signal() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "CPU"
source = { demo = { signal = "cpu" } }
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:16:30: unknown value `cpu`; expected one of `latency_avg`, `latency_p95`, `latency_max`, `error_rate`, `tps`, `timeouts`"
    );
}

#[test]
fn unknown_key_in_metric() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }
limit = 3
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:17:1: unknown key `limit`; expected one of `name`, `unit`, `source`, `interval`, `warn`, `crit`, `hold`, `bell`, `gate`, `counts`"
    );
}

// --- Several problems, and TOML itself ------------------------------------------

#[test]
fn several_problems_come_out_sorted_by_line() {
    // The checklist is checked after the release and the items, but comes first here.
    let text = r#"
[[checklist]]
id = "backup"
text = "Backup taken"

[[checklist]]
id = "backup"
text = "Backup verified"

[release]
name = "R"
deploy_at = "tonight"
watch_for = "a while"

[[items]]
id = "A"
title = "Apply"
priority = "high"
risk = { impact = 0, likelihood = 1, recovery = "1h" }

[[items]]
id = "A"
title = "Again"
priority = "low"

[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }
interval = "10ms"
"#;
    assert_eq!(
        problems(text),
        [
            problem(
                6,
                6,
                r#"duplicate checklist id "backup" (first at line 2, column 6); expected each id once"#
            ),
            problem(
                11,
                13,
                &format!(r#"bad date-time "tonight"; {DEPLOY_AT_EXPECTED}"#)
            ),
            problem(
                12,
                13,
                &format!(r#"bad duration "a while"; {DURATION_EXPECTED}"#)
            ),
            problem(
                18,
                19,
                "risk impact is 0; expected a whole number from 1 to 10"
            ),
            problem(
                21,
                6,
                r#"duplicate item id "A" (first at line 15, column 6); expected each id once"#
            ),
            problem(
                28,
                12,
                r#"interval "10ms" is too short; expected at least 100ms"#
            ),
        ]
    );
    assert_eq!(
        error(text).lines().next(),
        Some(
            r#"plan.toml:6:6: duplicate checklist id "backup" (first at line 2, column 6); expected each id once"#
        )
    );
}

#[test]
fn toml_syntax_error() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]
"#;
    assert_eq!(
        error(text),
        "plan.toml:5:9: unclosed array table; expected `]`"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = r#"
[release]
name = "Réléase"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Café"; priority = "high"
"#;
    let problems = problems(text);
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].line, problems[0].column), (7, 15));
}

// --- A valid plan ----------------------------------------------------------------

#[test]
fn minimal_plan_parses_with_defaults() {
    let text = r#"
[release]
name = "Friday release"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "API-TIMEOUT"
title = "API timeout setting change"
priority = "critical"

[[checklist]]
id = "rollback-plan"
text = "Rollback plan ready"

[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }
"#;
    let plan = load(text).unwrap();
    assert_eq!(
        plan,
        Plan {
            release: Release {
                name: "Friday release".into(),
                schedule: Schedule {
                    deploy_at: Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap(),
                    zone: Zone::Fixed(chrono::FixedOffset::east_opt(9 * 3600).unwrap()),
                    watch_for: Duration::from_secs(50 * 60),
                    milestones: Vec::new(),
                    check_in_every: None,
                    check_ins_until: Utc.with_ymd_and_hms(2026, 11, 29, 14, 50, 0).unwrap(),
                },
                list_at: None,
            },
            items: vec![ReleaseItem {
                id: "API-TIMEOUT".into(),
                title: "API timeout setting change".into(),
                priority: Priority::Critical,
                status: ItemStatus::Untested,
                owner: None,
                risk: None,
                added_at: None,
            }],
            checklist: vec![ChecklistEntry {
                id: "rollback-plan".into(),
                text: "Rollback plan ready".into(),
                group: "General".into(),
                required: true,
                requires: None,
                after: false,
            }],
            rollback: None,
            metrics: vec![MetricSpec {
                name: "TPS".into(),
                unit: String::new(),
                source: SourceSpec::Demo {
                    signal: Signal::Tps,
                    seed: 0,
                },
                interval: Duration::from_secs(5),
                limits: Limits {
                    warn: None,
                    crit: None,
                },
                hold: Duration::from_secs(30),
                bell: true,
                counts: false,
                gate: true,
            }],
            gate: GateRules::default(),
            policies: Vec::new(),
            criteria: Default::default(),
            chat: None,
            journal: None,
            private: Vec::new(),
        }
    );
}

#[test]
fn blank_owner_and_group_fall_back() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
owner = "  "

[[checklist]]
id = "c"
text = "Check"
group = " "
"#;
    let plan = load(text).unwrap();
    assert_eq!(plan.items[0].owner, None);
    assert_eq!(plan.checklist[0].group, "General");
}

#[test]
fn demo_plan_file_is_valid() {
    let plan = load(include_str!("../assets/demo.toml")).unwrap();
    assert_eq!(plan.items.len(), 12);
    assert_eq!(plan.checklist.len(), 30);
    assert_eq!(plan.metrics.len(), 6);
}

#[test]
fn every_problem_of_one_metric_is_reported() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "Latency"
source = { demo = { signal = "latency_p95" } }
interval = "1ms"
warn = 5
crit = 1
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:17:12: interval \"1ms\" is too short; expected at least 100ms\n\
         plan.toml:19:8: crit 1 is not above warn 5; expected crit > warn"
    );
}

#[test]
fn source_written_as_a_word_says_what_to_write() {
    let text = with_metrics(
        r#"
[[metrics]]
name = "TPS"
source = "demo"
"#,
    );
    assert_eq!(
        error(&text),
        "plan.toml:16:10: expected a table naming the source, like { demo = { signal = \"tps\" } }"
    );
}

#[test]
fn rust_type_names_never_reach_the_user() {
    let item = |line: &str| {
        format!(
            "[release]\nname = \"R\"\ndeploy_at = \"2026-11-27T23:00:00+09:00\"\n\n\
             [[items]]\nid = \"A\"\ntitle = \"T\"\n{line}\n\n\
             [[checklist]]\nid = \"c\"\ntext = \"Check\"\n"
        )
    };
    let cases = [
        (
            "priority = 1",
            "plan.toml:8:12: expected a quoted value, like \"high\"",
        ),
        (
            "priority = \"high\"\nrisk = { impact = 1.5, likelihood = 2, recovery = \"1h\" }",
            "plan.toml:9:19: floating point `1.5`; expected a whole number",
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(error(&item(line)), expected, "{line}");
    }
}

#[test]
fn durations_have_upper_bounds() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"
watch_for = "300000y"

[[items]]
id = "A"
title = "T"
priority = "low"
risk = { impact = 1, likelihood = 1, recovery = "60d" }

[[checklist]]
id = "c"
text = "Check"

[[metrics]]
name = "TPS"
source = { demo = { signal = "tps" } }
interval = "1h"
"#;
    assert_eq!(
        error(text),
        "plan.toml:4:13: watch_for \"300000y\" is too long; expected at most 7d\n\
         plan.toml:10:49: risk recovery \"60d\" is too long; expected at most 30d\n\
         plan.toml:19:12: interval \"1h\" is too long; expected at most 10m"
    );
}

#[test]
fn deploy_at_with_offset_and_no_seconds() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00+09:00"

[[items]]
id = "A"
title = "T"
priority = "low"

[[checklist]]
id = "c"
text = "Check"
"#;
    let plan = load(text).expect("valid plan");
    assert_eq!(
        plan.release.schedule.deploy_at,
        Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap()
    );
}

#[test]
fn gate_rules_override_the_defaults_one_by_one() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[gate]
pass_from = "high"
untested_below = "off"
metrics = "warn"
metrics_window = "30m"

[[items]]
id = "A"
title = "T"
priority = "low"

[[checklist]]
id = "c"
text = "Check"
"#;
    let gate = load(text).expect("valid plan").gate;
    assert_eq!(
        gate,
        GateRules {
            pass_from: warroom::domain::Priority::High,
            untested_below: Severity::Off,
            metrics: Severity::Warn,
            metrics_window: Duration::from_secs(30 * 60),
            ..GateRules::default()
        }
    );
}

#[test]
fn gate_rules_say_what_they_accept() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[gate]
checklist = "maybe"

[[items]]
id = "A"
title = "T"
priority = "low"

[[checklist]]
id = "c"
text = "Check"
"#;
    assert_eq!(
        error(text),
        "plan.toml:6:13: unknown value `maybe`; expected one of `block`, `warn`, `off`"
    );
}

#[test]
fn probe_settings_are_checked() {
    let cases = [
        (
            "source = { probe = { url = \"http://127.0.0.1:8080/health\", signal = \"latency_p95\", calls = 0 } }",
            "calls is 0; expected 1 to 100 at once",
        ),
        (
            "source = { probe = { url = \"http://127.0.0.1:8080/health\", signal = \"latency_p95\", timeout = \"5s\" } }",
            "timeout \"5s\" is not shorter than the interval; a call must end before the next is due",
        ),
        (
            "source = { probe = { url = \"http://127.0.0.1:8080/health\", signal = \"speed\" } }",
            "unknown value `speed`; expected one of `latency_avg`, `latency_p95`, `latency_max`, `error_rate`",
        ),
        (
            "source = { http_json = { url = \"http://127.0.0.1:8080/stats\", pointer = \"latency.p95\" } }",
            "expected a JSON pointer like \"/latency/p95\" (or \"\" for the whole answer)",
        ),
    ];
    for (source, message) in cases {
        let text = with_metrics(&format!(
            "\n[[metrics]]\nname = \"Health\"\n{source}\ninterval = \"5s\"\n"
        ));
        let err = error(&text);
        assert!(err.ends_with(message), "{source}: {err}");
    }
}

// --- Checklist entries bound to facts ------------------------------------------

const BOUND: &str = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "API"
title = "API timeout"
priority = "critical"
max_timeouts = 0
timeout = "500ms"

[[checklist]]
id = "c"
text = "Tests complete"
requires = "REQUIRES"
"#;

#[test]
fn a_checklist_entry_bound_to_facts() {
    for (requires, expected) in [
        (
            "items_passed",
            warroom::domain::requirement::Requirement::ItemsPassed,
        ),
        (
            "evidence",
            warroom::domain::requirement::Requirement::Evidence,
        ),
        (
            "evidence:API",
            warroom::domain::requirement::Requirement::EvidenceOn("API".into()),
        ),
    ] {
        let plan = load(&BOUND.replace("REQUIRES", requires)).expect("valid");
        assert_eq!(plan.checklist[0].requires, Some(expected));
    }
}

#[test]
fn an_unknown_fact_or_item_is_pointed_at() {
    assert_eq!(
        error(&BOUND.replace("REQUIRES", "tests_done")),
        "plan.toml:15:12: requires = \"tests_done\" is not a fact warroom knows; expected \
         \"items_passed\", \"evidence\" or \"evidence:ITEM-ID\""
    );
    assert_eq!(
        error(&BOUND.replace("REQUIRES", "evidence:PAY")),
        "plan.toml:15:12: requires evidence on \"PAY\", which is not a release item; expected one of API"
    );
    let without_criteria = BOUND
        .replace("max_timeouts = 0\n", "")
        .replace("REQUIRES", "evidence");
    assert_eq!(
        error(&without_criteria),
        "plan.toml:14:12: requires = \"evidence\" but no item has pass criteria \
         (max_error_rate, max_timeouts or p95_under) to prove"
    );
}

// --- The team's chat -------------------------------------------------------------

const CHAT: &str = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "c"
text = "Checked"

[chat]
webhook_env = "ENV"
EVENTS
"#;

#[test]
fn a_chat_names_its_webhook_s_variable_and_known_events() {
    let plan = load(&CHAT.replace("ENV", "TEAM_WEBHOOK").replace("EVENTS", "")).expect("valid");
    let chat = plan.chat.expect("chat");
    assert_eq!(chat.webhook_env, "TEAM_WEBHOOK");
    assert_eq!(chat.events.len(), 7);
    let plan = load(
        &CHAT
            .replace("ENV", "TEAM_WEBHOOK")
            .replace("EVENTS", r#"events = ["alert", "check_in", "alert"]"#),
    )
    .expect("valid");
    assert_eq!(
        plan.chat.expect("chat").events,
        [
            warroom::spec::ChatEvent::Alert,
            warroom::spec::ChatEvent::CheckIn
        ]
    );
}

#[test]
fn a_url_in_the_plan_or_an_unknown_event_is_refused() {
    assert_eq!(
        error(
            &CHAT
                .replace("ENV", "https://hooks.example/T0/B0/x")
                .replace("EVENTS", "")
        ),
        "plan.toml:15:15: webhook_env = \"https://hooks.example/T0/B0/x\" is not an environment \
         variable's name; expected one like \"WARROOM_CHAT_WEBHOOK\" (the URL itself never goes in the plan)"
    );
    assert_eq!(
        error(
            &CHAT
                .replace("ENV", "TEAM_WEBHOOK")
                .replace("EVENTS", r#"events = ["everything"]"#)
        ),
        "plan.toml:16:11: unknown chat event \"everything\"; expected one of verdict, approval, deploy, alert, check_in, check_in_due, check_in_missed"
    );
}
