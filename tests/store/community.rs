//! Community questions in the store, on both databases: the pending limit, drafts kept,
//! the review queue's order, approval into the server's bank with a stable id, retiring,
//! the bank source, imports, and forget-me.

use chrono::Utc;
use studybot::domain::community::{BankSource, SuggestionDraft, SuggestionState, PENDING_MAX};
use studybot::domain::PostingDays;
use studybot::store::Submitted;

use crate::backends::TestDb;
use crate::{real_pack, save, settings, MODERATOR, SERVER};

fn draft(tag: &str) -> SuggestionDraft {
    SuggestionDraft {
        topic: "jwt".into(),
        prompt: format!("prompt {tag}"),
        choices: "a\nb\nc\nd".into(),
        answer: "A".into(),
        explanation: "because".into(),
    }
}

async fn submit(test: &TestDb, author: u64, tag: &str, pending: bool) -> Submitted {
    test.db
        .submit_suggestion(
            SERVER,
            author,
            "Ada",
            &draft(tag),
            pending,
            None,
            Utc::now(),
        )
        .await
        .expect("submit")
}

async fn the_queue_keeps_order_limits_pending_and_keeps_drafts(test: TestDb) {
    for n in 0..PENDING_MAX {
        assert!(matches!(
            submit(&test, 1, &n.to_string(), true).await,
            Submitted::Saved(_)
        ));
    }
    let Submitted::TooManyPending(kept) = submit(&test, 1, "extra", true).await else {
        panic!("the sixth is refused");
    };
    let draft_row = test
        .db
        .suggestion(SERVER, kept)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(draft_row.state, SuggestionState::Draft);
    assert_eq!(draft_row.draft, draft("extra"), "every field as typed");
    // A refused draft resubmitted later replaces itself in place.
    let Submitted::Saved(draft_id) = submit(&test, 2, "broken", false).await else {
        panic!("a draft is saved");
    };
    let again = test
        .db
        .submit_suggestion(
            SERVER,
            2,
            "Bo",
            &draft("fixed"),
            true,
            Some(draft_id),
            Utc::now(),
        )
        .await
        .expect("resubmit");
    assert_eq!(again, Submitted::Saved(draft_id));
    // The queue: oldest first; Skip sends one to the back.
    let (first, waiting) = test.db.next_pending(SERVER).await.expect("queue");
    let first = first.expect("one waiting");
    assert_eq!((first.draft.prompt.as_str(), waiting), ("prompt 0", 6));
    assert!(test
        .db
        .skip_suggestion(SERVER, first.id)
        .await
        .expect("skip"));
    let (next, _) = test.db.next_pending(SERVER).await.expect("queue");
    assert_eq!(next.expect("next").draft.prompt, "prompt 1");
    assert_eq!(
        test.db.member_suggestions(SERVER, 2).await.expect("mine")[0]
            .draft
            .prompt,
        "prompt fixed"
    );
}

async fn approving_banks_a_question_with_a_stable_id_once(test: TestDb) {
    let pack = real_pack();
    save(
        &test.db,
        &settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay),
    )
    .await;
    let Submitted::Saved(id) = submit(&test, 1, "bank", true).await else {
        panic!("queued");
    };
    let mut question = pack.question("jwt-1").expect("jwt-1").clone();
    question.prompt = "prompt bank".into();
    let bank_id = test
        .db
        .approve_suggestion(SERVER, id, &question, MODERATOR, Utc::now())
        .await
        .expect("approve")
        .expect("was pending");
    assert!(bank_id.starts_with("jwt-c"), "{bank_id}");
    assert_eq!(
        test.db
            .approve_suggestion(SERVER, id, &question, MODERATOR, Utc::now())
            .await
            .expect("approve again"),
        None,
        "decided once"
    );
    let own = test
        .db
        .server_question(SERVER, &bank_id)
        .await
        .expect("read")
        .expect("banked");
    assert_eq!(own.question.prompt, "prompt bank");
    assert_eq!(own.question.choices, question.choices);
    assert_eq!(own.author_name.as_deref(), Some("Ada"));
    // Imports get their own ids, all in one transaction.
    let imported = test
        .db
        .import_questions(SERVER, &[question.clone(), question.clone()], Utc::now())
        .await
        .expect("import");
    assert_eq!(imported.len(), 2);
    assert_eq!(
        test.db.server_question_count(SERVER).await.expect("count"),
        3
    );
    // Retiring and the bank source.
    assert!(test
        .db
        .retire_question(SERVER, &bank_id, MODERATOR, Utc::now())
        .await
        .expect("retire"));
    assert!(!test
        .db
        .retire_question(SERVER, &bank_id, MODERATOR, Utc::now())
        .await
        .expect("again"));
    assert!(test
        .db
        .retired_questions(SERVER)
        .await
        .expect("retired")
        .contains(&bank_id));
    assert_eq!(
        test.db.bank_source(SERVER).await.expect("source"),
        BankSource::Both
    );
    assert!(test
        .db
        .set_bank_source(SERVER, BankSource::Server, MODERATOR, Utc::now())
        .await
        .expect("set"));
    assert_eq!(
        test.db.bank_source(SERVER).await.expect("source"),
        BankSource::Server
    );
    // Forget-me: the approved question stays, credited to nobody; the rest goes.
    submit(&test, 1, "pending", true).await;
    test.db.forget_member(SERVER, 1).await.expect("forget");
    assert!(test
        .db
        .member_suggestions(SERVER, 1)
        .await
        .expect("mine")
        .is_empty());
    let own = test
        .db
        .server_question(SERVER, &bank_id)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(own.author_name, None);
    assert_eq!(test.db.member_row_count(SERVER, 1).await.expect("rows"), 0);
}

crate::on_both_backends!(
    the_queue_keeps_order_limits_pending_and_keeps_drafts,
    approving_banks_a_question_with_a_stable_id_once,
);
