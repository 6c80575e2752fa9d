-- 0009_entered_height: the height the person typed in Settings, kept apart from the one a provider reports
-- (accounts.height_cm, which each sync refreshes), so an entered height wins and Settings can say where the
-- height came from. 0: none entered.
ALTER TABLE settings ADD COLUMN height_cm REAL NOT NULL DEFAULT 0 CHECK (height_cm >= 0);

-- The height unit the provider's settings name ('cm' or 'ftin'), for showing a height as the person reads it.
ALTER TABLE accounts ADD COLUMN height_unit TEXT NOT NULL DEFAULT '' CHECK (height_unit IN ('', 'cm', 'ftin'));
