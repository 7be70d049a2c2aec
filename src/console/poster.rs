//! The console's screen: what is printed, which buttons are on it, and the channel the app
//! posts to (printed like any other message).

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::render::{render_with, Names};
use super::CHANNEL_NAME;
use crate::app::{Button, Mention, Poster, Reply, RoleFuture, Roles};

pub(super) struct Screen {
    writer: Box<dyn Write + Send>,
    /// Where attachments (the `/progress` picture) are written: beside the database.
    files: std::path::PathBuf,
    /// Buttons on screen, newest last: `:press` looks from the newest back.
    buttons: Vec<Button>,
    pub(super) names: Names,
    /// The form on screen, if any: its custom id and each input's (id, value).
    pub(super) form: Option<(String, Vec<(String, String)>)>,
}

impl Screen {
    pub(super) fn new(writer: Box<dyn Write + Send>, files: std::path::PathBuf) -> Screen {
        Screen {
            writer,
            files,
            form: None,
            buttons: Vec::new(),
            names: Names::default(),
        }
    }

    pub(super) fn print(&mut self, text: &str) {
        // A closed stdout (the reader went away) ends nothing: the console keeps its state.
        let _ = writeln!(self.writer, "{text}");
        let _ = self.writer.flush();
    }

    pub(super) fn show(&mut self, heading: &str, reply: &Reply) {
        let text = render_with(&self.names, heading, reply);
        self.print(&text);
        if let Some(form) = &reply.form {
            self.form = Some((
                form.custom_id.clone(),
                form.inputs
                    .iter()
                    .map(|input| (input.id.clone(), input.value.clone()))
                    .collect(),
            ));
        }
        for file in &reply.attachments {
            let path = self.files.join(&file.filename);
            match std::fs::write(&path, &file.bytes) {
                Ok(()) => self.print(&format!(
                    "(picture written to {}; it shows: {})",
                    path.display(),
                    file.description
                )),
                Err(error) => self.print(&format!(
                    "(cannot write the picture to {}: {error}; it shows: {})",
                    path.display(),
                    file.description
                )),
            }
        }
        self.buttons.extend(
            reply
                .buttons
                .iter()
                .flatten()
                .filter(|button| !button.disabled)
                .cloned(),
        );
    }

    /// The newest button on screen with this label (ignoring case and punctuation).
    pub(super) fn button(&self, label: &str) -> Option<Button> {
        let key = crate::domain::text::name_key(label);
        self.buttons
            .iter()
            .rev()
            .find(|button| crate::domain::text::name_key(&button.label) == key)
            .cloned()
    }
}

/// Prints channel messages and hands out message ids.
pub(super) struct ConsolePoster {
    pub(super) screen: Arc<Mutex<Screen>>,
    pub(super) next_id: AtomicU64,
}

impl ConsolePoster {
    fn screen(&self) -> anyhow::Result<std::sync::MutexGuard<'_, Screen>> {
        self.screen
            .lock()
            .map_err(|_| anyhow::anyhow!("console output poisoned"))
    }
}

/// The console's roles: there is no real member list, so giving and taking a role always
/// works and is printed, which lets moderators try the champion and quiz ping flows.
pub(super) struct ConsoleRoles {
    pub(super) screen: Arc<Mutex<Screen>>,
}

impl ConsoleRoles {
    fn note(&self, user_id: u64, role_id: u64, verb: &str) {
        if let Ok(mut screen) = self.screen.lock() {
            let member = screen.names.name(Mention::User(user_id));
            let role = screen.names.name(Mention::Role(role_id));
            screen.print(&format!("({member} {verb} {role})"));
        }
    }
}

impl Roles for ConsoleRoles {
    fn grant(&self, _server_id: u64, user_id: u64, role_id: u64) -> RoleFuture<'_> {
        self.note(user_id, role_id, "now has");
        Box::pin(async { Ok(()) })
    }

    fn revoke(&self, _server_id: u64, user_id: u64, role_id: u64) -> RoleFuture<'_> {
        self.note(user_id, role_id, "no longer has");
        Box::pin(async { Ok(()) })
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
        self.screen()?.show(
            &format!("#{CHANNEL_NAME} · studybot posted (message {id})"),
            message,
        );
        Ok(id)
    }

    async fn edit(&self, _channel_id: u64, message_id: u64, message: &Reply) -> anyhow::Result<()> {
        self.screen()?.show(
            &format!("#{CHANNEL_NAME} · studybot edited message {message_id}"),
            message,
        );
        Ok(())
    }
}
