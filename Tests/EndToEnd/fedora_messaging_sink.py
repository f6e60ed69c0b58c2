"""The callback of the stock fedora-messaging consumer the end-to-end tests run (`fedora-messaging consume
--callback-file fedora_messaging_sink.py:record`): each message, as fedora-messaging parsed and validated it, is
appended as one JSON line to the file named by KILN_E2E_SINK, flushed at once so the test can read it."""
import json
import os


def record(message):
    line = json.dumps({
        "class": "%s.%s" % (type(message).__module__, type(message).__name__),
        "topic": message.topic,
        "id": message.id,
        "severity": message.severity,
        "headers": message._headers,
        "body": message.body,
    }, sort_keys=True)
    with open(os.environ["KILN_E2E_SINK"], "a", encoding="utf-8") as f:
        f.write(line + "\n")
