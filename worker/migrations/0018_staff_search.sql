-- Staff search and paging (#19). Each dossier's search keys (core's `workflow::search::keys`:
-- its code, CCCD, phone and the word-suffixes of the folded name, each tagged with its kind), so
-- whatever an officer types is one range of this primary key, within the agency.
CREATE TABLE dossier_keys (
    agency_code TEXT NOT NULL,
    term TEXT NOT NULL,
    code TEXT NOT NULL REFERENCES dossiers(code),
    PRIMARY KEY (agency_code, term, code)
) WITHOUT ROWID;

-- Dossiers stored before this migration have no keys yet: folding a Vietnamese name is core's
-- rule, not SQL's, so the five-minute sweep writes them (`keyed = 0`, a few hundred per run).
-- New dossiers get theirs in the batch that stores them (the default, 1).
ALTER TABLE dossiers ADD COLUMN keyed INTEGER NOT NULL DEFAULT 1;
UPDATE dossiers SET keyed = 0;
CREATE INDEX dossiers_unkeyed ON dossiers(code) WHERE keyed = 0;

-- The list's filters, each answered from an index in submission order.
CREATE INDEX dossiers_by_status ON dossiers(agency_code, status, submitted_at);
CREATE INDEX dossiers_by_procedure ON dossiers(agency_code, procedure_id, submitted_at);
