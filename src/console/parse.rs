//! Typed lines into commands: `/name sub option:value free text`, parsed with the same domain
//! parsers as Discord's options, so a bad value reads the same in both front ends.

use chrono::Duration;

use super::{role_id_for, user_id_for, CHANNEL_ID, CHANNEL_NAME};
use crate::app::{Command, MemberRef};
use crate::domain::community::BankSource;
use crate::domain::options::{parse_day, parse_post_time, parse_timezone};
use crate::domain::{Category, LeaderboardOrder, Period, PostingDays};

/// The longest `:advance` accepted: a year and a bit is plenty to try streaks and weeks.
const ADVANCE_MAX_DAYS: i64 = 400;

/// `90m`, `2h`, `1d`, `1d12h`.
pub(super) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total = Duration::zero();
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let amount: i64 = number.parse().ok()?;
        number.clear();
        total += match c {
            'm' => Duration::minutes(amount),
            'h' => Duration::hours(amount),
            'd' => Duration::days(amount),
            _ => return None,
        };
    }
    (number.is_empty() && total > Duration::zero() && total <= Duration::days(ADVANCE_MAX_DAYS))
        .then_some(total)
}

/// Splits a line into words, keeping "quoted phrases" together.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Options typed as `name:value`, and the rest as one free text.
struct Options {
    named: Vec<(String, String)>,
    free: String,
}

impl Options {
    fn parse(words: &[String], names: &[&str]) -> Options {
        let mut named = Vec::new();
        let mut free = Vec::new();
        for word in words {
            match word.split_once(':') {
                Some((name, value)) if names.contains(&name) => {
                    named.push((name.to_string(), value.to_string()))
                }
                _ => free.push(word.clone()),
            }
        }
        Options {
            named,
            free: free.join(" "),
        }
    }

    fn get(&self, name: &str) -> Option<String> {
        self.named
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    /// A named option, or else the free text.
    fn get_or_free(&self, name: &str) -> Option<String> {
        self.get(name)
            .or_else(|| (!self.free.is_empty()).then(|| self.free.clone()))
    }

    fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(|value| value == "true")
    }
}

/// A line starting with `/` as a command, or the sentence saying what is wrong with it.
pub(super) fn parse_command(line: &str) -> Result<Command, String> {
    let Some(line) = line.strip_prefix('/') else {
        return Err(
            "Commands start with / (like /explain jwt); console commands with : (like :help)."
                .into(),
        );
    };
    let all = words(line);
    let Some((name, rest)) = all.split_first() else {
        return Err("Type a command after the /.".into());
    };
    let required = |value: Option<String>, what: &str| {
        value
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("/{name} needs {what}."))
    };
    match name.as_str() {
        "explain" => {
            let options = Options::parse(rest, &["topic", "private"]);
            Ok(Command::Explain {
                topic: required(options.get_or_free("topic"), "a topic, like /explain jwt")?,
                private: options.flag("private"),
            })
        }
        "search" => {
            let options = Options::parse(rest, &["query"]);
            Ok(Command::Search {
                query: required(options.get_or_free("query"), "a query")?,
            })
        }
        "topics" => Ok(Command::Topics {
            category: Options::parse(rest, &["category"])
                .get_or_free("category")
                .map(|typed| typed.parse::<Category>())
                .transpose()
                .map_err(|error| error.to_string())?,
        }),
        "quiz" => {
            let practice = rest.first().is_some_and(|word| word == "practice");
            let rest = if practice { &rest[1..] } else { rest };
            let options = Options::parse(rest, &["topic", "practice"]);
            Ok(Command::Quiz {
                practice: practice || options.flag("practice"),
                topic: options.get_or_free("topic"),
            })
        }
        "streak" => {
            let options = Options::parse(rest, &["member"]);
            Ok(Command::Streak {
                member: member_option(&options),
            })
        }
        "leaderboard" => {
            let options = Options::parse(rest, &["by", "period"]);
            Ok(Command::Leaderboard {
                by: options
                    .get_or_free("by")
                    .map(|typed| typed.parse::<LeaderboardOrder>())
                    .transpose()
                    .map_err(|error| error.to_string())?
                    .unwrap_or_default(),
                period: options
                    .get("period")
                    .map(|typed| typed.parse::<Period>())
                    .transpose()
                    .map_err(|error| error.to_string())?
                    .unwrap_or_default(),
            })
        }
        "progress" => {
            let options = Options::parse(rest, &["member", "public"]);
            Ok(Command::Progress {
                member: member_option(&options),
                public: options.flag("public"),
            })
        }
        "suggest" => match rest.first().map(String::as_str) {
            Some("question") => Ok(Command::Suggest),
            Some("mine") => Ok(Command::SuggestMine),
            _ => Err("Usage: /suggest question|mine".into()),
        },
        "notify" => match rest.first().map(String::as_str) {
            Some("on") => Ok(Command::Notify { on: true }),
            Some("off") => Ok(Command::Notify { on: false }),
            _ => Err("Usage: /notify on|off".into()),
        },
        "review" => Ok(Command::Review),
        "forget-me" => Ok(Command::ForgetMe),
        "studybot" => parse_studybot(rest),
        "topicweek" => parse_topicweek(rest),
        other => Err(format!(
            "Unknown command /{other}. Type :help for the list."
        )),
    }
}

