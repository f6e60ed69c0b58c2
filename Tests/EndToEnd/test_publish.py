"""`kiln publish`: the outbox delivered to a real RabbitMQ, read back with pika and fedora-messaging's own parser."""
import json
import os
import re
import subprocess
import sys
import time
import uuid

import pika
import pytest
from fedora_messaging import message as fm_message

from conftest import unique

ROUTING_KEY = "kiln.odcs.compose.state-changed"
PUBLISHER_LOCK = 7071000002
# The topic Fedora's ODCS announces state changes on: configured in full with `messaging_topics`.
FEDORA_TOPIC = "org.fedoraproject.prod.odcs.compose.state-changed"
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def amqp_url(stack):
    url = stack.env.get("KILN_AMQP_URL")
    if not url or not stack.env.get("KILN_RABBITMQ"):
        pytest.fail("RabbitMQ unavailable: %s lacks KILN_AMQP_URL / KILN_RABBITMQ (start the stack with scripts/stack)"
                    % os.environ.get("KILN_STACK_ENV"), pytrace=False)
    try:
        pika.BlockingConnection(pika.URLParameters(url)).close()
    except pika.exceptions.AMQPError as e:
        pytest.fail("RabbitMQ is not answering at %s: %r" % (url, e), pytrace=False)
    return url


