-- Citizen evaluations (one per dossier: the primary key refuses a second), walk-in surveys,
-- the kiosks allowed to send them, and the counters the public summary reads.

CREATE TABLE evaluations (
    dossier_code TEXT PRIMARY KEY REFERENCES dossiers(code),
    at TEXT NOT NULL,
    month TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    field_id TEXT NOT NULL,
    procedure_id TEXT NOT NULL,
    -- Nine scores 0–2, comma-separated, in core::rating::Index::ALL order.
    scores TEXT NOT NULL,
    ease INTEGER NOT NULL,
    overall INTEGER NOT NULL,
    comment TEXT NOT NULL
);
CREATE INDEX evaluations_by_month ON evaluations(month);

-- Who handled each evaluated dossier, and at which desk (role), from its history: managers'
-- results per officer and per unit.
CREATE TABLE evaluation_officers (
    dossier_code TEXT NOT NULL REFERENCES evaluations(dossier_code),
    agency_code TEXT NOT NULL,
    month TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    satisfied INTEGER NOT NULL,
    PRIMARY KEY (dossier_code, actor, role)
);
CREATE INDEX evaluation_officers_by_agency ON evaluation_officers(agency_code, month, actor);

CREATE TABLE kiosks (
    id INTEGER PRIMARY KEY,
    -- SHA-256 of the device token; the token itself is shown once, when enrolled.
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    month TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    -- '' for a kiosk's surveys: the procedure is not asked there.
    field_id TEXT NOT NULL,
    procedure_id TEXT NOT NULL,
    kiosk_id INTEGER REFERENCES kiosks(id),
    -- From a receipt's link: once per dossier.
    dossier_code TEXT UNIQUE REFERENCES dossiers(code),
    simplified INTEGER NOT NULL,
    fast INTEGER NOT NULL,
    good INTEGER NOT NULL,
    comment TEXT NOT NULL
);
CREATE INDEX surveys_by_month ON surveys(month);

-- Sums per month, agency, field and procedure (surveys from a kiosk: field and procedure ''),
-- added to in the same batch as the evaluation or survey they count: a summary reads a few
-- rows per month, never the evaluations themselves.
CREATE TABLE rating_counters (
    month TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    field_id TEXT NOT NULL,
    procedure_id TEXT NOT NULL,
    evaluations INTEGER NOT NULL DEFAULT 0,
    s1_0 INTEGER NOT NULL DEFAULT 0,
    s1_1 INTEGER NOT NULL DEFAULT 0,
    s1_2 INTEGER NOT NULL DEFAULT 0,
    s2_0 INTEGER NOT NULL DEFAULT 0,
    s2_1 INTEGER NOT NULL DEFAULT 0,
    s2_2 INTEGER NOT NULL DEFAULT 0,
    s3_0 INTEGER NOT NULL DEFAULT 0,
    s3_1 INTEGER NOT NULL DEFAULT 0,
    s3_2 INTEGER NOT NULL DEFAULT 0,
    s4_0 INTEGER NOT NULL DEFAULT 0,
    s4_1 INTEGER NOT NULL DEFAULT 0,
    s4_2 INTEGER NOT NULL DEFAULT 0,
    s5_0 INTEGER NOT NULL DEFAULT 0,
    s5_1 INTEGER NOT NULL DEFAULT 0,
    s5_2 INTEGER NOT NULL DEFAULT 0,
    s6_0 INTEGER NOT NULL DEFAULT 0,
    s6_1 INTEGER NOT NULL DEFAULT 0,
    s6_2 INTEGER NOT NULL DEFAULT 0,
    s7_0 INTEGER NOT NULL DEFAULT 0,
    s7_1 INTEGER NOT NULL DEFAULT 0,
    s7_2 INTEGER NOT NULL DEFAULT 0,
    s8_0 INTEGER NOT NULL DEFAULT 0,
    s8_1 INTEGER NOT NULL DEFAULT 0,
    s8_2 INTEGER NOT NULL DEFAULT 0,
    s9_0 INTEGER NOT NULL DEFAULT 0,
    s9_1 INTEGER NOT NULL DEFAULT 0,
    s9_2 INTEGER NOT NULL DEFAULT 0,
    ease_0 INTEGER NOT NULL DEFAULT 0,
    ease_1 INTEGER NOT NULL DEFAULT 0,
    ease_2 INTEGER NOT NULL DEFAULT 0,
    overall_0 INTEGER NOT NULL DEFAULT 0,
    overall_1 INTEGER NOT NULL DEFAULT 0,
    overall_2 INTEGER NOT NULL DEFAULT 0,
    surveys INTEGER NOT NULL DEFAULT 0,
    survey_simplified INTEGER NOT NULL DEFAULT 0,
    survey_fast INTEGER NOT NULL DEFAULT 0,
    survey_good INTEGER NOT NULL DEFAULT 0,
    survey_all INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, agency_code, field_id, procedure_id)
);

-- The username of whoever acted (the name may change, the account does not).
ALTER TABLE dossier_events ADD COLUMN actor_username TEXT;
