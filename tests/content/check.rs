//! Each refusal of `studybot content check`, on a small content folder made per test.

use std::path::{Path, PathBuf};
use std::process::Command;

use studybot::content::{check_dir, Diagnostic};

fn card(slug: &str, category: &str, aliases: &str, related: &str) -> String {
    format!(
        r#"+++
slug = "{slug}"
title = "Title of {slug}"
category = "{category}"
aliases = [{aliases}]
tags = ["tag"]
related = [{related}]
level = "mid"
+++

## Summary
What {slug} is, in two sentences. Why it matters.

## Key points
- One.
- Two.
- Three.

## Example
```sql
SELECT 1;
```

## Pitfalls
- A mistake.
- Another one.

## Interview angle
What a strong answer says.
"#
    )
}

const QUESTIONS: &str = r#"[[question]]
id = "alpha-1"
topic = "alpha"
level = "junior"
prompt = "Your service does X. What now?"
choices = ["First", "Second", "Third", "Fourth"]
answer = 2
explanation = "Because."
discuss = "Why?"
"#;

/// A valid folder with three cards and one question; each test breaks one thing.
struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("content");
        let fixture = Fixture { _dir: dir, root };
        fixture.write(
            "topics/databases/alpha.md",
            &card("alpha", "databases", "\"first one\"", "\"beta\", \"gamma\""),
        );
        fixture.write(
            "topics/databases/beta.md",
            &card(
                "beta",
                "databases",
                "\"second one\"",
                "\"alpha\", \"gamma\"",
            ),
        );
        fixture.write(
            "topics/security/gamma.md",
            &card("gamma", "security", "", "\"alpha\", \"beta\""),
        );
        fixture.write("questions/databases.toml", QUESTIONS);
        fixture
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.root.join(relative)).expect("read")
    }

    fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} has no {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    fn problems(&self) -> Vec<Diagnostic> {
        check_dir(&self.root)
    }

    /// Asserts exactly one problem, in `file` at `line`, whose message contains `words`.
    fn assert_single_problem(&self, file: &str, line: usize, words: &str) {
        let problems = self.problems();
        assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
        let problem = &problems[0];
        assert!(problem.path.ends_with(file), "{problem}");
        assert_eq!(problem.line, Some(line), "{problem}");
        assert!(problem.message.contains(words), "{problem}");
    }
}

#[test]
fn a_valid_folder_has_no_problems() {
    assert_eq!(Fixture::new().problems(), vec![]);
}

#[test]
fn a_duplicate_slug_is_refused() {
    let fixture = Fixture::new();
    fixture.write(
        "topics/security/alpha.md",
        &card("alpha", "security", "\"third\"", "\"beta\", \"gamma\""),
    );
    let problems = fixture.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("duplicate slug \"alpha\"") && p.line == Some(2)),
        "{problems:#?}"
    );
}

#[test]
fn a_duplicate_question_id_is_refused() {
    let fixture = Fixture::new();
    fixture.write(
        "questions/security.toml",
        &QUESTIONS.replace("\"alpha\"", "\"gamma\""),
    );
    fixture.assert_single_problem(
        "questions/security.toml",
        2,
        "duplicate question id \"alpha-1\"",
    );
}

#[test]
fn an_unknown_related_slug_is_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/databases/beta.md",
        "\"alpha\", \"gamma\"",
        "\"alpha\", \"omega\"",
    );
    fixture.assert_single_problem(
        "topics/databases/beta.md",
        7,
        "unknown related slug \"omega\"",
    );
}

#[test]
fn a_question_about_an_unknown_topic_is_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "questions/databases.toml",
        "topic = \"alpha\"",
        "topic = \"omega\"",
    );
    fixture.assert_single_problem(
        "questions/databases.toml",
        3,
        "unknown topic slug \"omega\"",
    );
}