def broker(stack, action):
    env = dict(os.environ, KILN_RUNDIR=stack.rundir, KILN_AMQP_PORT=stack.env["KILN_AMQP_PORT"])
    out = subprocess.run([stack.env["KILN_RABBITMQ"], action], env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, "scripts/rabbitmq %s failed: %s" % (action, out.stderr)


def publish(stack, *args, backend=None, topics=None):
    env = dict(os.environ, KILN_CONFIG=stack.config)
    if backend is not None:
        env["KILN_MESSAGING_BACKEND"] = backend
    if topics is not None:
        env["KILN_MESSAGING_TOPICS"] = json.dumps(topics)
    return subprocess.run([stack.bin, "publish"] + list(args), env=env, capture_output=True, text=True, timeout=300)


class Queue:
    """A queue bound to the state-changed routing key on amq.topic, as a fedora-messaging consumer would bind."""

    def __init__(self, url, durable=False, routing_key=ROUTING_KEY):
        self.url = url
        self.name = unique("kiln-e2e")
        self.durable = durable
        with self._channel() as ch:
            ch.queue_declare(self.name, durable=durable, auto_delete=False)
            ch.queue_bind(self.name, "amq.topic", routing_key=routing_key)

    def _channel(self):
        return _Channel(self.url)

    def take(self, count, compose_ids=None, timeout=30.0):
        """Reads messages (routing key, properties, body) until `count` concern `compose_ids` or time runs out."""
        got = []
        deadline = time.monotonic() + timeout
        with self._channel() as ch:
            while len(got) < count and time.monotonic() < deadline:
                method, properties, body = ch.basic_get(self.name, auto_ack=True)
                if method is None:
                    time.sleep(0.1)
                    continue
                if compose_ids is not None and json.loads(body)["compose"]["id"] not in compose_ids:
                    continue
                got.append((method.routing_key, properties, body))
            # Nothing more may arrive for these composes (no duplicates either).
            time.sleep(0.3)
            while True:
                method, properties, body = ch.basic_get(self.name, auto_ack=True)
                if method is None:
                    break
                if compose_ids is None or json.loads(body)["compose"]["id"] in compose_ids:
                    got.append((method.routing_key, properties, body))
        return got

    def delete(self):
        try:
            with self._channel() as ch:
                ch.queue_delete(self.name)
        except pika.exceptions.AMQPError:
            pass


class _Channel:
    def __init__(self, url):
        self.url = url

    def __enter__(self):
        self.connection = pika.BlockingConnection(pika.URLParameters(self.url))
        return self.connection.channel()

    def __exit__(self, *exc):
        self.connection.close()


def outbox_rows(stack, compose_ids):
    rows = stack.psql(
        "SELECT id, message_id, (body->'compose'->>'id')::bigint, body->'compose'->>'state_name', sent_at IS NOT NULL, "
        "to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"') FROM outbox "
        "WHERE (body->'compose'->>'id')::bigint IN (%s) ORDER BY id" % ",".join(str(i) for i in compose_ids))
    return [{"id": int(r[0]), "message_id": r[1], "compose": int(r[2]), "state": r[3], "sent": r[4] == "t", "created": r[5]}
            for r in rows]


def test_message_reads_back_with_fedora_messaging(stack, releng, amqp_url):
    user, token = releng
    queue = Queue(amqp_url)
    try:
        r = stack.post_compose({"source": {"type": "tag", "source": "f40-build", "packages": ["bash", "kiln-hello"]}}, token)
        assert r.status_code == 200, r.text
        compose = r.json()
        assert compose["source"] == "f40-build" and compose["packages"] == "bash kiln-hello", compose
        cid = compose["id"]
        out = publish(stack)
        assert out.returncode == 0, out.stderr
        assert re.match(r"delivered [1-9][0-9]* messages to exchange amq\.topic in [0-9.]+ s \([0-9]+ messages/s\); "
                        r"still waiting: 0$", out.stdout.strip()), out.stdout
        got = queue.take(1, {cid})
        assert len(got) == 1, got
        routing_key, properties, body = got[0]
        row = outbox_rows(stack, [cid])[0]
        assert row["sent"]

        assert routing_key == ROUTING_KEY
        assert json.loads(body) == {"event": "state-changed", "compose": compose}
        assert properties.content_type == "application/json"
        assert properties.content_encoding == "utf-8"
        assert properties.delivery_mode == 2
        assert properties.message_id == row["message_id"]
        assert str(uuid.UUID(properties.message_id, version=4)) == properties.message_id
        assert properties.headers == {
            "fedora_messaging_schema": "base.message",
            "fedora_messaging_severity": 20,
            "sent-at": row["created"],
            "priority": 0,
            "fedora_messaging_user_%s" % user: True,
            "fedora_messaging_rpm_bash": True,
            "fedora_messaging_rpm_kiln-hello": True,
        }

        # What a stock fedora-messaging consumer makes of it (this validates headers and body against the schemas).
        message = fm_message.get_message(routing_key, properties, body)
        assert type(message) is fm_message.Message
        message.validate()
        assert message.id == row["message_id"]
        assert message.topic == ROUTING_KEY
        assert message.severity == fm_message.INFO
        assert message.body == {"event": "state-changed", "compose": compose}
        assert message._headers["fedora_messaging_user_%s" % user] is True
    finally:
        queue.delete()


def test_state_changes_arrive_in_order_and_are_sent_once(stack, releng, amqp_url):
    user, token = releng
    queue = Queue(amqp_url)
    try:
        compose = stack.create_compose(token)
        cid = compose["id"]
        r = stack.request("DELETE", "composes/%d" % cid, token=token)
        assert r.status_code == 202, r.text
        assert publish(stack).returncode == 0
        # A second run finds nothing new to send.
        again = publish(stack)
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith("delivered 0 messages"), again.stdout
        got = queue.take(2, {cid})
        states = [json.loads(body)["compose"]["state_name"] for _, _, body in got]
        assert states == ["wait", "failed"], states
        rows = outbox_rows(stack, [cid])
        assert [p.message_id for _, p, _ in got] == [row["message_id"] for row in rows]
        assert all(row["sent"] for row in rows)
    finally:
        queue.delete()


def test_unconfirmed_message_is_published_again_with_the_same_id(stack, releng, amqp_url):
    """A publisher that died after the broker took a message but before recording it sends it again, same id."""
    user, token = releng
    queue = Queue(amqp_url)
    try:
        cid = stack.create_compose(token)["id"]
        assert publish(stack).returncode == 0
        row = outbox_rows(stack, [cid])[0]
        # What the outbox looks like when the crash came between the broker's confirm and the UPDATE.
        stack.psql("UPDATE outbox SET sent_at = NULL WHERE id = %d" % row["id"])
        assert publish(stack).returncode == 0
        got = queue.take(2, {cid})
        assert len(got) == 2, got
        assert [p.message_id for _, p, _ in got] == [row["message_id"]] * 2
        assert got[0][2] == got[1][2]
        assert got[0][1].headers == got[1][1].headers
        assert outbox_rows(stack, [cid])[0]["sent"]
    finally:
        queue.delete()


def test_broker_outage_burst_of_200_waits_then_all_arrive_once(stack, releng, amqp_url):
    user, token = releng
    # Durable, so it (and what it holds) outlives the broker restart, like a real consumer's queue.
    queue = Queue(amqp_url, durable=True)
    assert publish(stack).returncode == 0  # nothing older than the burst is pending
    broker(stack, "stop")
    try:
        ids = []
        for _ in range(100):
            ids.append(stack.create_compose(token)["id"])
            r = stack.request("DELETE", "composes/%d" % ids[-1], token=token)
            assert r.status_code == 202, r.text
        rows = outbox_rows(stack, ids)
        assert len(rows) == 200
        failed = publish(stack)
        assert failed.returncode == 1, (failed.stdout, failed.stderr)
        assert "cannot connect to the AMQP broker at 127.0.0.1:%s" % stack.env["KILN_AMQP_PORT"] in failed.stderr
        assert "messages waiting in the outbox for the next run: 200" in failed.stderr, failed.stderr
        assert not any(row["sent"] for row in outbox_rows(stack, ids))
    finally:
        broker(stack, "start")

    delivered = publish(stack)
    assert delivered.returncode == 0, delivered.stderr
    assert delivered.stdout.startswith("delivered 200 messages"), delivered.stdout
    rows = outbox_rows(stack, ids)
    assert all(row["sent"] for row in rows)
    try:
        got = queue.take(200, set(ids), timeout=60)
    finally:
        queue.delete()
    message_ids = [p.message_id for _, p, _ in got]
    assert len(got) == 200, len(got)
    assert len(set(message_ids)) == 200
    assert sorted(message_ids) == sorted(row["message_id"] for row in rows)
    per_compose = {}
    for _, _, body in got:
        c = json.loads(body)["compose"]
        per_compose.setdefault(c["id"], []).append(c["state_name"])
    assert per_compose == {cid: ["wait", "failed"] for cid in ids}


def test_none_backend_keeps_messages_in_the_outbox(stack, releng, amqp_url):
    user, token = releng
    queue = Queue(amqp_url)
    try:
        cid = stack.create_compose(token)["id"]
        out = publish(stack, backend="none")
        assert out.returncode == 0, out.stderr
        waiting = int(stack.scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))
        assert waiting >= 1
        assert out.stdout.strip() == ("messaging_backend is none: nothing delivered; undelivered messages stay in the "
                                      "outbox: %d" % waiting)
        assert not outbox_rows(stack, [cid])[0]["sent"]
        assert queue.take(1, {cid}, timeout=1.0) == []
        # Switching the bus on later delivers what waited.
        assert publish(stack).returncode == 0
        assert len(queue.take(1, {cid})) == 1
    finally:
        queue.delete()


