-- Kiln schema, part 6: what each tracked compose holds (its productmd rpms.json), for
-- GET /cts/api/1/composes/<id>/rpms/, the ?rpm_nvr= and ?rpm_name= list filters and compose diffs.
-- Sized for millions of compose-to-RPM rows: an RPM's NEVRA and a (variant, arch) pair are stored once each, and a
-- compose's row is four integers plus the RPM's signing key and path.

-- Every distinct RPM any compose holds. Unique in (name, version, release, epoch, arch) order, so the same index
-- answers rpm_name (its first column) and rpm_nvr (its first three).
CREATE TABLE cts_rpms (
    id          bigserial PRIMARY KEY,
    name        varchar NOT NULL,
    epoch       integer NOT NULL CHECK (epoch >= 0),
    version     varchar NOT NULL,
    release     varchar NOT NULL,
    arch        varchar NOT NULL,
    CONSTRAINT cts_rpms_nevra_key UNIQUE (name, version, release, epoch, arch)
);

-- A variant and the binary arch RPMs are listed under in rpms.json.
CREATE TABLE cts_trees (
    id          serial PRIMARY KEY,
    variant     varchar NOT NULL,
    arch        varchar NOT NULL,
    CONSTRAINT cts_trees_variant_arch_key UNIQUE (variant, arch)
);

-- One row per RPM per variant and arch of a compose. The primary key serves a compose's listing and diffs (a
-- compose's rows are contiguous in it); the rpm index serves "which composes contain this build".
CREATE TABLE cts_compose_rpms (
    compose_key bigint NOT NULL REFERENCES cts_composes (id),
    tree_id     integer NOT NULL REFERENCES cts_trees (id),
    rpm_id      bigint NOT NULL REFERENCES cts_rpms (id),
    -- The SRPM group the RPM is listed in.
    srpm_id     bigint NOT NULL REFERENCES cts_rpms (id),
    -- 0 binary, 1 debug, 2 source (productmd's category).
    category    smallint NOT NULL CHECK (category IN (0, 1, 2)),
    sigkey      varchar,
    path        varchar,
    PRIMARY KEY (compose_key, tree_id, rpm_id)
);
CREATE INDEX cts_compose_rpms_rpm_idx ON cts_compose_rpms (rpm_id, compose_key);

-- Where a compose's RPM list came from, and the state of fetching it from <compose_url>/compose/metadata/rpms.json
-- (`kiln import-contents`). A compose with a compose_url and no row here, or a row with no source yet whose next
-- attempt is due, is waiting to be fetched.
CREATE TABLE cts_compose_contents (
    compose_key     bigint PRIMARY KEY REFERENCES cts_composes (id),
    -- generated: written by Kiln's own generator; uploaded: sent by the builder; fetched: read from compose_url.
    -- NULL while no list is recorded (fetching failed so far).
    source          varchar CHECK (source IN ('generated', 'uploaded', 'fetched')),
    rpm_count       integer NOT NULL DEFAULT 0,
    imported_at     timestamp,
    imported_by     varchar,
    fetch_attempts  integer NOT NULL DEFAULT 0,
    fetch_error     varchar,
    next_fetch_at   timestamp,
    CHECK (source IS NOT NULL OR next_fetch_at IS NOT NULL)
);
CREATE INDEX cts_compose_contents_pending_idx ON cts_compose_contents (next_fetch_at) WHERE source IS NULL;
