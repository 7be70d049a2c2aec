//! The console front end as a real process, driven through a pipe.

#[test]
fn the_console_driven_through_a_pipe_keeps_a_two_day_streak() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    // Post at the current UTC minute, so today's question is due at once and tomorrow's
    // falls inside `:advance 1d`.
    let now = chrono::Utc::now().format("%H:%M");
    let script = format!(
        "/studybot setup channel:#study time:{now} timezone:UTC days:every-day\n:press A\n:advance 1d\n:press A\n/streak\n:quit\n"
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(["console", "--user", "ada", "--moderator"])
        .env(
            "STUDYBOT_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("console.db").display()),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start console");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write script");
    let output = child.wait_with_output().expect("console output");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert_eq!(text.matches("studybot posted").count(), 2, "{text}");
    assert!(text.contains("## Current streak\n2"), "{text}");
    assert!(
        !text.contains("ada> "),
        "no prompt when stdin is not a terminal"
    );
}
