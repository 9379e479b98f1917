-- Required documents (indices into the version's published list) handed in on paper at the
-- desk and checked by the officer, as a JSON array; online dossiers bring files only.
ALTER TABLE dossiers ADD COLUMN papers TEXT NOT NULL DEFAULT '[]';
