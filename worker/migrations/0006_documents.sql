-- Attachment ids (core::form::Upload, stored in KV) of each dossier, as a JSON array.
ALTER TABLE dossiers ADD COLUMN documents TEXT NOT NULL DEFAULT '[]';
