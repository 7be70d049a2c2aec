//! Writing questions back out as a questions file, in the layout of `content/questions/*.toml`,
//! so a server's own questions can go upstream in a pull request or into another server.
//!
//! Written by hand rather than through a TOML serializer: a reviewer reads the diff, so the
//! layout is the one the built-in files use (field order, the prompt and explanation as
//! multi-line strings, one choice a line), not whatever a serializer picks.

use std::fmt::Write;

use crate::domain::Question;

/// `questions` as `[[question]]` tables, one blank line apart, in the order given.
///
/// Reading the file back (`content check` in the matching category file, or
/// `parse_questions_file`) gives the same questions, as long as they passed `check_question`
/// (which trims and joins wrapped lines; text in that shape reads back unchanged).
pub fn questions_file(questions: &[Question]) -> String {
    let mut file = String::new();
    for (position, question) in questions.iter().enumerate() {
        if position > 0 {
            file.push('\n');
        }
        write_question(&mut file, question);
    }
    file
}

fn write_question(file: &mut String, question: &Question) {
    // `write!` into a String cannot fail.
    let _ = writeln!(file, "[[question]]");
    let _ = writeln!(file, "id = {}", basic_string(&question.id));
    let _ = writeln!(file, "topic = {}", basic_string(&question.topic));
    let _ = writeln!(file, "level = {}", basic_string(question.level.as_str()));
    let _ = writeln!(file, "prompt = {}", multi_line_string(&question.prompt));
    let _ = writeln!(file, "choices = [");
    for choice in &question.choices {
        let _ = writeln!(file, "  {},", basic_string(choice));
    }
    let _ = writeln!(file, "]");
    let _ = writeln!(file, "answer = {}", question.answer);
    let _ = writeln!(
        file,
        "explanation = {}",
        multi_line_string(&question.explanation)
    );
    let _ = writeln!(file, "discuss = {}", basic_string(&question.discuss));
}

/// A one-line TOML string: `"..."` with quotes, backslashes and control characters escaped.
fn basic_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push('\t'),
            other => push_escaped(&mut quoted, other),
        }
    }
    quoted.push('"');
    quoted
}

/// A multi-line TOML string as the built-in files write prompts and explanations: `"""`, a
/// newline (TOML drops it), the text with real newlines, and `"""` right after the text, so
/// no trailing newline is added to the value.
fn multi_line_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 8);
    quoted.push_str("\"\"\"\n");
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            // A quote stays bare when a different character follows it, so three never meet
            // (that would end the string) and none touches the closing `"""`.
            '"' if characters.peek().is_some_and(|next| *next != '"') => quoted.push('"'),
            '"' => quoted.push_str("\\\""),
            '\n' | '\t' => quoted.push(character),
            other => push_escaped(&mut quoted, other),
        }
    }
    quoted.push_str("\"\"\"");
    quoted
}

/// Backslashes and control characters escaped (TOML allows neither bare); the rest as is.
fn push_escaped(quoted: &mut String, character: char) {
    match character {
        '\\' => quoted.push_str("\\\\"),
        '\r' => quoted.push_str("\\r"),
        '\u{8}' => quoted.push_str("\\b"),
        '\u{c}' => quoted.push_str("\\f"),
        control if control.is_control() => {
            let _ = write!(quoted, "\\u{:04X}", u32::from(control));
        }
        other => quoted.push(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_basic_string_escapes_what_toml_cannot_hold_bare() {
        assert_eq!(basic_string(r#"say "hi" \ now"#), r#""say \"hi\" \\ now""#);
        assert_eq!(basic_string("a\nb\u{1}"), "\"a\\nb\\u0001\"");
    }

    #[test]
    fn a_multi_line_string_never_lets_three_quotes_meet() {
        assert_eq!(multi_line_string("a \"b\" c"), "\"\"\"\na \"b\" c\"\"\"");
        assert_eq!(
            multi_line_string("x \"\"\" y\""),
            "\"\"\"\nx \\\"\\\"\" y\\\"\"\"\""
        );
    }
}
