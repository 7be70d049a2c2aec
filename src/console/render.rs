//! A reply as terminal text: embeds as titled blocks, buttons as `[label]`, mentions by name.

use crate::app::{Mention, Reply, Text};

use super::CHANNEL_NAME;

/// Who the console knows by name, so mentions print as `@name`.
#[derive(Default)]
pub(super) struct Names {
    pub(super) members: Vec<(u64, String)>,
    pub(super) roles: Vec<(u64, String)>,
}

impl Names {
    /// How a mention reads in the console: `@name`, `#study`.
    pub(super) fn name(&self, mention: Mention) -> String {
        self.mention(mention)
    }

    fn mention(&self, mention: Mention) -> String {
        let find = |list: &[(u64, String)], id: u64| {
            list.iter()
                .rev()
                .find(|(known, _)| *known == id)
                .map(|(_, name)| name.clone())
        };
        match mention {
            Mention::User(id) => format!(
                "@{}",
                find(&self.members, id).unwrap_or_else(|| format!("member-{id}"))
            ),
            Mention::Role(id) => format!(
                "@{}",
                find(&self.roles, id).unwrap_or_else(|| format!("role-{id}"))
            ),
            // The console has one channel.
            Mention::Channel(_) => format!("#{CHANNEL_NAME}"),
        }
    }

    fn text(&self, text: &Text) -> String {
        text.render(|mention| self.mention(mention))
    }
}

/// A reply under a heading, with mentions written by name.
pub fn render(heading: &str, reply: &Reply) -> String {
    render_with(&Names::default(), heading, reply)
}

pub(super) fn render_with(names: &Names, heading: &str, reply: &Reply) -> String {
    let mut text = format!("── {heading} ──");
    if let Some(body) = &reply.text {
        text.push('\n');
        text.push_str(&names.text(body));
    }
    for embed in &reply.embeds {
        if !embed.title.is_empty() {
            text.push_str(&format!("\n# {}", embed.title));
        }
        if !embed.description.is_empty() {
            text.push('\n');
            text.push_str(&names.text(&embed.description));
        }
        for field in &embed.fields {
            text.push_str(&format!(
                "\n## {}\n{}",
                field.name,
                names.text(&field.value)
            ));
        }
        if let Some(footer) = &embed.footer {
            text.push_str(&format!("\n({footer})"));
        }
    }
    if let Some(form) = &reply.form {
        text.push_str(&format!("\n# {} (a form)", form.title));
        for input in &form.inputs {
            text.push_str(&format!("\n[{}] {}", input.id, input.label));
            if !input.value.is_empty() {
                text.push_str(&format!(": {}", input.value.replace('\n', "\\n")));
            }
        }
        text.push_str("\nFill it with :fill INPUT-ID TEXT (\\n for a new line), then :submit.");
    }
    for row in &reply.buttons {
        let labels: Vec<String> = row
            .iter()
            .map(|button| {
                if button.disabled {
                    format!("({})", button.label)
                } else {
                    format!("[{}]", button.label)
                }
            })
            .collect();
        text.push('\n');
        text.push_str(&labels.join(" "));
    }
    text
}
