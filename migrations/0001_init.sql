-- 0001_init: accounts, sealed credentials, measurements and pending sign-ins.
--
-- Conventions for this and later files:
--   * STRICT tables, so a wrong type is an error rather than a silent conversion.
--   * Timestamps are TEXT in UTC, fixed width ('2006-01-02T15:04:05.000000000Z'), so they sort as text.
--   * '' and 0 mean "unknown" rather than NULL, except where NULL carries meaning (fat_pct, bmi).
--   * Secret columns are BLOBs sealed by the store (AES-256-GCM, bound to table/row/column); SQL never sees
--     them in plaintext.
-- Later files add per-account settings (goal, units), sync checkpoints and import runs keyed by accounts.id.

-- One row per provider identity: the same person connected through Fitbit OAuth 1.0a and Google Health is
-- two accounts.
CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    provider         TEXT NOT NULL CHECK (provider <> ''),
    external_user_id TEXT NOT NULL CHECK (external_user_id <> ''),
    display_name     TEXT NOT NULL DEFAULT '',
    time_zone        TEXT NOT NULL DEFAULT '',
    height_cm        REAL NOT NULL DEFAULT 0 CHECK (height_cm >= 0),
    member_since     TEXT NOT NULL DEFAULT ''
                     CHECK (member_since = '' OR member_since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (provider, external_user_id)
) STRICT;

-- At most one set of credentials per account. token, secret and refresh_token are sealed.
CREATE TABLE credentials (
    account_id    INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('oauth1', 'oauth2')),
    token         BLOB NOT NULL,
    secret        BLOB NOT NULL,
    refresh_token BLOB NOT NULL,
    expiry        TEXT NOT NULL DEFAULT '', -- '' when the token has no expiry
    scope         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- The connected account is the one whose credentials were saved last.
CREATE INDEX credentials_updated_at ON credentials (updated_at);

-- One weigh-in. date and time are local as the provider gives them (Fitbit times carry no zone); time_zone is
-- the account's zone when the row was synced. weight_kg is stored exactly as received.
CREATE TABLE measurements (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    provider    TEXT NOT NULL CHECK (provider <> ''),
    external_id TEXT NOT NULL CHECK (external_id <> ''),
    date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    time        TEXT NOT NULL CHECK (time GLOB '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),
    time_zone   TEXT NOT NULL DEFAULT '',
    weight_kg   REAL NOT NULL CHECK (weight_kg > 0),
    fat_pct     REAL CHECK (fat_pct IS NULL OR (fat_pct >= 0 AND fat_pct <= 100)),
    bmi         REAL CHECK (bmi IS NULL OR bmi > 0),
    source      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (account_id, provider, external_id)
) STRICT;

CREATE INDEX measurements_account_date_time ON measurements (account_id, date, time);

-- Pending OAuth sign-ins, keyed by a hash of the browser session. Single use: the callback that deletes the
-- row is the one that proceeds. payload is sealed.
CREATE TABLE flows (
    key        TEXT PRIMARY KEY CHECK (key <> ''),
    payload    BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX flows_expires_at ON flows (expires_at);
