//! Channel messages through serenity's HTTP client, for the scheduler.

use std::sync::Arc;

use poise::serenity_prelude as serenity;

use super::render;
use crate::app::Poster;
use crate::app::Reply;

pub struct DiscordPoster {
    pub http: Arc<serenity::Http>,
}

impl Poster for DiscordPoster {
    async fn send(
        &self,
        channel_id: u64,
        message: &Reply,
        nonce: Option<&str>,
    ) -> anyhow::Result<u64> {
        let mut builder = render::channel_message(message);
        if let Some(nonce) = nonce {
            // enforce_nonce: a resend with the same nonce returns the first message instead
            // of creating a second one (our crash-recovery path relies on it).
            builder = builder
                .nonce(serenity::Nonce::String(nonce.to_string()))
                .enforce_nonce(true);
        }
        let sent = serenity::ChannelId::new(channel_id)
            .send_message(&self.http, builder)
            .await?;
        Ok(sent.id.get())
    }

    async fn edit(&self, channel_id: u64, message_id: u64, message: &Reply) -> anyhow::Result<()> {
        serenity::ChannelId::new(channel_id)
            .edit_message(
                &self.http,
                serenity::MessageId::new(message_id),
                render::edited_message(message),
            )
            .await?;
        Ok(())
    }
}
