-- A dossier's clock as core computes it (core::workflow::timing::Clock): the term it was
-- received under in its units (working time, days as the Civil Code counts them, or both
-- chained), where each phase ends on it, the pauses and slip 04's new date. `due_at`,
-- `phase_dues` and `step_due_at` stay as columns, derived from it, for the queues' indexes.
-- Dossiers stored before keep NULL: their dues are working time, moved as before.
ALTER TABLE dossiers ADD COLUMN clock TEXT;
