-- Staff accounts and their sessions (issue: staff workspace). Passwords are Argon2id PHC
-- strings (core::staff::password); sessions are kept as the SHA-256 of their token, so a
-- leaked table opens nothing, and deleting a row ends the session at once.
CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    roles TEXT NOT NULL,
    delegated_approval INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_staff ON sessions(staff_id);

-- The workflow state of a dossier (core::workflow). `version` grows by one with every event;
-- `queue` is the role whose queue holds the dossier (NULL: waiting for the applicant, or
-- closed) and `step_due_at` the due instant of its current phase, so a queue is one index
-- range in due order. `flow` and `delegated` are the procedure's rules when it was received.
ALTER TABLE dossiers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE dossiers ADD COLUMN phase TEXT NOT NULL DEFAULT 'receive';
ALTER TABLE dossiers ADD COLUMN flow TEXT NOT NULL DEFAULT 'four_step';
ALTER TABLE dossiers ADD COLUMN delegated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN queue TEXT;
ALTER TABLE dossiers ADD COLUMN step_due_at TEXT;
ALTER TABLE dossiers ADD COLUMN phase_dues TEXT NOT NULL DEFAULT '[]';
ALTER TABLE dossiers ADD COLUMN received_at TEXT;
ALTER TABLE dossiers ADD COLUMN counted_from TEXT;
ALTER TABLE dossiers ADD COLUMN paused_at TEXT;
ALTER TABLE dossiers ADD COLUMN supplement TEXT;
ALTER TABLE dossiers ADD COLUMN apology TEXT;
ALTER TABLE dossiers ADD COLUMN result TEXT;
ALTER TABLE dossiers ADD COLUMN applicant_name TEXT NOT NULL DEFAULT '';
UPDATE dossiers SET queue = 'reception', step_due_at = due_at WHERE status = 1;
CREATE INDEX dossiers_queue ON dossiers(agency_code, queue, step_due_at) WHERE queue IS NOT NULL;
-- The register (slip 06): an agency's dossiers by reception time.
CREATE INDEX dossiers_register ON dossiers(agency_code, submitted_at);

-- The history: one row per event, numbered by the dossier's version. Two staff acting on one
-- version both try to write the same number; the unique index lets exactly one in.
ALTER TABLE dossier_events ADD COLUMN version INTEGER;
ALTER TABLE dossier_events ADD COLUMN action TEXT NOT NULL DEFAULT 'submit';
ALTER TABLE dossier_events ADD COLUMN phase TEXT NOT NULL DEFAULT 'receive';
ALTER TABLE dossier_events ADD COLUMN from_status INTEGER;
ALTER TABLE dossier_events ADD COLUMN actor TEXT;
ALTER TABLE dossier_events ADD COLUMN role TEXT;
ALTER TABLE dossier_events ADD COLUMN step_due TEXT;
ALTER TABLE dossier_events ADD COLUMN timeliness TEXT;
UPDATE dossier_events SET version = 1;
CREATE UNIQUE INDEX dossier_events_version ON dossier_events(dossier_code, version);

-- Append-only, whatever the code does.
CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier history is append-only'); END;
CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier history is append-only'); END;
