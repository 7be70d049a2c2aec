//! `studybot console`: the bot in a terminal, on the same handlers and SQLite store as on
//! Discord. One local server with one channel, `#study`; slash commands are typed as text,
//! buttons are pressed with `:press`, and `:advance` moves the console's own clock forward
//! and runs the scheduler, so tomorrow's question and streaks can be tried now.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::app::{App, AppError, Button, Caller, Command, Reply};
use crate::domain::text::name_key;
use crate::domain::{Clock, ManualClock};
use crate::scheduler::{self, Poster};

/// The console's one server and channel.
pub const SERVER_ID: u64 = 1;
pub const CHANNEL_ID: u64 = 10;
const CHANNEL_NAME: &str = "study";
/// The scheduler runs at least this often while `:advance` moves time, so nothing due is
/// ever more than an hour late in console time.
const ADVANCE_STEP: Duration = Duration::hours(1);

/// Prints channel messages and hands out message ids.
struct ConsolePoster {
    out: Arc<Mutex<Output>>,
    next_id: AtomicU64,
}

struct Output {
    writer: Box<dyn Write + Send>,
    /// Buttons on screen, newest last: `:press` looks from the newest back.
    buttons: Vec<Button>,
    /// Members seen, so Discord mentions (`<@id>`) print as `@name`.
    names: Vec<(u64, String)>,
}

impl Output {
    fn print(&mut self, text: &str) {
        // A closed stdout (the reader went away) ends nothing: the console keeps its state.
        let _ = writeln!(self.writer, "{text}");
        let _ = self.writer.flush();
    }

    fn show(&mut self, heading: &str, reply: &Reply) {
        let mut text = render(heading, reply)
            .replace(&format!("<#{CHANNEL_ID}>"), &format!("#{CHANNEL_NAME}"));
        for (id, name) in &self.names {
            text = text.replace(&format!("<@{id}>"), &format!("@{name}"));
        }
        self.print(&text);
        self.buttons.extend(
            reply
                .buttons
                .iter()
                .flatten()
                .filter(|button| !button.disabled)
                .cloned(),
        );
    }
}

impl Poster for ConsolePoster {
    async fn send(
        &self,
        _channel_id: u64,
        message: &Reply,
        _nonce: Option<&str>,
    ) -> anyhow::Result<u64> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let mut out = self
            .out
            .lock()
            .map_err(|_| anyhow::anyhow!("console output poisoned"))?;
        out.show(
            &format!("#{CHANNEL_NAME} · studybot posted (message {id})"),
            message,
        );
        Ok(id)
    }

    async fn edit(&self, _channel_id: u64, message_id: u64, message: &Reply) -> anyhow::Result<()> {
        let mut out = self
            .out
            .lock()
            .map_err(|_| anyhow::anyhow!("console output poisoned"))?;
        out.show(
            &format!("#{CHANNEL_NAME} · studybot edited message {message_id}"),
            message,
        );
        Ok(())
    }
}

/// Who is typing.
struct Member {
    name: String,
    moderator: bool,
}

impl Member {
    fn caller(&self) -> Caller {
        Caller {
            server_id: SERVER_ID,
            channel_id: CHANNEL_ID,
            user_id: user_id_for(&self.name),
            display_name: self.name.clone(),
            manage_server: self.moderator,
            role_ids: Vec::new(),
        }
    }
}

/// A stable id per console name, so `:as alice` is the same member every time.
pub fn user_id_for(name: &str) -> u64 {
    let key = name_key(name);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    // Keep clear of the server and channel ids.
    hash | (1 << 62)
}

