-- Kiln schema, part 10: outbox rows carry the topic without the site prefix, and their headers.
-- A message written from now on stores only the topic after `messaging_topic_prefix` (`odcs.compose.state-changed`,
-- `cts.compose-created`) in `topic_suffix`; `kiln publish` puts the prefix configured when it sends in front.
-- A row written before this migration keeps the full topic it was written with in `topic`, so messages waiting in
-- the outbox during an upgrade are delivered to exactly the topic they had. Exactly one of the two is set.
ALTER TABLE outbox ALTER COLUMN topic DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN topic_suffix varchar;
ALTER TABLE outbox ADD CONSTRAINT outbox_topic_or_suffix CHECK ((topic IS NULL) <> (topic_suffix IS NULL));

-- What consumers filter on: `{"usernames": [...], "packages": [...]}` (fedora-messaging user and rpm headers).
-- Undelivered rows get what the publisher used to read from their bodies: a compose's owner (else the agent of a
-- tracking change) and the compose's space-separated packages.
ALTER TABLE outbox ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';
UPDATE outbox SET headers = jsonb_build_object(
    'usernames', CASE WHEN jsonb_typeof(body->'compose'->'owner') = 'string'
                          THEN jsonb_build_array(body->'compose'->>'owner')
                      WHEN jsonb_typeof(body->'agent') = 'string' THEN jsonb_build_array(body->>'agent')
                      ELSE '[]'::jsonb END,
    'packages', CASE WHEN jsonb_typeof(body->'compose'->'packages') = 'string'
                     THEN to_jsonb(array_remove(string_to_array(body->'compose'->>'packages', ' '), ''))
                     ELSE '[]'::jsonb END)
WHERE sent_at IS NULL;
