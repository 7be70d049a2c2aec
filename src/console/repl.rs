//! The console's loop: read a line, hand it to the app (or run a `:` command), print the
//! reply, then let the app do its background work for the console's clock.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use chrono::Duration;

use super::parse::{parse_command, parse_duration};
use super::poster::{ConsolePoster, ConsoleRoles, Screen};
use super::{role_id_for, user_id_for, CHANNEL_ID, CHANNEL_NAME, SERVER_ID};
use crate::app::{reply_for, App, AppResult, Caller, Command, Reply};
use crate::domain::{Clock, ManualClock};

/// The scheduler runs at least this often while `:advance` moves time, so nothing due is
/// ever more than an hour late in console time.
const ADVANCE_STEP: Duration = Duration::hours(1);

const HELP: &str = "Slash commands: /explain TOPIC, /search QUERY, /topics [CATEGORY], /quiz [practice] [TOPIC], /streak [NAME], \
/leaderboard [streak|points|accuracy] [period:week|month|all-time], /progress [NAME] [public:true], /notify on|off, /review, /forget-me, \
/studybot setup channel:#study time:09:00 timezone:UTC days:every-day, /studybot status|post-now|pause|resume|stats, \
/studybot role role:NAME, /studybot champion-role role:NAME, /studybot notify-role role:NAME, /topicweek schedule topic:TOPIC start:YYYY-MM-DD, /topicweek list, \
/topicweek cancel id:N, /suggest question|mine, /studybot suggestions, /studybot bank source:built-in|server|both, \
/studybot question retire id:ID.\nConsole: :press LABEL, :fill INPUT-ID TEXT, :submit, :as NAME [--moderator], :advance 90m|2h|1d, :time, :quit.";

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

struct Console {
    app: Arc<App>,
    clock: Arc<ManualClock>,
    screen: Arc<Mutex<Screen>>,
    poster: ConsolePoster,
    member: Member,
}

/// Runs the console on `input` until `:quit` or the end of input. Pictures are written to
/// `files` (the database's folder).
pub async fn run(
    app: Arc<App>,
    clock: Arc<ManualClock>,
    input: impl BufRead,
    writer: Box<dyn Write + Send>,
    files: std::path::PathBuf,
    user: &str,
    moderator: bool,
) -> anyhow::Result<()> {
    let interactive = std::io::stdin().is_terminal();
    let mut screen = Screen::new(writer, files);
    screen
        .names
        .members
        .push((user_id_for(user), user.to_string()));
    let screen = Arc::new(Mutex::new(screen));
    app.use_roles(Arc::new(ConsoleRoles {
        screen: Arc::clone(&screen),
    }));
    let mut console = Console {
        app,
        clock,
        poster: ConsolePoster {
            screen: Arc::clone(&screen),
            next_id: AtomicU64::new(1000),
        },
        screen,
        member: Member {
            name: user.to_string(),
            moderator,
        },
    };
    console.print(&format!(
        "studybot console: server \"local\", channel #{CHANNEL_NAME}, you are {}{}. Type /explain jwt, :help or :quit.",
        console.member.name,
        if moderator { " (moderator)" } else { "" }
    ));
    console.background().await;
    let mut lines = input.lines();
    loop {
        if interactive {
            let _ = write!(std::io::stdout(), "{}> ", console.member.name);
            let _ = std::io::stdout().flush();
        }
        let Some(line) = lines.next() else { break };
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                console.print(&format!("(cannot read input: {error})"));
                break;
            }
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix(':') {
            if !console.console_command(rest).await {
                break;
            }
        } else {
            console.slash_command(line).await;
        }
        // Commands like post-now and setup take effect on the scheduler's next pass.
        console.background().await;
    }
    Ok(())
}

impl Console {
    fn print(&self, text: &str) {
        if let Ok(mut screen) = self.screen.lock() {
            screen.print(text);
        }
    }

    fn show(&self, heading: &str, result: AppResult<Reply>) {
        let (reply, _) = reply_for(result, heading, &self.member.caller());
        let heading = if reply.ephemeral {
            format!("{heading} (only you see this)")
        } else {
            heading.to_string()
        };
        if let Ok(mut screen) = self.screen.lock() {
            screen.show(&heading, &reply);
        }
    }

    /// The app's background work, run now rather than on a timer: the console's clock only
    /// moves when told to.
    async fn background(&self) {
        self.app.tick(&self.poster).await;
        self.app.refresh_answer_counts(&self.poster).await;
    }

    async fn slash_command(&self, line: &str) {
        match parse_command(line) {
            Ok(command) => {
                if let Command::Role { role_id }
                | Command::ChampionRole {
                    role_id: Some(role_id),
                }
                | Command::NotifyRole {
                    role_id: Some(role_id),
                } = &command
                {
                    self.remember_role(line, *role_id);
                }
                let name = command.name();
                let result = self.app.handle(&self.member.caller(), command).await;
                self.show(&format!("/{name}"), result);
            }
            Err(message) => self.print(&message),
        }
    }