#[test]
fn a_missing_section_is_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/databases/alpha.md",
        "## Pitfalls\n- A mistake.\n- Another one.\n\n",
        "",
    );
    let problems = fixture.problems();
    assert!(!problems.is_empty());
    assert!(
        problems.iter().all(|p| p.path.ends_with("alpha.md")),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.message.contains("## Pitfalls")),
        "{problems:#?}"
    );
}

#[test]
fn an_empty_section_is_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/databases/alpha.md",
        "- A mistake.\n- Another one.\n",
        "\n",
    );
    fixture.assert_single_problem(
        "topics/databases/alpha.md",
        24,
        "section \"## Pitfalls\" is empty",
    );
}

#[test]
fn sections_out_of_order_are_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/databases/alpha.md",
        "## Key points",
        "## Example points",
    );
    let problems = fixture.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.line == Some(14) && p.message.contains("expected \"## Key points\"")),
        "{problems:#?}"
    );
}

#[test]
fn a_section_over_the_embed_field_limit_is_refused() {
    let fixture = Fixture::new();
    let long_point = format!("- {}\n", "x".repeat(1100));
    fixture.edit("topics/databases/alpha.md", "- One.\n", &long_point);
    fixture.assert_single_problem("topics/databases/alpha.md", 14, "Discord allows 1024");
}

#[test]
fn a_card_over_the_embed_total_is_refused() {
    let fixture = Fixture::new();
    let summary = "y".repeat(4000);
    let field = format!("- {}\n", "z".repeat(1000));
    fixture.edit(
        "topics/databases/alpha.md",
        "What alpha is, in two sentences. Why it matters.",
        &summary,
    );
    fixture.edit("topics/databases/alpha.md", "- One.\n", &field);
    fixture.edit("topics/databases/alpha.md", "- A mistake.\n", &field);
    fixture.assert_single_problem("topics/databases/alpha.md", 2, "Discord allows 6000");
}

#[test]
fn a_question_without_four_choices_is_refused() {
    let fixture = Fixture::new();
    fixture.edit("questions/databases.toml", ", \"Fourth\"]", "]");
    fixture.assert_single_problem(
        "questions/databases.toml",
        6,
        "exactly 4 choices, this one 3",
    );
}

#[test]
fn a_question_with_repeated_choices_is_refused() {
    let fixture = Fixture::new();
    fixture.edit("questions/databases.toml", "\"Fourth\"", "\"first \"");
    fixture.assert_single_problem("questions/databases.toml", 6, "distinct");
}

#[test]
fn an_answer_outside_a_to_d_is_refused() {
    let fixture = Fixture::new();
    fixture.edit("questions/databases.toml", "answer = 2", "answer = 4");
    fixture.assert_single_problem(
        "questions/databases.toml",
        7,
        "answer 4 must be 0, 1, 2 or 3",
    );
}

#[test]
fn two_cards_sharing_a_name_are_refused_whatever_the_punctuation() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/databases/beta.md",
        "\"second one\"",
        "\"First-One\"",
    );
    fixture.assert_single_problem(
        "topics/databases/beta.md",
        5,
        "already used by the card \"alpha\"",
    );
}

#[test]
fn a_slug_that_differs_from_the_file_name_is_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/databases/beta.md",
        "slug = \"beta\"",
        "slug = \"betta\"",
    );
    let problems = fixture.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.line == Some(2) && p.message.contains("does not match the file name")),
        "{problems:#?}"
    );
}

#[test]
fn a_category_that_differs_from_the_folder_is_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/security/gamma.md",
        "category = \"security\"",
        "category = \"databases\"",
    );
    fixture.assert_single_problem("topics/security/gamma.md", 4, "does not match the folder");
}

#[test]
fn an_unknown_level_is_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/security/gamma.md",
        "level = \"mid\"",
        "level = \"guru\"",
    );
    fixture.assert_single_problem("topics/security/gamma.md", 8, "junior, mid or senior");
}

#[test]
fn broken_front_matter_is_refused_at_its_line() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/security/gamma.md",
        "tags = [\"tag\"]",
        "tags = [\"tag\"",
    );
    let problems = fixture.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].message.starts_with("front matter"),
        "{problems:#?}"
    );
}

