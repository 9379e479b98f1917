-- Notifications (core::workflow::transition::NoticeKind, core::notify). The outbox: one row per
-- notice and channel, written in the batch of the event that owes it, so no notice is lost and
-- none is sent for a change that did not commit. A Queue delivers the rows after the response;
-- a Cron Trigger sweeps rows left queued. `facts` is the notice as of its event (core::notify::
-- Notice, JSON); the e-mail address is read from the dossier when the mail is sent.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    dossier_code TEXT NOT NULL,
    event_version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    -- The push subscription's id; NULL for e-mail.
    target TEXT,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    facts TEXT NOT NULL,
    -- The service's address when the event happened: the links in the message.
    origin TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notices_by_dossier ON notices(dossier_code, event_version);
CREATE INDEX notices_queued ON notices(updated_at) WHERE status = 'queued';

-- Web Push subscriptions of a dossier's applicant (RFC 8030/8291): the push service's endpoint
-- and the browser's keys.
CREATE TABLE push_subscriptions (
    id INTEGER PRIMARY KEY,
    dossier_code TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (dossier_code, endpoint)
);

-- The applicant stopped e-mails about this dossier (the link in every message).
ALTER TABLE dossiers ADD COLUMN email_optout INTEGER NOT NULL DEFAULT 0;

-- Staff may give an e-mail address for the morning digest of their queues.
ALTER TABLE staff ADD COLUMN email TEXT;