    /// Role mentions print by the name typed in `/studybot role`.
    fn remember_role(&self, line: &str, role_id: u64) {
        let name = line
            .split_whitespace()
            .last()
            .map(|word| word.trim_start_matches("role:").trim_start_matches('@'))
            .unwrap_or_default();
        if role_id_for(name) == role_id {
            if let Ok(mut screen) = self.screen.lock() {
                screen.names.roles.push((role_id, name.to_string()));
            }
        }
    }

    /// Runs a `:` command; false means quit.
    async fn console_command(&mut self, rest: &str) -> bool {
        let (word, argument) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        match word {
            "quit" | "q" | "exit" => return false,
            "help" => self.print(HELP),
            "time" => self.print(&self.describe_time().await),
            "as" => self.switch_member(argument),
            "advance" => match parse_duration(argument) {
                Some(by) => {
                    self.advance(by).await;
                    self.print(&self.describe_time().await);
                }
                None => self.print("Usage: :advance DURATION, like 90m, 2h or 1d."),
            },
            "press" => {
                let wanted = argument.trim();
                let found = self
                    .screen
                    .lock()
                    .ok()
                    .and_then(|screen| screen.button(wanted));
                match found {
                    Some(button) => {
                        let result = self
                            .app
                            .press(&self.member.caller(), &button.custom_id)
                            .await;
                        self.show(&format!("[{}] pressed", button.label), result);
                    }
                    None => self.print(&format!("No button “{wanted}” on screen.")),
                }
            }
            "fill" => self.fill(argument),
            "submit" => self.submit().await,
            other => self.print(&format!("Unknown console command :{other}. Try :help.")),
        }
        true
    }

    /// `:fill INPUT-ID TEXT`: types into the open form (`\n` is a new line).
    fn fill(&self, argument: &str) {
        let (id, text) = argument
            .trim_start()
            .split_once(' ')
            .unwrap_or((argument.trim(), ""));
        let Ok(mut screen) = self.screen.lock() else {
            return;
        };
        let Some((_, inputs)) = screen.form.as_mut() else {
            drop(screen);
            self.print("No form is open: /suggest question opens one.");
            return;
        };
        match inputs.iter_mut().find(|(input, _)| input == id) {
            Some((_, value)) => *value = text.replace("\\n", "\n"),
            None => {
                let known: Vec<String> = inputs.iter().map(|(input, _)| input.clone()).collect();
                drop(screen);
                self.print(&format!(
                    "The form has no input “{id}”; its inputs: {}.",
                    known.join(", ")
                ));
            }
        }
    }

    /// `:submit`: sends the open form to the app, as Discord does with a modal.
    async fn submit(&self) {
        let form = self
            .screen
            .lock()
            .ok()
            .and_then(|mut screen| screen.form.take());
        let Some((custom_id, fields)) = form else {
            self.print("No form is open: /suggest question opens one.");
            return;
        };
        let result = self
            .app
            .submit(&self.member.caller(), &custom_id, &fields)
            .await;
        self.show("form submitted", result);
    }

    fn switch_member(&mut self, argument: &str) {
        let mut words: Vec<&str> = argument.split_whitespace().collect();
        let moderator = words.contains(&"--moderator");
        words.retain(|word| *word != "--moderator");
        if words.is_empty() {
            self.print("Usage: :as NAME [--moderator]");
            return;
        }
        self.member = Member {
            name: words.join(" "),
            moderator,
        };
        if let Ok(mut screen) = self.screen.lock() {
            screen
                .names
                .members
                .push((user_id_for(&self.member.name), self.member.name.clone()));
        }
        self.print(&format!(
            "You are now {}{}.",
            self.member.name,
            if moderator { " (moderator)" } else { "" }
        ));
    }

    /// Moves the console clock forward by `by`, running the background work at every post
    /// time on the way and at least every `ADVANCE_STEP`.
    async fn advance(&self, by: Duration) {
        let target = self.clock.now() + by;
        while self.clock.now() < target {
            let now = self.clock.now();
            let mut next = (now + ADVANCE_STEP).min(target);
            if let Ok(Some(at)) = self.app.next_post_after(SERVER_ID, now).await {
                next = next.min(at);
            }
            self.clock.set(next);
            self.background().await;
        }
    }

    async fn describe_time(&self) -> String {
        let now = self.clock.now();
        let zone = self
            .app
            .server_timezone(SERVER_ID)
            .await
            .unwrap_or(chrono_tz::UTC);
        format!(
            "Console time: {} ({}), {} UTC.",
            now.with_timezone(&zone).format("%A %Y-%m-%d %H:%M"),
            zone.name(),
            now.format("%Y-%m-%d %H:%M")
        )
    }
}
