-- The same counters summed per month (`stat_months`): a dashboard's whole months read one row
-- per agency × field × procedure instead of one per day (a quarter of a busy province is
-- thousands of day rows). Kept by triggers on `stat_counters`, so every writer — a
-- transition's batch, `cargo xtask demo-data` — moves both in the same transaction; the check
-- route recounts the months from the days.
CREATE TABLE stat_months (
    month TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    field_id TEXT NOT NULL,
    procedure_id TEXT NOT NULL,
    received_online INTEGER NOT NULL DEFAULT 0,
    received_walk_in INTEGER NOT NULL DEFAULT 0,
    resolved_early INTEGER NOT NULL DEFAULT 0,
    resolved_on_time INTEGER NOT NULL DEFAULT 0,
    resolved_late INTEGER NOT NULL DEFAULT 0,
    refused INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, agency_code, field_id, procedure_id)
) WITHOUT ROWID;

INSERT INTO stat_months (month, agency_code, field_id, procedure_id, received_online, received_walk_in, resolved_early, resolved_on_time, resolved_late, refused, withdrawn)
SELECT substr(day, 1, 7), agency_code, field_id, procedure_id, SUM(received_online), SUM(received_walk_in), SUM(resolved_early), SUM(resolved_on_time), SUM(resolved_late), SUM(refused), SUM(withdrawn)
FROM stat_counters GROUP BY 1, 2, 3, 4;

CREATE TRIGGER stat_months_insert AFTER INSERT ON stat_counters BEGIN
    INSERT INTO stat_months (month, agency_code, field_id, procedure_id, received_online, received_walk_in, resolved_early, resolved_on_time, resolved_late, refused, withdrawn)
    VALUES (substr(NEW.day, 1, 7), NEW.agency_code, NEW.field_id, NEW.procedure_id, NEW.received_online, NEW.received_walk_in, NEW.resolved_early, NEW.resolved_on_time, NEW.resolved_late, NEW.refused, NEW.withdrawn)
    ON CONFLICT (month, agency_code, field_id, procedure_id) DO UPDATE SET received_online = received_online + excluded.received_online, received_walk_in = received_walk_in + excluded.received_walk_in, resolved_early = resolved_early + excluded.resolved_early, resolved_on_time = resolved_on_time + excluded.resolved_on_time, resolved_late = resolved_late + excluded.resolved_late, refused = refused + excluded.refused, withdrawn = withdrawn + excluded.withdrawn;
END;

-- A day's row moves within its own month (day and cell never change: only the counts).
CREATE TRIGGER stat_months_update AFTER UPDATE ON stat_counters BEGIN
    INSERT INTO stat_months (month, agency_code, field_id, procedure_id, received_online, received_walk_in, resolved_early, resolved_on_time, resolved_late, refused, withdrawn)
    VALUES (substr(NEW.day, 1, 7), NEW.agency_code, NEW.field_id, NEW.procedure_id, NEW.received_online - OLD.received_online, NEW.received_walk_in - OLD.received_walk_in, NEW.resolved_early - OLD.resolved_early, NEW.resolved_on_time - OLD.resolved_on_time, NEW.resolved_late - OLD.resolved_late, NEW.refused - OLD.refused, NEW.withdrawn - OLD.withdrawn)
    ON CONFLICT (month, agency_code, field_id, procedure_id) DO UPDATE SET received_online = received_online + excluded.received_online, received_walk_in = received_walk_in + excluded.received_walk_in, resolved_early = resolved_early + excluded.resolved_early, resolved_on_time = resolved_on_time + excluded.resolved_on_time, resolved_late = resolved_late + excluded.resolved_late, refused = refused + excluded.refused, withdrawn = withdrawn + excluded.withdrawn;
END;

CREATE TRIGGER stat_months_delete AFTER DELETE ON stat_counters BEGIN
    INSERT INTO stat_months (month, agency_code, field_id, procedure_id, received_online, received_walk_in, resolved_early, resolved_on_time, resolved_late, refused, withdrawn)
    VALUES (substr(OLD.day, 1, 7), OLD.agency_code, OLD.field_id, OLD.procedure_id, -OLD.received_online, -OLD.received_walk_in, -OLD.resolved_early, -OLD.resolved_on_time, -OLD.resolved_late, -OLD.refused, -OLD.withdrawn)
    ON CONFLICT (month, agency_code, field_id, procedure_id) DO UPDATE SET received_online = received_online + excluded.received_online, received_walk_in = received_walk_in + excluded.received_walk_in, resolved_early = resolved_early + excluded.resolved_early, resolved_on_time = resolved_on_time + excluded.resolved_on_time, resolved_late = resolved_late + excluded.resolved_late, refused = refused + excluded.refused, withdrawn = withdrawn + excluded.withdrawn;
END;
