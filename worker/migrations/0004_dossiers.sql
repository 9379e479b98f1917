-- Dossiers (hồ sơ). `code` is core's DossierCode; `status` the national code 1–10; times are
-- Vietnam local time as ISO text (sortable). Personal data lives in `answers` only.
CREATE TABLE dossiers (
    code TEXT PRIMARY KEY,
    agency_code TEXT NOT NULL,
    procedure_id TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    status INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'walk_in')),
    submitted_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    days INTEGER NOT NULL,
    answers TEXT NOT NULL,
    -- SHA-256 of the tracking secret; the secret itself is never stored.
    secret_hash TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE
);

-- Per agency and day: the last sequence number given (dossier codes never repeat).
CREATE TABLE dossier_sequences (
    agency_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (agency_code, day)
);

-- The history of each dossier, first event written in the same batch as the dossier.
CREATE TABLE dossier_events (
    id INTEGER PRIMARY KEY,
    dossier_code TEXT NOT NULL REFERENCES dossiers(code),
    at TEXT NOT NULL,
    status INTEGER NOT NULL,
    note TEXT
);
CREATE INDEX dossier_events_by_dossier ON dossier_events(dossier_code, id);
