-- Community questions. A member's submission is a row from the start: a 'draft' (refused by
-- the checks, kept so "Edit and resubmit" reopens the form with what was typed), then
-- 'pending' until a moderator approves or rejects it. Fields are kept as typed.
CREATE TABLE suggestions (
    suggestion_id  INTEGER PRIMARY KEY,
    server_id      INTEGER NOT NULL,
    author_id      INTEGER,                           -- NULL once the author used /forget-me
    author_name    TEXT,
    state          TEXT    NOT NULL CHECK (state IN ('draft', 'pending', 'approved', 'rejected')),
    topic          TEXT    NOT NULL,
    prompt         TEXT    NOT NULL,
    choices        TEXT    NOT NULL,             -- one per line, as typed
    answer         TEXT    NOT NULL,             -- the letter, as typed
    explanation    TEXT    NOT NULL,
    reason         TEXT,                         -- why a moderator rejected it
    question_id    TEXT,                         -- the bank id once approved
    queue_order    BIGINT  NOT NULL,             -- review order; Skip moves it to the back
    created_at     TEXT    NOT NULL,
    reviewed_by    INTEGER,
    reviewed_at    TEXT
);
CREATE INDEX suggestions_queue ON suggestions (server_id, state, queue_order);
CREATE INDEX suggestions_by_author ON suggestions (server_id, author_id, state);

-- A server's own questions (approved suggestions and imports), drawn like built-in ones.
-- 'number' makes the stable id: '<topic>-c<number>'.
CREATE TABLE server_questions (
    number         INTEGER PRIMARY KEY,
    question_id    TEXT    NOT NULL UNIQUE,
    server_id      INTEGER NOT NULL,
    author_id      INTEGER,
    author_name    TEXT,                         -- NULL: "a former member" (or imported)
    topic          TEXT    NOT NULL,
    level          TEXT    NOT NULL,
    prompt         TEXT    NOT NULL,
    choice_a       TEXT    NOT NULL,
    choice_b       TEXT    NOT NULL,
    choice_c       TEXT    NOT NULL,
    choice_d       TEXT    NOT NULL,
    answer         INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 3),
    explanation    TEXT    NOT NULL,
    discuss        TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE INDEX server_questions_by_server ON server_questions (server_id);

-- Questions a server took out of its draw (built-in or its own). Old posts keep them.
CREATE TABLE retired_questions (
    server_id    INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    retired_by   INTEGER NOT NULL,
    retired_at   TEXT    NOT NULL,
    PRIMARY KEY (server_id, question_id)
);

-- Which bank the daily question and practice draw from.
ALTER TABLE servers ADD COLUMN bank_source TEXT NOT NULL DEFAULT 'both';
