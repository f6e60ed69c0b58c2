-- Kiln schema, part 11: how long compose generation takes, as a Prometheus histogram that outlives the composes.
-- `kiln generate` measures each compose it finishes (from taking it to recording it done or failed, on its own
-- monotonic clock) and, in the transaction that records the outcome, adds one to the row of the bucket the time
-- falls in: `le` is the bucket's upper bound in seconds ('Infinity' for the last), `count` the generations that took
-- more than the previous bound and at most `le`, `sum_seconds` their total time. Rows only ever grow, so the
-- histogram /api/1/metrics/ serves from them only ever counts up, whatever `kiln expire` purges.
CREATE TABLE generation_durations (
    state       integer NOT NULL CHECK (state IN (2, 4)),
    le          double precision NOT NULL CHECK (le > 0),
    count       bigint NOT NULL DEFAULT 0,
    sum_seconds double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (state, le)
);
