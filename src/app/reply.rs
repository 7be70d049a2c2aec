//! What a handler answers, independent of any chat platform: text, embeds, buttons, and
//! whether only the caller sees it. `discord/` renders it with serenity builders; the
//! console renders it as text.

/// Discord caps a button label at 80 characters.
pub const BUTTON_LABEL_MAX: usize = 80;
/// Discord caps a custom id at 100 characters.
pub const CUSTOM_ID_MAX: usize = 100;
/// Discord allows 5 buttons in a row and 5 rows in a message.
pub const BUTTONS_PER_ROW: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
    pub style: ButtonStyle,
    pub disabled: bool,
}

impl Button {
    pub fn new(label: &str, custom_id: String, style: ButtonStyle) -> Button {
        Button {
            label: crate::domain::text::truncate_chars(label, BUTTON_LABEL_MAX),
            custom_id,
            style,
            disabled: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    pub title: String,
    pub description: String,
    pub fields: Vec<EmbedField>,
    pub footer: Option<String>,
    /// RGB colour of the embed's side bar.
    pub colour: Option<u32>,
}

impl Embed {
    pub fn field(mut self, name: &str, value: &str, inline: bool) -> Embed {
        self.fields.push(EmbedField {
            name: name.to_string(),
            value: value.to_string(),
            inline,
        });
        self
    }
}

/// One answer to a member or one message in a channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub text: Option<String>,
    pub embeds: Vec<Embed>,
    /// Rows of buttons, at most 5 rows of 5.
    pub buttons: Vec<Vec<Button>>,
    /// Only the caller sees it.
    pub ephemeral: bool,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Reply {
        Reply {
            text: Some(text.into()),
            ..Reply::default()
        }
    }

    pub fn embed(embed: Embed) -> Reply {
        Reply {
            embeds: vec![embed],
            ..Reply::default()
        }
    }

    pub fn private(mut self) -> Reply {
        self.ephemeral = true;
        self
    }

    pub fn ephemeral_if(mut self, private: bool) -> Reply {
        self.ephemeral = private;
        self
    }

    /// Adds buttons, wrapping them into rows of five.
    pub fn with_buttons(mut self, buttons: Vec<Button>) -> Reply {
        for chunk in buttons.chunks(BUTTONS_PER_ROW) {
            self.buttons.push(chunk.to_vec());
        }
        self
    }
}
