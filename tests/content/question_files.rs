//! The one question validator (files, members' suggestions and imports share it), the
//! questions-file writer, and the import reader's `path:line` problems.

use std::path::Path;

use proptest::prelude::*;
use studybot::content::{
    check_question, load_dir, parse_questions_file, questions_file, Diagnostic, FieldProblem,
    QuestionField, QuestionFields, CHOICE_MAX, DISCUSS_MAX, EXPLANATION_MAX, PROMPT_MAX,
};
use studybot::domain::{Category, Level, Question};

use crate::common::{category_of, content_dir, pack};

/// A topic every pack has (guard.rs requires it).
const TOPIC: &str = "idempotency";

/// The typed texts of a valid question; each test breaks one thing.
struct Typed {
    id: String,
    topic: String,
    level: String,
    prompt: String,
    choices: Vec<String>,
    answer: i64,
    explanation: String,
    discuss: String,
}

impl Typed {
    fn valid() -> Typed {
        Typed {
            id: "server-1".into(),
            topic: TOPIC.into(),
            level: "mid".into(),
            prompt: "A client retries a POST after a timeout. What prevents a double charge?"
                .into(),
            choices: vec![
                "An idempotency key stored with the result".into(),
                "A longer timeout".into(),
                "Switching to PUT".into(),
                "Rejecting all retries".into(),
            ],
            answer: 0,
            explanation: "Only a key that names the attempt lets the server replay it.".into(),
            discuss: "How long would you keep the keys?".into(),
        }
    }

    fn fields(&self) -> QuestionFields<'_> {
        QuestionFields {
            id: &self.id,
            topic: &self.topic,
            level: &self.level,
            prompt: &self.prompt,
            choices: &self.choices,
            answer: self.answer,
            explanation: &self.explanation,
            discuss: &self.discuss,
        }
    }

    fn check(&self) -> Result<Question, Vec<FieldProblem>> {
        check_question(&self.fields(), pack())
    }

    /// Asserts exactly one problem, about `field`, whose message contains `words`.
    fn assert_single_problem(&self, field: QuestionField, words: &str) {
        let problems = self.check().expect_err("the question is refused");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].field, field, "{problems:#?}");
        assert!(problems[0].message.contains(words), "{problems:#?}");
    }
}

#[test]
fn valid_fields_give_the_question_trimmed_with_wrapped_lines_joined() {
    let mut typed = Typed::valid();
    typed.id = "  server-1 ".into();
    typed.topic = " idempotency".into();
    typed.prompt = "  A client retries\na POST.\n\nWhat now?  ".into();
    typed.choices[1] = " A longer timeout  ".into();
    typed.answer = 3;
    let question = typed.check().expect("valid");
    assert_eq!(question.id, "server-1");
    assert_eq!(question.topic, "idempotency");
    assert_eq!(question.level, Level::Mid);
    assert_eq!(question.prompt, "A client retries a POST.\n\nWhat now?");
    assert_eq!(question.choices[1], "A longer timeout");
    assert_eq!(question.answer, 3);
    assert_eq!(question.answer_letter(), 'D');
}

#[test]
fn an_empty_id_is_refused() {
    let mut typed = Typed::valid();
    typed.id = "  ".into();
    typed.assert_single_problem(QuestionField::Id, "the question id is empty");
}

#[test]
fn a_topic_that_is_not_a_card_slug_is_refused() {
    let mut typed = Typed::valid();
    typed.topic = "Idempotency".into();
    typed.assert_single_problem(QuestionField::Topic, "unknown topic slug \"Idempotency\"");
    typed.topic = String::new();
    typed.assert_single_problem(QuestionField::Topic, "the topic is empty");
}

#[test]
fn an_unknown_level_is_refused() {
    let mut typed = Typed::valid();
    typed.level = "guru".into();
    typed.assert_single_problem(QuestionField::Level, "junior, mid or senior");
}

#[test]
fn a_question_needs_exactly_four_choices() {
    let mut typed = Typed::valid();
    typed.choices.pop();
    typed.assert_single_problem(QuestionField::Choices, "exactly 4 choices, this one 3");
    typed.choices.push("Fourth".into());
    typed.choices.push("Fifth".into());
    typed.assert_single_problem(QuestionField::Choices, "exactly 4 choices, this one 5");
}

#[test]
fn choices_must_be_distinct_ignoring_case_and_non_empty() {
    let mut typed = Typed::valid();
    typed.choices[3] = " a LONGER timeout".into();
    typed.assert_single_problem(QuestionField::Choices, "distinct");
    let mut typed = Typed::valid();
    typed.choices[2] = "   ".into();
    typed.assert_single_problem(QuestionField::Choices, "non-empty");
}

