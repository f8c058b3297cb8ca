//! warroom: the release command center for deploy night.

pub mod app;
pub mod chat;
pub mod check;
pub mod check_in;
pub mod clock;
pub mod config;
pub mod domain;
pub mod import;
pub mod input;
pub mod journal;
pub mod loadtest;
pub mod logging;
pub mod metrics;
pub mod night;
pub mod outside;
pub mod plan;
pub mod probe;
pub mod report;
pub mod sources;
pub mod spec;
pub mod ui;
