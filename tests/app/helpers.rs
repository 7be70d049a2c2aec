//! `TestApp`: the real app (built-in content, tantivy, a SQLite file in a temporary folder)
//! on a clock the test moves, with a poster that records what would reach the channel.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, TimeZone, Utc};
use studybot::app::{
    App, AppResult, Caller, Command, Defaults, Library, Mention, Poster, Reply, RoleError,
    RoleFuture, Roles, Text, TickReport,
};
use studybot::domain::options::{parse_post_time, parse_timezone};
use studybot::domain::{DailyPost, ManualClock, PostingDays};
use studybot::store::Db;

pub const SERVER: u64 = 500_000_000_000_000_001;
pub const OTHER_SERVER: u64 = 500_000_000_000_000_002;
pub const CHANNEL: u64 = 600_000_000_000_000_001;
pub const MODERATOR: u64 = 42;

/// The built-in content and its index, built once for the whole test binary.
pub fn library() -> Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY
        .get_or_init(|| Library::load(None).expect("built-in content"))
        .clone()
}

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid instant")
}

/// A message the app sent to a channel.
#[derive(Debug, Clone)]
pub struct Sent {
    pub message_id: u64,
    pub channel_id: u64,
    pub reply: Reply,
    pub nonce: Option<String>,
}

/// A channel that records messages and edits, and deduplicates by nonce as Discord does
/// with `enforce_nonce`. It can be told to lose the answer to the next send (the message
/// arrives, the bot never hears back), as in a crash or a dropped connection.
#[derive(Default)]
pub struct RecordingPoster {
    pub sent: Mutex<Vec<Sent>>,
    pub edits: Mutex<Vec<(u64, Reply)>>,
    by_nonce: Mutex<HashMap<String, u64>>,
    next_id: AtomicU64,
    lose_next_answer: AtomicBool,
}

impl RecordingPoster {
    pub fn lose_the_next_answer(&self) {
        self.lose_next_answer.store(true, Ordering::SeqCst);
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    pub fn edits(&self) -> Vec<(u64, Reply)> {
        self.edits.lock().unwrap().clone()
    }

    /// The daily posts made so far, oldest first.
    pub fn daily_posts(&self) -> Vec<Sent> {
        self.sent()
            .into_iter()
            .filter(|sent| title(&sent.reply).starts_with("Question of the day"))
            .collect()
    }
}

impl Poster for RecordingPoster {
    async fn send(
        &self,
        channel_id: u64,
        message: &Reply,
        nonce: Option<&str>,
    ) -> anyhow::Result<u64> {
        if let Some(nonce) = nonce {
            if let Some(id) = self.by_nonce.lock().unwrap().get(nonce) {
                return Ok(*id);
            }
        }
        let message_id = 9_000 + self.next_id.fetch_add(1, Ordering::SeqCst);
        self.sent.lock().unwrap().push(Sent {
            message_id,
            channel_id,
            reply: message.clone(),
            nonce: nonce.map(str::to_string),
        });
        if let Some(nonce) = nonce {
            self.by_nonce
                .lock()
                .unwrap()
                .insert(nonce.to_string(), message_id);
        }
        if self.lose_next_answer.swap(false, Ordering::SeqCst) {
            anyhow::bail!("connection reset before the answer arrived");
        }
        Ok(message_id)
    }

    async fn edit(&self, _channel_id: u64, message_id: u64, message: &Reply) -> anyhow::Result<()> {
        self.edits
            .lock()
            .unwrap()
            .push((message_id, message.clone()));
        Ok(())
    }
}

/// Roles as a Discord server would hold them: who has which, and every change asked for. It
/// can be told to refuse, as Discord does without Manage Roles.
#[derive(Default)]
pub struct RecordingRoles {
    pub held: Mutex<Vec<(u64, u64)>>,
    pub changes: Mutex<Vec<String>>,
    pub refuse: AtomicBool,
}

impl RecordingRoles {
    pub fn holders(&self, role_id: u64) -> Vec<u64> {
        let mut users: Vec<u64> = self
            .held
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, role)| *role == role_id)
            .map(|(user, _)| *user)
            .collect();
        users.sort_unstable();
        users
    }

    pub fn changes(&self) -> Vec<String> {
        self.changes.lock().unwrap().clone()
    }

    fn change(&self, user_id: u64, role_id: u64, grant: bool) -> Result<(), RoleError> {
        if self.refuse.load(Ordering::SeqCst) {
            return Err(RoleError::NotPermitted("Missing Permissions".into()));
        }
        let mut held = self.held.lock().unwrap();
        held.retain(|pair| *pair != (user_id, role_id));
        if grant {
            held.push((user_id, role_id));
        }
        self.changes.lock().unwrap().push(format!(
            "{} {user_id} {role_id}",
            if grant { "grant" } else { "revoke" }
        ));
        Ok(())
    }
}

