//! Giving and taking roles through serenity's HTTP client, for `/notify` and the monthly
//! champion. Discord's refusals become [`RoleError::NotPermitted`], which the app turns into a
//! sentence for moderators instead of a failure.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::http::HttpError;

use crate::app::{RoleError, RoleFuture, Roles};

/// Discord's JSON error codes that matter here.
const MISSING_PERMISSIONS: isize = 50013;
const UNKNOWN_MEMBER: isize = 10007;

pub struct DiscordRoles {
    pub http: Arc<serenity::Http>,
}

/// Why a role change failed, in the app's terms.
fn role_error(error: serenity::Error) -> RoleError {
    if let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = &error {
        if response.error.code == MISSING_PERMISSIONS || response.status_code.as_u16() == 403 {
            return RoleError::NotPermitted(response.error.message.clone());
        }
    }
    RoleError::Failed(error.to_string())
}

fn is_unknown_member(error: &serenity::Error) -> bool {
    matches!(error, serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) if response.error.code == UNKNOWN_MEMBER)
}

impl Roles for DiscordRoles {
    fn grant(&self, server_id: u64, user_id: u64, role_id: u64) -> RoleFuture<'_> {
        Box::pin(async move {
            self.http
                .add_member_role(
                    serenity::GuildId::new(server_id),
                    serenity::UserId::new(user_id),
                    serenity::RoleId::new(role_id),
                    Some("studybot: quiz ping or monthly champion"),
                )
                .await
                .map_err(role_error)
        })
    }

    fn revoke(&self, server_id: u64, user_id: u64, role_id: u64) -> RoleFuture<'_> {
        Box::pin(async move {
            match self
                .http
                .remove_member_role(
                    serenity::GuildId::new(server_id),
                    serenity::UserId::new(user_id),
                    serenity::RoleId::new(role_id),
                    Some("studybot: quiz ping or monthly champion"),
                )
                .await
            {
                Ok(()) => Ok(()),
                // A member who left the server holds no role to take.
                Err(error) if is_unknown_member(&error) => Ok(()),
                Err(error) => Err(role_error(error)),
            }
        })
    }
}
