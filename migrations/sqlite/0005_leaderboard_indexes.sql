-- The leaderboards rank every member of a server with a window function, which reads the
-- server's rows through the primary key (server_id, user_id) and sorts them; these three
-- indexes were never used by it, and every recorded answer paid to keep them up to date.
DROP INDEX IF EXISTS member_stats_by_points;
DROP INDEX IF EXISTS member_stats_by_streak;
DROP INDEX IF EXISTS member_stats_by_correct;

-- A period board joins each score row to the member's current streak: this index answers
-- that lookup by itself, without reading the table row.
CREATE INDEX member_stats_streaks ON member_stats (server_id, user_id, streak, best_streak, freezes, last_answered_seq);