/// Shared with the app through an `Arc`.
pub struct SharedRoles(pub Arc<RecordingRoles>);

impl Roles for SharedRoles {
    fn grant(&self, _server_id: u64, user_id: u64, role_id: u64) -> RoleFuture<'_> {
        let result = self.0.change(user_id, role_id, true);
        Box::pin(async move { result })
    }

    fn revoke(&self, _server_id: u64, user_id: u64, role_id: u64) -> RoleFuture<'_> {
        let result = self.0.change(user_id, role_id, false);
        Box::pin(async move { result })
    }
}

pub struct TestApp {
    pub app: Arc<App>,
    pub clock: Arc<ManualClock>,
    pub poster: RecordingPoster,
    pub roles: Arc<RecordingRoles>,
    /// A second connection to the app's database, for checking what it stored.
    pub db: Db,
    db_url: String,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn(start: DateTime<Utc>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let db_url = format!("sqlite://{}", dir.path().join("studybot.db").display());
        let clock = Arc::new(ManualClock::new(start));
        let app = build(&db_url, Arc::clone(&clock), library()).await;
        let roles = Arc::new(RecordingRoles::default());
        app.use_roles(Arc::new(SharedRoles(Arc::clone(&roles))));
        let db = Db::open(&db_url).await.expect("second connection");
        TestApp {
            app,
            clock,
            poster: RecordingPoster::default(),
            roles,
            db,
            db_url,
            _dir: dir,
        }
    }

    /// A new app on the same database and clock, as after a restart (optionally with other
    /// content).
    pub async fn restart_with(&mut self, library: Library) {
        self.app.close().await;
        self.app = build(&self.db_url, Arc::clone(&self.clock), library).await;
        self.app
            .use_roles(Arc::new(SharedRoles(Arc::clone(&self.roles))));
    }

    /// A restart with the same cards and only the built-in questions `keep` accepts.
    pub async fn restart_keeping_questions(
        &mut self,
        keep: impl Fn(&studybot::domain::Question) -> bool,
    ) {
        let full = library();
        let pack = studybot::domain::ContentPack::new(
            full.pack().topics().to_vec(),
            full.pack()
                .questions()
                .iter()
                .filter(|question| keep(question))
                .cloned()
                .collect(),
        );
        self.restart_with(Library::new(pack).expect("library"))
            .await;
    }

    pub async fn restart(&mut self) {
        self.restart_with(library()).await;
    }

    /// The database URL the app uses (for running `studybot` commands on it).
    pub fn db_url(&self) -> &str {
        &self.db_url
    }