#[test]
fn an_unclosed_front_matter_is_refused() {
    let fixture = Fixture::new();
    fixture.write("topics/security/gamma.md", "+++\nslug = \"gamma\"\n");
    fixture.assert_single_problem("topics/security/gamma.md", 1, "never closed");
}

#[test]
fn an_unclosed_code_block_is_refused() {
    let fixture = Fixture::new();
    fixture.edit("topics/databases/alpha.md", "SELECT 1;\n```", "SELECT 1;");
    let problems = fixture.problems();
    assert!(
        problems.iter().any(|p| p.message.contains("never closed")),
        "{problems:#?}"
    );
}

#[test]
fn a_question_file_that_is_not_toml_is_refused_at_its_line() {
    let fixture = Fixture::new();
    fixture.edit("questions/databases.toml", "answer = 2", "answer = ");
    let problems = fixture.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].line, Some(7), "{problems:#?}");
}

#[test]
fn a_question_in_another_categorys_file_is_refused() {
    let fixture = Fixture::new();
    fixture.write("questions/databases.toml", "");
    fixture.write("questions/security.toml", QUESTIONS);
    fixture.assert_single_problem(
        "questions/security.toml",
        3,
        "belongs in questions/databases.toml",
    );
}

#[test]
fn wrapped_prose_is_loaded_as_one_line_per_paragraph() {
    let fixture = Fixture::new();
    fixture.edit(
        "questions/databases.toml",
        "prompt = \"Your service does X. What now?\"",
        "prompt = \"\"\"\nYour service does X\nevery night.\n\nWhat now?\"\"\"",
    );
    fixture.edit(
        "topics/databases/alpha.md",
        "What alpha is, in two sentences. Why it matters.",
        "What alpha is,\nin two sentences.\r\n\r\nWhy it matters.",
    );
    fixture.edit(
        "topics/databases/alpha.md",
        "- One.\n",
        "- One,\n  wrapped.\n",
    );
    let pack = studybot::content::load_dir(&fixture.root).expect("loads");
    let question = pack.question("alpha-1").expect("question");
    assert_eq!(
        question.prompt,
        "Your service does X every night.\n\nWhat now?"
    );
    let card = pack.topic("alpha").expect("card");
    assert_eq!(
        card.summary,
        "What alpha is, in two sentences.\n\nWhy it matters."
    );
    assert_eq!(card.key_points, "- One, wrapped.\n- Two.\n- Three.");
    assert_eq!(card.example, "```sql\nSELECT 1;\n```");
}

#[test]
fn a_card_outside_a_category_folder_is_refused() {
    let fixture = Fixture::new();
    fixture.write("topics/stray.md", "# stray");
    fixture.assert_single_problem("topics/stray.md", 1, "topics/<category>/<slug>.md");
}

#[test]
fn too_few_related_slugs_are_refused() {
    let fixture = Fixture::new();
    fixture.edit(
        "topics/security/gamma.md",
        "\"alpha\", \"beta\"",
        "\"alpha\"",
    );
    fixture.assert_single_problem("topics/security/gamma.md", 7, "2 to 5 related slugs");
}

fn run_check(dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(["content", "check", "--dir"])
        .arg(dir)
        .output()
        .expect("run studybot")
}

#[test]
fn the_command_exits_zero_on_a_valid_folder_and_one_with_path_line_messages_on_a_broken_one() {
    let fixture = Fixture::new();
    let output = run_check(&fixture.root);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );

    fixture.edit("questions/databases.toml", "answer = 2", "answer = 7");
    let output = run_check(&fixture.root);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expected_prefix = format!(
        "{}:7: ",
        fixture.root.join("questions/databases.toml").display()
    );
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with(&expected_prefix)),
        "{stdout}"
    );
}

#[test]
fn the_command_exits_zero_on_the_repository_content() {
    let output = run_check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
