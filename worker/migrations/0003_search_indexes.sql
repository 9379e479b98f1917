-- Prefix indexes for the FTS5 table (every search word is a prefix match) and an index for
-- the delegated-approval filter. The FTS table is rebuilt empty: `cargo xtask dev|test` (and a
-- deployment's catalogue load) fill it again from data/catalogue.json.
DROP TABLE procedures_fts;
CREATE VIRTUAL TABLE procedures_fts USING fts5(
    name, code, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE INDEX procedures_delegated ON procedures(delegated, id);

-- Some sources count a procedure's time in calendar days, not working days.
ALTER TABLE procedures ADD COLUMN calendar_days INTEGER NOT NULL DEFAULT 0;
