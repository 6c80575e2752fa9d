-- 0008_api_tokens: tokens that let a phone app, a script or a dashboard push and read weigh-ins. A token is known
-- by the SHA-256 of its text only, so a copy of the database opens nothing. Each token is a source of kind 'api'
-- named after it: its pushed weigh-ins show under it on the Sources page. Revoking deletes the token row and
-- keeps the source and its weigh-ins; removing the source deletes its weigh-ins and, by the cascade, the token.
CREATE TABLE api_tokens (
    token_hash   BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    name         TEXT NOT NULL UNIQUE CHECK (name <> ''),
    source_id    INTEGER NOT NULL UNIQUE REFERENCES sources (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL DEFAULT '' -- '' until first used
) STRICT, WITHOUT ROWID;