    /// Submits a form as the platform sends it back: its custom id and (input id, value).
    pub async fn submit(
        &self,
        caller: &Caller,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> AppResult<Reply> {
        let fields: Vec<(String, String)> = fields
            .iter()
            .map(|(id, value)| (id.to_string(), value.to_string()))
            .collect();
        self.app.submit(caller, custom_id, &fields).await
    }

    pub async fn run(&self, caller: &Caller, command: Command) -> AppResult<Reply> {
        self.app.handle(caller, command).await
    }

    /// A command that must succeed.
    pub async fn ok(&self, caller: &Caller, command: Command) -> Reply {
        self.run(caller, command)
            .await
            .expect("the command succeeds")
    }

    pub async fn press(&self, caller: &Caller, custom_id: &str) -> AppResult<Reply> {
        self.app.press(caller, custom_id).await
    }

    pub async fn tick(&self) -> TickReport {
        self.app.tick(&self.poster).await
    }

    /// Moves the clock to `instant` and runs the scheduler.
    pub async fn at(&self, instant: DateTime<Utc>) -> TickReport {
        self.clock.set(instant);
        self.tick().await
    }

    /// `/studybot setup` by the moderator: every day at `time` in `zone`.
    pub async fn set_up(&self, time: &str, zone: &str) -> Reply {
        self.set_up_days(time, zone, PostingDays::EveryDay).await
    }

    pub async fn set_up_days(&self, time: &str, zone: &str, days: PostingDays) -> Reply {
        self.ok(
            &moderator(SERVER),
            Command::Setup {
                channel_id: CHANNEL,
                time: parse_post_time(time).expect("time"),
                timezone: parse_timezone(zone).expect("zone"),
                days,
            },
        )
        .await
    }

    /// The newest daily post as stored.
    pub async fn latest_post(&self) -> DailyPost {
        self.db
            .recent_posts(SERVER, 1)
            .await
            .expect("read")
            .into_iter()
            .next()
            .expect("a post")
    }

    /// Answers the newest post as `caller`, right or wrong.
    pub async fn answer_latest(&self, caller: &Caller, right: bool) -> AppResult<Reply> {
        let post = self.latest_post().await;
        // A built-in question, or one of the server's own.
        let answer = match library().question(&post.question_id) {
            Some(question) => question.answer,
            None => {
                self.db
                    .server_question(post.server_id, &post.question_id)
                    .await
                    .expect("read")
                    .expect("the question is in the server's bank")
                    .question
                    .answer
            }
        };
        let choice = if right { answer } else { (answer + 1) % 4 };
        self.press(caller, &format!("v1:ans:{}:{choice}", post.post_id))
            .await
    }
}

async fn build(db_url: &str, clock: Arc<ManualClock>, library: Library) -> Arc<App> {
    let db = Db::open(db_url).await.expect("database");
    Arc::new(App::new(
        library,
        db,
        clock,
        Defaults {
            post_time: parse_post_time("09:00").expect("time"),
            timezone: chrono_tz::UTC,
        },
    ))
}

pub fn member_in(server_id: u64, user_id: u64) -> Caller {
    Caller {
        server_id,
        channel_id: CHANNEL,
        user_id,
        display_name: format!("member{user_id}"),
        manage_server: false,
        role_ids: Vec::new(),
    }
}

pub fn member(user_id: u64) -> Caller {
    member_in(SERVER, user_id)
}

pub fn moderator(server_id: u64) -> Caller {
    Caller {
        manage_server: true,
        ..member_in(server_id, MODERATOR)
    }
}

/// Text as a member would read it; mentions written as Discord writes them.
pub fn written(text: &Text) -> String {
    text.render(|mention| match mention {
        Mention::User(id) => format!("<@{id}>"),
        Mention::Channel(id) => format!("<#{id}>"),
        Mention::Role(id) => format!("<@&{id}>"),
    })
}

/// Everything a member reads in a reply: text, embed titles, descriptions, fields, footers.
pub fn visible(reply: &Reply) -> String {
    let mut text = reply.text.as_ref().map(written).unwrap_or_default();
    for embed in &reply.embeds {
        text.push('\n');
        text.push_str(&embed.title);
        text.push('\n');
        text.push_str(&written(&embed.description));
        for field in &embed.fields {
            text.push_str(&format!("\n{}\n{}", field.name, written(&field.value)));
        }
        if let Some(footer) = &embed.footer {
            text.push('\n');
            text.push_str(footer);
        }
    }
    text
}

pub fn title(reply: &Reply) -> String {
    reply
        .embeds
        .first()
        .map(|embed| embed.title.clone())
        .unwrap_or_default()
}

/// Every button's custom id, row by row.
pub fn button_ids(reply: &Reply) -> Vec<String> {
    reply
        .buttons
        .iter()
        .flatten()
        .map(|button| button.custom_id.clone())
        .collect()
}

/// The user error's sentence, for a result that must be a refusal.
pub fn refusal(result: AppResult<Reply>) -> String {
    match result {
        Err(studybot::app::AppError::User(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}