fn parse_studybot(rest: &[String]) -> Result<Command, String> {
    let Some((sub, rest)) = rest.split_first() else {
        return Err(
            "Usage: /studybot setup|status|post-now|pause|resume|role|stats|champion-role|notify-role"
                .into(),
        );
    };
    match sub.as_str() {
        "setup" => {
            let options = Options::parse(rest, &["channel", "time", "timezone", "days"]);
            let channel = options
                .get("channel")
                .ok_or("/studybot setup needs channel:#study")?;
            if channel.trim_start_matches('#') != CHANNEL_NAME {
                return Err(format!("The console has one channel, #{CHANNEL_NAME} (channel:study or channel:#study)."));
            }
            let time = options
                .get("time")
                .ok_or("/studybot setup needs time:HH:MM")?;
            let timezone = options
                .get("timezone")
                .ok_or("/studybot setup needs timezone:<IANA name>")?;
            let days = options.get("days").unwrap_or_else(|| "every-day".into());
            Ok(Command::Setup {
                channel_id: CHANNEL_ID,
                time: parse_post_time(&time).map_err(|error| error.to_string())?,
                timezone: parse_timezone(&timezone).map_err(|error| error.to_string())?,
                days: days
                    .parse::<PostingDays>()
                    .map_err(|error| error.to_string())?,
            })
        }
        "status" => Ok(Command::Status),
        "post-now" => Ok(Command::PostNow),
        "pause" => Ok(Command::Pause),
        "resume" => Ok(Command::Resume),
        "role" => {
            let options = Options::parse(rest, &["role"]);
            let role = options
                .get_or_free("role")
                .ok_or("/studybot role needs role:NAME")?;
            Ok(Command::Role {
                role_id: role_id_for(role.trim_start_matches('@')),
            })
        }
        "stats" => Ok(Command::Stats),
        "suggestions" => Ok(Command::Suggestions),
        "bank" => {
            let options = Options::parse(rest, &["source"]);
            let source = options
                .get_or_free("source")
                .ok_or("/studybot bank needs source:built-in|server|both")?;
            Ok(Command::Bank {
                source: source
                    .parse::<BankSource>()
                    .map_err(|error| error.to_string())?,
            })
        }
        "question" => match rest.split_first() {
            Some((sub, rest)) if sub == "retire" => {
                let id = Options::parse(rest, &["id"])
                    .get_or_free("id")
                    .ok_or("/studybot question retire needs id:ID")?;
                Ok(Command::Retire { id })
            }
            _ => Err("Usage: /studybot question retire id:ID".into()),
        },
        "champion-role" => Ok(Command::ChampionRole {
            role_id: optional_role(rest),
        }),
        "notify-role" => Ok(Command::NotifyRole {
            role_id: optional_role(rest),
        }),
        other => Err(format!("Unknown subcommand /studybot {other}.")),
    }
}

/// `member:@name` or a bare name: the console's members are names.
fn member_option(options: &Options) -> Option<MemberRef> {
    options
        .get_or_free("member")
        .map(|name| name.trim_start_matches('@').to_string())
        .map(|name| MemberRef {
            user_id: user_id_for(&name),
            name,
        })
}

/// `role:NAME` or a bare name; none clears the role.
fn optional_role(rest: &[String]) -> Option<u64> {
    Options::parse(rest, &["role"])
        .get_or_free("role")
        .map(|role| role_id_for(role.trim_start_matches('@')))
}

fn parse_topicweek(rest: &[String]) -> Result<Command, String> {
    let Some((sub, rest)) = rest.split_first() else {
        return Err("Usage: /topicweek schedule|list|cancel".into());
    };
    match sub.as_str() {
        "schedule" => {
            let options = Options::parse(rest, &["topic", "start"]);
            let topic = options
                .get("topic")
                .ok_or("/topicweek schedule needs topic:NAME")?;
            let start = options
                .get("start")
                .ok_or("/topicweek schedule needs start:YYYY-MM-DD")?;
            Ok(Command::WeekSchedule {
                topic,
                start: parse_day(&start).map_err(|error| error.to_string())?,
            })
        }
        "list" => Ok(Command::WeekList),
        "cancel" => {
            let options = Options::parse(rest, &["id"]);
            let id = options
                .get_or_free("id")
                .ok_or("/topicweek cancel needs id:N")?;
            let id = id
                .trim_start_matches('#')
                .parse()
                .map_err(|_| format!("“{id}” is not a week number."))?;
            Ok(Command::WeekCancel { id })
        }
        other => Err(format!("Unknown subcommand /topicweek {other}.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("90m"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("1d"), Some(Duration::days(1)));
        assert_eq!(parse_duration("1d12h"), Some(Duration::hours(36)));
        for bad in ["", "d", "10", "5x", "-1d", "0m", "999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn quoted_phrases_stay_together() {
        assert_eq!(
            words(r#"explain "json web token" now"#),
            vec!["explain", "json web token", "now"]
        );
    }

    #[test]
    fn setup_accepts_both_spellings_of_the_channel() {
        for channel in ["channel:study", "channel:#study"] {
            let line = format!("/studybot setup {channel} time:09:00 timezone:UTC days:weekdays");
            assert!(
                matches!(
                    parse_command(&line),
                    Ok(Command::Setup {
                        channel_id: CHANNEL_ID,
                        ..
                    })
                ),
                "{line}"
            );
        }
        assert!(parse_command("/studybot setup channel:general time:09:00 timezone:UTC").is_err());
    }

    #[test]
    fn a_bad_time_reads_as_on_discord() {
        let error =
            parse_command("/studybot setup channel:study time:25:00 timezone:UTC").unwrap_err();
        assert!(error.contains("is not a time"), "{error}");
    }
}
