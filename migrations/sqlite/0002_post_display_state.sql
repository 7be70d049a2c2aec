-- What the public post currently shows, so the scheduler edits a post only when its answer
-- count changed (at most once per post every few seconds, never once per click), and the
-- message of a topic week's announcement, so a restart does not announce twice.
ALTER TABLE daily_posts ADD COLUMN shown_answer_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topic_weeks ADD COLUMN announcement_message_id INTEGER;
