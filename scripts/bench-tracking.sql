-- Bulk data for scripts/bench-tracking: :composes tracked composes with 25 RPMs each (24 from a pool of 20,000
-- packages in 10 versions, plus one of 10 versions of bash, so a bash N-V-R is in composes/10 composes), tags, and
-- two 5,000-package composes Bench-diff-1-20990101.n.0 (A) and .n.1 (B) to diff. Loaded with generate_series;
-- foreign-key triggers are skipped (the data is consistent by construction) and the rpm index is built after.
\set ON_ERROR_STOP on
SET session_replication_role = replica;
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';

INSERT INTO users (username) VALUES ('bench') ON CONFLICT DO NOTHING;

INSERT INTO cts_composes (id, compose_id, date, respin, type, release_name, release_version, release_short, builder, compose_url)
SELECT i, 'Bench-1-' || d || '.n.' || (i % 100), d, i % 100, 'nightly', 'Bench', '1', 'Bench', 'bench',
       'https://composes.example/Bench-1-' || d || '.n.' || (i % 100)
FROM (SELECT i, to_char(date '2020-01-01' + (i / 100), 'YYYYMMDD') AS d FROM generate_series(1, :composes) AS i) s;

INSERT INTO cts_composes (id, compose_id, date, respin, type, release_name, release_version, release_short, builder, compose_url)
VALUES (:composes + 1, 'Bench-diff-1-20990101.n.0', '20990101', 0, 'nightly', 'Bench diff', '1', 'Bench-diff', 'bench', NULL),
       (:composes + 2, 'Bench-diff-1-20990101.n.1', '20990101', 1, 'nightly', 'Bench diff', '1', 'Bench-diff', 'bench', NULL);
SELECT setval('cts_composes_id_seq', :composes + 2);

-- Tags: nightly on every 4th compose, qa-passed on every 20th, milestone on every 1000th.
-- Link rows carry their compose's date (migration 0008).
INSERT INTO cts_compose_tags (compose_id, tag_id, compose_date)
SELECT id, (SELECT id FROM cts_tags WHERE name = 'nightly'), date FROM cts_composes WHERE id <= :composes AND id % 4 = 0;
INSERT INTO cts_compose_tags (compose_id, tag_id, compose_date)
SELECT id, (SELECT id FROM cts_tags WHERE name = 'qa-passed'), date FROM cts_composes WHERE id <= :composes AND id % 20 = 0;
INSERT INTO cts_compose_tags (compose_id, tag_id, compose_date)
SELECT id, (SELECT id FROM cts_tags WHERE name = 'milestone'), date FROM cts_composes WHERE id <= :composes AND id % 1000 = 0;

-- The RPM dictionary: id = n * 10 + v + 1 is pkg<n>-1.<v>-1.fc40.x86_64 (n < 20000); bash after them.
INSERT INTO cts_rpms (id, name, epoch, version, release, arch)
SELECT n * 10 + v + 1, 'pkg' || n, 0, '1.' || v, '1.fc40', 'x86_64' FROM generate_series(0, 19999) AS n, generate_series(0, 9) AS v;
INSERT INTO cts_rpms (id, name, epoch, version, release, arch)
SELECT 200001 + v, 'bash', 0, '5.2.' || v, '1.fc40', 'x86_64' FROM generate_series(0, 9) AS v;
SELECT setval('cts_rpms_id_seq', 200010);
INSERT INTO cts_trees (id, variant, arch) VALUES (1, 'Server', 'x86_64');
SELECT setval('cts_trees_id_seq', 1);

DROP INDEX cts_compose_rpms_rpm_date_idx;
INSERT INTO cts_compose_rpms (compose_key, tree_id, rpm_id, srpm_id, category, sigkey, path, compose_date)
SELECT i, 1, r, r, 0, 'a15b79cc', 'Server/x86_64/os/Packages/p/pkg' || r || '.fc40.x86_64.rpm', date
FROM (SELECT id AS i, date FROM cts_composes WHERE id <= :composes) AS c,
     LATERAL (SELECT ((i * 37 + k * 797) % 20000) * 10 + ((i / 20000 + k) % 10) + 1 AS r FROM generate_series(0, 23) AS k
              UNION ALL SELECT 200001 + (i * 10 / (:composes + 1))) p;
-- Diff composes: A has pkg0..4999 at version 5; B drops pkg0..249, adds pkg5000..5249, upgrades pkg250..1249 to
-- version 6 and downgrades pkg1250..1449 to version 4.
INSERT INTO cts_compose_rpms (compose_key, tree_id, rpm_id, srpm_id, category, sigkey, path, compose_date)
SELECT :composes + 1, 1, n * 10 + 5 + 1, n * 10 + 5 + 1, 0, 'a15b79cc', 'Server/x86_64/os/Packages/p/pkg' || n || '.rpm', '20990101'
FROM generate_series(0, 4999) AS n;
INSERT INTO cts_compose_rpms (compose_key, tree_id, rpm_id, srpm_id, category, sigkey, path, compose_date)
SELECT :composes + 2, 1, n * 10 + (CASE WHEN n < 1250 THEN 6 WHEN n < 1450 THEN 4 ELSE 5 END) + 1,
       n * 10 + (CASE WHEN n < 1250 THEN 6 WHEN n < 1450 THEN 4 ELSE 5 END) + 1, 0, 'a15b79cc', 'Server/x86_64/os/Packages/p/pkg' || n || '.rpm',
       '20990101'
FROM generate_series(250, 5249) AS n;
CREATE INDEX cts_compose_rpms_rpm_date_idx ON cts_compose_rpms (rpm_id, compose_date, compose_key);

-- The binary packages per variant that recording a list keeps (migration 0012), for the product-size report.
INSERT INTO cts_compose_variant_packages (compose_key, variant, packages)
SELECT id, 'Server', CASE WHEN id > :composes THEN 5000 ELSE 25 END FROM cts_composes WHERE builder = 'bench';

INSERT INTO cts_compose_contents (compose_key, source, rpm_count, imported_at, imported_by)
SELECT id, 'uploaded', CASE WHEN id > :composes THEN 5000 ELSE 25 END, now() AT TIME ZONE 'utc', 'bench' FROM cts_composes WHERE builder = 'bench';
RESET session_replication_role;
VACUUM ANALYZE;
