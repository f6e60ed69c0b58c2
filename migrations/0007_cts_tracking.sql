-- Kiln schema, part 7: what the CTS jobs `kiln promote` and `kiln track-locations` keep.

-- When each promotion rule (`promotion_rules` in the configuration, by name) last ran, for its `min_interval`,
-- and the compose it chose then (NULL: never ran). `kiln promote` locks a rule's row while it runs the rule, so
-- two runs on two hosts never apply one rule at the same time.
CREATE TABLE cts_promotion_runs (
    rule_name       varchar PRIMARY KEY,
    last_run_at     timestamp,
    last_compose_id varchar
);

-- Finding the composes of a release, newest first, as promotion rules do.
CREATE INDEX cts_composes_release_newest_idx ON cts_composes (release_short, release_version, date DESC, respin DESC);
