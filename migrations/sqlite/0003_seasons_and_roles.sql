-- Seasons: each member's points, answers and right answers per calendar week and month of
-- their server ('W2026-11-30' for the week starting that Monday, 'M2026-11' for a month),
-- added to by the answer writer in the same transaction as the answer. Weekly and monthly
-- leaderboards then read one primary-key range instead of a year of answers.
CREATE TABLE period_scores (
    server_id   INTEGER NOT NULL,
    period      TEXT    NOT NULL,
    user_id     INTEGER NOT NULL,
    points      INTEGER NOT NULL DEFAULT 0,
    answered    INTEGER NOT NULL DEFAULT 0,
    correct     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (server_id, period, user_id)
) WITHOUT ROWID;  -- a board reads one (server, period) range of the key: no second lookup

-- The weekly recap of a server, reserved and confirmed like a daily post (nonce resent after
-- a crash), so it is posted exactly once. 'week' is the Monday of the week recapped.
CREATE TABLE recaps (
    server_id    INTEGER NOT NULL,
    week         TEXT    NOT NULL,
    channel_id   INTEGER NOT NULL,
    nonce        TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('reserved', 'posted')),
    message_id   INTEGER,
    reserved_at  TEXT    NOT NULL,
    PRIMARY KEY (server_id, week)
);

-- Roles the bot manages: the monthly champion and the opt-in quiz ping. champion_month is the
-- last month whose champion was handed the role ('M2026-11'); role_problem is the id of a
-- role Discord refused to let the bot manage, shown in /studybot status until it works again.
ALTER TABLE servers ADD COLUMN champion_role INTEGER;
ALTER TABLE servers ADD COLUMN notify_role INTEGER;
ALTER TABLE servers ADD COLUMN champion_user INTEGER;
ALTER TABLE servers ADD COLUMN champion_month TEXT;
ALTER TABLE servers ADD COLUMN role_problem TEXT;

