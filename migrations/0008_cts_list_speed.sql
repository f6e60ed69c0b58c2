-- Kiln schema, part 8: the compose list in date order through its link tables (scripts/bench-tracking measures it).
-- The list's default order is newest first (date, then id). With a tag or rpm_nvr filter, the page query walks that
-- filter's link rows in date order and stops once the page is full, instead of reading every matching compose to
-- sort it (a popular build is in tens of thousands) or walking every compose by date to find the few with a rare
-- tag. For that, each link row carries its compose's date, kept right by the database itself: a foreign key on
-- (compose, date) refuses a row whose date is not its compose's, and cascades a change of a compose's date (the API
-- never changes one, as the date is part of the compose id; a manual fix must not leave the lists wrong).

ALTER TABLE cts_composes ADD CONSTRAINT cts_composes_id_date_key UNIQUE (id, date);

-- Tags: small (one row per tag put on a compose).
ALTER TABLE cts_compose_tags ADD COLUMN compose_date varchar(8);
UPDATE cts_compose_tags ct SET compose_date = c.date FROM cts_composes c WHERE c.id = ct.compose_id;
ALTER TABLE cts_compose_tags
    ALTER COLUMN compose_date SET NOT NULL,
    DROP CONSTRAINT cts_compose_tags_compose_id_fkey,
    ADD CONSTRAINT cts_compose_tags_compose_fkey FOREIGN KEY (compose_id, compose_date)
        REFERENCES cts_composes (id, date) ON UPDATE CASCADE;
-- A tag's composes in date order; also counts a tag's composes (index only), as the index it replaces did.
DROP INDEX cts_compose_tags_tag_idx;
CREATE INDEX cts_compose_tags_tag_date_idx ON cts_compose_tags (tag_id, compose_date, compose_id);

-- Compose contents: millions of rows, rewritten once here. The backfill runs with no index on the table (each
-- updated row would otherwise add an entry to every index: three times slower); the primary key is built again after.
ALTER TABLE cts_compose_rpms
    DROP CONSTRAINT cts_compose_rpms_compose_key_fkey,
    DROP CONSTRAINT cts_compose_rpms_pkey,
    ADD COLUMN compose_date varchar(8);
DROP INDEX cts_compose_rpms_rpm_idx;
UPDATE cts_compose_rpms cr SET compose_date = c.date FROM cts_composes c WHERE c.id = cr.compose_key;
ALTER TABLE cts_compose_rpms
    ALTER COLUMN compose_date SET NOT NULL,
    ADD CONSTRAINT cts_compose_rpms_pkey PRIMARY KEY (compose_key, tree_id, rpm_id),
    ADD CONSTRAINT cts_compose_rpms_compose_fkey FOREIGN KEY (compose_key, compose_date)
        REFERENCES cts_composes (id, date) ON UPDATE CASCADE;
-- An RPM's composes in date order; still "which composes contain this RPM" (rpm_name, counts), as the index it
-- replaces was.
CREATE INDEX cts_compose_rpms_rpm_date_idx ON cts_compose_rpms (rpm_id, compose_date, compose_key);
