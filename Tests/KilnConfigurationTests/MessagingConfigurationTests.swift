import KilnConfiguration
import KilnCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The keys `kiln publish` reads (docs/configuration.md, "Messages").
@Suite struct MessagingConfigurationTests {
    func configuration(_ json: String) throws -> KilnConfiguration {
        try KilnConfiguration(#require(try JSONParser.parse(json).objectValue))
    }

    @Test func defaultsSendNothing() {
        let c = KilnConfiguration()
        #expect(c.messagingBackend == .none)
        #expect(c.amqpURL == "amqp://guest:guest@127.0.0.1:5672/%2F")
        #expect(c.amqpExchange == "amq.topic")
        #expect(c.amqpCACert == nil && c.amqpCertFile == nil && c.amqpKeyFile == nil)
    }

    @Test func amqpKeysAreRead() throws {
        let c = try configuration(
            """
            {"messaging_backend": "amqp", "amqp_url": "amqps://kiln@mq.example.com/odcs", "amqp_exchange": "kiln",
             "amqp_ca_cert": "/etc/kiln/ca.pem", "amqp_cert_file": "/etc/kiln/c.pem", "amqp_key_file":
                 "/etc/kiln/k.pem"}
            """)
        #expect(c.messagingBackend == .amqp)
        #expect(c.amqpURL == "amqps://kiln@mq.example.com/odcs")
        #expect(c.amqpExchange == "kiln")
        #expect(c.amqpCACert == "/etc/kiln/ca.pem")
        #expect(c.amqpCertFile == "/etc/kiln/c.pem")
        #expect(c.amqpKeyFile == "/etc/kiln/k.pem")
    }

    @Test func odcsEmptyBackendMeansNone() throws {
        #expect(try configuration(#"{"messaging_backend": ""}"#).messagingBackend == .none)
        #expect(try configuration(#"{"messaging_backend": "none"}"#).messagingBackend == .none)
    }

    @Test(arguments: [
        (
            #"{"messaging_backend": "kafka"}"#,
            "configuration key messaging_backend: Unknown messaging backend kafka (amqp or none)"
        ),
        (#"{"amqp_url": "http://mq/"}"#, "configuration key amqp_url: must start with amqp:// or amqps://"),
        (
            #"{"amqp_cert_file": "/c.pem"}"#,
            "configuration key amqp_key_file: amqp_cert_file and amqp_key_file go together"
        ),
        (
            #"{"amqp_key_file": "/k.pem"}"#,
            "configuration key amqp_cert_file: amqp_cert_file and amqp_key_file go together"
        ),
        (#"{"amqp_exchange": 5}"#, "configuration key amqp_exchange: must be a string"),
    ])
    func badValuesNameTheKey(_ c: (String, String)) {
        #expect {
            try configuration(c.0)
        } throws: { error in
            "\(error)" == c.1
        }
    }

    @Test func topicsDefaultToThePrefixInFrontOfEachKind() throws {
        let c = try configuration(#"{"messaging_topic_prefix": "org.example.prod"}"#)
        #expect(
            MessageTopics.kinds.map { c.messagingTopics.topic(for: $0) } == [
                "org.example.prod.odcs.compose.state-changed", "org.example.prod.cts.compose-created",
                "org.example.prod.cts.compose-changed", "org.example.prod.cts.compose-tagged",
                "org.example.prod.cts.compose-untagged",
            ])
        #expect(KilnConfiguration().messagingTopics.topic(for: "cts.compose-tagged") == "kiln.cts.compose-tagged")
        // No prefix at all: the kind is the topic.
        let bare = try configuration(#"{"messaging_topic_prefix": ""}"#)
        #expect(bare.messagingTopics.topic(for: "odcs.compose.state-changed") == "odcs.compose.state-changed")
    }

    @Test func eachKindMayHaveItsFullTopic() throws {
        let c = try configuration(
            """
            {"messaging_topic_prefix": "org.fedoraproject.prod",
             "messaging_topics": {"odcs.compose.state-changed": "VirtualTopic.eng.odcs.state.changed",
                                  "cts.compose-tagged": "VirtualTopic.eng.cts.compose-tagged"}}
            """)
        #expect(c.messagingTopics.topic(for: "odcs.compose.state-changed") == "VirtualTopic.eng.odcs.state.changed")
        #expect(c.messagingTopics.topic(for: "cts.compose-tagged") == "VirtualTopic.eng.cts.compose-tagged")
        // Kinds not named keep the prefix.
        #expect(c.messagingTopics.topic(for: "cts.compose-created") == "org.fedoraproject.prod.cts.compose-created")
        #expect(c.messagingTopicPrefix == "org.fedoraproject.prod")
    }

    @Test func everyKindTheOutboxHoldsIsConfigurable() throws {
        let compose = Compose(
            id: 1, owner: "alice", sourceType: .tag, source: "f40", state: .wait,
            timeToExpire: Timestamp(secondsSinceEpoch: 100), timeSubmitted: Timestamp(secondsSinceEpoch: 0))
        let tracked = TrackedCompose(
            key: 3, composeID: "Fedora-40-20260101.n.0",
            info: ComposeInfo(
                date: "20260101", type: .nightly, respin: 0,
                release: .init(name: "Fedora", short: "Fedora", version: "40")),
            builder: "pungi")
        var written = [OutboxMessage.composeStateChanged(compose, configuration: ServiceConfiguration()).topicSuffix]
        for event in ["compose-created", "compose-changed", "compose-tagged", "compose-untagged"] {
            written.append(OutboxMessage.tracking(event, tracked, agent: "bob").topicSuffix)
        }
        #expect(written == MessageTopics.kinds)
        var object = "{"
        for (i, kind) in written.enumerated() { object += (i == 0 ? "" : ",") + "\"\(kind)\": \"site.t\(i)\"" }
        let c = try configuration(#"{"messaging_topics": \#(object)}}"#)
        #expect(
            written.map { c.messagingTopics.topic(for: $0) } == ["site.t0", "site.t1", "site.t2", "site.t3", "site.t4"])
    }

    @Test(arguments: [
        (
            #"{"messaging_topics": {"odcs.compose.deleted": "a.b"}}"#,
            "configuration key messaging_topics.odcs.compose.deleted: unknown message kind (known: "
                + "odcs.compose.state-changed, cts.compose-created, cts.compose-changed, cts.compose-tagged, "
                + "cts.compose-untagged)"
        ),
        (
            #"{"messaging_topics": {"odcs.compose.state-changed": 7}}"#,
            "configuration key messaging_topics.odcs.compose.state-changed: must be a string"
        ),
        (#"{"messaging_topics": ["a"]}"#, "configuration key messaging_topics: must be an object"),
        (
            #"{"messaging_topics": {"odcs.compose.state-changed": ""}}"#,
            "configuration key messaging_topics.odcs.compose.state-changed: the topic is empty"
        ),
        (
            #"{"messaging_topics": {"cts.compose-created": "org..cts.compose-created"}}"#,
            "configuration key messaging_topics.cts.compose-created: the topic has an empty word (a leading, "
                + "trailing or doubled dot)"
        ),
        (
            #"{"messaging_topics": {"cts.compose-created": "org.cts.compose-created."}}"#,
            "configuration key messaging_topics.cts.compose-created: the topic has an empty word (a leading, "
                + "trailing or doubled dot)"
        ),
        (
            #"{"messaging_topics": {"cts.compose-changed": "org.cts compose"}}"#,
            "configuration key messaging_topics.cts.compose-changed: the topic may hold printable ASCII characters "
                + "only, without spaces"
        ),
        (
            #"{"messaging_topics": {"cts.compose-changed": "org.cts.\u00e9t\u00e9"}}"#,
            "configuration key messaging_topics.cts.compose-changed: the topic may hold printable ASCII characters "
                + "only, without spaces"
        ),
        (
            #"{"messaging_topics": {"cts.compose-changed": "org.cts.\t"}}"#,
            "configuration key messaging_topics.cts.compose-changed: the topic may hold printable ASCII characters "
                + "only, without spaces"
        ),
        (
            #"{"messaging_topics": {"cts.compose-tagged": "org.*.tagged"}}"#,
            "configuration key messaging_topics.cts.compose-tagged: the topic may not hold * or # (binding wildcards)"
        ),
        (
            #"{"messaging_topic_prefix": "cts."}"#,
            "configuration key messaging_topic_prefix: the topic has an empty word (a leading, trailing or doubled "
                + "dot) (in the topic cts..odcs.compose.state-changed)"
        ),
        (
            #"{"messaging_topic_prefix": "org.#"}"#,
            "configuration key messaging_topic_prefix: the topic may not hold * or # (binding wildcards) (in the topic "
                + "org.#.odcs.compose.state-changed)"
        ),
    ])
    func badTopicsNameTheKeyAndTheReason(_ c: (String, String)) {
        #expect {
            try configuration(c.0)
        } throws: { error in
            "\(error)" == c.1
        }
    }

    @Test func topicsFitAnAMQPRoutingKey() throws {
        let longest = String(repeating: "a", count: 127) + "." + String(repeating: "b", count: 127)
        #expect(longest.utf8.count == 255)
        let c = try configuration(#"{"messaging_topics": {"cts.compose-tagged": "\#(longest)"}}"#)
        #expect(c.messagingTopics.topic(for: "cts.compose-tagged") == longest)
        #expect {
            try configuration(#"{"messaging_topics": {"cts.compose-tagged": "\#(longest)b"}}"#)
        } throws: { error in
            "\(error)"
                == "configuration key messaging_topics.cts.compose-tagged: the topic is 256 bytes long; AMQP routing "
                + "keys hold at most 255"
        }
        // A prefix is checked in the longest topic it makes, `<prefix>.odcs.compose.state-changed`.
        let prefix = String(repeating: "p", count: 255 - ".odcs.compose.state-changed".utf8.count)
        #expect(try configuration(#"{"messaging_topic_prefix": "\#(prefix)"}"#).messagingTopicPrefix == prefix)
        #expect {
            try configuration(#"{"messaging_topic_prefix": "\#(prefix)p"}"#)
        } throws: { error in
            "\(error)".hasPrefix(
                "configuration key messaging_topic_prefix: the topic is 256 bytes long; AMQP routing keys hold at most "
                    + "255 (in the topic pp")
        }
        // Configuring that kind's own topic lifts the limit the prefix had through it.
        let both = try configuration(
            #"{"messaging_topic_prefix": "\#(prefix)p", "messaging_topics": {"odcs.compose.state-changed": "s.c"}}"#)
        #expect(both.messagingTopics.topic(for: "odcs.compose.state-changed") == "s.c")
        #expect(both.messagingTopics.topic(for: "cts.compose-untagged") == prefix + "p.cts.compose-untagged")
    }

    @Test func environmentSetsTopics() throws {
        let c = try KilnConfiguration.load(
            path: nil,
            environment: [
                "KILN_MESSAGING_TOPICS":
                    #"{"odcs.compose.state-changed": "org.fedoraproject.prod.odcs.compose.state-changed"}"#
            ])
        #expect(
            c.messagingTopics.topic(for: "odcs.compose.state-changed")
                == "org.fedoraproject.prod.odcs.compose.state-changed")
        #expect {
            try KilnConfiguration.load(path: nil, environment: ["KILN_MESSAGING_TOPICS": #"{"x": "y"}"#])
        } throws: { error in
            "\(error)".hasPrefix("configuration key messaging_topics.x: unknown message kind")
        }
    }

    @Test func environmentOverridesTheFile() throws {
        let path = "/tmp/kiln-messaging-config-\(getpid()).json"
        let file = try #require(fopen(path, "w"))
        fputs(#"{"messaging_backend": "none", "amqp_exchange": "from-file"}"#, file)
        fclose(file)
        defer { unlink(path) }
        let c = try KilnConfiguration.load(
            path: path, environment: ["KILN_MESSAGING_BACKEND": "amqp", "KILN_AMQP_URL": "amqp://h:1/"])
        #expect(c.messagingBackend == .amqp)
        #expect(c.amqpURL == "amqp://h:1/")
        #expect(c.amqpExchange == "from-file")
    }
}
