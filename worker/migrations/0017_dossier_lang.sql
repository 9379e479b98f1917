-- The applicant's language, chosen on the phone when submitting (issue #16): the language of
-- their e-mails. Walk-ins and dossiers stored before it are Vietnamese.
ALTER TABLE dossiers ADD COLUMN lang TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en'));
