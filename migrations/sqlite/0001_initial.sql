-- studybot's first schema. Discord ids (snowflakes) are stored as INTEGER through one helper
-- (store::ids); days are local posting dates as 'YYYY-MM-DD'; instants are RFC 3339 UTC text.

-- One row per Discord server that has been set up.
CREATE TABLE servers (
    server_id       INTEGER PRIMARY KEY,
    channel_id      INTEGER,
    post_time       TEXT    NOT NULL,            -- 'HH:MM', local to timezone
    timezone        TEXT    NOT NULL,            -- IANA name
    posting_days    TEXT    NOT NULL CHECK (posting_days IN ('every-day', 'weekdays')),
    paused          INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    moderator_role  INTEGER,
    updated_at      TEXT    NOT NULL
);

-- The daily question of a server for a posting day. A row is reserved before sending and
-- marked posted with the message id after; never two rows for one (server, day).
CREATE TABLE daily_posts (
    post_id       INTEGER PRIMARY KEY,
    server_id     INTEGER NOT NULL REFERENCES servers (server_id) ON DELETE CASCADE,
    posting_day   TEXT    NOT NULL,
    seq           INTEGER NOT NULL,              -- 1, 2, 3... per server: what streaks count
    question_id   TEXT    NOT NULL,
    channel_id    INTEGER NOT NULL,
    nonce         TEXT    NOT NULL,              -- sent with enforce_nonce, reused on resend
    state         TEXT    NOT NULL CHECK (state IN ('reserved', 'posted')),
    message_id    INTEGER,
    reserved_at   TEXT    NOT NULL,
    posted_at     TEXT,
    revealed      INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)),
    UNIQUE (server_id, posting_day),
    UNIQUE (server_id, seq)
);

-- A member's answer to a daily post: the first click only.
CREATE TABLE answers (
    post_id       INTEGER NOT NULL REFERENCES daily_posts (post_id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    choice        INTEGER NOT NULL CHECK (choice BETWEEN 0 AND 3),
    correct       INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered_at   TEXT    NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX answers_by_user ON answers (user_id);

-- Streaks and points, per member per server.
CREATE TABLE member_stats (
    server_id          INTEGER NOT NULL,
    user_id            INTEGER NOT NULL,
    streak             INTEGER NOT NULL DEFAULT 0,
    best_streak        INTEGER NOT NULL DEFAULT 0,
    freezes            INTEGER NOT NULL DEFAULT 0,
    points             INTEGER NOT NULL DEFAULT 0,
    answered           INTEGER NOT NULL DEFAULT 0,
    correct            INTEGER NOT NULL DEFAULT 0,
    last_answered_seq  INTEGER,
    PRIMARY KEY (server_id, user_id)
);
-- The leaderboards: top 10 by points, by streak, by accuracy.
CREATE INDEX member_stats_by_points ON member_stats (server_id, points DESC);
CREATE INDEX member_stats_by_streak ON member_stats (server_id, streak DESC);
CREATE INDEX member_stats_by_correct ON member_stats (server_id, correct DESC, answered);

-- Questions answered wrong, due again on the 1, 3, 7, 14-day ladder.
CREATE TABLE review_items (
    server_id    INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    times_wrong  INTEGER NOT NULL,
    due_at       TEXT    NOT NULL,
    PRIMARY KEY (server_id, user_id, question_id)
);
CREATE INDEX review_items_due ON review_items (server_id, user_id, due_at);

-- Topic weeks scheduled by moderators.
CREATE TABLE topic_weeks (
    week_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    server_id    INTEGER NOT NULL,
    topic        TEXT    NOT NULL,               -- 'category:security' or 'topic:jwt'
    start_day    TEXT    NOT NULL,
    announced    INTEGER NOT NULL DEFAULT 0 CHECK (announced IN (0, 1)),
    cancelled    INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    created_by   INTEGER NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX topic_weeks_by_server ON topic_weeks (server_id, start_day);

-- How often each question was drawn in a server: the draw takes the least drawn.
CREATE TABLE question_draws (
    server_id    INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    times_drawn  INTEGER NOT NULL,
    PRIMARY KEY (server_id, question_id)
);

-- What moderators changed, and when.
CREATE TABLE audit_log (
    entry_id    INTEGER PRIMARY KEY,
    server_id   INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    detail      TEXT    NOT NULL,
    at          TEXT    NOT NULL
);
CREATE INDEX audit_log_by_server ON audit_log (server_id, at);

-- Small facts about the bot itself, such as the hash of the registered commands.
CREATE TABLE bot_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
