//! Joining hard-wrapped prose, so a paragraph reaches Discord as one line.
//!
//! Discord shows every newline, so text wrapped at 100 columns in a file reads as ragged short
//! lines on a phone. Authors may keep wrapping; the loader joins once, here:
//! - a single newline inside a paragraph becomes a space;
//! - a blank line (paragraph break) stays;
//! - a list item (`- `, `* `, `1. `) starts a new line, and a line that continues it (often
//!   indented) joins the item;
//! - a fenced code block (```` ``` ````) is kept line for line, fences included.
//!
//! Line ends may be `\n` or `\r\n`; the result uses `\n`.

/// `text` with its prose paragraphs and list items each on one line.
pub fn join_wrapped_lines(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    // Whether the last line kept is prose a following line may continue.
    let mut joinable = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            lines.push(line.to_string());
            joinable = false;
        } else if in_fence {
            lines.push(line.to_string());
        } else if line.trim().is_empty() {
            lines.push(String::new());
            joinable = false;
        } else if is_list_item(line) {
            lines.push(line.to_string());
            joinable = true;
        } else if joinable {
            let last = lines.last_mut().expect("a joinable line was kept");
            last.push(' ');
            last.push_str(line.trim_start());
        } else {
            lines.push(line.to_string());
            joinable = true;
        }
    }
    lines.join("\n")
}

/// `- item`, `* item` or `12. item`, at any indentation (nested lists).
fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    if line.starts_with("- ") || line.starts_with("* ") {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

#[cfg(test)]
mod tests {
    use super::join_wrapped_lines as join;

    #[test]
    fn a_wrapped_paragraph_becomes_one_line() {
        assert_eq!(
            join("A connection pool keeps\nopen connections   \nfor reuse."),
            "A connection pool keeps open connections for reuse."
        );
    }

    #[test]
    fn a_blank_line_still_separates_paragraphs() {
        assert_eq!(
            join("First paragraph\nwrapped.\n\nSecond\nparagraph."),
            "First paragraph wrapped.\n\nSecond paragraph."
        );
        assert_eq!(join("One.\n   \nTwo."), "One.\n\nTwo.");
    }

    #[test]
    fn list_items_keep_their_own_lines() {
        let list = "- one\n- two\n* three\n1. four\n12. five";
        assert_eq!(join(list), list);
        assert_eq!(
            join("Intro line\nwrapped:\n- item\n- item two"),
            "Intro line wrapped:\n- item\n- item two"
        );
    }

    #[test]
    fn a_continuation_joins_its_list_item() {
        assert_eq!(
            join(
                "- a long item that\n  goes on here\n- next\ncontinued flush\n1. numbered\n   more"
            ),
            "- a long item that goes on here\n- next continued flush\n1. numbered more"
        );
        assert_eq!(
            join("- outer\n  - nested item\n    wrapped"),
            "- outer\n  - nested item wrapped"
        );
    }

    #[test]
    fn fenced_code_keeps_every_line() {
        let text = "Before\nthe code:\n```js\nconst a = 1;\n  indented();\n\n- not a list\n```\nAfter\nit.";
        assert_eq!(
            join(text),
            "Before the code:\n```js\nconst a = 1;\n  indented();\n\n- not a list\n```\nAfter it."
        );
    }

    #[test]
    fn crlf_line_ends_are_joined_too() {
        assert_eq!(
            join("One\r\nparagraph.\r\n\r\n- item\r\n  more\r\n```\r\ncode\r\n```"),
            "One paragraph.\n\n- item more\n```\ncode\n```"
        );
    }

    #[test]
    fn things_that_look_like_lists_but_are_not() {
        assert_eq!(join("Version\n2.0 is out"), "Version 2.0 is out");
        assert_eq!(join("A\n-1 is negative"), "A -1 is negative");
    }
}
