import Testing

@testable import KilnCore

/// The messages stores write to the outbox: topic suffixes, the headers consumers filter on, and the bodies.
@Suite struct OutboxMessageTests {
    func compose(packages: String?) -> Compose {
        var c = Compose(
            id: 42, owner: "alice", sourceType: .tag, source: "f40", state: .done,
            timeToExpire: Timestamp(secondsSinceEpoch: 100), timeSubmitted: Timestamp(secondsSinceEpoch: 0))
        c.packages = packages
        return c
    }

    var tracked: TrackedCompose {
        TrackedCompose(
            key: 3, composeID: "Fedora-40-20260101.n.0",
            info: ComposeInfo(
                date: "20260101", type: .nightly, respin: 0,
                release: .init(name: "Fedora", short: "Fedora", version: "40")),
            builder: "pungi", tags: ["nightly"])
    }

    @Test func stateChangeCarriesTheComposeOwnerAndPackages() throws {
        let message = OutboxMessage.composeStateChanged(
            compose(packages: "bash  zsh"), configuration: ServiceConfiguration())
        #expect(message.topicSuffix == "odcs.compose.state-changed")
        #expect(message.topic(prefix: "org.example.prod") == "org.example.prod.odcs.compose.state-changed")
        #expect(message.headers == OutboxMessage.Headers(usernames: ["alice"], packages: ["bash", "zsh"]))
        #expect(message.body["event"] == "state-changed")
        #expect(message.body["compose"]?["id"]?.integerValue == 42)
        #expect(message.body["compose"]?["state_name"]?.stringValue == "done")
    }

    @Test func stateChangeNamesThePackagesOfTheBuildsAfterTheRequestedOnes() {
        var c = compose(packages: "bash-doc bash")
        c.sourceType = .build
        c.builds = "bash-5.2.26-3.fc40 python3.12-3.12.4-1.fc40  kernel-1:6.9.0-1.fc40 nodash"
        let message = OutboxMessage.composeStateChanged(c, configuration: ServiceConfiguration())
        #expect(message.headers.packages == ["bash-doc", "bash", "python3.12", "kernel"])
        c.packages = nil
        c.builds = "zsh-5.9-8.fc40"
        #expect(
            OutboxMessage.composeStateChanged(c, configuration: ServiceConfiguration()).headers.packages == ["zsh"])
    }

    @Test func stateChangeWithoutPackagesHasNoPackageHeaders() {
        let message = OutboxMessage.composeStateChanged(compose(packages: nil), configuration: ServiceConfiguration())
        #expect(message.headers.packages.isEmpty)
        #expect(message.headers.json == ["packages": [], "usernames": ["alice"]])
    }

    @Test(arguments: ["compose-created", "compose-changed", "compose-tagged", "compose-untagged"])
    func trackingEventsGoToCtsTopicsForTheAgent(event: String) throws {
        let message = OutboxMessage.tracking(
            event, tracked, agent: "bob", extra: [("tag", "nightly"), ("user_data", JSON.null)])
        #expect(message.topicSuffix == "cts.\(event)")
        #expect(message.topic(prefix: "kiln") == "kiln.cts.\(event)")
        #expect(message.headers == OutboxMessage.Headers(usernames: ["bob"]))
        let body = try #require(message.body.objectValue)
        #expect(body.keys == ["event", "compose", "agent", "tag", "user_data"])
        #expect(body["event"]?.stringValue == event)
        #expect(body["agent"]?.stringValue == "bob")
        #expect(body["compose"] == tracked.json)
        #expect(body["user_data"] == JSON.null)
    }
}
