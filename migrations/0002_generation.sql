-- Kiln schema, part 2: what the `kiln generate` job needs.

-- Progress of a generation, shown as `progress` in GET /api/1/composes/<id>.
ALTER TABLE composes ADD COLUMN progress_phase varchar;
ALTER TABLE composes ADD COLUMN progress_done integer;
ALTER TABLE composes ADD COLUMN progress_total integer;
-- How many times a generator took this compose (a crashed worker's compose is retried once).
ALTER TABLE composes ADD COLUMN generation_attempts integer NOT NULL DEFAULT 0;
-- host:pid of the generator working on it, for the operator.
ALTER TABLE composes ADD COLUMN generated_by varchar;

-- productmd compose ids are unique among composes that have files of their own (one reusing another shows the
-- other's id, as in ODCS).
CREATE UNIQUE INDEX composes_pungi_compose_id_key ON composes (pungi_compose_id)
    WHERE pungi_compose_id IS NOT NULL AND reused_id IS NULL;

-- Wake idle generators as soon as a compose is queued (the payload is unused; listeners re-query).
CREATE FUNCTION composes_notify_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kiln_compose_waiting', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER composes_notify_insert AFTER INSERT ON composes
    FOR EACH STATEMENT EXECUTE FUNCTION composes_notify_waiting();
