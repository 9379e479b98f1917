-- The register's count (#19): how many dossiers an agency received each day, so the count of a
-- period sums at most a year of days instead of walking every dossier in it (a quarter holds
-- tens of thousands at a million dossiers). Bumped in the batch that stores each dossier.
-- `day` is the first ten characters of `submitted_at` (local time, as the register's period).
CREATE TABLE register_days (
    agency_code TEXT NOT NULL,
    day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (agency_code, day)
) WITHOUT ROWID;

INSERT INTO register_days (agency_code, day, n)
SELECT agency_code, substr(submitted_at, 1, 10), COUNT(*) FROM dossiers GROUP BY 1, 2;
