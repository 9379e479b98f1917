-- The dashboard's unresolved dossiers by due day: how many of an agency's procedure are held
-- by the department (statuses 2 and 4, core's `DossierStatus::PENDING`) or wait for the
-- applicant (5, `WAITING`) per due day, so "within time / overdue / waiting" sums days instead
-- of walking every dossier in progress. Moved in the batch of each transition (core's
-- `PendingMove`); a cell that falls to zero is deleted there. `due_day` is the first ten
-- characters of `due_at`.
CREATE TABLE pending_days (
    agency_code TEXT NOT NULL,
    procedure_id TEXT NOT NULL,
    due_day TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    waiting INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (agency_code, procedure_id, due_day)
) WITHOUT ROWID;

INSERT INTO pending_days (agency_code, procedure_id, due_day, held, waiting)
SELECT agency_code, procedure_id, substr(due_at, 1, 10), SUM(status IN (2, 4)), SUM(status = 5)
FROM dossiers WHERE status IN (2, 4, 5) GROUP BY 1, 2, 3;

-- Today's cell is split at the present instant: its held dossiers already past due are
-- counted from this index (the day's dossiers only).
CREATE INDEX dossiers_held_due ON dossiers(due_at) WHERE status IN (2, 4);
