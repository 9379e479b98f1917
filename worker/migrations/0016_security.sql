-- Security and data safety (issue: security). Secrets sent by e-mail to the address on file
-- when the receipt's was lost; valid beside it until the desk re-issues one.
CREATE TABLE dossier_secrets (
    dossier_code TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (dossier_code, secret_hash)
);

-- The fingerprint of the body an idempotency key first came with: a retry gets the stored
-- dossier only with the same body.
ALTER TABLE dossiers ADD COLUMN request_hash TEXT;

-- Files in R2 (binding FILES): what was uploaded, and whether a dossier holds it. One never
-- attached is deleted after 24 hours by the Cron Trigger; an attached one is kept for good.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    name TEXT,
    created_at TEXT NOT NULL,
    attached INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX uploads_unattached ON uploads(created_at) WHERE attached = 0;

-- Staff sign-in: user names are lower case everywhere; an admin's reset forces a change; a
-- session ends after 30 idle minutes; admins sign in with a second factor (TOTP, RFC 6238).
UPDATE staff SET username = lower(username);
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
-- The last step a code was accepted at: a code is good once.
ALTER TABLE staff ADD COLUMN totp_last INTEGER;
ALTER TABLE sessions ADD COLUMN last_seen TEXT;
-- A session that has passed the password but not yet the second factor or the forced change:
-- it may do that and nothing else ('change_password', 'enroll_totp', 'totp').
ALTER TABLE sessions ADD COLUMN pending TEXT;

-- Expired windows go by their start (the Cron Trigger's purge).
CREATE INDEX rate_limits_window ON rate_limits(window_start);
