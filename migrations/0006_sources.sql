-- 0006_sources: one history fed by several sources. A source is where weigh-ins come from: a connected account,
-- an import (one per file), manual entry, or an API token. Every source keeps its own rows; the history shown is
-- their merge (store.History), so removing one source brings its twins' values back.
--
-- Today's accounts become account sources with the same ids, so measurements.account_id values carry over as
-- source ids. The import pseudo-account ('import'/'local') becomes one import source, "Earlier imports" (the
-- account row stays: it holds the height the person entered); the weigh-ins typed in by hand move to a manual
-- source. The sync checkpoint moves into sources.cursor.
CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('account', 'import', 'manual', 'api')),
    account_id INTEGER UNIQUE REFERENCES accounts (id) ON DELETE CASCADE, -- kind 'account' only
    provider   TEXT NOT NULL CHECK (provider <> ''),  -- the provider id, or 'import', 'manual', 'api'
    name       TEXT NOT NULL DEFAULT '',              -- a file's name, a token's name; accounts use display_name
    detail     TEXT NOT NULL DEFAULT '',              -- an import's format
    fingerprint TEXT NOT NULL DEFAULT '',             -- an import's content hash: importing the same file again reuses its source
    cursor     TEXT NOT NULL DEFAULT '',              -- where the next sync resumes (the provider's own JSON)
    last_at    TEXT NOT NULL DEFAULT '',              -- the last sync or import that finished
    created_at TEXT NOT NULL,
    CHECK ((kind = 'account') = (account_id IS NOT NULL))
) STRICT;

INSERT INTO sources (id, kind, account_id, provider, name, cursor, last_at, created_at)
SELECT a.id,
       CASE WHEN a.provider = 'import' THEN 'import' ELSE 'account' END,
       CASE WHEN a.provider = 'import' THEN NULL ELSE a.id END,
       a.provider,
       CASE WHEN a.provider = 'import' THEN 'Earlier imports' ELSE '' END,
       COALESCE((SELECT json_object('newest', s.newest, 'oldest', s.oldest, 'complete', json(CASE s.complete WHEN 1 THEN 'true' ELSE 'false' END))
                 FROM sync_state s WHERE s.account_id = a.id AND a.provider <> 'import'), ''),
       COALESCE((SELECT s.updated_at FROM sync_state s WHERE s.account_id = a.id), ''),
       a.created_at
FROM accounts a;

INSERT INTO sources (kind, provider, name, created_at)
SELECT 'manual', 'manual', 'Typed in', min(created_at) FROM measurements WHERE provider = 'manual' HAVING count(*) > 0;

-- method ranks a row when twins disagree: a device's own reading over a synced copy over an entry typed into a
-- provider's app over an import over one typed into bodystats. Fitbit's "Web" and "API" logs were typed in.
CREATE TABLE measurements_v6 (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    provider    TEXT NOT NULL CHECK (provider <> ''), -- as the row was written; an own-CSV import keeps the exported one
    external_id TEXT NOT NULL CHECK (external_id <> ''),
    date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    time        TEXT NOT NULL CHECK (time GLOB '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),
    time_zone   TEXT NOT NULL DEFAULT '', -- an IANA name or a UTC offset ('+01:00'); '' unknown
    weight_kg   REAL NOT NULL CHECK (weight_kg > 0),
    fat_pct     REAL CHECK (fat_pct IS NULL OR (fat_pct >= 0 AND fat_pct <= 100)),
    bmi         REAL CHECK (bmi IS NULL OR bmi > 0),
    source      TEXT NOT NULL DEFAULT '', -- the device or app label: 'Aria', 'Withings Body+', 'Manual'
    log_id      INTEGER,
    method      TEXT NOT NULL CHECK (method IN ('device', 'copy', 'entered', 'import', 'manual')),
    hidden      INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    unclaimed   INTEGER NOT NULL DEFAULT 0 CHECK (unclaimed IN (0, 1)), -- maybe another person's: out of the history until claimed
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (source_id, provider, external_id)
) STRICT;

INSERT INTO measurements_v6 (id, source_id, provider, external_id, date, time, time_zone, weight_kg, fat_pct, bmi,
                             source, log_id, method, hidden, created_at, updated_at)
SELECT m.id,
       CASE WHEN m.provider = 'manual' THEN (SELECT id FROM sources WHERE kind = 'manual') ELSE m.account_id END,
       m.provider, m.external_id, m.date, m.time, m.time_zone, m.weight_kg, m.fat_pct, m.bmi, m.source, m.log_id,
       CASE
           WHEN m.provider = 'manual' THEN 'manual'
           WHEN m.origin = 'import' THEN 'import'
           WHEN m.source IN ('Web', 'API', 'Manual') THEN 'entered'
           WHEN m.provider = 'google-health' THEN 'copy'
           ELSE 'device'
       END,
       m.hidden, m.created_at, m.updated_at
FROM measurements m;

DROP TABLE measurements;
ALTER TABLE measurements_v6 RENAME TO measurements;
CREATE INDEX measurements_date_time ON measurements (date, time);
CREATE INDEX measurements_log_id ON measurements (log_id) WHERE log_id IS NOT NULL;
DROP TABLE sync_state;

-- The weight unit the provider's own settings name ('kg', 'lb', 'st'; '' unknown): pages use it until the person
-- picks one.
ALTER TABLE accounts ADD COLUMN weight_unit TEXT NOT NULL DEFAULT '' CHECK (weight_unit IN ('', 'kg', 'lb', 'st'));
