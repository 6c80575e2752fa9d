-- 0007_auth: the password that guards every page (an argon2id hash with its parameters, never the password) and
-- the signed-in browser sessions. A session is known by the SHA-256 of its cookie's random token only, so a copy
-- of the database opens no session.
CREATE TABLE auth (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE signin_sessions (
    token_hash    BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    idle_until    TEXT NOT NULL, -- the session ends when unused until then ...
    expires_at    TEXT NOT NULL  -- ... and at this time whatever its use
) STRICT, WITHOUT ROWID;
