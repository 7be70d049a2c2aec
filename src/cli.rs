//! The `studybot` command line: parsing with clap and running each subcommand.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::app::{App, Library, Lookup};
use crate::config::Config;
use crate::content;
use crate::domain::CardView;

#[derive(Parser)]
#[command(
    name = "studybot",
    version,
    about = "A Discord study bot for backend development"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot on Discord (token from DISCORD_TOKEN or the config file).
    Run {
        /// A TOML file overriding config/default.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Answer a query as /explain would, offline.
    Ask {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// How many hits to list.
        #[arg(long, value_name = "N", default_value_t = 5)]
        limit: usize,
        /// What a member would type, e.g. "json web token".
        #[arg(value_name = "QUERY", required = true, num_args = 1.., allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Work with the content folder.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
    /// Chat with the bot in the terminal: the same commands and store, no Discord.
    Console {
        /// A TOML file overriding config/default.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Your name in the console.
        #[arg(long, value_name = "NAME", default_value = "you")]
        user: String,
        /// Start as a moderator (Manage Server).
        #[arg(long)]
        moderator: bool,
    },
    /// Copy every table of a SQLite database into a new, empty PostgreSQL database.
    MigrateDb {
        /// The SQLite database, e.g. sqlite://data/studybot.db
        #[arg(long, value_name = "URL")]
        from: String,
        /// The PostgreSQL database, e.g. postgres://studybot@db.internal/studybot
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Write a consistent copy of the live database to FILE (SQLite VACUUM INTO).
    Backup {
        /// Where to write the copy; must not exist yet.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// A TOML file overriding config/default.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Validate a content folder; prints `path:line: message` per problem.
    Check {
        /// The folder to check (default: ./content).
        #[arg(long, value_name = "DIR", default_value = "content")]
        dir: PathBuf,
    },
    /// Write a server's approved community questions as content files (DIR/questions/<category>.toml).
    Export {
        /// The Discord server id.
        #[arg(long, value_name = "ID")]
        server: u64,
        /// Where to write; created if missing, existing files are never overwritten.
        dir: PathBuf,
        /// A TOML file overriding config/default.toml (for database.url).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Load a questions file into a server's bank: all of it, or nothing and `path:line` errors.
    Import {
        /// The Discord server id.
        #[arg(long, value_name = "ID")]
        server: u64,
        /// A questions file in the content format.
        file: PathBuf,
        /// A TOML file overriding config/default.toml (for database.url).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

/// Exit codes: 0 done, 1 the command found problems, 2 it could not run.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run { config } => run(config.as_deref()),
        Command::Ask { json, limit, query } => ask(&query.join(" "), limit, json),
        Command::Content {
            command: ContentCommand::Check { dir },
        } => content_check(&dir),
        Command::Content {
            command:
                ContentCommand::Export {
                    server,
                    dir,
                    config,
                },
        } => content_export(config.as_deref(), server, &dir),
        Command::Content {
            command:
                ContentCommand::Import {
                    server,
                    file,
                    config,
                },
        } => content_import(config.as_deref(), server, &file),
        Command::Console {
            config,
            user,
            moderator,
        } => console(config.as_deref(), &user, moderator),
        Command::Backup { file, config } => backup(config.as_deref(), &file),
        Command::MigrateDb { from, to } => migrate_db(&from, &to),
    }
}

fn migrate_db(from: &str, to: &str) -> ExitCode {
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(message) => return fail(&message),
    };
    match runtime.block_on(crate::store::copy_database(from, to)) {
        Ok(report) => {
            for (table, rows) in &report.tables {
                println!("{table}: {rows} row(s)");
            }
            println!(
                "Copied {} table(s); every row count matches.",
                report.tables.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&format!(
            "migrate-db failed, nothing was changed in the target: {error}"
        )),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))
}

/// The configuration and an async runtime, as every long-running command needs them.
fn config_and_runtime(file: Option<&Path>) -> Result<(Config, tokio::runtime::Runtime), String> {
    Ok((load_config(file)?, runtime()?))
}

fn load_config(file: Option<&Path>) -> Result<Config, String> {
    let env: HashMap<String, String> = std::env::vars().collect();
    Config::load(file, &env).map_err(|error| error.to_string())
}

/// Where the console writes pictures: the SQLite file's folder, else the working folder.
fn files_folder(database_url: &str) -> std::path::PathBuf {
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|path| !path.is_empty() && *path != ":memory:");
    match path.and_then(|path| std::path::Path::new(path).parent()) {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// The composition root: content, index, database and clock put together into the app.
pub async fn build_app(
    config: &Config,
    clock: std::sync::Arc<dyn crate::domain::Clock>,
) -> anyhow::Result<App> {
    use anyhow::Context;
    let library = Library::load(config.content_dir.as_deref())?;
    let db = crate::store::Db::open(&config.database_url)
        .await
        .with_context(|| format!("opening the database {}", config.database_url))?;
    let app = App::new(
        library,
        db,
        clock,
        crate::app::Defaults {
            post_time: config.default_post_time,
            timezone: config.default_timezone,
        },
    );
    Ok(match config.discord.shards {
        crate::domain::ShardPlan::Auto => app,
        crate::domain::ShardPlan::Range(shards) => app.on_shards(shards),
    })
}

fn console(config_file: Option<&Path>, user: &str, moderator: bool) -> ExitCode {
    let (config, runtime) = match config_and_runtime(config_file) {
        Ok(loaded) => loaded,
        Err(message) => return fail(&message),
    };
    let result = runtime.block_on(async {
        let clock = std::sync::Arc::new(crate::domain::ManualClock::new(chrono::Utc::now()));
        let app = std::sync::Arc::new(build_app(&config, clock.clone()).await?);
        let stdin = std::io::stdin().lock();
        let outcome = crate::console::run(
            app.clone(),
            clock,
            stdin,
            Box::new(std::io::stdout()),
            files_folder(&config.database_url),
            user,
            moderator,
        )
        .await;
        app.close().await;
        outcome
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&format!("{error:#}")),
    }
}

/// What `studybot backup` says on PostgreSQL, where the database server owns backups.
const PG_BACKUP: &str = "studybot backup copies SQLite databases; for PostgreSQL use pg_dump, for example `pg_dump --format=custom --file=studybot.dump \"$STUDYBOT_DATABASE_URL\"`.";

fn backup(config_file: Option<&Path>, file: &Path) -> ExitCode {
    if file.exists() {
        return fail(&format!(
            "{} already exists; choose a new file name for the backup.",
            file.display()
        ));
    }
    let (config, runtime) = match config_and_runtime(config_file) {
        Ok(loaded) => loaded,
        Err(message) => return fail(&message),
    };
    if crate::store::Backend::of_url(&config.database_url).ok()
        == Some(crate::store::Backend::Postgres)
    {
        return fail(PG_BACKUP);
    }
    let result: anyhow::Result<()> = runtime.block_on(async {
        let db = crate::store::Db::open(&config.database_url).await?;
        db.backup_to(file).await?;
        db.close().await;
        Ok(())
    });
    match result {
        Ok(()) => {
            println!("Backed up {} to {}", config.database_url, file.display());
            ExitCode::SUCCESS
        }
        Err(error) => fail(&format!("backup failed: {error:#}")),
    }
}

fn run(config_file: Option<&Path>) -> ExitCode {
    let env: HashMap<String, String> = std::env::vars().collect();
    let config = match Config::load(config_file, &env) {
        Ok(config) => config,
        Err(error) => return fail(&error.to_string()),
    };
    if config.discord.token.is_none() {
        return fail(
            "No Discord token is set: export DISCORD_TOKEN=<your bot token> (or set token in the [discord] section of the --config file), or try the bot offline with `studybot console`.",
        );
    }
    crate::telemetry::init_logging(config.log_format);
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(message) => return fail(&message),
    };
    let result = runtime.block_on(async {
        let app = std::sync::Arc::new(
            build_app(&config, std::sync::Arc::new(crate::domain::SystemClock)).await?,
        );
        let gateway = std::sync::Arc::new(crate::telemetry::GatewayStatus::default());
        if let Some(listen) = config.http_listen {
            let health = crate::http::Health {
                app: std::sync::Arc::clone(&app),
                gateway: std::sync::Arc::clone(&gateway),
            };
            crate::http::start(listen, health).await.map_err(|error| {
                anyhow::anyhow!("cannot listen on http.listen {listen}: {error}")
            })?;
        }
        crate::discord::run(
            &config,
            app,
            crate::discord::RunOptions::default(),
            gateway,
            shutdown_signal(),
        )
        .await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "studybot stopped with an error");
            fail(&format!("{error:#}"))
        }
    }
}

/// Completes on Ctrl-C or SIGTERM (what `docker stop` sends).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[derive(Serialize)]
struct AskOutput<'a> {
    query: &'a str,
    hits: Vec<AskHit>,
}

#[derive(Serialize)]
struct AskHit {
    slug: String,
    title: String,
    category: String,
    score: f64,
}

fn ask(query: &str, limit: usize, json: bool) -> ExitCode {
    let library = match Config::from_env()
        .map_err(|error| error.to_string())
        .and_then(|config| {
            Library::load(config.content_dir.as_deref()).map_err(|error| format!("{error:#}"))
        }) {
        Ok(library) => library,
        Err(message) => return fail(&message),
    };
    let lookup = library.lookup(query, limit);
    let mut out = std::io::stdout().lock();
    let written = if json {
        let output = AskOutput {
            query,
            hits: lookup
                .hits()
                .iter()
                .map(|hit| AskHit {
                    slug: hit.slug.clone(),
                    title: hit.title.clone(),
                    category: hit.category.slug().to_string(),
                    // Three decimals: the score is a confidence, not a measurement.
                    score: (f64::from(hit.confidence) * 1000.0).round() / 1000.0,
                })
                .collect(),
        };
        serde_json::to_string(&output)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        writeln!(out, "{}", describe_lookup(&lookup))
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`studybot ask x | head -1`) is not worth a panic or a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => fail(&format!("cannot write the answer: {error}")),
    }
}