def test_second_publisher_does_nothing_while_one_runs(stack, releng, amqp_url):
    user, token = releng
    cid = stack.create_compose(token)["id"]
    holder = subprocess.Popen(
        [os.path.join(stack.pg_bin, "psql"), "-h", stack.pg_socket, "-U", "postgres", "-X", "-q", "kiln"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        holder.stdin.write("SELECT pg_advisory_lock(%d);\n" % PUBLISHER_LOCK)
        holder.stdin.flush()
        deadline = time.monotonic() + 10
        while stack.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                           "AND objid = %d" % (PUBLISHER_LOCK & 0xFFFFFFFF)) != "1":
            assert time.monotonic() < deadline, "psql never took the publisher lock"
            time.sleep(0.05)
        out = publish(stack)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "another kiln publish is running (it holds the publisher lock); nothing done"
        assert not outbox_rows(stack, [cid])[0]["sent"]
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    # The server drops the lock a moment after psql hangs up.
    deadline = time.monotonic() + 10
    while stack.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                       "AND objid = %d" % (PUBLISHER_LOCK & 0xFFFFFFFF)) != "0":
        assert time.monotonic() < deadline, "the publisher lock outlived psql"
        time.sleep(0.05)
    assert publish(stack).returncode == 0
    assert outbox_rows(stack, [cid])[0]["sent"]


