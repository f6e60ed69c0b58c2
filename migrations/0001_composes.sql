-- Kiln schema, part 1: compose requests (every ODCS column), users, live counts, the message outbox.
-- Times are `timestamp without time zone` holding UTC, whole seconds.

CREATE TABLE users (
    id          bigserial PRIMARY KEY,
    username    varchar(200) NOT NULL UNIQUE,
    created_at  timestamp NOT NULL DEFAULT date_trunc('second', now() AT TIME ZONE 'utc')
);

CREATE TABLE composes (
    id                                  bigserial PRIMARY KEY,
    owner                               varchar NOT NULL,
    source_type                         integer NOT NULL CHECK (source_type BETWEEN 1 AND 7),
    source                              varchar NOT NULL,
    modular_koji_tags                   varchar,
    module_defaults_url                 varchar,
    koji_event                          bigint,
    sigkeys                             varchar,
    state                               integer NOT NULL CHECK (state BETWEEN 0 AND 4),
    state_reason                        varchar,
    results                             integer NOT NULL,
    packages                            varchar,
    builds                              varchar,
    flags                               integer,
    time_to_expire                      timestamp NOT NULL,
    time_submitted                      timestamp NOT NULL,
    time_started                        timestamp,
    time_done                           timestamp,
    time_removed                        timestamp,
    removed_by                          varchar,
    reused_id                           bigint REFERENCES composes (id),
    koji_task_id                        bigint,
    arches                              varchar,
    multilib_arches                     varchar,
    multilib_method                     integer,
    lookaside_repos                     varchar,
    label                               varchar,
    compose_type                        varchar,
    pungi_compose_id                    varchar,
    pungi_config_dump                   text,
    celery_task_id                      varchar,
    target_dir                          varchar,
    scratch_modules                     varchar,
    scratch_build_tasks                 varchar,
    parent_pungi_compose_ids            varchar,
    modules                             varchar,
    respin_of                           varchar,
    base_module_br_name                 varchar,
    base_module_br_stream               varchar,
    base_module_br_stream_version_lte   bigint,
    base_module_br_stream_version_gte   bigint,
    traceparent                         varchar
);

-- (state, id) serves "state = X ORDER BY id" pages as well as plain state look-ups.
CREATE INDEX composes_state_id_idx ON composes (state, id);
CREATE INDEX composes_time_to_expire_idx ON composes (time_to_expire);
CREATE INDEX composes_reused_id_idx ON composes (reused_id);
CREATE INDEX composes_koji_task_id_idx ON composes (koji_task_id);
CREATE INDEX composes_source_type_state_idx ON composes (source_type, state);
CREATE INDEX composes_owner_id_idx ON composes (owner, id);

-- Exact live counts per (source_type, state), kept by statement-level triggers in the same transaction as the
-- change, so list totals and composes_total metrics never scan the table. One UPDATE per (type, state) a statement
-- touches, whatever its row count; a low fillfactor keeps those updates HOT so the 35 rows stay on one page.
CREATE TABLE compose_counts (
    source_type integer NOT NULL,
    state       integer NOT NULL,
    count       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (source_type, state)
) WITH (fillfactor = 10, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

INSERT INTO compose_counts (source_type, state)
SELECT t, s FROM generate_series(1, 7) AS t, generate_series(0, 4) AS s;

-- A number that changes, in the same transaction, with every change to `composes`: readers that cached a rendered
-- list compare it to tell whether their copy is still exact.
CREATE TABLE compose_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint NOT NULL
) WITH (fillfactor = 10, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

INSERT INTO compose_version (version) VALUES (0);

CREATE FUNCTION composes_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE compose_version SET version = version + 1;
    UPDATE compose_counts c SET count = c.count + d.n
    FROM (SELECT source_type, state, count(*) AS n FROM new_rows GROUP BY 1, 2) d
    WHERE c.source_type = d.source_type AND c.state = d.state;
    RETURN NULL;
END;
$$;

CREATE FUNCTION composes_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE compose_version SET version = version + 1;
    UPDATE compose_counts c SET count = c.count - d.n
    FROM (SELECT source_type, state, count(*) AS n FROM old_rows GROUP BY 1, 2) d
    WHERE c.source_type = d.source_type AND c.state = d.state;
    RETURN NULL;
END;
$$;

CREATE FUNCTION composes_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE compose_version SET version = version + 1;
    UPDATE compose_counts c SET count = c.count + d.n
    FROM (
        SELECT source_type, state, sum(n) AS n FROM (
            SELECT o.source_type, o.state, -1 AS n FROM old_rows o JOIN new_rows w USING (id)
                WHERE (o.source_type, o.state) IS DISTINCT FROM (w.source_type, w.state)
            UNION ALL
            SELECT w.source_type, w.state, 1 FROM old_rows o JOIN new_rows w USING (id)
                WHERE (o.source_type, o.state) IS DISTINCT FROM (w.source_type, w.state)
        ) changes GROUP BY 1, 2
    ) d
    WHERE c.source_type = d.source_type AND c.state = d.state AND d.n <> 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER composes_count_insert AFTER INSERT ON composes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION composes_count_inserted();
CREATE TRIGGER composes_count_delete AFTER DELETE ON composes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION composes_count_deleted();
CREATE TRIGGER composes_count_update AFTER UPDATE ON composes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION composes_count_updated();

-- Messages written in the same transaction as the change they announce; `kiln publish` delivers them.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    topic       varchar NOT NULL,
    body        jsonb NOT NULL,
    created_at  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    sent_at     timestamp
);

CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
