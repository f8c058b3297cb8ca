//! The seat's own settings, in `warroom/config.toml` under the platform's
//! config folder (`~/.config` on Linux): the theme, the name to mark as, the
//! bell, and keys moved to where a person's fingers expect them. Nothing in
//! it is the night's: two seats with different configs see the same night.
//!
//! ```toml
//! theme = "high-contrast"
//! name = "mina"
//! bell = false
//!
//! [keys]
//! approve = "a"
//! present = "P"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::plan::error::{Locator, Problem, printable};
use crate::ui::theme::ThemeName;

/// A config file larger than this is not a config file.
const MAX_CONFIG: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    pub theme: Option<ThemeName>,
    pub name: Option<String>,
    /// `false` keeps this seat's terminal quiet on alerts and check-ins.
    pub bell: bool,
    pub keys: KeyOverrides,
}

/// Keys moved by the config: the key pressed, and the default key of the
/// action it does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyOverrides {
    moved: BTreeMap<char, char>,
    /// Default keys whose action moved elsewhere: pressing them does nothing.
    freed: Vec<char>,
}

impl KeyOverrides {
    /// The key the keymap should see for `pressed`.
    pub fn translate(&self, pressed: char) -> Option<char> {
        if let Some(default) = self.moved.get(&pressed) {
            return Some(*default);
        }
        (!self.freed.contains(&pressed)).then_some(pressed)
    }

    /// The key that now does what `default` did, when it moved.
    pub fn moved_to(&self, default: char) -> Option<char> {
        self.moved
            .iter()
            .find(|(_, d)| **d == default)
            .map(|(pressed, _)| *pressed)
    }

    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }
}

/// The actions a config may move, by name, with their default keys.
pub const ACTIONS: &[(&str, char)] = &[
    ("approve", 'A'),
    ("check", ' '),
    ("not_applicable", 'n'),
    ("status", 's'),
    ("edit", 'e'),
    ("note", 'N'),
    ("import", 'i'),
    ("report", 'r'),
    ("post_status", 'S'),
    ("deploy_done", 'D'),
    ("check_in", 'c'),
    ("undo", 'u'),
    ("sort", 'o'),
    ("zoom", 'z'),
    ("full", 'f'),
    ("present", 'p'),
    ("theme", 'T'),
    ("matrix", 'm'),
    ("log", 'L'),
    ("reasons", 'g'),
    ("help", '?'),
    ("next", 'j'),
    ("previous", 'k'),
    ("quit", 'q'),
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {source}", printable(&path.display().to_string()))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", printable(&format!("{}:{}:{}: {}", path.display(), problem.line, problem.column, problem.message)))]
    Invalid { path: PathBuf, problem: Problem },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    theme: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    bell: Option<bool>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// Where this seat's config is: `warroom/config.toml` in the platform's
/// config folder (`$XDG_CONFIG_HOME`, else `~/.config`, on Linux).
pub fn path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "warroom").map(|d| d.config_dir().join("config.toml"))
}

/// The config at `path`; none there is the defaults.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let read = |source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    match crate::input::open_to_read(path, MAX_CONFIG) {
        Ok(mut file) => {
            crate::input::read_capped(&mut file, MAX_CONFIG, &mut bytes).map_err(read)?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default_on()),
        Err(e) => return Err(read(e)),
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        read(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        ))
    })?;
    parse(&text).map_err(|problem| ConfigError::Invalid {
        path: path.to_path_buf(),
        problem,
    })
}

impl Config {
    /// The defaults: the bell on, nothing moved.
    pub fn default_on() -> Config {
        Config {
            bell: true,
            ..Config::default()
        }
    }
}

pub fn parse(text: &str) -> Result<Config, Problem> {
    let loc = Locator::new(text);
    let file: ConfigFile = toml::from_str(text)
        .map_err(|e| loc.problem(e.span(), crate::plan::validate::toml_message(e.message())))?;
    let theme = match file.theme {
        None => None,
        Some(t) => Some(ThemeName::parse(t.get_ref()).ok_or_else(|| {
            loc.problem(
                Some(t.span()),
                format!(
                    "theme = \"{}\" is not a theme; expected \"dark\", \"light\" or \"high-contrast\"",
                    t.get_ref()
                ),
            )
        })?),
    };
    let name = match file.name {
        None => None,
        Some(n) => {
            let name = n.get_ref().trim().to_string();
            if name.is_empty() || name.chars().any(crate::outside::is_hostile) {
                return Err(loc.problem(
                    Some(n.span()),
                    "name is empty or has control characters; expected a name like \"mina\"",
                ));
            }
            Some(name)
        }
    };
    let keys = keys(&loc, &file.keys)?;
    Ok(Config {
        theme,
        name,
        bell: file.bell.unwrap_or(true),
        keys,
    })
}

/// The name of the action whose default key is `default`.
fn action_of(default: char) -> &'static str {
    ACTIONS
        .iter()
        .find(|(_, d)| *d == default)
        .map_or("?", |a| a.0)
}

/// Where the file gives `action` its key, to point the error at.
fn key_span(
    entries: &BTreeMap<Spanned<String>, Spanned<String>>,
    action: &str,
) -> Option<std::ops::Range<usize>> {
    entries
        .iter()
        .find(|(a, _)| a.get_ref() == action)
        .map(|(_, k)| k.span())
}

