-- 0002_reconnect: an account whose provider refused its tokens (revoked, a reused refresh token, a Google
-- test-mode refresh token past its 7 days) is marked so that every page offers a Reconnect. Its data stays.
ALTER TABLE accounts ADD COLUMN needs_reconnect INTEGER NOT NULL DEFAULT 0 CHECK (needs_reconnect IN (0, 1));
