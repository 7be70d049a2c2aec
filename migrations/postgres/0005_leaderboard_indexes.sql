-- The leaderboards rank every member of a server with a window function, which reads the
-- server's rows through the primary key (server_id, user_id) and sorts them; these three
-- indexes were never used by it, and every recorded answer paid to keep them up to date.
DROP INDEX IF EXISTS member_stats_by_points;
DROP INDEX IF EXISTS member_stats_by_streak;
DROP INDEX IF EXISTS member_stats_by_correct;
