-- 0003_merge: one weigh-in, one row, wherever it came from. A weigh-in can reach bodystats from a provider's API
-- and again from an export. log_id is Fitbit's logId where the source knows it (the Web API and Fitbit exports
-- share it); origin says whether a sync or an import wrote the row, because an import never overwrites synced
-- data while a sync adopts an imported twin.
ALTER TABLE measurements ADD COLUMN log_id INTEGER;
ALTER TABLE measurements ADD COLUMN origin TEXT NOT NULL DEFAULT 'sync' CHECK (origin IN ('sync', 'import'));
CREATE INDEX measurements_log_id ON measurements (log_id) WHERE log_id IS NOT NULL;
CREATE INDEX measurements_date_time ON measurements (date, time);
