-- Kiln schema, part 5: compose tracking (the CTS API under /cts/api/1/).
-- Composes are keyed by a bigint surrogate (`id`) that other tracking tables (rpms, locations) reference; the
-- productmd compose id string is unique beside it.

CREATE TABLE cts_composes (
    id                      bigserial PRIMARY KEY,
    compose_id              varchar NOT NULL,
    date                    varchar(8) NOT NULL CHECK (date ~ '^[0-9]{8}$'),
    respin                  integer NOT NULL CHECK (respin >= 0),
    type                    varchar NOT NULL CHECK (type IN ('test', 'ci', 'nightly', 'production', 'development')),
    label                   varchar,
    final                   boolean NOT NULL DEFAULT false,
    release_name            varchar NOT NULL,
    release_version         varchar NOT NULL,
    release_short           varchar NOT NULL,
    release_is_layered      boolean NOT NULL DEFAULT false,
    release_type            varchar,
    release_internal        boolean NOT NULL DEFAULT false,
    base_product_name       varchar,
    base_product_short      varchar,
    base_product_version    varchar,
    base_product_type       varchar,
    -- The importing user (CTS's `builder`); `kiln` for composes Kiln generated itself.
    builder                 varchar NOT NULL,
    respin_of               bigint REFERENCES cts_composes (id),
    compose_url             varchar,
    -- Kiln's own compose request this compose was generated for, when it was.
    odcs_compose_id         bigint REFERENCES composes (id),
    created_at              timestamp NOT NULL DEFAULT date_trunc('second', now() AT TIME ZONE 'utc'),
    CONSTRAINT cts_composes_compose_id_key UNIQUE (compose_id),
    -- CTS's rule: a respin is unique per release short, release version and date, whatever the compose type,
    -- release type or base product (how productmd makes a compose id unique). Kept as columns, not as one
    -- "<short>-<version>-<date>.<respin>" string, which two different releases could spell alike.
    CONSTRAINT cts_composes_release_date_respin_key UNIQUE (release_short, release_version, date, respin)
);

CREATE INDEX cts_composes_date_idx ON cts_composes (date, compose_id);
CREATE INDEX cts_composes_builder_idx ON cts_composes (builder);
CREATE INDEX cts_composes_respin_of_idx ON cts_composes (respin_of);
CREATE INDEX cts_composes_odcs_compose_id_idx ON cts_composes (odcs_compose_id);

-- The last respin handed out per (release short, release version, date). An import takes its respin with
--   INSERT ... VALUES (..., <requested>) ON CONFLICT DO UPDATE
--       SET last_respin = greatest(last_respin + 1, <requested>) RETURNING last_respin
-- in the transaction that inserts the compose. The conflicting row is locked until that transaction ends, so a
-- second importer of the same release and date waits and then reads the committed value: two importers can never
-- get the same respin, whatever the timing, and the UNIQUE constraints above would refuse it if they did. The
-- counter only ever grows, so a respin is never handed out twice nor below one already given, even when an import
-- names a lower respin explicitly (the requested respin is a lower bound, as in CTS).
CREATE TABLE cts_respins (
    release_short   varchar NOT NULL,
    release_version varchar NOT NULL,
    date            varchar(8) NOT NULL,
    last_respin     integer NOT NULL CHECK (last_respin >= 0),
    PRIMARY KEY (release_short, release_version, date)
);

CREATE TABLE cts_compose_parents (
    parent_id   bigint NOT NULL REFERENCES cts_composes (id),
    child_id    bigint NOT NULL REFERENCES cts_composes (id),
    position    bigserial,
    PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX cts_compose_parents_child_idx ON cts_compose_parents (child_id);

CREATE TABLE cts_tags (
    id              bigserial PRIMARY KEY,
    name            varchar NOT NULL UNIQUE,
    description     varchar NOT NULL,
    documentation   varchar NOT NULL
);

CREATE TABLE cts_compose_tags (
    compose_id  bigint NOT NULL REFERENCES cts_composes (id),
    tag_id      bigint NOT NULL REFERENCES cts_tags (id),
    position    bigserial,
    PRIMARY KEY (compose_id, tag_id)
);
CREATE INDEX cts_compose_tags_tag_idx ON cts_compose_tags (tag_id, compose_id);

-- Who may tag (kind 'tagger') or untag ('untagger') with a tag: a user or a group, listed in insertion order.
CREATE TABLE cts_tag_permissions (
    id          bigserial PRIMARY KEY,
    tag_id      bigint NOT NULL REFERENCES cts_tags (id),
    kind        varchar NOT NULL CHECK (kind IN ('tagger', 'untagger')),
    user_id     bigint REFERENCES users (id),
    group_name  varchar(200),
    CHECK ((user_id IS NULL) <> (group_name IS NULL))
);
CREATE UNIQUE INDEX cts_tag_permissions_user_key ON cts_tag_permissions (tag_id, kind, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX cts_tag_permissions_group_key ON cts_tag_permissions (tag_id, kind, group_name) WHERE group_name IS NOT NULL;

-- Audit trails (CTS's compose_changes and tag_changes).
CREATE TABLE cts_compose_changes (
    id          bigserial PRIMARY KEY,
    time        timestamp NOT NULL DEFAULT date_trunc('second', now() AT TIME ZONE 'utc'),
    compose_id  bigint NOT NULL REFERENCES cts_composes (id),
    action      varchar NOT NULL,
    user_id     bigint NOT NULL REFERENCES users (id),
    message     varchar,
    user_data   varchar
);
CREATE INDEX cts_compose_changes_compose_idx ON cts_compose_changes (compose_id, id);

CREATE TABLE cts_tag_changes (
    id          bigserial PRIMARY KEY,
    time        timestamp NOT NULL DEFAULT date_trunc('second', now() AT TIME ZONE 'utc'),
    tag_id      bigint NOT NULL REFERENCES cts_tags (id),
    action      varchar NOT NULL,
    user_id     bigint NOT NULL REFERENCES users (id),
    message     varchar,
    user_data   varchar
);
CREATE INDEX cts_tag_changes_tag_idx ON cts_tag_changes (tag_id, id);

-- The promotion tags every Kiln starts with.
INSERT INTO cts_tags (name, description, documentation) VALUES
    ('periodic', 'Composes made on a schedule.', 'https://kiln.example/docs/promotion#periodic'),
    ('nightly', 'The nightly compose of a release.', 'https://kiln.example/docs/promotion#nightly'),
    ('milestone-candidate', 'A candidate for the next milestone (Alpha, Beta, RC).', 'https://kiln.example/docs/promotion#milestone-candidate'),
    ('milestone', 'A compose released as a milestone.', 'https://kiln.example/docs/promotion#milestone'),
    ('qa-passed', 'The compose passed QA.', 'https://kiln.example/docs/promotion#qa-passed'),
    ('removed', 'The compose was removed from its location.', 'https://kiln.example/docs/promotion#removed');
