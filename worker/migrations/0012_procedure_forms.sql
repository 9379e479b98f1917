-- A procedure's own form pages (core::form::Section as JSON), asked after the common applicant
-- section; kept with each version, outside the record the public pages load.
ALTER TABLE procedures ADD COLUMN form TEXT NOT NULL DEFAULT '[]';
