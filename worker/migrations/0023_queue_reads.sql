-- A desk's queue, read a page at a time without walking the whole queue (a busy agency's
-- specialists hold thousands of dossiers).
--
-- The page is read in (step due, code) order. Dossiers of one desk often share their step's
-- due instant (a day's reception), so an index ending at step_due_at left SQLite sorting every
-- dossier of the queue by code for each page; with the code in the index a page reads its rows
-- and stops.
DROP INDEX dossiers_queue;
CREATE INDEX dossiers_queue ON dossiers(agency_code, queue, step_due_at, code) WHERE queue IS NOT NULL;

-- How many dossiers wait at each desk (`queue_sizes`), kept by triggers on `dossiers`, so every
-- writer (a transition's batch, `cargo xtask demo-data`) moves it in the same transaction. The
-- queue's counts read it, and count only the overdue ones from the index; the check route
-- recounts it from the dossiers. A desk emptied keeps its row at zero.
-- Beware: `INSERT OR REPLACE` on dossiers would count twice (its delete fires no trigger), and a
-- migration that rebuilds the table must create these triggers again.
CREATE TABLE queue_sizes (
    agency_code TEXT NOT NULL,
    queue TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (agency_code, queue)
) WITHOUT ROWID;

INSERT INTO queue_sizes (agency_code, queue, n)
SELECT agency_code, queue, COUNT(*) FROM dossiers WHERE queue IS NOT NULL GROUP BY 1, 2;

CREATE TRIGGER queue_sizes_insert AFTER INSERT ON dossiers WHEN NEW.queue IS NOT NULL BEGIN
    INSERT INTO queue_sizes (agency_code, queue, n) VALUES (NEW.agency_code, NEW.queue, 1)
    ON CONFLICT (agency_code, queue) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER queue_sizes_update AFTER UPDATE OF queue, agency_code ON dossiers
WHEN NEW.queue IS NOT OLD.queue OR NEW.agency_code IS NOT OLD.agency_code BEGIN
    UPDATE queue_sizes SET n = n - 1 WHERE OLD.queue IS NOT NULL AND agency_code = OLD.agency_code AND queue = OLD.queue;
    INSERT INTO queue_sizes (agency_code, queue, n) SELECT NEW.agency_code, NEW.queue, 1 WHERE NEW.queue IS NOT NULL
    ON CONFLICT (agency_code, queue) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER queue_sizes_delete AFTER DELETE ON dossiers WHEN OLD.queue IS NOT NULL BEGIN
    UPDATE queue_sizes SET n = n - 1 WHERE agency_code = OLD.agency_code AND queue = OLD.queue;
END;