fn describe_lookup(lookup: &Lookup<'_>) -> String {
    let mut text = String::new();
    match lookup {
        Lookup::Nothing => {
            return "Nothing found. Try another word, or /topics to browse.".to_string();
        }
        Lookup::Card(topic, _) => {
            text.push_str(&CardView::of(topic).to_plain_text());
            text.push_str("\n\n");
        }
        Lookup::DidYouMean(_) => text.push_str("Did you mean:\n"),
    }
    for (rank, hit) in lookup.hits().iter().enumerate() {
        text.push_str(&format!(
            "{}. {} ({}) [{}] {:.2}\n",
            rank + 1,
            hit.title,
            hit.slug,
            hit.category,
            hit.confidence
        ));
    }
    text.trim_end().to_string()
}

/// `studybot content export`: the server's own questions (not retired), one questions file
/// per category, in the layout `content/questions/` uses, ready for a pull request.
fn content_export(config_file: Option<&Path>, server: u64, dir: &Path) -> ExitCode {
    let (config, runtime) = match config_and_runtime(config_file) {
        Ok(loaded) => loaded,
        Err(message) => return fail(&message),
    };
    let pack = match content::load_built_in() {
        Ok(pack) => pack,
        Err(error) => return fail(&error.to_string()),
    };
    let result: anyhow::Result<Vec<(PathBuf, usize)>> = runtime.block_on(async {
        let db = crate::store::Db::open(&config.database_url).await?;
        let own = db.server_questions(server).await?;
        let retired = db.retired_questions(server).await?;
        db.close().await;
        let mut by_category: std::collections::BTreeMap<&str, Vec<crate::domain::Question>> =
            std::collections::BTreeMap::new();
        for question in own
            .into_iter()
            .map(|own| own.question)
            .filter(|question| !retired.contains(&question.id))
        {
            let Some(topic) = pack.topic(&question.topic) else {
                anyhow::bail!(
                    "question {} is about {:?}, which is not a built-in card",
                    question.id,
                    question.topic
                );
            };
            by_category
                .entry(topic.category.slug())
                .or_default()
                .push(question);
        }
        let folder = dir.join("questions");
        std::fs::create_dir_all(&folder)?;
        let mut written = Vec::new();
        for (category, questions) in by_category {
            let path = folder.join(format!("{category}.toml"));
            if path.exists() {
                anyhow::bail!(
                    "{} already exists; export into an empty folder",
                    path.display()
                );
            }
            std::fs::write(&path, content::questions_file(&questions))?;
            written.push((path, questions.len()));
        }
        Ok(written)
    });
    match result {
        Ok(written) if written.is_empty() => {
            println!("Server {server} has no community questions to export.");
            ExitCode::SUCCESS
        }
        Ok(written) => {
            for (path, count) in written {
                println!("{}: {count} question(s)", path.display());
            }
            println!("Copy each file's questions into the same file under content/questions/, then run `studybot content check`.");
            ExitCode::SUCCESS
        }
        Err(error) => fail(&format!("export failed: {error:#}")),
    }
}

