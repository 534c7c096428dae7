//! The config file (TOML). Layers, lowest first: built-in defaults,
//! `$XDG_CONFIG_HOME/taskscope/config.toml` (or `~/.config/...`),
//! `./taskscope.toml`, `--config FILE`, then flags given on the command
//! line. Each file only needs the keys it changes; unknown keys and bad
//! values are rejected with the file and the key named.

mod apply;
pub mod keys;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

pub use apply::apply;
pub use keys::{KeyOverrides, KeySpec};

/// Everything a config file can set. `Default` is the built-in defaults,
/// the same as the command line's.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// How long done tasks stay visible (`--retain`).
    #[serde(deserialize_with = "duration")]
    pub retain: Duration,
    /// How often the source delivers a batch (`--interval`).
    #[serde(deserialize_with = "interval")]
    pub interval: Duration,
    /// Worker threads of a demo's runtime (`demo --workers`).
    #[serde(deserialize_with = "workers")]
    pub workers: u16,
    pub theme: ThemeConfig,
    /// Action name -> key or keys, replacing that action's default keys.
    pub keys: BTreeMap<String, KeySpec>,
    pub lints: LintsConfig,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeConfig {
    /// ASCII glyphs only (`--ascii`).
    pub ascii: bool,
    /// Colours at all (`--no-color` and `NO_COLOR` turn them off).
    pub color: bool,
}

/// The lints' settings, the file's side of `--warn`, `--allow` and
/// `--threshold` (checked against the lints when the file is read).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LintsConfig {
    /// Lint ids (or "all") to turn on; wins over `allow` in the file.
    pub warn: Vec<String>,
    /// Lint ids (or "all") to turn off.
    pub allow: Vec<String>,
    /// `"lint.threshold" = value`, as `--threshold lint.threshold=value`.
    #[serde(deserialize_with = "thresholds")]
    pub thresholds: BTreeMap<String, f64>,
}

impl LintsConfig {
    /// The thresholds as `--threshold` writes them.
    #[must_use]
    pub fn threshold_args(&self) -> Vec<String> {
        self.thresholds
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            retain: Duration::from_secs(6),
            interval: Duration::from_millis(100),
            workers: 2,
            theme: ThemeConfig::default(),
            keys: BTreeMap::new(),
            lints: LintsConfig::default(),
        }
    }
}

impl Default for ThemeConfig {
    fn default() -> Self {
        Self {
            ascii: false,
            color: true,
        }
    }
}

/// A config file that could not be used, as one line naming the file (and
/// where in it, if known).
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses one file's text. `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| toml_error(&e, text, path))?;
        // Key names and key strings are checked here, so a typo fails at
        // start-up rather than silently doing nothing.
        KeyOverrides::parse(&config.keys)
            .map_err(|e| ConfigError(format!("{}: [keys] {e}", path.display())))?;
        let l = &config.lints;
        crate::lints::LintConfig::from_args(&l.warn, &l.allow, &l.threshold_args())
            .map_err(|e| ConfigError(format!("{}: [lints] {e}", path.display())))?;
        Ok(config)
    }

    /// The defaults with every file that exists layered on, then `explicit`
    /// (which must exist).
    pub fn load(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        let mut files: Vec<PathBuf> = default_paths()
            .into_iter()
            .filter(|p| p.is_file())
            .collect();
        files.extend(explicit.map(Path::to_path_buf));
        let mut merged = toml::Table::new();
        let mut last = None;
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                ConfigError(format!("cannot read config file {}: {e}", path.display()))
            })?;
            // Check each file alone so an error names the file it is in.
            Self::parse(&text, &path)?;
            let table: toml::Table =
                toml::from_str(&text).map_err(|e| toml_error(&e, &text, &path))?;
            merge(&mut merged, table);
            last = Some(path);
        }
        let Some(last) = last else {
            return Ok(Self::default());
        };
        merged.try_into().map_err(|e: toml::de::Error| {
            ConfigError(format!("{}: {}", last.display(), e.message()))
        })
    }

    /// The key bindings this config asks for (validated by `parse`).
    #[must_use]
    pub fn key_overrides(&self) -> KeyOverrides {
        KeyOverrides::parse(&self.keys).unwrap_or_default()
    }
}

/// The implicit config files, lowest layer first.
#[must_use]
pub fn default_paths() -> Vec<PathBuf> {
    let user_dir = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    let mut paths: Vec<PathBuf> = user_dir
        .map(|d| d.join("taskscope").join("config.toml"))
        .into_iter()
        .collect();
    paths.push(PathBuf::from("taskscope.toml"));
    paths
}

