//! The layers under the configuration: the built-in defaults, a file, the environment.
//! Each layer is checked against the defaults as it is merged, so a problem names its key and
//! where it came from.

use std::collections::HashMap;

use toml::{Table, Value};

use super::ConfigError;

pub(super) fn lookup<'a>(table: &'a Table, dotted: &str) -> Option<&'a Value> {
    let (section, key) = dotted.split_once('.')?;
    table.get(section)?.as_table()?.get(key)
}

/// Copies `overrides` into `merged`, refusing keys and shapes the defaults do not have.
pub(super) fn merge_known(
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

pub(super) fn apply_env(
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
