//! Community questions through the app: the suggestion form and its checks, drafts that keep
//! every field, the pending limit, the review queue, the server's bank in the draw, retiring,
//! forget-me, and `studybot content export/import` on the same database.

use studybot::app::{Command, Reply};
use studybot::domain::community::BankSource;

use crate::helpers::{
    at, button_ids, library, member, moderator, refusal, visible, TestApp, SERVER,
};

const NEW_FORM: &str = "v1:form:suggest";

/// A question on JWT that passes every check (answer A), with a distinctive prompt.
fn good(prompt_tag: &str) -> Vec<(&'static str, String)> {
    vec![
        ("topic", "json web token".to_string()),
        (
            "prompt",
            format!("A service decodes incoming JWTs and checks exp but never the signature ({prompt_tag}). What can an attacker do?"),
        ),
        (
            "choices",
            "Forge a token with any claims, since nothing proves the issuer signed it\nNothing, because exp still limits how long a token lives\nOnly read the claims, since decoding cannot change them\nOnly replay old tokens, since the payload is base64url".to_string(),
        ),
        ("answer", "A".to_string()),
        (
            "explanation",
            "Without verifying the signature the service trusts any claims a client writes: an attacker sets their own sub, role and exp. Decoding is not verifying.".to_string(),
        ),
    ]
}

async fn submit(test: &TestApp, user: u64, custom_id: &str, fields: &[(&str, String)]) -> Reply {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(id, value)| (*id, value.as_str()))
        .collect();
    test.submit(&member(user), custom_id, &fields)
        .await
        .expect("the form is answered")
}

/// The form's inputs as (id, value), as a reply opens it.
fn form_values(reply: &Reply) -> Vec<(String, String)> {
    reply
        .form
        .as_ref()
        .expect("a form")
        .inputs
        .iter()
        .map(|input| (input.id.clone(), input.value.clone()))
        .collect()
}

/// Submits a good suggestion as `user` and approves it as the moderator; the bank id.
async fn suggest_and_approve(test: &TestApp, user: u64, tag: &str) -> String {
    let reply = submit(test, user, NEW_FORM, &good(tag)).await;
    assert!(
        visible(&reply).contains("waiting for a moderator"),
        "{}",
        visible(&reply)
    );
    let review = test.ok(&moderator(SERVER), Command::Suggestions).await;
    let approve = button_ids(&review)
        .into_iter()
        .find(|id| id.starts_with("v1:sgok:"))
        .expect("approve button");
    let approved = visible(
        &test
            .press(&moderator(SERVER), &approve)
            .await
            .expect("approved"),
    );
    approved
        .split('`')
        .nth(1)
        .expect("the new id in backticks")
        .to_string()
}

#[tokio::test]
async fn a_refused_suggestion_lists_every_problem_and_reopens_with_every_field() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    let form = test.ok(&member(1), Command::Suggest).await;
    assert_eq!(form.form.as_ref().expect("a form").inputs.len(), 5);
    let typed = vec![
        ("topic", "no such card at all".to_string()),
        ("prompt", "Which one?".to_string()),
        ("choices", "one\ntwo\ntwo".to_string()),
        ("answer", "E".to_string()),
        ("explanation", String::new()),
    ];
    let refused = submit(&test, 1, NEW_FORM, &typed).await;
    let text = visible(&refused);
    for expected in [
        "Topic: no card matches",
        "Right letter",
        "Choices:",
        "Explanation:",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    // "Edit and resubmit" reopens the form with exactly what was typed.
    let edit = button_ids(&refused).pop().expect("edit button");
    let reopened = test.press(&member(1), &edit).await.expect("reopens");
    let expected: Vec<(String, String)> = typed
        .iter()
        .map(|(id, value)| (id.to_string(), value.clone()))
        .collect();
    assert_eq!(form_values(&reopened), expected);
    // Someone else cannot open another member's draft.
    assert!(refusal(test.press(&member(2), &edit).await).contains("no longer there"));
    // Resubmitted fixed, through the reopened form: queued, and the draft is gone.
    let custom_id = reopened.form.expect("form").custom_id;
    let queued = submit(&test, 1, &custom_id, &good("fixed")).await;
    assert!(
        visible(&queued).contains("1 of 5 pending"),
        "{}",
        visible(&queued)
    );
    assert!(refusal(test.press(&member(1), &edit).await).contains("no longer there"));
    let mine = visible(&test.ok(&member(1), Command::SuggestMine).await);
    assert!(
        mine.contains("pending") && mine.contains("(fixed)"),
        "{mine}"
    );
}

