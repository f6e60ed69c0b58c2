-- Kiln schema, part 4: what the operations jobs (`kiln expire`, the disk-space guard, `kiln check-token`) keep.

-- Bytes a compose's own files hold on the compose volume (files hard-linked from elsewhere are not counted:
-- removing the compose would not free them). Set when the compose is written; NULL for composes written before.
ALTER TABLE composes ADD COLUMN size_bytes bigint;

-- `kiln expire` asks for done/failed composes past their expiry, oldest expiry first, and for stuck ones.
CREATE INDEX composes_expiring_idx ON composes (time_to_expire, id) WHERE state IN (2, 4);
CREATE INDEX composes_live_reused_idx ON composes (reused_id) WHERE reused_id IS NOT NULL AND state IN (0, 1, 2);

-- Bytes held per state, for /api/1/metrics/, without a scan of `composes`: kept by the same statement-level
-- triggers idea as compose_counts (one row per state).
CREATE TABLE compose_bytes (
    state   integer PRIMARY KEY,
    bytes   bigint NOT NULL DEFAULT 0
);
INSERT INTO compose_bytes (state) SELECT generate_series(0, 4);
UPDATE compose_bytes b SET bytes = s.bytes
FROM (SELECT state, sum(size_bytes) AS bytes FROM composes WHERE size_bytes IS NOT NULL GROUP BY state) s
WHERE b.state = s.state;

CREATE FUNCTION composes_bytes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE compose_bytes b SET bytes = b.bytes + d.delta
    FROM (
        SELECT state, sum(delta) AS delta FROM (
            SELECT state, coalesce(size_bytes, 0) AS delta FROM new_rows
            UNION ALL
            SELECT state, -coalesce(size_bytes, 0) FROM old_rows
        ) x GROUP BY state
    ) d
    WHERE b.state = d.state AND d.delta <> 0;
    RETURN NULL;
END $$;

CREATE FUNCTION composes_bytes_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE compose_bytes b SET bytes = b.bytes - d.bytes
    FROM (SELECT state, sum(coalesce(size_bytes, 0)) AS bytes FROM old_rows GROUP BY state) d
    WHERE b.state = d.state AND d.bytes <> 0;
    RETURN NULL;
END $$;

-- Triggers fire in name order: these sort after composes_count_* so that every writer takes compose_version's row
-- lock before compose_bytes' (the other order deadlocks two generators finishing at once).
CREATE TRIGGER composes_sum_bytes_update AFTER UPDATE ON composes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION composes_bytes_changed();
CREATE TRIGGER composes_sum_bytes_delete AFTER DELETE ON composes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION composes_bytes_deleted();
-- A new compose has no bytes yet (size_bytes is set when it is written), so INSERT needs no trigger.

-- The last check of each configured service token (`kiln check-token`), shown in /api/1/metrics/.
CREATE TABLE token_checks (
    name        varchar PRIMARY KEY,
    checked_at  timestamp NOT NULL,
    expires_at  timestamp,
    status      varchar NOT NULL CHECK (status IN ('ok', 'warning', 'failing', 'expired', 'unreadable')),
    message     varchar NOT NULL
);
