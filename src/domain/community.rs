//! Community questions: what a member types into the suggestion form, the states a
//! suggestion goes through, and which bank a server draws from.

use std::fmt;

/// A member has at most this many suggestions waiting for review per server.
pub const PENDING_MAX: u32 = 5;

/// The form's inputs, in order: (id, label). The ids are what the front ends send back.
pub const FORM_INPUTS: [(&str, &str); 5] = [
    ("topic", "Topic (a card's title, alias or slug)"),
    ("prompt", "Question"),
    ("choices", "The four choices, one per line (A to D)"),
    ("answer", "The right letter (A, B, C or D)"),
    ("explanation", "Why the right answer is right"),
];

/// A suggestion as the member typed it: nothing is parsed away, so the form can be reopened
/// with exactly this.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuggestionDraft {
    pub topic: String,
    pub prompt: String,
    /// One choice per line.
    pub choices: String,
    /// The letter of the right choice.
    pub answer: String,
    pub explanation: String,
}

impl SuggestionDraft {
    /// The draft from the form's (input id, value) pairs; unknown ids are ignored, missing
    /// ones are empty.
    pub fn from_fields<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> SuggestionDraft {
        let mut draft = SuggestionDraft::default();
        for (id, value) in fields {
            let slot = match id {
                "topic" => &mut draft.topic,
                "prompt" => &mut draft.prompt,
                "choices" => &mut draft.choices,
                "answer" => &mut draft.answer,
                "explanation" => &mut draft.explanation,
                _ => continue,
            };
            *slot = value.to_string();
        }
        draft
    }

    /// The value typed into each input, in [`FORM_INPUTS`] order.
    pub fn values(&self) -> [&str; 5] {
        [
            &self.topic,
            &self.prompt,
            &self.choices,
            &self.answer,
            &self.explanation,
        ]
    }

    /// The choices, one per non-empty line, trimmed (a leading "A." or "A)" is dropped: many
    /// people number them).
    pub fn choice_lines(&self) -> Vec<String> {
        self.choices
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| strip_letter(line).to_string())
            .collect()
    }

    /// The right choice as 0-3, if the letter is A-D (any case, with or without a dot).
    pub fn answer_index(&self) -> Option<usize> {
        let letter = self.answer.trim().trim_end_matches(['.', ')']);
        let mut chars = letter.chars();
        match (chars.next(), chars.next()) {
            (Some(letter), None) => "ABCD".find(letter.to_ascii_uppercase()),
            _ => None,
        }
    }
}

fn strip_letter(line: &str) -> &str {
    let bytes = line.as_bytes();
    if bytes.len() > 2
        && matches!(bytes[0].to_ascii_uppercase(), b'A'..=b'D')
        && matches!(bytes[1], b'.' | b')' | b':')
        && bytes[2] == b' '
    {
        line[3..].trim_start()
    } else {
        line
    }
}

/// Where a suggestion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionState {
    /// Refused by the checks; kept so the member can edit and resubmit it.
    Draft,
    Pending,
    Approved,
    Rejected,
}

impl SuggestionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionState::Draft => "draft",
            SuggestionState::Pending => "pending",
            SuggestionState::Approved => "approved",
            SuggestionState::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<SuggestionState> {
        [
            SuggestionState::Draft,
            SuggestionState::Pending,
            SuggestionState::Approved,
            SuggestionState::Rejected,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

/// A stored suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: i64,
    pub server_id: u64,
    /// `None` once the author asked to be forgotten.
    pub author_id: Option<u64>,
    pub author_name: Option<String>,
    pub state: SuggestionState,
    pub draft: SuggestionDraft,
    pub reason: Option<String>,
    /// The bank id, once approved.
    pub question_id: Option<String>,
}

/// Which questions a server's daily post and practice draw from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BankSource {
    BuiltIn,
    Server,
    #[default]
    Both,
}

impl BankSource {
    pub fn as_str(self) -> &'static str {
        match self {
            BankSource::BuiltIn => "built-in",
            BankSource::Server => "server",
            BankSource::Both => "both",
        }
    }

    pub fn includes_built_in(self) -> bool {
        self != BankSource::Server
    }

    pub fn includes_server(self) -> bool {
        self != BankSource::BuiltIn
    }
}

impl fmt::Display for BankSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The id a server question gets: its topic and its number in the database, e.g. `jwt-c17`.
pub fn server_question_id(topic: &str, number: i64) -> String {
    format!("{topic}-c{number}")
}

/// The discuss prompt of a community question: the form has no input for it (five is
/// Discord's limit), and every question shows one after answering.
pub const COMMUNITY_DISCUSS: &str =
    "How would you explain the right answer to a colleague who picked another choice?";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_round_trips_and_ignores_unknown_inputs() {
        let draft = SuggestionDraft::from_fields([
            ("topic", "jwt"),
            ("prompt", "What does the signature protect?"),
            ("choices", "a\nb\nc\nd"),
            ("answer", "b"),
            ("explanation", "because"),
            ("extra", "ignored"),
        ]);
        let again =
            SuggestionDraft::from_fields(FORM_INPUTS.iter().map(|(id, _)| *id).zip(draft.values()));
        assert_eq!(again, draft);
    }

    #[test]
    fn choices_drop_blank_lines_and_letters_people_type() {
        let draft = SuggestionDraft {
            choices: "A. one\n\n b) two \nC: three\nDelete everything".into(),
            ..SuggestionDraft::default()
        };
        assert_eq!(
            draft.choice_lines(),
            vec!["one", "two", "three", "Delete everything"]
        );
    }

    #[test]
    fn the_answer_is_one_letter_from_a_to_d() {
        for (typed, index) in [
            ("A", Some(0)),
            ("d", Some(3)),
            (" c. ", Some(2)),
            ("B)", Some(1)),
        ] {
            let draft = SuggestionDraft {
                answer: typed.into(),
                ..SuggestionDraft::default()
            };
            assert_eq!(draft.answer_index(), index, "{typed:?}");
        }
        for typed in ["", "E", "AB", "1", "é"] {
            let draft = SuggestionDraft {
                answer: typed.into(),
                ..SuggestionDraft::default()
            };
            assert_eq!(draft.answer_index(), None, "{typed:?}");
        }
    }
}
