//! The one thing the app needs from a front end to act on its own: sending and editing
//! channel messages (the daily post, announcements, reveals, answer counts).

use std::future::Future;

use super::reply::Reply;

/// Sending and editing messages in a channel.
pub trait Poster: Send + Sync {
    /// Sends a message; with a nonce, a resend of the same nonce must not make a second one
    /// (Discord's `enforce_nonce`). Returns the message id.
    fn send(
        &self,
        channel_id: u64,
        message: &Reply,
        nonce: Option<&str>,
    ) -> impl Future<Output = anyhow::Result<u64>> + Send;

    fn edit(
        &self,
        channel_id: u64,
        message_id: u64,
        message: &Reply,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}
