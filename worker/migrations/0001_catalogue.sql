-- The published catalogue. `record` holds the whole procedure (core's `Procedure`, JSON) for the
-- detail page; the other columns exist for filtering, listing and indexing.

CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    procedures INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE fields (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    procedures INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE procedures (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    code TEXT UNIQUE,
    name TEXT NOT NULL,
    field_id TEXT NOT NULL REFERENCES fields(id),
    field_name TEXT NOT NULL,
    agency_code TEXT NOT NULL REFERENCES agencies(code),
    agency_name TEXT NOT NULL,
    online TEXT CHECK (online IN ('full', 'partial', 'offline')),
    days_in_person INTEGER,
    delegated INTEGER NOT NULL DEFAULT 0,
    record TEXT NOT NULL
);

CREATE INDEX procedures_field ON procedures(field_id, id);
CREATE INDEX procedures_agency ON procedures(agency_code, id);
CREATE INDEX procedures_online ON procedures(online, id);

-- Folded text (core::text::fold) in three weighted columns: name, code, everything else.
CREATE VIRTUAL TABLE procedures_fts USING fts5(
    name, code, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Small precomputed values read on each request instead of recomputing them from rows.
CREATE TABLE aggregates (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
