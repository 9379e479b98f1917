-- Versioned catalogue (issue #8). Every publication is a new row; nothing is edited in place.
-- The version in force on a day is the one with the latest `effective_from` not after it (of
-- two the same day, the higher version): core::catalogue::version::in_force, and the same rule
-- in SQL in worker/src/store/catalogue.rs. The table is rebuilt empty: `cargo xtask dev|test`
-- (and a deployment's catalogue load) fill it again from data/catalogue.json as version 1.
DROP TABLE procedures_fts;
DROP TABLE procedures;
DROP TABLE fields;

CREATE TABLE procedures (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    -- The version repeals the procedure: it leaves search, its page says so.
    repealed INTEGER NOT NULL DEFAULT 0,
    decision TEXT NOT NULL,
    published_at TEXT NOT NULL,
    -- NULL: loaded from data/catalogue.json (version 1), else the admin's user name.
    published_by TEXT,
    code TEXT,
    name TEXT NOT NULL,
    field_id TEXT NOT NULL,
    field_name TEXT NOT NULL,
    agency_code TEXT NOT NULL REFERENCES agencies(code),
    agency_name TEXT NOT NULL,
    online TEXT CHECK (online IN ('full', 'partial', 'offline')),
    days_in_person INTEGER,
    calendar_days INTEGER NOT NULL DEFAULT 0,
    delegated INTEGER NOT NULL DEFAULT 0,
    record TEXT NOT NULL,
    UNIQUE (id, version)
);

-- One range per procedure gives its versions in effective order (the in-force lookup).
CREATE INDEX procedures_in_force ON procedures(id, effective_from, version);

CREATE VIRTUAL TABLE procedures_fts USING fts5(
    name, code, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

-- An agency merged into another keeps its code (old dossier codes carry it) but takes no
-- new procedures.
ALTER TABLE agencies ADD COLUMN merged_into TEXT REFERENCES agencies(code);

-- The catalogue version a dossier was received under (receipt, checks, due dates).
ALTER TABLE dossiers ADD COLUMN procedure_version INTEGER NOT NULL DEFAULT 1;

-- Bumped in the batch of every publication: cached public answers are keyed by it.
INSERT OR IGNORE INTO aggregates (key, value) VALUES ('catalogue_generation', '0');
