-- Kiln schema, part 12: what the reports under /api/1/reports/ read, and the indexes that keep them fast at
-- 100,000 composes and 200,000 tracked composes (scripts/bench-api and scripts/bench-tracking seed that much).

-- The compose volume over time: one reading per `kiln expire` run (its disk-space check), from the figures that run
-- read. `free_bytes` and `total_bytes` are the volume's (narrowed by target_dir_quota when one is set, as the
-- disk-space guard sees them), `compose_bytes` what the composes' own files hold (compose_bytes, done, failed and
-- generating). The same run deletes readings older than 400 days.
CREATE TABLE volume_readings (
    id              bigserial PRIMARY KEY,
    taken_at        timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    free_bytes      bigint NOT NULL CHECK (free_bytes >= 0),
    total_bytes     bigint NOT NULL CHECK (total_bytes >= 0),
    compose_bytes   bigint NOT NULL CHECK (compose_bytes >= 0)
);
-- The last reading of each day (one probe per day) and the pruning of old ones.
CREATE INDEX volume_readings_taken_at_idx ON volume_readings (taken_at);

-- Each generation `kiln generate` finished, done or failed, with the time it took (the same measure the
-- generation_durations histogram counts, kept per generation so a report can take percentiles per day). Composes
-- generated before this migration get a row from their own times when they were done (whole seconds from
-- time_started to time_done; failed ones recorded no end). Like the histogram, rows outlive their composes (no
-- foreign key: a purged compose's generation still counted).
CREATE TABLE generation_times (
    id              bigserial PRIMARY KEY,
    compose_id      bigint NOT NULL,
    finished_at     timestamp NOT NULL,
    state           integer NOT NULL CHECK (state IN (2, 4)),
    seconds         double precision NOT NULL CHECK (seconds >= 0)
);
INSERT INTO generation_times (compose_id, finished_at, state, seconds)
SELECT id, time_done, 2, greatest(0, extract(epoch FROM time_done - time_started))
FROM composes
WHERE time_done IS NOT NULL AND time_started IS NOT NULL AND reused_id IS NULL AND generation_attempts > 0
ORDER BY id;
CREATE INDEX generation_times_finished_at_idx ON generation_times (finished_at) INCLUDE (state, seconds);

-- Time to done: each day of the period an index-only range scan.
CREATE INDEX composes_time_done_idx ON composes (time_done) INCLUDE (time_submitted) WHERE time_done IS NOT NULL;

-- Composes per day of submission, source type and state (now), kept exact by statement-level triggers in the same
-- transaction as the change, as compose_counts is: the composes-per-day report reads at most 35 rows per day
-- instead of counting every compose of the period. The triggers' names sort after composes_count_*, so every writer
-- takes compose_version's row lock first and two writers never lock these rows in opposite orders.
CREATE TABLE compose_day_counts (
    day         date NOT NULL,
    source_type integer NOT NULL,
    state       integer NOT NULL,
    count       bigint NOT NULL,
    PRIMARY KEY (day, source_type, state)
) WITH (fillfactor = 50);

INSERT INTO compose_day_counts (day, source_type, state, count)
SELECT time_submitted::date, source_type, state, count(*) FROM composes GROUP BY 1, 2, 3;

CREATE FUNCTION composes_day_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO compose_day_counts AS c (day, source_type, state, count)
    SELECT day, source_type, state, sum(n) FROM (
        SELECT time_submitted::date AS day, source_type, state, 1 AS n FROM new_rows
        UNION ALL
        SELECT time_submitted::date, source_type, state, -1 FROM old_rows
    ) changes
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (day, source_type, state) DO UPDATE SET count = c.count + excluded.count;
    RETURN NULL;
END $$;

CREATE FUNCTION composes_day_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO compose_day_counts AS c (day, source_type, state, count)
    SELECT time_submitted::date, source_type, state, count(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (day, source_type, state) DO UPDATE SET count = c.count + excluded.count;
    RETURN NULL;
END $$;

CREATE FUNCTION composes_day_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE compose_day_counts c SET count = c.count - d.n
    FROM (SELECT time_submitted::date AS day, source_type, state, count(*) AS n FROM old_rows GROUP BY 1, 2, 3) d
    WHERE c.day = d.day AND c.source_type = d.source_type AND c.state = d.state;
    RETURN NULL;
END $$;

CREATE TRIGGER composes_day_count_insert AFTER INSERT ON composes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION composes_day_count_inserted();
CREATE TRIGGER composes_day_count_update AFTER UPDATE ON composes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION composes_day_count_changed();
CREATE TRIGGER composes_day_count_delete AFTER DELETE ON composes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION composes_day_count_deleted();

-- The binary packages of each variant of a tracked compose: distinct binary RPMs (NEVRA, any arch of the variant)
-- in its recorded RPM list, written with the list (ComposeContentsStore.replace), so the product-size report reads
-- one row per variant instead of counting the list's rows. Filled here for the lists recorded so far.
CREATE TABLE cts_compose_variant_packages (
    compose_key     bigint NOT NULL REFERENCES cts_composes (id),
    variant         varchar NOT NULL,
    packages        integer NOT NULL CHECK (packages >= 0),
    PRIMARY KEY (compose_key, variant)
);
INSERT INTO cts_compose_variant_packages (compose_key, variant, packages)
SELECT cr.compose_key, t.variant, count(DISTINCT cr.rpm_id) FILTER (WHERE cr.category = 0)
FROM cts_compose_rpms cr JOIN cts_trees t ON t.id = cr.tree_id
GROUP BY cr.compose_key, t.variant;

-- A product's composes in a period.
CREATE INDEX cts_composes_release_short_date_idx ON cts_composes (release_short, date, release_version, respin);