/// Runs the console on `input` until `:quit` or the end of input.
pub async fn run(
    app: Arc<App>,
    clock: Arc<ManualClock>,
    input: impl BufRead,
    writer: Box<dyn Write + Send>,
    user: &str,
    moderator: bool,
) -> anyhow::Result<()> {
    let interactive = std::io::stdin().is_terminal();
    let out = Arc::new(Mutex::new(Output {
        writer,
        buttons: Vec::new(),
        names: vec![(user_id_for(user), user.to_string())],
    }));
    let poster = ConsolePoster {
        out: Arc::clone(&out),
        next_id: AtomicU64::new(1000),
    };
    let mut member = Member {
        name: user.to_string(),
        moderator,
    };
    let print = |text: &str| {
        if let Ok(mut out) = out.lock() {
            out.print(text);
        }
    };
    print(&format!(
        "studybot console: server \"local\", channel #{CHANNEL_NAME}, you are {}{}. Type /explain jwt, :help or :quit.",
        member.name,
        if member.moderator { " (moderator)" } else { "" }
    ));
    scheduler::tick(&app, &poster).await;
    let mut lines = input.lines();
    loop {
        if interactive {
            let _ = write!(std::io::stdout(), "{}> ", member.name);
            let _ = std::io::stdout().flush();
        }
        let Some(line) = lines.next() else { break };
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                print(&format!("(cannot read input: {error})"));
                break;
            }
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix(':') {
            let (word, argument) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            match word {
                "quit" | "q" | "exit" => break,
                "help" => print(HELP),
                "time" => print(&describe_time(&app, clock.now()).await),
                "as" => {
                    let mut words: Vec<&str> = argument.split_whitespace().collect();
                    let moderator = words.contains(&"--moderator");
                    words.retain(|word| *word != "--moderator");
                    if words.is_empty() {
                        print("Usage: :as NAME [--moderator]");
                    } else {
                        member = Member {
                            name: words.join(" "),
                            moderator,
                        };
                        if let Ok(mut out) = out.lock() {
                            out.names
                                .push((user_id_for(&member.name), member.name.clone()));
                        }
                        print(&format!(
                            "You are now {}{}.",
                            member.name,
                            if moderator { " (moderator)" } else { "" }
                        ));
                    }
                }
                "advance" => match parse_duration(argument) {
                    Some(by) => {
                        advance(&app, &clock, &poster, by).await;
                        print(&describe_time(&app, clock.now()).await);
                    }
                    None => print("Usage: :advance DURATION, like 90m, 2h or 1d."),
                },
                "press" => {
                    let wanted = argument.trim();
                    let found = out
                        .lock()
                        .ok()
                        .and_then(|out| find_button(&out.buttons, wanted));
                    match found {
                        Some(button) => {
                            let result = app.press(&member.caller(), &button.custom_id).await;
                            show_result(&out, &format!("[{}] pressed", button.label), result);
                        }
                        None => print(&format!("No button “{wanted}” on screen.")),
                    }
                }
                other => print(&format!("Unknown console command :{other}. Try :help.")),
            }
            scheduler::tick(&app, &poster).await;
            continue;
        }
        match parse_command(line, &member) {
            Ok(command) => {
                let name = command.name();
                let result = app.handle(&member.caller(), command).await;
                show_result(&out, &format!("/{name}"), result);
            }
            Err(message) => print(&message),
        }
        // Commands like post-now and setup take effect on the scheduler's next pass.
        scheduler::tick(&app, &poster).await;
    }
    Ok(())
}

const HELP: &str = "Slash commands: /explain TOPIC, /search QUERY, /topics [CATEGORY], /quiz [practice] [TOPIC], /streak [NAME], \
/leaderboard [streak|points|accuracy], /review, /forget-me, /studybot setup channel:#study time:09:00 timezone:UTC days:every-day, \
/studybot status|post-now|pause|resume, /studybot role role:NAME, /topicweek schedule topic:TOPIC start:YYYY-MM-DD, /topicweek list, \
/topicweek cancel id:N.\nConsole: :press LABEL, :as NAME [--moderator], :advance 90m|2h|1d, :time, :quit.";

fn show_result(out: &Arc<Mutex<Output>>, heading: &str, result: Result<Reply, AppError>) {
    let Ok(mut out) = out.lock() else { return };
    match result {
        Ok(reply) => {
            let heading = if reply.ephemeral {
                format!("{heading} (only you see this)")
            } else {
                heading.to_string()
            };
            out.show(&heading, &reply);
        }
        Err(AppError::User(message)) => out.print(&format!("{heading}: {message}")),
        Err(AppError::Internal(error)) => {
            tracing::error!(error = %format!("{error:#}"), "console command failed");
            out.print(&format!("{heading}: Sorry, something went wrong on our side. It was logged; try again in a moment."));
        }
    }
}

fn find_button(buttons: &[Button], wanted: &str) -> Option<Button> {
    let key = name_key(wanted);
    buttons
        .iter()
        .rev()
        .find(|button| name_key(&button.label) == key)
        .cloned()
}

/// Moves the console clock forward by `by`, running the scheduler at every post time on the
/// way and at least every `ADVANCE_STEP`.
async fn advance<P: Poster>(app: &App, clock: &ManualClock, poster: &P, by: Duration) {
    let target = clock.now() + by;
    while clock.now() < target {
        let now = clock.now();
        let mut next = (now + ADVANCE_STEP).min(target);
        if let Ok(Some(settings)) = app.db.server(SERVER_ID).await {
            if let Some((_, at)) = settings.schedule.next_post(now) {
                next = next.min(at);
            }
        }
        clock.set(next);
        scheduler::tick(app, poster).await;
    }
}

async fn describe_time(app: &App, now: DateTime<Utc>) -> String {
    let zone = match app.db.server(SERVER_ID).await {
        Ok(Some(settings)) => settings.schedule.timezone,
        _ => app.defaults.timezone,
    };
    format!(
        "Console time: {} ({}), {} UTC.",
        now.with_timezone(&zone).format("%A %Y-%m-%d %H:%M"),
        zone.name(),
        now.format("%Y-%m-%d %H:%M")
    )
}