#[tokio::test]
async fn five_suggestions_may_wait_per_member_and_the_sixth_is_kept_as_a_draft() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    for n in 0..5 {
        let reply = submit(&test, 1, NEW_FORM, &good(&format!("n{n}"))).await;
        assert!(visible(&reply).contains("pending"), "{}", visible(&reply));
    }
    let sixth = submit(&test, 1, NEW_FORM, &good("n5")).await;
    assert!(
        visible(&sixth).contains("already have 5"),
        "{}",
        visible(&sixth)
    );
    let edit = button_ids(&sixth).pop().expect("the draft is kept");
    let reopened = test.press(&member(1), &edit).await.expect("reopens");
    assert!(form_values(&reopened)[1].1.contains("(n5)"));
    // Another member is not limited by member 1's queue.
    let other = submit(&test, 2, NEW_FORM, &good("other")).await;
    assert!(visible(&other).contains("1 of 5 pending"));
}

#[tokio::test]
async fn moderators_approve_reject_with_a_reason_and_skip_members_cannot() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    submit(&test, 1, NEW_FORM, &good("first")).await;
    submit(&test, 2, NEW_FORM, &good("second")).await;
    assert!(refusal(test.run(&member(1), Command::Suggestions).await).contains("Only moderators"));
    let review = test.ok(&moderator(SERVER), Command::Suggestions).await;
    let text = visible(&review);
    assert!(text.contains("Suggested by member1 · 2 waiting"), "{text}");
    assert!(text.contains("(first)"), "oldest first: {text}");
    let ids = button_ids(&review);
    for id in &ids {
        assert!(refusal(test.press(&member(3), id).await).contains("Only moderators"));
    }
    // Skip moves it to the back: the second comes up.
    let skip = ids
        .iter()
        .find(|id| id.starts_with("v1:sgskip:"))
        .expect("skip");
    let next = visible(&test.press(&moderator(SERVER), skip).await.expect("skipped"));
    assert!(next.contains("(second)"), "{next}");
    // Reject asks for a reason in a form; the author reads it.
    let review = test.ok(&moderator(SERVER), Command::Suggestions).await;
    let reject = button_ids(&review)
        .into_iter()
        .find(|id| id.starts_with("v1:sgno:"))
        .expect("reject");
    let form = test
        .press(&moderator(SERVER), &reject)
        .await
        .expect("asks why");
    let custom_id = form.form.expect("a reason form").custom_id;
    assert!(refusal(
        test.submit(&member(2), &custom_id, &[("reason", "mine")])
            .await
    )
    .contains("Only moderators"));
    assert!(refusal(
        test.submit(&moderator(SERVER), &custom_id, &[("reason", "  ")])
            .await
    )
    .contains("Say why"));
    test.submit(
        &moderator(SERVER),
        &custom_id,
        &[("reason", "Too close to jwt-2.")],
    )
    .await
    .expect("rejected");
    let mine = visible(&test.ok(&member(2), Command::SuggestMine).await);
    assert!(
        mine.contains("rejected") && mine.contains("Too close to jwt-2."),
        "{mine}"
    );
    // Approving the skipped first one gives it a stable id in the bank.
    let review = test.ok(&moderator(SERVER), Command::Suggestions).await;
    assert!(visible(&review).contains("(first)"));
    let approve = button_ids(&review)
        .into_iter()
        .find(|id| id.starts_with("v1:sgok:"))
        .expect("approve");
    let approved = visible(
        &test
            .press(&moderator(SERVER), &approve)
            .await
            .expect("approved"),
    );
    let id = approved.split('`').nth(1).expect("the id").to_string();
    assert!(id.starts_with("jwt-c"), "{id}");
    let mine = visible(&test.ok(&member(1), Command::SuggestMine).await);
    assert!(mine.contains(&format!("approved as `{id}`")), "{mine}");
    // A decided suggestion cannot be decided again.
    assert!(refusal(test.press(&moderator(SERVER), &approve).await).contains("already approved"));
    assert!(
        visible(&test.ok(&moderator(SERVER), Command::Suggestions).await)
            .contains("No suggestions are waiting")
    );
}