#[test]
fn a_choice_over_the_cap_is_refused_by_its_letter() {
    let mut typed = Typed::valid();
    typed.choices[2] = "c".repeat(CHOICE_MAX);
    assert!(typed.check().is_ok(), "exactly the cap fits");
    typed.choices[2] = "c".repeat(CHOICE_MAX + 1);
    typed.assert_single_problem(
        QuestionField::Choices,
        &format!("choice C is {} characters", CHOICE_MAX + 1),
    );
}

#[test]
fn an_answer_outside_a_to_d_is_refused() {
    for answer in [-1, 4, i64::MAX] {
        let mut typed = Typed::valid();
        typed.answer = answer;
        typed.assert_single_problem(
            QuestionField::Answer,
            &format!("answer {answer} must be 0, 1, 2 or 3"),
        );
    }
}

#[test]
fn each_text_must_be_non_empty_and_within_its_cap() {
    type Setter = fn(&mut Typed, String);
    let texts: [(QuestionField, &str, usize, Setter); 3] = [
        (QuestionField::Prompt, "prompt", PROMPT_MAX, |t, v| {
            t.prompt = v
        }),
        (
            QuestionField::Explanation,
            "explanation",
            EXPLANATION_MAX,
            |t, v| t.explanation = v,
        ),
        (QuestionField::Discuss, "discuss", DISCUSS_MAX, |t, v| {
            t.discuss = v
        }),
    ];
    for (field, name, max, set) in texts {
        let mut typed = Typed::valid();
        set(&mut typed, " \n ".into());
        typed.assert_single_problem(field, &format!("the {name} is empty"));
        set(&mut typed, "x".repeat(max));
        assert!(typed.check().is_ok(), "{name}: exactly the cap fits");
        set(&mut typed, "x".repeat(max + 1));
        typed.assert_single_problem(
            field,
            &format!("the {name} is {} characters; at most {max}", max + 1),
        );
    }
}

#[test]
fn texts_are_measured_as_shown_with_wrapped_lines_joined() {
    let mut typed = Typed::valid();
    // Two halves joined by one space: the cap exactly, though the typed text has a newline
    // and trailing spaces on its first line.
    let half = "p".repeat((PROMPT_MAX - 1) / 2);
    typed.prompt = format!("{half}   \n{}", "p".repeat(PROMPT_MAX - 1 - half.len()));
    assert_eq!(
        typed.check().expect("fits").prompt.chars().count(),
        PROMPT_MAX
    );
}

#[test]
fn every_problem_is_reported_at_once_each_with_its_field() {
    let typed = Typed {
        id: String::new(),
        topic: "no-such-card".into(),
        level: "expert".into(),
        prompt: String::new(),
        choices: vec![
            "Same".into(),
            "same".into(),
            "Other".into(),
            "x".repeat(CHOICE_MAX + 1),
        ],
        answer: 9,
        explanation: "e".repeat(EXPLANATION_MAX + 1),
        discuss: String::new(),
    };
    let problems = typed.check().expect_err("refused");
    let fields: Vec<QuestionField> = problems.iter().map(|problem| problem.field).collect();
    assert_eq!(
        fields,
        vec![
            QuestionField::Id,
            QuestionField::Topic,
            QuestionField::Level,
            QuestionField::Prompt,
            QuestionField::Choices,
            QuestionField::Choices,
            QuestionField::Answer,
            QuestionField::Explanation,
            QuestionField::Discuss,
        ],
        "{problems:#?}"
    );
}

#[test]
fn the_writer_uses_the_layout_of_the_built_in_files() {
    let question = Typed::valid().check().expect("valid");
    let mut second = question.clone();
    second.id = "server-2".into();
    second.explanation = "Say \"once\".\n\nThen a path: C:\\keys.".into();
    let expected = r#"[[question]]
id = "server-1"
topic = "idempotency"
level = "mid"
prompt = """
A client retries a POST after a timeout. What prevents a double charge?"""
choices = [
  "An idempotency key stored with the result",
  "A longer timeout",
  "Switching to PUT",
  "Rejecting all retries",
]
answer = 0
explanation = """
Only a key that names the attempt lets the server replay it."""
discuss = "How long would you keep the keys?"

[[question]]
id = "server-2"
topic = "idempotency"
level = "mid"
prompt = """
A client retries a POST after a timeout. What prevents a double charge?"""
choices = [
  "An idempotency key stored with the result",
  "A longer timeout",
  "Switching to PUT",
  "Rejecting all retries",
]
answer = 0
explanation = """
Say "once".

Then a path: C:\\keys."""
discuss = "How long would you keep the keys?"
"#;
    assert_eq!(questions_file(&[question, second]), expected);
    assert_eq!(questions_file(&[]), "");
}

#[test]
fn every_built_in_question_reads_back_the_same_after_writing() {
    let pack = pack();
    for question in pack.questions() {
        let written = questions_file(std::slice::from_ref(question));
        let read =
            parse_questions_file("exported.toml", &written, pack).unwrap_or_else(|problems| {
                panic!(
                    "{} does not read back: {problems:#?}\n{written}",
                    question.id
                )
            });
        assert_eq!(read, vec![question.clone()], "{written}");
    }
}

