import Testing

@testable import KilnCore

/// How a compose diff classifies the RPMs only one side holds.
@Suite struct ComposeDiffTests {
    func rpm(_ nevra: String) -> RPMNEVRA { RPMNEVRA(parsing: nevra)! }
    func items(_ nevras: [String], variant: String = "Server", arch: String = "x86_64") -> [ComposeDiff.Item] {
        nevras.map { ComposeDiff.Item(variant: variant, arch: arch, rpm: rpm($0)) }
    }

    @Test func addedRemovedUpgradedAndDowngradedFollowRPMOrder() throws {
        let diff = ComposeDiff(
            from: "A-1-20260101.0", to: "A-1-20260102.0",
            leaving: items([
                "bash-0:5.2.26-3.fc40.x86_64", "gone-0:1-1.noarch", "vim-0:9.1-1.fc40.x86_64",
                "kernel-0:6.9.0-1.x86_64",
                "tool-0:2.0-1.x86_64", "lib-0:1.0~rc1-1.x86_64", "epochs-1:1.0-1.x86_64",
            ]),
            arriving: items([
                // 5.2.26-3 -> 5.2.26-10: numeric release order, not text order ("10" < "3" as text).
                "bash-0:5.2.26-10.fc40.x86_64", "new-0:0.1-1.noarch",
                // 9.1 -> 9.1~rc2: a tilde sorts before the release it precedes, so this is a downgrade.
                "vim-0:9.1~rc2-1.fc40.x86_64",
                // 6.9.0 -> 6.9.0^git1: a caret sorts after, an upgrade.
                "kernel-0:6.9.0^git1-1.x86_64",
                // 2.0 -> 10.0 (text order would say downgrade).
                "tool-0:10.0-1.x86_64",
                // 1.0~rc1 -> 1.0: the final release is newer than its candidate.
                "lib-0:1.0-1.x86_64",
                // epoch 1 -> epoch 0 with a bigger version: still a downgrade.
                "epochs-0:9.0-1.x86_64",
            ]),
            unchanged: 40)
        try #require(diff.trees.count == 1)
        let tree = diff.trees[0]
        #expect(tree.variant == "Server" && tree.arch == "x86_64")
        #expect(tree.added == [rpm("new-0:0.1-1.noarch")])
        #expect(tree.removed == [rpm("gone-0:1-1.noarch")])
        #expect(tree.upgraded.map(\.to.name) == ["bash", "kernel", "lib", "tool"])
        #expect(
            tree.upgraded[0] == .init(from: rpm("bash-0:5.2.26-3.fc40.x86_64"), to: rpm("bash-0:5.2.26-10.fc40.x86_64"))
        )
        #expect(tree.downgraded.map(\.to.name) == ["epochs", "vim"])
        #expect(diff.unchanged == 40)

        let json = diff.json
        #expect(json["summary"] == ["added": 1, "removed": 1, "upgraded": 4, "downgraded": 2, "unchanged": 40])
        #expect(json["variants"]?["Server"]?["x86_64"]?["added"] == ["new-0:0.1-1.noarch"])
        #expect(
            json["variants"]?["Server"]?["x86_64"]?["downgraded"]?.arrayValue?.first
                == ["name": "epochs", "from": "epochs-1:1.0-1.x86_64", "to": "epochs-0:9.0-1.x86_64"])
        #expect(json["from"] == "A-1-20260101.0" && json["to"] == "A-1-20260102.0")
    }

    @Test func multilibArchesPairSeparatelyAndTreesStaySeparate() {
        let diff = ComposeDiff(
            from: "a", to: "b",
            leaving: items(["glibc-0:2.39-1.i686", "glibc-0:2.39-1.x86_64"])
                + items(["glibc-0:2.39-1.aarch64"], arch: "aarch64")
                + items(["glibc-0:2.39-1.x86_64"], variant: "AppStream"),
            arriving: items(["glibc-0:2.40-1.i686", "glibc-0:2.40-1.x86_64"])
                + items(["glibc-0:2.38-1.aarch64"], arch: "aarch64"),
            unchanged: 0)
        #expect(
            diff.trees.map { "\($0.variant)/\($0.arch)" } == ["AppStream/x86_64", "Server/aarch64", "Server/x86_64"])
        #expect(diff.trees[0].removed == [rpm("glibc-0:2.39-1.x86_64")] && diff.trees[0].added.isEmpty)
        #expect(
            diff.trees[1].downgraded == [.init(from: rpm("glibc-0:2.39-1.aarch64"), to: rpm("glibc-0:2.38-1.aarch64"))])
        #expect(diff.trees[2].upgraded.map(\.to.description) == ["glibc-0:2.40-1.i686", "glibc-0:2.40-1.x86_64"])
        #expect(diff.trees[2].added.isEmpty && diff.trees[2].removed.isEmpty)
    }

    @Test func anArchChangePairsByNameAndExtraVersionsAreAddedOrRemoved() {
        let diff = ComposeDiff(
            from: "a", to: "b",
            leaving: items([
                "tool-0:1.0-1.x86_64", "kernel-0:6.8-1.x86_64", "kernel-0:6.9-1.x86_64", "same-0:1.0-1.x86_64",
            ]),
            arriving: items(["tool-0:1.1-1.noarch", "kernel-0:6.10-1.x86_64", "same-0:1.00-1.x86_64"]),
            unchanged: 0)
        let tree = diff.trees[0]
        #expect(
            tree.upgraded == [
                .init(from: rpm("kernel-0:6.9-1.x86_64"), to: rpm("kernel-0:6.10-1.x86_64")),
                .init(from: rpm("tool-0:1.0-1.x86_64"), to: rpm("tool-0:1.1-1.noarch")),
            ])
        // The older kernel went away; "1.0" and "1.00" are the same version spelt twice.
        #expect(tree.removed == [rpm("kernel-0:6.8-1.x86_64"), rpm("same-0:1.0-1.x86_64")])
        #expect(tree.added == [rpm("same-0:1.00-1.x86_64")])
        #expect(tree.downgraded.isEmpty)
    }

    @Test func identicalComposesHaveNoTrees() {
        let diff = ComposeDiff(from: "a", to: "a", leaving: [], arriving: [], unchanged: 12)
        #expect(diff.trees.isEmpty)
        #expect(diff.json["variants"] == .object(JSONObject()))
        #expect(diff.json["summary"]?["unchanged"] == 12)
    }
}
