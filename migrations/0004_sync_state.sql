-- 0004_sync_state: where each account's sync stands, committed in the same transaction as the weigh-ins it
-- describes, so a crash at any moment loses nothing and duplicates nothing. The fetched days form one span,
-- [oldest, newest]; complete means the backfill reached the start of the account's history.
CREATE TABLE sync_state (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    newest     TEXT NOT NULL DEFAULT '' CHECK (newest = '' OR newest GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    oldest     TEXT NOT NULL DEFAULT '' CHECK (oldest = '' OR oldest GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    complete   INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    updated_at TEXT NOT NULL
) STRICT;
