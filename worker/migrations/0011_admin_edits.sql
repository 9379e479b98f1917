-- Calendar decisions an admin edited (issue #8) are kept when `cargo xtask dev|test` reloads
-- data/calendar.json: the file replaces only the rows it loaded (edited_by NULL).
ALTER TABLE calendar_decisions ADD COLUMN edited_by TEXT;

-- The day a merge takes effect (with merged_into, from migration 0010): until then the agency
-- still takes its own dossiers.
ALTER TABLE agencies ADD COLUMN merged_on TEXT;
