import Testing

@testable import KilnMessaging

/// The fedora-messaging wire format: what fedora_messaging.message.Message._build_properties sets.
@Suite struct FedoraMessageTests {
    let body = #"{"event": "state-changed", "compose": {"id": 7, "owner": "alice", "state_name": "wait"}}"#

    @Test func propertiesAndHeadersAreFedoraMessagings() {
        let m = FedoraMessage.make(
            topic: "kiln.odcs.compose.state-changed", body: body, messageID: "0b9c3c55-3a0e-4d5e-9f3a-6c1f2b7a9e10",
            sentAt: "2026-01-31T12:00:00+00:00", usernames: ["alice"], packages: ["bash", "kiln-hello"])
        #expect(m.routingKey == "kiln.odcs.compose.state-changed")
        #expect(m.body == Array(body.utf8))
        #expect(m.messageID == "0b9c3c55-3a0e-4d5e-9f3a-6c1f2b7a9e10")
        #expect(m.contentType == "application/json")
        #expect(m.contentEncoding == "utf-8")
        #expect(m.persistent)
        #expect(
            m.headers.map(\.name) == [
                "fedora_messaging_schema", "fedora_messaging_severity", "sent-at", "priority",
                "fedora_messaging_user_alice", "fedora_messaging_rpm_bash", "fedora_messaging_rpm_kiln-hello",
            ])
        #expect(m.header("fedora_messaging_schema") == .string("base.message"))
        #expect(m.header("fedora_messaging_severity") == .int(20))
        #expect(m.header("sent-at") == .string("2026-01-31T12:00:00+00:00"))
        #expect(m.header("priority") == .int(0))
        #expect(m.header("fedora_messaging_user_alice") == .bool(true))
        #expect(m.header("fedora_messaging_rpm_kiln-hello") == .bool(true))
    }

    @Test func noUserOrPackageHeadersWhenNoneGiven() {
        let m = FedoraMessage.make(topic: "t", body: "{}", messageID: "id", sentAt: "s")
        #expect(m.headers.count == 4)
        #expect(m.header("fedora_messaging_user_alice") == nil)
    }

    @Test func emptyDuplicateAndOverlongNamesAreSkipped() {
        let long = String(repeating: "x", count: 250)
        let m = FedoraMessage.make(
            topic: "t", body: "{}", messageID: "id", sentAt: "s", usernames: ["", "bob", "bob"], packages: [long, "a"])
        #expect(m.headers.map(\.name).dropFirst(4) == ["fedora_messaging_user_bob", "fedora_messaging_rpm_a"])
    }
}