/// Copies a folder, so a test can rewrite files of the real content without touching it.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("file name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn the_whole_bank_rewritten_by_the_writer_passes_content_check_unchanged() {
    let pack = pack();
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("content");
    copy_dir(&content_dir(), &root);
    for category in Category::ALL {
        let questions: Vec<Question> = pack
            .questions()
            .iter()
            .filter(|question| category_of(pack, question) == category)
            .cloned()
            .collect();
        let path = root.join(format!("questions/{}.toml", category.slug()));
        std::fs::write(path, questions_file(&questions)).expect("write");
    }
    let reloaded = load_dir(&root).unwrap_or_else(|error| panic!("{:#?}", error.0));
    assert_eq!(reloaded.questions(), pack.questions());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Whatever a member types (quotes, backslashes, control characters, line breaks), a
    /// question the validator accepts is written so that it reads back identical.
    #[test]
    fn any_accepted_question_reads_back_the_same_after_writing(
        id in "[a-z0-9\"\\\\ -]{1,12}",
        prompt in "(\\PC|[\"\\\\\n\r\t\u{0}\u{1f}\u{7f}]){1,80}",
        choices in prop::collection::vec("(\\PC|[\"\\\\\t\u{1}]){1,20}", 4),
        answer in 0i64..4,
        explanation in "(\\PC|[\"\\\\\n \u{b}]){1,80}",
        discuss in "(\\PC|[\"\\\\\n]){1,40}",
    ) {
        let fields = QuestionFields {
            id: &id,
            topic: TOPIC,
            level: "senior",
            prompt: &prompt,
            choices: &choices,
            answer,
            explanation: &explanation,
            discuss: &discuss,
        };
        if let Ok(question) = check_question(&fields, pack()) {
            let written = questions_file(std::slice::from_ref(&question));
            let read = parse_questions_file("q.toml", &written, pack());
            prop_assert_eq!(read, Ok(vec![question]), "{}", written);
        }
    }
}

/// Two good questions (lines 1-16 and 18-33); each test breaks one thing.
fn import_file() -> String {
    let first = Typed::valid().check().expect("valid");
    let mut second = first.clone();
    second.id = "server-2".into();
    questions_file(&[first, second])
}

fn import(text: &str) -> Result<Vec<Question>, Vec<Diagnostic>> {
    parse_questions_file("import.toml", text, pack())
}

fn problem_lines(text: &str) -> Vec<String> {
    import(text)
        .expect_err("refused")
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_good_file_imports_every_question_in_order() {
    let questions = import(&import_file()).expect("imports");
    let ids: Vec<&str> = questions
        .iter()
        .map(|question| question.id.as_str())
        .collect();
    assert_eq!(ids, ["server-1", "server-2"]);
}

#[test]
fn a_file_that_is_not_toml_is_refused_at_its_line() {
    let text = import_file().replacen("answer = 0", "answer = ", 2);
    let problems = import(&text).expect_err("refused");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].path, "import.toml");
    assert_eq!(problems[0].line, Some(13), "{problems:#?}");
}

#[test]
fn a_broken_rule_is_refused_at_its_fields_line_and_nothing_is_imported() {
    let text = replace_line(&import_file(), 30, "answer = 4");
    assert_eq!(
        problem_lines(&text),
        ["import.toml:30: answer 4 must be 0, 1, 2 or 3 (A to D)"]
    );
}

/// `text` with its 1-based line `number` replaced.
fn replace_line(text: &str, number: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines[number - 1] = line;
    lines.join("\n") + "\n"
}

#[test]
fn unknown_topics_and_duplicate_ids_are_refused_at_their_lines_in_line_order() {
    let text = replace_line(&import_file(), 20, "topic = \"no-such-card\"");
    let text = replace_line(&text, 19, "id = \"server-1\"");
    let text = replace_line(&text, 3, "topic = \"\"");
    assert_eq!(
        problem_lines(&text),
        [
            "import.toml:3: the topic is empty",
            "import.toml:19: duplicate question id \"server-1\" (also on line 2)",
            "import.toml:20: unknown topic slug \"no-such-card\"",
        ]
    );
}

#[test]
fn every_problem_of_every_question_is_listed() {
    let text = replace_line(&import_file(), 4, "level = \"expert\"");
    let text = replace_line(&text, 8, "  \"Same\",");
    let text = replace_line(&text, 9, "  \"same\",");
    let text = replace_line(&text, 33, "discuss = \"\"");
    assert_eq!(
        problem_lines(&text),
        [
            "import.toml:4: level \"expert\" must be junior, mid or senior",
            "import.toml:7: the 4 choices must be distinct and non-empty",
            "import.toml:33: the discuss is empty",
        ]
    );
}
