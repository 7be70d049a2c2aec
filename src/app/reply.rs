//! What a handler answers, independent of any chat platform: text, embeds, buttons, and
//! whether only the caller sees it. `discord/` renders it with serenity builders; the
//! console renders it as text.
//!
//! Text may mention members, channels and roles. A mention is kept as a [`Mention`], never as
//! one platform's markup, and each front end writes it its own way (`<@id>` on Discord,
//! `@name` in the console).

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

/// Something a message can point at; the front end decides how it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mention {
    User(u64),
    Channel(u64),
    Role(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Span {
    Plain(String),
    Mention(Mention),
}

/// Text with structured mentions in it: Markdown (`**bold**`, `` `code` ``) and mentions,
/// nothing platform-specific.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(Vec<Span>);

impl Text {
    pub fn new() -> Text {
        Text::default()
    }

    /// Appends plain text.
    pub fn plain(mut self, text: &str) -> Text {
        self.push(text);
        self
    }

    /// Appends a mention.
    pub fn mention(mut self, mention: Mention) -> Text {
        self.0.push(Span::Mention(mention));
        self
    }

    pub fn push(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(Span::Plain(last)) => last.push_str(text),
            _ => self.0.push(Span::Plain(text.to_string())),
        }
    }

    /// Appends another text.
    pub fn append(&mut self, other: Text) {
        for span in other.0 {
            match span {
                Span::Plain(text) => self.push(&text),
                Span::Mention(mention) => self.0.push(Span::Mention(mention)),
            }
        }
    }

    /// Joins texts with a separator.
    pub fn join(parts: impl IntoIterator<Item = Text>, separator: &str) -> Text {
        let mut joined = Text::new();
        for (index, part) in parts.into_iter().enumerate() {
            if index > 0 {
                joined.push(separator);
            }
            joined.append(part);
        }
        joined
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text as one string, each mention written by `write_mention`.
    pub fn render(&self, write_mention: impl Fn(Mention) -> String) -> String {
        self.0
            .iter()
            .map(|span| match span {
                Span::Plain(text) => text.clone(),
                Span::Mention(mention) => write_mention(*mention),
            })
            .collect()
    }

    /// The mentions in the text, in order.
    pub fn mentions(&self) -> impl Iterator<Item = Mention> + '_ {
        self.0.iter().filter_map(|span| match span {
            Span::Mention(mention) => Some(*mention),
            Span::Plain(_) => None,
        })
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new().plain(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::new().plain(&text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedField {
    pub name: String,
    pub value: Text,
    pub inline: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    pub title: String,
    pub description: Text,
    pub fields: Vec<EmbedField>,
    pub footer: Option<String>,
    /// RGB colour of the embed's side bar.
    pub colour: Option<u32>,
}

impl Embed {
    pub fn field(mut self, name: &str, value: impl Into<Text>, inline: bool) -> Embed {
        self.fields.push(EmbedField {
            name: name.to_string(),
            value: value.into(),
            inline,
        });
        self
    }
}

/// One answer to a member or one message in a channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub text: Option<Text>,
    pub embeds: Vec<Embed>,
    /// Rows of buttons, at most 5 rows of 5.
    pub buttons: Vec<Vec<Button>>,
    /// Only the caller sees it.
    pub ephemeral: bool,
    /// Files sent with the message (the `/progress` picture).
    pub attachments: Vec<Attachment>,
    /// The mentions in the text that notify (the daily post's opt-in quiz role); every
    /// other mention names someone without pinging them.
    pub pings: Vec<Mention>,
    /// A form to open instead of a message (Discord shows it as a modal); only as the answer
    /// to a command or a button.
    pub form: Option<FormView>,
}

/// A form: a title and up to five text inputs (Discord's limit for a modal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormView {
    pub custom_id: String,
    pub title: String,
    pub inputs: Vec<FormInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormInput {
    pub id: String,
    pub label: String,
    /// Several lines (Discord's paragraph style) or one.
    pub multiline: bool,
    pub required: bool,
    pub max_chars: usize,
    /// What the input holds when the form opens (a resubmission keeps what was typed).
    pub value: String,
}

impl Reply {
    /// A reply that opens `form`.
    pub fn form(form: FormView) -> Reply {
        Reply {
            form: Some(form),
            ..Reply::default()
        }
    }
}

/// A file sent with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub bytes: Vec<u8>,
    /// What the file shows, in words (alt text for screen readers).
    pub description: String,
}

impl Reply {
    pub fn text(text: impl Into<Text>) -> Reply {
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
