//! Configuration tests: layers, key-naming errors, secrets.

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
        ("STUDYBOT_DISCORD_SHARDS", "2-1/4", "discord.shards"),
        ("STUDYBOT_DISCORD_SHARDS", "some", "discord.shards"),
        ("STUDYBOT_DATABASE_URL", "mysql://x", "database.url"),
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

#[test]
fn shards_default_to_auto_and_take_a_range_from_a_file_or_the_environment() {
    use crate::domain::{ShardPlan, ShardRange};
    let config = Config::load(None, &env(&[])).unwrap();
    assert_eq!(config.discord.shards, ShardPlan::Auto);
    let file = file_with("[discord]\nshards = \"0-0/2\"\n");
    let config = Config::load(Some(file.path()), &env(&[])).unwrap();
    assert_eq!(
        config.discord.shards,
        ShardPlan::Range(ShardRange::new(0, 0, 2).unwrap())
    );
    let config = Config::load(
        Some(file.path()),
        &env(&[("STUDYBOT_DISCORD_SHARDS", "1-1/2")]),
    )
    .unwrap();
    assert_eq!(
        config.discord.shards,
        ShardPlan::Range(ShardRange::new(1, 1, 2).unwrap())
    );
}