#[tokio::test]
async fn the_review_shows_the_closest_existing_question_with_its_similarity() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    // A member submits a built-in question word for word.
    let original = library().question("jwt-1").expect("jwt-1").clone();
    let copy = vec![
        ("topic", "jwt".to_string()),
        ("prompt", original.prompt.clone()),
        ("choices", original.choices.join("\n")),
        ("answer", ["A", "B", "C", "D"][original.answer].to_string()),
        ("explanation", original.explanation.clone()),
    ];
    submit(&test, 1, NEW_FORM, &copy).await;
    let review = visible(&test.ok(&moderator(SERVER), Command::Suggestions).await);
    assert!(review.contains("100% `jwt-1`"), "{review}");
}

/// Posts on `days` consecutive days from 23 November and returns the question ids posted.
async fn posted_ids(test: &TestApp, days: u32) -> Vec<String> {
    for day in 23..23 + days {
        test.at(at(2026, 11, day, 9, 0)).await;
    }
    test.db
        .recent_posts(SERVER, days)
        .await
        .expect("posts")
        .into_iter()
        .map(|post| post.question_id)
        .collect()
}

/// Sets the server up with member 7's question approved and the server's bank only, and
/// posts the first day's question: that one. Its id.
async fn post_own_question(test: &TestApp, tag: &str) -> String {
    test.set_up("09:00", "UTC").await;
    let id = suggest_and_approve(test, 7, tag).await;
    test.ok(
        &moderator(SERVER),
        Command::Bank {
            source: BankSource::Server,
        },
    )
    .await;
    assert_eq!(posted_ids(test, 1).await, vec![id.clone()]);
    id
}

#[tokio::test]
async fn the_daily_question_draws_from_the_chosen_bank_and_credits_the_author() {
    let mut test = TestApp::spawn(at(2026, 11, 22, 8, 0)).await;
    // Content without questions on JWT or its related cards, so a JWT topic week can only
    // draw the server's own JWT question.
    let mut week_slugs = library().pack().topic("jwt").expect("jwt").related.clone();
    week_slugs.push("jwt".into());
    test.restart_keeping_questions(|question| !week_slugs.contains(&question.topic))
        .await;
    // Server bank only: the member's question, credited by name, with no ping.
    let id = post_own_question(&test, "bank").await;
    let post = test.poster.daily_posts().pop().expect("posted");
    assert!(
        visible(&post.reply).contains("question by member7"),
        "{}",
        visible(&post.reply)
    );
    assert!(post.reply.pings.is_empty());
    // Answering it counts like any question.
    let answered = visible(
        &test
            .answer_latest(&member(8), true)
            .await
            .expect("answered"),
    );
    assert!(answered.contains("Right"), "{answered}");
    // Built-in only: never the server's question.
    test.ok(
        &moderator(SERVER),
        Command::Bank {
            source: BankSource::BuiltIn,
        },
    )
    .await;
    for day in 24..28 {
        test.at(at(2026, 11, day, 9, 0)).await;
    }
    let posts = test.db.recent_posts(SERVER, 4).await.expect("posts");
    assert!(posts
        .iter()
        .all(|post| library().question(&post.question_id).is_some()));
    // Both, and a JWT topic week: the week narrows the whole bank, the server's question
    // included (the built-in bank has no JWT question here).
    test.ok(
        &moderator(SERVER),
        Command::Bank {
            source: BankSource::Both,
        },
    )
    .await;
    test.ok(
        &moderator(SERVER),
        Command::WeekSchedule {
            topic: "jwt".into(),
            start: "2026-11-30".parse().expect("day"),
        },
    )
    .await;
    test.at(at(2026, 11, 28, 9, 0)).await;
    let before = test.latest_post().await.question_id;
    assert!(library().question(&before).is_some(), "{before}");
    test.at(at(2026, 11, 30, 9, 0)).await;
    assert_eq!(test.latest_post().await.question_id, id);
}