/// Keys of `top` replace those of `base`; tables are merged key by key.
fn merge(base: &mut toml::Table, top: toml::Table) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(t)) => merge(b, t),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// `path:line:column: key: message`, on one line.
fn toml_error(e: &toml::de::Error, text: &str, path: &Path) -> ConfigError {
    let message = e.message().trim().replace('\n', " ");
    let Some(span) = e.span() else {
        return ConfigError(format!("{}: {message}", path.display()));
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.len() - line_start + 1;
    let key = key_at(text, line_start)
        .filter(|k| !message.contains(k.rsplit('.').next().unwrap_or(k)))
        .map_or(String::new(), |k| format!("{k}: "));
    ConfigError(format!(
        "{}:{line}:{column}: {key}{message}",
        path.display()
    ))
}

/// The dotted key set on the line starting at `line_start` (`theme.ascii`),
/// for errors about a value, which toml reports without its key.
fn key_at(text: &str, line_start: usize) -> Option<String> {
    let line = text[line_start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim());
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_owned(),
    })
}

fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let s = String::deserialize(d)?;
    crate::cli::parse_duration(&s)
        .map_err(|e| serde::de::Error::custom(format!("cannot read '{s}' as a duration: {e}")))
}

fn interval<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let v = duration(d)?;
    if v.is_zero() {
        return Err(serde::de::Error::custom("interval must be more than 0"));
    }
    Ok(v)
}

fn workers<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    let n = i64::deserialize(d)?;
    u16::try_from(n)
        .ok()
        .filter(|n| (1..=256).contains(n))
        .ok_or_else(|| serde::de::Error::custom(format!("workers must be 1 to 256, not {n}")))
}

fn thresholds<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, f64>, D::Error> {
    let map = BTreeMap::<String, f64>::deserialize(d)?;
    if let Some((lint, v)) = map.iter().find(|(_, v)| !v.is_finite() || **v < 0.0) {
        return Err(serde::de::Error::custom(format!(
            "threshold of {lint} must be a number >= 0, not {v}"
        )));
    }
    Ok(map)
}

/// The text of `taskscope gen-config`: every key at its default, commented.
#[must_use]
pub fn default_file() -> String {
    let d = Config::default();
    format!(
        r#"# taskscope configuration.
# Read from $XDG_CONFIG_HOME/taskscope/config.toml (or ~/.config/taskscope/config.toml),
# then ./taskscope.toml, then --config FILE; later files win, and flags given on
# the command line win over every file. Every key is optional.

# How long done tasks stay visible (--retain). Durations: "500ms", "6s", "1m".
retain = "{retain}"
# How often the source delivers a batch of events (--interval).
interval = "{interval}"
# Worker threads of a demo's runtime (demo --workers), 1 to 256.
workers = {workers}

[theme]
# Plain ASCII glyphs instead of Unicode symbols (--ascii).
ascii = {ascii}
# Colours; --no-color or the NO_COLOR environment variable turn them off.
color = {color}

[keys]
# Replace an action's keys: action = "key" or ["key", "key"]. Keys: a
# character ("q", "G", "+"), "space", "esc", "up", "down", "left", "right",
# "shift-left", "shift-right", "home", "end", "ctrl-c". Over a replay, its
# keys (step_frame ... speed_up) come first. Actions:
{actions}
# quit = ["q", "ctrl-c"]

[lints]
# Lints to turn off or on (ids, or "all"), as --allow and --warn; warn wins.
# Lints:
{lints}
allow = []
warn = []
# Thresholds, as --threshold LINT.NAME=VALUE:
{thresholds}
[lints.thresholds]
"#,
        retain = humantime::format_duration(d.retain),
        interval = humantime::format_duration(d.interval),
        workers = d.workers,
        ascii = d.theme.ascii,
        color = d.theme.color,
        actions = comment_lines(&keys::action_names().join(", ")),
        lints = comment_lines(&lint_ids().join(", ")),
        thresholds = threshold_lines(),
    )
}

fn lint_ids() -> Vec<&'static str> {
    crate::lints::LINTS.iter().map(|l| l.id()).collect()
}

/// Every lint threshold at its default, commented out, with its help.
fn threshold_lines() -> String {
    let mut lines = Vec::new();
    for lint in crate::lints::LINTS {
        for t in lint.thresholds() {
            lines.push(format!("#   {}", t.help));
            lines.push(format!("# \"{}.{}\" = {:?}", lint.id(), t.name, t.default));
        }
    }
    lines.join("\n")
}

/// `text` as `#` comment lines of at most about 78 columns.
fn comment_lines(text: &str) -> String {
    let mut lines = vec![String::from("#")];
    for word in text.split(' ') {
        if lines.last().is_some_and(|l| l.len() + word.len() > 76) {
            lines.push(String::from("#"));
        }
        if let Some(l) = lines.last_mut() {
            l.push(' ');
            l.push_str(word);
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests;
