//! Configuration: `config/default.toml` (built in), then `--config FILE`, then the environment.
//!
//! Layers are merged as TOML tables and checked against the defaults, so the defaults file is
//! both the documentation and the schema: a key it does not have is unknown, and a value of
//! the wrong shape is an error that names its key.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveTime;
use chrono_tz::Tz;
use serde::Deserialize;
use toml::{Table, Value};
use url::Url;

use crate::domain::options::parse_post_time;

/// The documented defaults, which are also the list of known keys.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// A Discord bot token. It has no `Display`, and its `Debug` hides it, so it cannot reach a log
/// line or an error message by accident; `expose` is the one deliberate way out.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    pub fn new(token: String) -> SecretToken {
        SecretToken(token)
    }

    /// The token itself, for the Discord client only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(<hidden>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone)]
pub struct DiscordConfig {
    pub token: Option<SecretToken>,
    pub proxy_url: Option<Url>,
    pub guild_commands: Vec<u64>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub discord: DiscordConfig,
    /// An `sqlite:` URL.
    pub database_url: String,
    /// `None` serves the built-in content.
    pub content_dir: Option<PathBuf>,
    pub default_post_time: NaiveTime,
    pub default_timezone: Tz,
    /// `None` turns the health and metrics server off.
    pub http_listen: Option<SocketAddr>,
    pub log_format: LogFormat,
}

/// The configuration's shape, section by section: every key of `config/default.toml`, and
/// nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    discord: RawDiscord,
    database: RawDatabase,
    content: RawContent,
    quiz: RawQuiz,
    http: RawHttp,
    log: RawLog,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscord {
    token: String,
    proxy_url: String,
    /// Numbers in a file, strings from the environment.
    guild_commands: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContent {
    dir: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    default_time: String,
    default_timezone: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    listen: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLog {
    format: String,
}

/// A configuration problem, naming the key it is about.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct ConfigError(String);

impl Config {
    /// Reads the layers: defaults, then `file` if given, then `env` (the process environment in
    /// production; a map in tests).
    pub fn load(file: Option<&Path>, env: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let defaults: Table = DEFAULT_TOML
            .parse()
            .map_err(|error| ConfigError(format!("built-in config/default.toml: {error}")))?;
        let mut merged = defaults.clone();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|error| {
                ConfigError(format!(
                    "cannot read the config file {}: {error}",
                    path.display()
                ))
            })?;
            let overrides: Table = text.parse().map_err(|error: toml::de::Error| {
                ConfigError(format!(
                    "the config file {} is not valid TOML: {}",
                    path.display(),
                    error.message().trim()
                ))
            })?;
            merge_known(
                &defaults,
                &mut merged,
                overrides,
                &path.display().to_string(),
            )?;
        }
        apply_env(&defaults, &mut merged, env)?;
        Config::from_table(merged)
    }

    /// Reads the defaults and the process environment only (no file).
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::load(None, &std::env::vars().collect())
    }

    fn from_table(table: Table) -> Result<Config, ConfigError> {
        // The merged layers already hold only known keys of the right types (checked, with
        // the origin named, while merging); the struct is the schema, and refusing unknown
        // fields keeps it and config/default.toml in step.
        let raw: RawConfig = table
            .try_into()
            .map_err(|error: toml::de::Error| ConfigError(format!("configuration: {error}")))?;
        let token = raw.discord.token.trim().to_string();
        let proxy_url = match raw.discord.proxy_url.trim() {
            "" => None,
            raw => Some(parse_http_url(raw).map_err(|why| {
                ConfigError(format!("config key `discord.proxy_url`: \"{raw}\" {why}"))
            })?),
        };
        let guild_commands = raw
            .discord
            .guild_commands
            .iter()
            .map(parse_guild_id)
            .collect::<Result<Vec<u64>, String>>()
            .map_err(|why| ConfigError(format!("config key `discord.guild_commands`: {why}")))?;
        let database_url = raw.database.url.trim().to_string();
        if !database_url.starts_with("sqlite:") {
            return Err(ConfigError(format!(
                "config key `database.url`: \"{database_url}\" is not an sqlite: URL (for example sqlite://data/studybot.db)"
            )));
        }
        let content_dir = Some(raw.content.dir.trim().to_string())
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from);
        let raw_time = raw.quiz.default_time.trim();
        let default_post_time = parse_post_time(raw_time).map_err(|_| {
            ConfigError(format!(
                "config key `quiz.default_time`: \"{raw_time}\" is not a time like 09:00 (HH:MM, 24-hour)"
            ))
        })?;
        let raw_zone = raw.quiz.default_timezone.trim();
        let default_timezone = Tz::from_str(raw_zone).map_err(|_| {
            ConfigError(format!(
                "config key `quiz.default_timezone`: \"{raw_zone}\" is not an IANA timezone such as Europe/Berlin or UTC"
            ))
        })?;
        let http_listen = match raw.http.listen.trim() {
            "" => None,
            raw => Some(SocketAddr::from_str(raw).map_err(|_| {
                ConfigError(format!(
                    "config key `http.listen`: \"{raw}\" is not an address like 127.0.0.1:9184 (or \"\" to turn it off)"
                ))
            })?),
        };
        let log_format = match raw.log.format.trim() {
            "pretty" => LogFormat::Pretty,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError(format!(
                    "config key `log.format`: \"{other}\" must be \"pretty\" or \"json\""
                )))
            }
        };
        Ok(Config {
            discord: DiscordConfig {
                token: Some(token).filter(|t| !t.is_empty()).map(SecretToken::new),
                proxy_url,
                guild_commands,
            },
            database_url,
            content_dir,
            default_post_time,
            default_timezone,
            http_listen,
            log_format,
        })
    }
}