def test_follow_delivers_on_notify_and_rides_out_a_broker_restart(stack, releng, amqp_url):
    user, token = releng
    queue = Queue(amqp_url, durable=True)
    assert publish(stack).returncode == 0
    follower = subprocess.Popen([stack.bin, "publish", "--follow"], env=dict(os.environ, KILN_CONFIG=stack.config),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)  # connected and listening
        started = time.monotonic()
        first = stack.create_compose(token)["id"]
        got = queue.take(1, {first}, timeout=20)
        assert len(got) == 1
        # Woken by the outbox NOTIFY, not by its 5 s poll.
        assert time.monotonic() - started < 4.0, time.monotonic() - started

        broker(stack, "stop")
        try:
            second = stack.create_compose(token)["id"]
            time.sleep(1.0)
            assert not outbox_rows(stack, [second])[0]["sent"]
        finally:
            broker(stack, "start")
        got = queue.take(1, {second}, timeout=60)
        assert len(got) == 1, "the follower did not deliver after the broker came back"
        assert got[0][1].message_id == outbox_rows(stack, [second])[0]["message_id"]
        assert follower.poll() is None, follower.stderr.read()
    finally:
        follower.terminate()
        follower.wait(timeout=10)
        queue.delete()


class FedoraMessagingConsumer:
    """The stock `fedora-messaging consume` command (Twisted, fedora-messaging's own parsing and schema checks) with
    its queue bound to `routing_key` on amq.topic; every message it takes is written by fedora_messaging_sink.py."""

    def __init__(self, url, routing_key, directory):
        command = os.path.join(os.path.dirname(sys.executable), "fedora-messaging")
        if not os.access(command, os.X_OK):
            pytest.fail("the fedora-messaging command is missing from the test venv (%s): install "
                        "Tests/EndToEnd/requirements.txt" % command, pytrace=False)
        self.url = url
        self.queue = unique("kiln-e2e-fm")
        self.sink = os.path.join(directory, "received.jsonl")
        conf = os.path.join(directory, "fedora-messaging.toml")
        with open(conf, "w", encoding="utf-8") as f:
            f.write('amqp_url = "%s"\n\n[client_properties]\napp = "kiln-e2e"\n' % url)
        self.log = open(os.path.join(directory, "consumer.log"), "w+", encoding="utf-8")
        self.proc = subprocess.Popen(
            [command, "--conf", conf, "consume", "--callback-file",
             os.path.join(HERE, "fedora_messaging_sink.py") + ":record", "--exchange", "amq.topic",
             "--queue-name", self.queue, "--routing-key", routing_key],
            env=dict(os.environ, KILN_E2E_SINK=self.sink), stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_for_queue()

    def _wait_for_queue(self):
        """Returns once the consumer has declared its queue (exclusive, so another connection is refused it)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "fedora-messaging consume exited: %s" % self.output()
            connection = pika.BlockingConnection(pika.URLParameters(self.url))
            try:
                connection.channel().queue_declare(self.queue, passive=True)
            except pika.exceptions.ChannelClosedByBroker as e:
                if e.reply_code == 405:  # RESOURCE_LOCKED: it exists, owned by the consumer's connection
                    # Binding and basic.consume follow the declaration on the same channel at once.
                    time.sleep(1.0)
                    return
                assert e.reply_code == 404, e
            finally:
                if connection.is_open:
                    connection.close()
            time.sleep(0.2)
        raise AssertionError("fedora-messaging consume never declared its queue: %s" % self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-3000:]

    def received(self, compose_id, count, timeout=30.0):
        """The messages about `compose_id` the consumer has taken, once there are `count` (or time runs out)."""
        deadline = time.monotonic() + timeout
        while True:
            got = []
            if os.path.exists(self.sink):
                with open(self.sink, encoding="utf-8") as f:
                    got = [m for m in map(json.loads, f) if m["body"]["compose"]["id"] == compose_id]
            if len(got) >= count or time.monotonic() > deadline:
                return got
            time.sleep(0.2)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def test_fedora_messaging_consumer_bound_to_a_full_topic_gets_a_composes_state_changes(
        stack, releng, amqp_url, tmp_path):
    user, token = releng
    consumer = FedoraMessagingConsumer(amqp_url, FEDORA_TOPIC, str(tmp_path))
    default_queue = Queue(amqp_url)
    try:
        sample = stack.env["KILN_SAMPLE_REPO"]
        r = stack.post_compose({"source": {"type": "repo", "source": sample, "packages": ["kiln-hello", "kiln-lib"]}},
                               token)
        assert r.status_code == 200, r.text
        cid = r.json()["id"]
        generated = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once"], capture_output=True,
                                   text=True, timeout=300)
        assert generated.returncode == 0, generated.stderr
        compose = stack.get("composes/%d" % cid).json()
        assert compose["state_name"] == "done", compose

        out = publish(stack, topics={"odcs.compose.state-changed": FEDORA_TOPIC})
        assert out.returncode == 0, out.stderr
        got = consumer.received(cid, 3)
        assert [m["body"]["compose"]["state_name"] for m in got] == ["wait", "generating", "done"], (
            got, consumer.output())
        rows = outbox_rows(stack, [cid])
        assert [m["id"] for m in got] == [row["message_id"] for row in rows]
        assert all(row["sent"] for row in rows)
        for m, row in zip(got, rows):
            assert m["class"] == "fedora_messaging.message.Message"
            assert m["topic"] == FEDORA_TOPIC
            assert m["severity"] == fm_message.INFO
            assert m["body"]["event"] == "state-changed"
            assert m["headers"] == {
                "fedora_messaging_schema": "base.message",
                "fedora_messaging_severity": 20,
                "sent-at": row["created"],
                "priority": 0,
                "fedora_messaging_user_%s" % user: True,
                "fedora_messaging_rpm_kiln-hello": True,
                "fedora_messaging_rpm_kiln-lib": True,
            }
        # The message carries the compose's JSON without the fields only GET adds (progress, pungi_config_dump).
        announced = got[-1]["body"]["compose"]
        assert set(compose) - set(announced) == {"progress", "pungi_config_dump"}, announced
        assert announced == {key: compose[key] for key in announced}
        # The full topic replaced the prefixed one: nothing about this compose went to kiln.odcs.compose.state-changed.
        assert default_queue.take(1, {cid}, timeout=1.0) == []
    finally:
        default_queue.delete()
        consumer.stop()


def test_a_topic_no_broker_could_route_stops_publish_before_anything_is_sent(stack, releng, amqp_url):
    user, token = releng
    cid = stack.create_compose(token)["id"]
    for topics, reason in (
            ({"odcs.compose.state-changed": "org..odcs"}, "the topic has an empty word (a leading, trailing or doubled "
                                                          "dot)"),
            ({"odcs.compose.state-changed": "x" * 256}, "the topic is 256 bytes long; AMQP routing keys hold at most "
                                                        "255"),
            ({"odcs.compose.deleted": "a.b"}, "unknown message kind (known: odcs.compose.state-changed, "
                                              "cts.compose-created, cts.compose-changed, cts.compose-tagged, "
                                              "cts.compose-untagged)")):
        out = publish(stack, topics=topics)
        assert out.returncode == 1, (out.stdout, out.stderr)
        key = "messaging_topics." + list(topics)[0]
        assert out.stderr.strip() == "Error: configuration key %s: %s" % (key, reason), out.stderr
        assert not outbox_rows(stack, [cid])[0]["sent"]
    assert publish(stack).returncode == 0
    assert outbox_rows(stack, [cid])[0]["sent"]
