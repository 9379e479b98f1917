-- Public statistics (issue: statistics). Counters per day, agency, field and procedure, added
-- to in the same D1 batch as the workflow event that changes them (core::stats::StatCounters),
-- so a dashboard sums a few rows per day and never reads the dossiers.
CREATE TABLE stat_counters (
    day TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    field_id TEXT NOT NULL,
    procedure_id TEXT NOT NULL,
    received_online INTEGER NOT NULL DEFAULT 0,
    received_walk_in INTEGER NOT NULL DEFAULT 0,
    resolved_early INTEGER NOT NULL DEFAULT 0,
    resolved_on_time INTEGER NOT NULL DEFAULT 0,
    resolved_late INTEGER NOT NULL DEFAULT 0,
    refused INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agency_code, field_id, procedure_id)
);

-- The field of a dossier's procedure when it was submitted (the catalogue may move it later).
ALTER TABLE dossiers ADD COLUMN field_id TEXT NOT NULL DEFAULT '';
UPDATE dossiers SET field_id = COALESCE((SELECT p.field_id FROM procedures p WHERE p.id = dossiers.procedure_id), '');

-- Dossiers in progress by due instant: "pending within time / overdue" is two index ranges.
CREATE INDEX dossiers_pending ON dossiers(status, agency_code, due_at);

-- Hand-overs per officer and desk (role) per day, early / on time / late, added in the batch of
-- the event: managers' on-time rates per unit and per officer.
CREATE TABLE officer_counters (
    day TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    early INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER NOT NULL DEFAULT 0,
    late INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (agency_code, day, actor, role)
);
