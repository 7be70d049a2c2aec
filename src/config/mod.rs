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
use crate::domain::ShardPlan;

mod layers;

use layers::{apply_env, merge_known};

/// The documented defaults, which are also the list of known keys.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

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
    /// Which gateway shards this process runs.
    pub shards: ShardPlan,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub discord: DiscordConfig,
    /// An `sqlite:` URL (the embedded default) or a `postgres://` URL (several processes).
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
    shards: String,
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
        let shards = raw
            .discord
            .shards
            .parse::<ShardPlan>()
            .map_err(|why| ConfigError(format!("config key `discord.shards`: {why}")))?;
        let database_url = raw.database.url.trim().to_string();
        let known_scheme = ["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|scheme| database_url.starts_with(scheme));
        if !known_scheme {
            return Err(ConfigError(format!(
                "config key `database.url`: \"{database_url}\" is neither an sqlite: URL (for example sqlite://data/studybot.db) nor a postgres:// URL (for example postgres://studybot@db.internal/studybot)"
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
                shards,
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

#[cfg(test)]
mod tests;
