-- Kiln schema, part 3: what `kiln publish` needs to deliver the outbox.

-- The AMQP message_id of each message: fixed when the row is written, so a message published again after a crash
-- or a lost confirm carries the same id and consumers can drop the copy. Existing rows get one each.
ALTER TABLE outbox ADD COLUMN message_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE outbox ADD CONSTRAINT outbox_message_id_key UNIQUE (message_id);
-- Publish attempts that ended without the broker's confirm, and the last such failure, for the operator.
ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error varchar;

-- Wake a waiting `kiln publish --follow` when messages are written (once per statement; the payload is unused,
-- the listener re-reads the outbox). NOTIFY is delivered at commit, so the listener sees the rows.
CREATE FUNCTION outbox_notify_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kiln_outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify_insert AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify_written();