#[tokio::test]
async fn a_retired_question_is_no_longer_drawn_and_its_old_post_stays_valid() {
    let test = TestApp::spawn(at(2026, 11, 22, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    let id = suggest_and_approve(&test, 7, "retire").await;
    test.ok(
        &moderator(SERVER),
        Command::Bank {
            source: BankSource::Server,
        },
    )
    .await;
    assert_eq!(posted_ids(&test, 1).await, vec![id.clone()]);
    test.answer_latest(&member(8), true)
        .await
        .expect("answered");
    let refused = refusal(
        test.run(&member(8), Command::Retire { id: id.clone() })
            .await,
    );
    assert!(refused.contains("Only moderators"));
    let retired = visible(
        &test
            .ok(&moderator(SERVER), Command::Retire { id: id.clone() })
            .await,
    );
    assert!(retired.contains("no longer drawn"), "{retired}");
    // The next day: the server bank is empty of drawable questions, so a built-in one comes,
    // and yesterday's post is revealed with its (retired) question.
    test.at(at(2026, 11, 24, 9, 0)).await;
    let latest = test.latest_post().await;
    assert_ne!(latest.question_id, id);
    let reveal = test
        .poster
        .edits()
        .into_iter()
        .rev()
        .find(|(_, reply)| visible(reply).contains("(closed)"));
    assert!(visible(&reveal.expect("revealed").1).contains("question by member7"));
    let streak = visible(&test.ok(&member(8), Command::Streak { member: None }).await);
    assert!(streak.contains("Answered\n1"), "{streak}");
    assert!(refusal(
        test.run(
            &moderator(SERVER),
            Command::Retire {
                id: "no-such-id".into()
            }
        )
        .await
    )
    .contains("no question"));
}

#[tokio::test]
async fn forget_me_removes_pending_and_rejected_and_credits_approved_to_a_former_member() {
    let test = TestApp::spawn(at(2026, 11, 22, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    let id = suggest_and_approve(&test, 7, "kept").await;
    submit(&test, 7, NEW_FORM, &good("waiting")).await;
    test.press(&member(7), "v1:forget:yes")
        .await
        .expect("forgotten");
    assert!(visible(&test.ok(&member(7), Command::SuggestMine).await).contains("not suggested"));
    let (next, waiting) = test.db.next_pending(SERVER).await.expect("queue");
    assert_eq!((next, waiting), (None, 0), "the pending one is gone");
    test.ok(
        &moderator(SERVER),
        Command::Bank {
            source: BankSource::Server,
        },
    )
    .await;
    assert_eq!(posted_ids(&test, 1).await, vec![id]);
    let post = test.poster.daily_posts().pop().expect("posted");
    assert!(
        visible(&post.reply).contains("question by a former member"),
        "{}",
        visible(&post.reply)
    );
}

/// Runs `studybot` on the test's database.
fn studybot(test: &TestApp, args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(args)
        .env("STUDYBOT_DATABASE_URL", test.db_url())
        .output()
        .expect("run studybot");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[tokio::test]
async fn export_then_import_round_trips_and_a_broken_file_changes_nothing() {
    let test = TestApp::spawn(at(2026, 11, 22, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    suggest_and_approve(&test, 7, "one").await;
    suggest_and_approve(&test, 8, "two").await;
    let out = tempfile::tempdir().expect("temp dir");
    let server = SERVER.to_string();
    let (ok, text) = studybot(
        &test,
        &[
            "content",
            "export",
            "--server",
            &server,
            out.path().to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");
    let file = out.path().join("questions/security.toml");
    assert!(file.exists(), "{text}");
    // The exported questions pass `content check` beside the built-in content.
    let content = tempfile::tempdir().expect("temp dir");
    copy_dir(std::path::Path::new("content"), content.path());
    let target = content.path().join("questions/security.toml");
    let mut merged = std::fs::read_to_string(&target).expect("built-in file");
    merged.push('\n');
    merged.push_str(&std::fs::read_to_string(&file).expect("exported"));
    std::fs::write(&target, merged).expect("write");
    let (ok, text) = studybot(
        &test,
        &[
            "content",
            "check",
            "--dir",
            content.path().to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");
    // Imported into another server: the same questions.
    let other = 900_000_000_000_000_777u64;
    let (ok, text) = studybot(
        &test,
        &[
            "content",
            "import",
            "--server",
            &other.to_string(),
            file.to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");
    let strip = |questions: Vec<studybot::store::ServerQuestion>| {
        questions
            .into_iter()
            .map(|own| {
                (
                    own.question.prompt,
                    own.question.choices,
                    own.question.answer,
                    own.question.explanation,
                )
            })
            .collect::<Vec<_>>()
    };
    let original = strip(test.db.server_questions(SERVER).await.expect("bank"));
    assert_eq!(
        strip(test.db.server_questions(other).await.expect("bank")),
        original
    );
    // A broken file: path:line problems, exit 1, nothing imported.
    let broken = out.path().join("broken.toml");
    let mut text = std::fs::read_to_string(&file).expect("exported");
    text.push_str("\n[[question]]\nid = \"x\"\ntopic = \"jwt\"\nlevel = \"mid\"\nprompt = \"p\"\nchoices = [\"a\", \"b\"]\nanswer = 0\nexplanation = \"e\"\ndiscuss = \"d\"\n");
    std::fs::write(&broken, text).expect("write");
    let (ok, output) = studybot(
        &test,
        &[
            "content",
            "import",
            "--server",
            &other.to_string(),
            broken.to_str().unwrap(),
        ],
    );
    assert!(!ok);
    assert!(
        output.contains("broken.toml:") && output.contains("exactly 4 choices"),
        "{output}"
    );
    assert_eq!(
        strip(test.db.server_questions(other).await.expect("bank")),
        original,
        "nothing imported"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[tokio::test]
async fn answers_to_the_servers_own_questions_count_in_progress_and_stats() {
    let mut test = TestApp::spawn(at(2026, 11, 22, 8, 0)).await;
    // Content without any Security questions: whatever Security answers show up below can
    // only come from the server's own (JWT) question.
    let full = library();
    test.restart_keeping_questions(|question| {
        full.pack()
            .topic(&question.topic)
            .is_some_and(|topic| topic.category != studybot::domain::Category::Security)
    })
    .await;
    post_own_question(&test, "counted").await;
    for user in 1..=3 {
        test.answer_latest(&member(user), user == 1)
            .await
            .expect("answered");
    }

    let progress = test
        .ok(
            &member(2),
            Command::Progress {
                member: None,
                public: false,
            },
        )
        .await;
    let described = &progress.attachments[0].description;
    assert!(
        described.contains("By category: Security 0% of 1."),
        "{described}"
    );

    let stats = test.ok(&moderator(SERVER), Command::Stats).await;
    let text = visible(&stats);
    assert!(text.contains("Security: 33% right of 3"), "{text}");
    assert!(
        text.contains("A service decodes incoming JWTs"),
        "the server's question is among the hardest: {text}"
    );
}