/// `studybot content import`: every question of the file into the server's bank, or none.
fn content_import(config_file: Option<&Path>, server: u64, file: &Path) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => return fail(&format!("cannot read {}: {error}", file.display())),
    };
    let pack = match content::load_built_in() {
        Ok(pack) => pack,
        Err(error) => return fail(&error.to_string()),
    };
    let questions = match content::parse_questions_file(&file.display().to_string(), &text, &pack) {
        Ok(questions) => questions,
        Err(problems) => {
            for problem in &problems {
                println!("{problem}");
            }
            eprintln!("{} problem(s); nothing was imported", problems.len());
            return ExitCode::from(1);
        }
    };
    let (config, runtime) = match config_and_runtime(config_file) {
        Ok(loaded) => loaded,
        Err(message) => return fail(&message),
    };
    let result: anyhow::Result<Vec<String>> = runtime.block_on(async {
        let db = crate::store::Db::open(&config.database_url).await?;
        let added = db
            .import_questions(server, &questions, chrono::Utc::now())
            .await?;
        db.close().await;
        Ok(added)
    });
    match result {
        Ok(added) => {
            println!(
                "Imported {} question(s) into server {server}'s bank: {}",
                added.len(),
                added.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&format!("import failed, nothing was imported: {error:#}")),
    }
}

fn content_check(dir: &Path) -> ExitCode {
    let problems = content::check_dir(dir);
    if problems.is_empty() {
        match content::load_dir(dir) {
            Ok(pack) => println!(
                "{}: {} cards, {} questions, no problems",
                dir.display(),
                pack.topics().len(),
                pack.questions().len()
            ),
            Err(error) => return fail(&error.to_string()),
        }
        return ExitCode::SUCCESS;
    }
    for problem in &problems {
        println!("{problem}");
    }
    eprintln!("{} problem(s) in {}", problems.len(), dir.display());
    ExitCode::from(1)
}

fn fail(message: &str) -> ExitCode {
    eprintln!("studybot: {message}");
    ExitCode::from(2)
}
