//! Who this seat is: its config and the name it marks as, and the demo's
//! own journal.

use std::path::PathBuf;

use warroom::config::Config;

/// The seat's config: `--config`, else `warroom/config.toml` in the
/// platform's config folder; none there is the defaults.
pub(crate) fn seat_config(flag: Option<&std::path::Path>) -> Result<Config, String> {
    let Some(path) = flag.map(PathBuf::from).or_else(warroom::config::path) else {
        return Ok(Config::default_on());
    };
    warroom::config::load(&path).map_err(|e| e.to_string())
}

/// Who marks: `--as`, else `WARROOM_USER`, else the config's name, else the login.
/// A config that does not read matters only when its name is needed.
pub(crate) fn actor(
    flag: Option<String>,
    config: Result<&Config, &String>,
) -> Result<String, String> {
    let given = |name: &String| !name.trim().is_empty();
    let name = match flag.or_else(|| std::env::var("WARROOM_USER").ok().filter(given)) {
        Some(name) => Some(name),
        None => config.map_err(String::clone)?.name.clone(),
    };
    let name = name
        .or_else(|| whoami::username().ok().filter(given))
        .unwrap_or_default();
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 40 {
        return Err(format!(
            "who are you? \"{}\" is not a usable name; give one with --as NAME (up to 40 characters)",
            name.escape_default()
        ));
    }
    Ok(name)
}

/// Each demo run opens the story fresh at 16:40, in a journal of its own; the
/// newest few stay on disk, older rehearsals are removed.
pub(crate) fn demo_journal() -> PathBuf {
    let dir = warroom::logging::log_dir().unwrap_or_else(std::env::temp_dir);
    let _ = std::fs::create_dir_all(&dir);
    // This run's journal is created later, so keep room for it.
    let keep = warroom::journal::demo_runs::KEPT - 1;
    if let Ok(removed) = warroom::journal::demo_runs::prune(&dir, keep)
        && !removed.is_empty()
    {
        tracing::info!(count = removed.len(), "old demo journals removed");
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    dir.join(format!("demo-{stamp}-{}.journal.jsonl", std::process::id()))
}

/// Who acts, or `None` once said why there is nobody.
pub(crate) fn actor_or_say(
    given: Option<String>,
    config: &Result<Config, String>,
) -> Option<String> {
    actor(given, config.as_ref())
        .map_err(|why| eprintln!("error: {}", warroom::outside::shown(&why)))
        .ok()
}