/// `90m`, `2h`, `1d`, `1d12h`.
pub fn parse_duration(text: &str) -> Option<Duration> {
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
    (number.is_empty() && total > Duration::zero() && total <= Duration::days(400)).then_some(total)
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
}

fn parse_command(line: &str, member: &Member) -> Result<Command, String> {
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
                private: options.get("private").is_some_and(|value| value == "true"),
            })
        }
        "search" => {
            let options = Options::parse(rest, &["query"]);
            Ok(Command::Search {
                query: required(options.get_or_free("query"), "a query")?,
            })
        }
        "topics" => Ok(Command::Topics {
            category: Options::parse(rest, &["category"]).get_or_free("category"),
        }),
        "quiz" => {
            let practice = rest.first().is_some_and(|word| word == "practice");
            let rest = if practice { &rest[1..] } else { rest };
            let options = Options::parse(rest, &["topic", "practice"]);
            Ok(Command::Quiz {
                practice: practice || options.get("practice").is_some_and(|value| value == "true"),
                topic: options.get_or_free("topic"),
            })
        }
        "streak" => {
            let options = Options::parse(rest, &["member"]);
            Ok(Command::Streak {
                member: options
                    .get_or_free("member")
                    .map(|name| name.trim_start_matches('@').to_string())
                    .map(|name| (user_id_for(&name), name)),
            })
        }
        "leaderboard" => Ok(Command::Leaderboard {
            by: Options::parse(rest, &["by"]).get_or_free("by"),
        }),
        "review" => Ok(Command::Review),
        "forget-me" => Ok(Command::ForgetMe),
        "studybot" => parse_studybot(rest, member),
        "topicweek" => parse_topicweek(rest),
        other => Err(format!(
            "Unknown command /{other}. Type :help for the list."
        )),
    }
}

fn parse_studybot(rest: &[String], _member: &Member) -> Result<Command, String> {
    let Some((sub, rest)) = rest.split_first() else {
        return Err("Usage: /studybot setup|status|post-now|pause|resume|role".into());
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
            Ok(Command::Setup {
                channel_id: CHANNEL_ID,
                time: options
                    .get("time")
                    .ok_or("/studybot setup needs time:HH:MM")?,
                timezone: options
                    .get("timezone")
                    .ok_or("/studybot setup needs timezone:<IANA name>")?,
                days: options.get("days").unwrap_or_else(|| "every-day".into()),
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
                role_id: user_id_for(&format!("role {role}")),
            })
        }
        other => Err(format!("Unknown subcommand /studybot {other}.")),
    }
}

fn parse_topicweek(rest: &[String]) -> Result<Command, String> {
    let Some((sub, rest)) = rest.split_first() else {
        return Err("Usage: /topicweek schedule|list|cancel".into());
    };
    match sub.as_str() {
        "schedule" => {
            let options = Options::parse(rest, &["topic", "start"]);
            Ok(Command::WeekSchedule {
                topic: options
                    .get("topic")
                    .ok_or("/topicweek schedule needs topic:NAME")?,
                start: options
                    .get("start")
                    .ok_or("/topicweek schedule needs start:YYYY-MM-DD")?,
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

/// A reply as terminal text: embeds as titled blocks, buttons as `[label]`.
pub fn render(heading: &str, reply: &Reply) -> String {
    let mut text = format!("── {heading} ──");
    if let Some(body) = &reply.text {
        text.push('\n');
        text.push_str(body);
    }
    for embed in &reply.embeds {
        if !embed.title.is_empty() {
            text.push_str(&format!("\n# {}", embed.title));
        }
        if !embed.description.is_empty() {
            text.push('\n');
            text.push_str(&embed.description);
        }
        for field in &embed.fields {
            text.push_str(&format!("\n## {}\n{}", field.name, field.value));
        }
        if let Some(footer) = &embed.footer {
            text.push_str(&format!("\n({footer})"));
        }
    }
    for row in &reply.buttons {
        let labels: Vec<String> = row
            .iter()
            .map(|button| {
                if button.disabled {
                    format!("({})", button.label)
                } else {
                    format!("[{}]", button.label)
                }
            })
            .collect();
        text.push('\n');
        text.push_str(&labels.join(" "));
    }
    text
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
        let member = Member {
            name: "mod".into(),
            moderator: true,
        };
        for channel in ["channel:study", "channel:#study"] {
            let line = format!("/studybot setup {channel} time:09:00 timezone:UTC days:weekdays");
            assert!(
                matches!(
                    parse_command(&line, &member),
                    Ok(Command::Setup {
                        channel_id: CHANNEL_ID,
                        ..
                    })
                ),
                "{line}"
            );
        }
        assert!(parse_command(
            "/studybot setup channel:general time:09:00 timezone:UTC",
            &member
        )
        .is_err());
    }
}
