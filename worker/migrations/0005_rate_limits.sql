-- Failed lookups per client and dossier in the current window (api/dossier.rs).
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    failures INTEGER NOT NULL
);
