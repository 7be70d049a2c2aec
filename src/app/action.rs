//! Button custom ids: what a press means, versioned so that buttons on old messages are
//! recognised (or politely refused) after the format changes.

use std::fmt;

use super::reply::CUSTOM_ID_MAX;

const VERSION: &str = "v1";

/// What pressing a button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Answer the daily post `post_id` with `choice` (0 = A).
    Answer {
        post_id: i64,
        choice: usize,
    },
    /// Open a topic card.
    Explain {
        slug: String,
    },
    /// A practice question on a topic.
    QuizMe {
        slug: String,
    },
    /// Answer a practice question.
    Practice {
        question_id: String,
        choice: usize,
    },
    /// Answer a review question.
    Review {
        question_id: String,
        choice: usize,
    },
    /// Confirm or cancel `/forget-me`.
    Forget {
        confirmed: bool,
    },
    /// Reopen the suggestion form with a refused draft (its author only).
    EditSuggestion {
        id: i64,
    },
    /// Moderators: approve, reject (asks for a reason) or skip a pending suggestion.
    Approve {
        id: i64,
    },
    Reject {
        id: i64,
    },
    Skip {
        id: i64,
    },
}

/// What a submitted form (a Discord modal) is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A new suggestion, or the resubmission of draft `draft`.
    Suggestion { draft: Option<i64> },
    /// The reason for rejecting suggestion `id`.
    RejectReason { id: i64 },
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Form::Suggestion { draft: None } => write!(f, "{VERSION}:form:suggest"),
            Form::Suggestion { draft: Some(id) } => write!(f, "{VERSION}:form:suggest:{id}"),
            Form::RejectReason { id } => write!(f, "{VERSION}:form:reject:{id}"),
        }
    }
}

impl Form {
    pub fn custom_id(&self) -> String {
        self.to_string()
    }

    /// Only moderators may submit it (checked before the form is answered, like commands).
    pub(super) fn needs_moderator(&self) -> bool {
        matches!(self, Form::RejectReason { .. })
    }

    /// Parses a form's custom id; `None` for anything malformed or foreign.
    pub fn parse(custom_id: &str) -> Option<Form> {
        if custom_id.len() > CUSTOM_ID_MAX {
            return None;
        }
        let parts: Vec<&str> = custom_id.split(':').collect();
        match parts.as_slice() {
            [VERSION, "form", "suggest"] => Some(Form::Suggestion { draft: None }),
            [VERSION, "form", "suggest", id] => Some(Form::Suggestion {
                draft: Some(id.parse().ok()?),
            }),
            [VERSION, "form", "reject", id] => Some(Form::RejectReason {
                id: id.parse().ok()?,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Answer { post_id, choice } => write!(f, "{VERSION}:ans:{post_id}:{choice}"),
            Action::Explain { slug } => write!(f, "{VERSION}:exp:{slug}"),
            Action::QuizMe { slug } => write!(f, "{VERSION}:quiz:{slug}"),
            Action::Practice {
                question_id,
                choice,
            } => write!(f, "{VERSION}:prac:{question_id}:{choice}"),
            Action::Review {
                question_id,
                choice,
            } => write!(f, "{VERSION}:rev:{question_id}:{choice}"),
            Action::Forget { confirmed } => write!(
                f,
                "{VERSION}:forget:{}",
                if *confirmed { "yes" } else { "no" }
            ),
            Action::EditSuggestion { id } => write!(f, "{VERSION}:sgedit:{id}"),
            Action::Approve { id } => write!(f, "{VERSION}:sgok:{id}"),
            Action::Reject { id } => write!(f, "{VERSION}:sgno:{id}"),
            Action::Skip { id } => write!(f, "{VERSION}:sgskip:{id}"),
        }
    }
}

impl Action {
    pub fn custom_id(&self) -> String {
        let id = self.to_string();
        debug_assert!(id.len() <= CUSTOM_ID_MAX, "custom id too long: {id}");
        id
    }

    /// Only moderators may press it (checked before the press is answered, like commands).
    pub(super) fn needs_moderator(&self) -> bool {
        matches!(
            self,
            Action::Approve { .. } | Action::Reject { .. } | Action::Skip { .. }
        )
    }

    /// Parses a custom id; `None` for anything malformed, foreign or from another version.
    pub fn parse(custom_id: &str) -> Option<Action> {
        if custom_id.len() > CUSTOM_ID_MAX {
            return None;
        }
        let mut parts = custom_id.split(':');
        if parts.next()? != VERSION {
            return None;
        }
        let kind = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        let choice = |text: &str| text.parse::<usize>().ok().filter(|choice| *choice < 4);
        let word = |text: &str| (!text.is_empty()).then(|| text.to_string());
        match (kind, rest.as_slice()) {
            ("ans", [post, pick]) => Some(Action::Answer {
                post_id: post.parse().ok()?,
                choice: choice(pick)?,
            }),
            ("exp", [slug]) => Some(Action::Explain { slug: word(slug)? }),
            ("quiz", [slug]) => Some(Action::QuizMe { slug: word(slug)? }),
            ("prac", [id, pick]) => Some(Action::Practice {
                question_id: word(id)?,
                choice: choice(pick)?,
            }),
            ("rev", [id, pick]) => Some(Action::Review {
                question_id: word(id)?,
                choice: choice(pick)?,
            }),
            ("forget", ["yes"]) => Some(Action::Forget { confirmed: true }),
            ("forget", ["no"]) => Some(Action::Forget { confirmed: false }),
            ("sgedit", [id]) => Some(Action::EditSuggestion {
                id: id.parse().ok()?,
            }),
            ("sgok", [id]) => Some(Action::Approve {
                id: id.parse().ok()?,
            }),
            ("sgno", [id]) => Some(Action::Reject {
                id: id.parse().ok()?,
            }),
            ("sgskip", [id]) => Some(Action::Skip {
                id: id.parse().ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_custom_id() {
        let actions = [
            Action::Answer {
                post_id: 12,
                choice: 3,
            },
            Action::Explain { slug: "jwt".into() },
            Action::QuizMe {
                slug: "n-plus-one".into(),
            },
            Action::Practice {
                question_id: "jwt-2".into(),
                choice: 0,
            },
            Action::Review {
                question_id: "cors-1".into(),
                choice: 1,
            },
            Action::Forget { confirmed: true },
            Action::Forget { confirmed: false },
            Action::EditSuggestion { id: 4 },
            Action::Approve { id: 5 },
            Action::Reject { id: 6 },
            Action::Skip { id: 7 },
        ];
        for action in actions {
            assert_eq!(Action::parse(&action.custom_id()), Some(action));
        }
        for form in [
            Form::Suggestion { draft: None },
            Form::Suggestion { draft: Some(3) },
            Form::RejectReason { id: 9 },
        ] {
            assert_eq!(Form::parse(&form.custom_id()), Some(form));
        }
        for bad in [
            "v1:form",
            "v1:form:suggest:x",
            "v2:form:suggest",
            "v1:form:reject",
        ] {
            assert_eq!(Form::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn malformed_or_foreign_ids_are_refused() {
        for id in [
            "",
            "v1",
            "v2:ans:1:0",
            "v1:ans:1:4",
            "v1:ans:x:0",
            "v1:exp:",
            "v1:forget:maybe",
            "v1:ans:1:0:9",
        ] {
            assert_eq!(Action::parse(id), None, "{id}");
        }
        assert_eq!(Action::parse(&"v1:exp:".repeat(50)), None);
    }
}