fn keys(
    loc: &Locator,
    entries: &BTreeMap<Spanned<String>, Spanned<String>>,
) -> Result<KeyOverrides, Problem> {
    let mut overrides = KeyOverrides::default();
    // In the file's order, so the second of two clashing lines is the one named.
    let mut in_order: Vec<_> = entries.iter().collect();
    in_order.sort_by_key(|(action, _)| action.span().start);
    for (action, key) in in_order {
        let Some(&(_, default)) = ACTIONS.iter().find(|(name, _)| name == action.get_ref()) else {
            let names: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
            return Err(loc.problem(
                Some(action.span()),
                format!(
                    "no action is called `{}`; expected one of {}",
                    action.get_ref(),
                    names.join(", ")
                ),
            ));
        };
        let mut chars = key.get_ref().chars();
        let (Some(pressed), None) = (chars.next(), chars.next()) else {
            return Err(loc.problem(
                Some(key.span()),
                format!(
                    "{} = \"{}\": expected one character, like \"a\"",
                    action.get_ref(),
                    key.get_ref()
                ),
            ));
        };
        if pressed.is_control() || pressed.is_ascii_digit() {
            return Err(loc.problem(
                Some(key.span()),
                format!(
                    "{} = \"{}\": digits choose panes and control keys cannot be typed; expected a letter or a sign",
                    action.get_ref(),
                    key.get_ref()
                ),
            ));
        }
        if let Some(taken) = overrides.moved.get(&pressed) {
            let other = ACTIONS
                .iter()
                .find(|(_, d)| d == taken)
                .map_or("?", |a| a.0);
            return Err(loc.problem(
                Some(key.span()),
                format!(
                    "\"{pressed}\" is given to both `{other}` and `{}`",
                    action.get_ref()
                ),
            ));
        }
        overrides.moved.insert(pressed, default);
        overrides.freed.push(default);
    }
    // A key moved onto another action's default takes it only if that action
    // moved too: nothing may silently lose its key.
    for (&pressed, &default) in &overrides.moved {
        let owner = ACTIONS.iter().find(|(_, d)| *d == pressed && *d != default);
        if let Some((name, _)) = owner
            && !overrides.freed.contains(&pressed)
        {
            let action = action_of(default);
            let span = key_span(entries, action);
            return Err(loc.problem(
                span,
                format!(
                    "\"{pressed}\" already does `{name}`; move `{name}` too, or give `{action}` another key"
                ),
            ));
        }
    }
    // Nor may it take a key the room uses for something no config moves
    // (`/`, `G`, `w`, the arrows' letters…).
    for (&pressed, &default) in &overrides.moved {
        if ACTIONS.iter().any(|(_, d)| *d == pressed) {
            continue;
        }
        let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(pressed));
        let used = [
            crate::app::keymap::KeyMode::Panes,
            crate::app::keymap::KeyMode::Reading,
        ]
        .into_iter()
        .any(|mode| crate::app::keymap::map_key(key, mode).is_some());
        if used {
            let action = action_of(default);
            let span = key_span(entries, action);
            return Err(loc.problem(
                span,
                format!("\"{pressed}\" already has a use in the room (? lists the keys); give `{action}` another key"),
            ));
        }
    }
    overrides.freed.retain(|k| !overrides.moved.contains_key(k));
    Ok(overrides)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config_reads() {
        let config = parse(
            "theme = \"light\"\nname = \"mina\"\nbell = false\n[keys]\napprove = \"a\"\npresent = \"P\"\n",
        )
        .expect("valid");
        assert_eq!(config.theme, Some(ThemeName::Light));
        assert_eq!(config.name.as_deref(), Some("mina"));
        assert!(!config.bell);
        assert_eq!(config.keys.translate('a'), Some('A'));
        assert_eq!(config.keys.translate('P'), Some('p'));
        // The old keys do nothing now; the others are as they were.
        assert_eq!(config.keys.translate('A'), None);
        assert_eq!(config.keys.translate('p'), None);
        assert_eq!(config.keys.translate('j'), Some('j'));
        assert_eq!(config.keys.moved_to('A'), Some('a'));
    }

    #[test]
    fn two_actions_may_swap_keys() {
        let config = parse("[keys]\nnext = \"k\"\nprevious = \"j\"\n").expect("valid");
        assert_eq!(config.keys.translate('k'), Some('j'));
        assert_eq!(config.keys.translate('j'), Some('k'));
    }

    #[test]
    fn mistakes_are_said_with_their_place() {
        let said = |text: &str| {
            let p = parse(text).expect_err("invalid");
            format!("{}:{}: {}", p.line, p.column, p.message)
        };
        assert_eq!(
            said("theme = \"solarized\"\n"),
            "1:9: theme = \"solarized\" is not a theme; expected \"dark\", \"light\" or \"high-contrast\""
        );
        assert!(said("colour = 1\n").starts_with("1:1: unknown key `colour`"));
        assert!(said("[keys]\napprov = \"a\"\n").starts_with("2:1: no action is called `approv`"));
        assert_eq!(
            said("[keys]\nundo = \"j\"\n"),
            "2:8: \"j\" already does `next`; move `next` too, or give `undo` another key"
        );
        assert_eq!(
            said("[keys]\napprove = \"/\"\n"),
            "2:11: \"/\" already has a use in the room (? lists the keys); give `approve` another key"
        );
        assert_eq!(
            said("[keys]\nundo = \"ab\"\n"),
            "2:8: undo = \"ab\": expected one character, like \"a\""
        );
        assert_eq!(
            said("[keys]\nundo = \"x\"\nsort = \"x\"\n"),
            "3:8: \"x\" is given to both `undo` and `sort`"
        );
    }

    #[test]
    fn no_file_is_the_defaults() {
        let config = load(Path::new("/nonexistent/warroom/config.toml")).expect("defaults");
        assert_eq!(config, Config::default_on());
        assert!(config.bell);
    }
}
