-- 0005_settings: the person's preferences, one row (bodystats keeps one person's history), and weigh-ins hidden
-- as outliers: a hidden weigh-in leaves the trend and the charts but stays in the database and the export.
CREATE TABLE settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    unit          TEXT NOT NULL DEFAULT '' CHECK (unit IN ('', 'kg', 'lb', 'st')), -- '' until chosen: kilograms
    goal_kg       REAL NOT NULL DEFAULT 0 CHECK (goal_kg >= 0),                    -- 0: no goal
    hide_likeness INTEGER NOT NULL DEFAULT 0 CHECK (hide_likeness IN (0, 1)),
    updated_at    TEXT NOT NULL
) STRICT;

ALTER TABLE measurements ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
