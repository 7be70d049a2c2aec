-- Every recorded answer updates each index on the tables it writes, and under load those
-- updates are most of a commit's cost (a batch of answers from members with scattered ids
-- touches one page per index per answer). Two indexes no query needs:
-- - answers_by_user: a member's answers are found through the server's posts and the
--   primary key (post_id, user_id), which forget-me and /progress already use.
-- - review_items_due: a member's reviews are found through the primary key's prefix
--   (server_id, user_id); sorting one member's few rows by due date needs no index.
DROP INDEX IF EXISTS answers_by_user;
DROP INDEX IF EXISTS review_items_due;
