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

-- Exact live counts per (source_type, state), kept by a trigger in the same transaction as the change,
-- so list totals and composes_total metrics never scan the table.
CREATE TABLE compose_counts (
    source_type integer NOT NULL,
    state       integer NOT NULL,
    count       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (source_type, state)
);

INSERT INTO compose_counts (source_type, state)
SELECT t, s FROM generate_series(1, 7) AS t, generate_series(0, 4) AS s;

CREATE FUNCTION composes_count_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE compose_counts SET count = count - 1 WHERE source_type = OLD.source_type AND state = OLD.state;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE compose_counts SET count = count + 1 WHERE source_type = NEW.source_type AND state = NEW.state;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER composes_count_insert_delete AFTER INSERT OR DELETE ON composes
    FOR EACH ROW EXECUTE FUNCTION composes_count_trigger();
CREATE TRIGGER composes_count_update AFTER UPDATE OF state, source_type ON composes
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.source_type IS DISTINCT FROM NEW.source_type)
    EXECUTE FUNCTION composes_count_trigger();

-- Messages written in the same transaction as the change they announce; `kiln publish` delivers them.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    topic       varchar NOT NULL,
    body        jsonb NOT NULL,
    created_at  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    sent_at     timestamp
);

CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