fn parse_http_url(raw: &str) -> Result<Url, &'static str> {
    let url = Url::parse(raw).map_err(|_| "is not a URL")?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("must be an http:// or https:// URL with a host");
    }
    Ok(url)
}

fn parse_guild_id(value: &Value) -> Result<u64, String> {
    let id = match value {
        Value::Integer(id) => u64::try_from(*id).ok(),
        Value::String(id) => id.trim().parse::<u64>().ok(),
        _ => None,
    };
    id.filter(|id| *id > 0)
        .ok_or_else(|| format!("{value} is not a server id (a positive number)"))
}

fn lookup<'a>(table: &'a Table, dotted: &str) -> Option<&'a Value> {
    let (section, key) = dotted.split_once('.')?;
    table.get(section)?.as_table()?.get(key)
}

/// Copies `overrides` into `merged`, refusing keys and shapes the defaults do not have.
fn merge_known(
    defaults: &Table,
    merged: &mut Table,
    overrides: Table,
    origin: &str,
) -> Result<(), ConfigError> {
    for (section, value) in overrides {
        let Some(Value::Table(default_section)) = defaults.get(&section) else {
            return Err(ConfigError(format!(
                "unknown config section `[{section}]` in {origin} (known: {})",
                defaults.keys().cloned().collect::<Vec<_>>().join(", ")
            )));
        };
        let Value::Table(entries) = value else {
            return Err(ConfigError(format!(
                "config key `{section}` in {origin} must be a [{section}] table"
            )));
        };
        for (key, value) in entries {
            let Some(default) = default_section.get(&key) else {
                return Err(ConfigError(format!(
                    "unknown config key `{section}.{key}` in {origin} (known in [{section}]: {})",
                    default_section
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            if default.type_str() != value.type_str() {
                return Err(ConfigError(format!(
                    "config key `{section}.{key}` in {origin} must be {}, not {}",
                    default.type_str(),
                    value.type_str()
                )));
            }
            if let Some(Value::Table(target)) = merged.get_mut(&section) {
                target.insert(key, value);
            }
        }
    }
    Ok(())
}

const ENV_PREFIX: &str = "STUDYBOT_";

fn apply_env(
    defaults: &Table,
    merged: &mut Table,
    env: &HashMap<String, String>,
) -> Result<(), ConfigError> {
    let mut known: HashMap<String, (String, String)> = HashMap::new();
    for (section, entries) in defaults {
        if let Value::Table(entries) = entries {
            for key in entries.keys() {
                let name = format!("{ENV_PREFIX}{section}_{key}")
                    .to_uppercase()
                    .replace('-', "_");
                known.insert(name, (section.clone(), key.clone()));
            }
        }
    }
    let mut names: Vec<&String> = env
        .keys()
        .filter(|name| name.starts_with(ENV_PREFIX))
        .collect();
    names.sort();
    for name in names {
        if !known.contains_key(name) {
            return Err(ConfigError(format!(
                "unknown environment variable `{name}` (studybot reads STUDYBOT_<SECTION>_<KEY> for the keys in config/default.toml)"
            )));
        }
    }
    let mut overrides = Table::new();
    let mut set = |section: &str, key: &str, raw: &str| {
        let default = lookup(defaults, &format!("{section}.{key}"));
        let value = match default {
            Some(Value::Array(_)) => Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| Value::String(item.to_string()))
                    .collect(),
            ),
            _ => Value::String(raw.to_string()),
        };
        overrides
            .entry(section.to_string())
            .or_insert_with(|| Value::Table(Table::new()))
            .as_table_mut()
            .map(|table| table.insert(key.to_string(), value));
    };
    if let Some(token) = env.get("DISCORD_TOKEN") {
        set("discord", "token", token);
    }
    let mut from_env: Vec<(&String, &(String, String))> = known.iter().collect();
    from_env.sort();
    for (name, (section, key)) in from_env {
        if let Some(raw) = env.get(name) {
            set(section, key, raw);
        }
    }
    merge_known(defaults, merged, overrides, "the environment")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn file_with(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), text).expect("write config");
        file
    }

    #[test]
    fn the_defaults_alone_make_a_valid_config_without_a_token() {
        let config = Config::load(None, &env(&[])).expect("defaults are valid");
        assert!(config.discord.token.is_none());
        assert_eq!(config.database_url, "sqlite://data/studybot.db");
        assert_eq!(config.default_timezone, chrono_tz::UTC);
        assert_eq!(config.http_listen, Some("127.0.0.1:9184".parse().unwrap()));
    }

    #[test]
    fn a_file_overrides_defaults_and_the_environment_overrides_the_file() {
        let file =
            file_with("[quiz]\ndefault_timezone = \"Europe/Berlin\"\ndefault_time = \"07:30\"\n");
        let config = Config::load(
            Some(file.path()),
            &env(&[
                ("STUDYBOT_QUIZ_DEFAULT_TIME", "18:05"),
                ("DISCORD_TOKEN", "abc"),
            ]),
        )
        .expect("valid");
        assert_eq!(config.default_timezone, chrono_tz::Europe::Berlin);
        assert_eq!(
            config.default_post_time,
            NaiveTime::from_hms_opt(18, 5, 0).unwrap()
        );
        assert_eq!(
            config.discord.token.as_ref().map(SecretToken::expose),
            Some("abc")
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_that_names_it() {
        let file = file_with("[quiz]\ndefault_tme = \"07:30\"\n");
        let error = Config::load(Some(file.path()), &env(&[])).unwrap_err();
        assert!(error.to_string().contains("quiz.default_tme"), "{error}");
        let error = Config::load(None, &env(&[("STUDYBOT_QUIZ_TIMEZONE", "UTC")])).unwrap_err();
        assert!(
            error.to_string().contains("STUDYBOT_QUIZ_TIMEZONE"),
            "{error}"
        );
    }

    #[test]
    fn bad_values_are_errors_that_name_their_key() {
        let cases = [
            ("STUDYBOT_QUIZ_DEFAULT_TIME", "25:00", "quiz.default_time"),
            (
                "STUDYBOT_QUIZ_DEFAULT_TIMEZONE",
                "Mars/Olympus",
                "quiz.default_timezone",
            ),
            (
                "STUDYBOT_DISCORD_PROXY_URL",
                "not a url",
                "discord.proxy_url",
            ),
            ("STUDYBOT_HTTP_LISTEN", "localhost", "http.listen"),
            ("STUDYBOT_LOG_FORMAT", "xml", "log.format"),
            ("STUDYBOT_DATABASE_URL", "postgres://x", "database.url"),
            (
                "STUDYBOT_DISCORD_GUILD_COMMANDS",
                "12,abc",
                "discord.guild_commands",
            ),
        ];
        for (name, value, key) in cases {
            let error = Config::load(None, &env(&[(name, value)])).unwrap_err();
            assert!(error.to_string().contains(key), "{name}={value}: {error}");
        }
    }

    #[test]
    fn a_value_of_the_wrong_type_in_a_file_is_refused() {
        let file = file_with("[http]\nlisten = 9184\n");
        let error = Config::load(Some(file.path()), &env(&[])).unwrap_err();
        assert!(error.to_string().contains("http.listen"), "{error}");
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let config = Config::load(None, &env(&[("DISCORD_TOKEN", "super-secret-token")])).unwrap();
        let printed = format!("{config:?}");
        assert!(!printed.contains("super-secret-token"), "{printed}");
    }

    #[test]
    fn guild_ids_come_from_numbers_or_comma_separated_env() {
        let config = Config::load(
            None,
            &env(&[("STUDYBOT_DISCORD_GUILD_COMMANDS", "123, 456")]),
        )
        .unwrap();
        assert_eq!(config.discord.guild_commands, vec![123, 456]);
    }
}
