//! Roles the bot manages: the opt-in quiz ping (`/notify`) and the monthly champion.
//!
//! Giving and taking roles is the front end's job ([`Roles`], a port like
//! [`super::Poster`]); Discord refuses it when the bot lacks Manage Roles or its own role is
//! below the one it hands out. Neither is fatal: the member or moderator is told what to
//! grant, `/studybot status` shows the last problem, and everything else goes on.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::error::user_error;
use super::reply::{Mention, Reply, Text};
use super::{App, AppResult, Caller};
use crate::store::ManagedRole;

/// Why a role could not be given or taken.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    /// The platform refused: missing Manage Roles, or the role is above the bot's own.
    #[error("not permitted: {0}")]
    NotPermitted(String),
    #[error("{0}")]
    Failed(String),
}

pub type RoleFuture<'a> = Pin<Box<dyn Future<Output = Result<(), RoleError>> + Send + 'a>>;

/// Giving and taking a member's role in a server.
pub trait Roles: Send + Sync {
    fn grant(&self, server_id: u64, user_id: u64, role_id: u64) -> RoleFuture<'_>;
    fn revoke(&self, server_id: u64, user_id: u64, role_id: u64) -> RoleFuture<'_>;
}

/// What a moderator must do when Discord refuses to manage `role_id`.
pub(super) fn missing_permission(role_id: u64) -> Text {
    Text::new()
        .plain("I cannot manage ")
        .mention(Mention::Role(role_id))
        .plain(": a moderator must give me the Manage Roles permission and move my role above it.")
}

impl App {
    /// The front end's way of managing roles (set once, when it is connected).
    pub fn use_roles(&self, roles: Arc<dyn Roles>) {
        // A second call keeps the first: one front end per app.
        let _ = self.roles.set(roles);
    }

    pub(super) fn roles(&self) -> Option<&Arc<dyn Roles>> {
        self.roles.get()
    }

    /// `/notify on|off`: joins or leaves the server's quiz ping role.
    pub(super) async fn notify(&self, caller: &Caller, on: bool) -> AppResult<Reply> {
        let Some(role_id) = self.db.server_roles(caller.server_id).await?.notify_role else {
            return user_error(
                "This server has no quiz ping role yet: a moderator can choose one with /studybot notify-role.",
            );
        };
        let Some(roles) = self.roles() else {
            return user_error("Roles cannot be changed from here.");
        };
        let result = if on {
            roles.grant(caller.server_id, caller.user_id, role_id).await
        } else {
            roles
                .revoke(caller.server_id, caller.user_id, role_id)
                .await
        };
        match result {
            Ok(()) => {
                let text = if on {
                    Text::new()
                        .plain("Done: you have ")
                        .mention(Mention::Role(role_id))
                        .plain(" and will be pinged when the daily question is posted. `/notify off` stops it.")
                } else {
                    Text::new()
                        .plain("Done: you no longer have ")
                        .mention(Mention::Role(role_id))
                        .plain(", so the daily question will not ping you.")
                };
                Ok(Reply::text(text).private())
            }
            Err(RoleError::NotPermitted(detail)) => {
                tracing::warn!(server = caller.server_id, %detail, "cannot manage the quiz ping role");
                self.db
                    .set_role_problem(caller.server_id, Some(role_id))
                    .await?;
                Ok(Reply::text(missing_permission(role_id)).private())
            }
            Err(RoleError::Failed(detail)) => Err(anyhow::anyhow!(detail).into()),
        }
    }

    /// `/studybot champion-role` and `/studybot notify-role`: sets or clears a managed role.
    pub(super) async fn set_managed_role(
        &self,
        caller: &Caller,
        which: ManagedRole,
        role_id: Option<u64>,
    ) -> AppResult<Reply> {
        if !self
            .db
            .set_managed_role(
                caller.server_id,
                which,
                role_id,
                caller.user_id,
                self.clock.now(),
            )
            .await?
        {
            return user_error("Run /studybot setup first.");
        }
        let text = match (which, role_id) {
            (ManagedRole::Champion, Some(role)) => Text::new()
                .plain("Monthly champion role: ")
                .mention(Mention::Role(role))
                .plain(". With the first post of each month it moves to last month's top member by points. I need Manage Roles and my role above it."),
            (ManagedRole::Champion, None) => "No monthly champion role: the bot no longer hands one out.".into(),
            (ManagedRole::Notify, Some(role)) => Text::new()
                .plain("Quiz ping role: ")
                .mention(Mention::Role(role))
                .plain(". The daily question mentions it; members join or leave with /notify on|off. I need Manage Roles and my role above it."),
            (ManagedRole::Notify, None) => "No quiz ping role: the daily question pings nobody.".into(),
        };
        Ok(Reply::text(text).private())
    }
}
