import Testing

@testable import KilnCore

/// PATCH (renew/extend/copy) and DELETE (cancel/mark expired) decisions.
@Suite struct LifecycleTests {
    var configuration: ServiceConfiguration {
        var c = ServiceConfiguration()
        c.admins = .init(groups: ["kiln-admins"])
        c.allowedClients = .init(groups: ["releng": [:]])
        return c
    }

    func user(_ name: String, _ groups: [String] = ["releng"]) -> Caller {
        .user(Identity(username: name, groups: groups, method: .remoteUser))
    }

    func compose(_ state: ComposeState, owner: String = "alice") -> Compose {
        var c = Compose(
            id: 7, owner: owner, sourceType: .tag, source: "f40", state: state,
            timeToExpire: .init(secondsSinceEpoch: 100), timeSubmitted: .init(secondsSinceEpoch: 0))
        c.sigkeys = "k1"
        c.label = "RC-1.1"
        c.arches = "x86_64"
        c.composeType = "test"
        c.pungiComposeID = "odcs-7-1-20260101.t.0"
        c.kojiEvent = 99
        c.stateReason = "Compose is generated successfully"
        c.timeDone = .init(secondsSinceEpoch: 50)
        return c
    }

    func plan(_ body: String, _ c: Compose, caller: Caller? = nil) throws(ComposeError) -> RenewRequest.Plan {
        try RenewRequest.parse(body: Array(body.utf8)).plan(
            for: c, caller: caller ?? user("bob"), configuration: configuration)
    }

    @Test func renewOfDoneComposeExtendsIt() throws {
        #expect(try plan("", compose(.done)) == .extend(secondsToLive: 86_400))
        #expect(try plan(#"{"seconds_to_live": 60}"#, compose(.done)) == .extend(secondsToLive: 60))
        #expect(try plan(#"{"seconds-to-live": "120"}"#, compose(.done)) == .extend(secondsToLive: 120))
        #expect(try plan(#"{"label": "RC-1.1"}"#, compose(.done)) == .extend(secondsToLive: 86_400))
        // ODCS ignored unknown keys; Kiln refuses them (a field is honoured or refused, never ignored).
        #expect(throws: ComposeError.invalid("Unknown field \"source.unknown_arg\" in the renewal request.")) {
            try plan(#"{"label": "RC-1.1", "source": {"unknown_arg": 1}}"#, compose(.done))
        }
        #expect(throws: ComposeError.invalid("Unknown field \"owner\" in the renewal request.")) {
            try plan(#"{"owner": "x"}"#, compose(.done))
        }
    }

    @Test(arguments: [ComposeState.wait, .generating])
    func renewOfUnfinishedComposeIsNotFound(_ state: ComposeState) {
        #expect(throws: ComposeError.notFound("No compose with id 7 found")) { try plan("", compose(state)) }
    }

    @Test func validationPrecedesLookup() {
        #expect(throws: ComposeError.invalid("seconds_to_live should be an integer")) {
            try plan(#"{"seconds_to_live": "600s"}"#, compose(.wait))
        }
        #expect(throws: ComposeError.invalid("builds should be a list")) {
            try plan(#"{"source": {"builds": "x"}}"#, compose(.done))
        }
    }

    @Test func renewOfRemovedComposeCreatesCopy() throws {
        guard case .copy(let copy, let seconds) = try plan("", compose(.removed)) else {
            Issue.record("expected a copy")
            return
        }
        #expect(seconds == 86_400)
        #expect(copy.id == 0)
        #expect(copy.owner == "bob")
        #expect(copy.state == .wait)
        #expect(copy.stateReason == nil)
        #expect(copy.timeDone == nil)
        #expect(copy.kojiEvent == 99)
        #expect(copy.sigkeys == "k1")
        #expect(copy.label == "RC-1.1")
        #expect(copy.pungiComposeID == nil)
        #expect(copy.respinOf == "odcs-7-1-20260101.t.0")
        #expect(copy.reusedID == nil)
    }

    @Test func newLabelSigkeysBuildsOrModulesCreateCopy() throws {
        if case .copy(let c, _) = try plan(#"{"label": "RC-2.2"}"#, compose(.done)) {
            #expect(c.label == "RC-2.2")
        } else {
            Issue.record("label")
        }
        if case .copy(let c, _) = try plan(#"{"sigkeys": []}"#, compose(.done)) {
            #expect(c.sigkeys == "")
        } else {
            Issue.record("sigkeys")
        }
        if case .copy(let c, _) = try plan(#"{"source": {"builds": ["b-1-1"]}}"#, compose(.done)) {
            #expect(c.builds == "b-1-1")
        } else {
            Issue.record("builds")
        }
        if case .copy(let c, _) = try plan(#"{"source": {"modules": ["m:s:1:c"]}}"#, compose(.done)) {
            #expect(c.modules == "m:s:1:c")
        } else {
            Issue.record("modules")
        }
        #expect(throws: ComposeError.invalid("modules must be module builds as N:S:V:C, not \"m:s\".")) {
            try plan(#"{"source": {"modules": ["m:s"]}}"#, compose(.done))
        }
        // A copy never carries what its source type would not honour.
        var build = compose(.done)
        build.sourceType = .build
        #expect(throws: ComposeError.invalid("Field \"source.modules\" does not apply to build composes.")) {
            try plan(#"{"source": {"modules": ["m:s:1:c"]}}"#, build)
        }
        var pulp = compose(.done)
        pulp.sourceType = .pulp
        #expect(
            throws: ComposeError.invalid(
                "Field \"sigkeys\" does not apply to pulp composes: it is a .repo file naming Pulp's repositories, "
                    + "with their own arches and signatures.")
        ) { try plan(#"{"sigkeys": ["k9"]}"#, pulp, caller: user("root", ["kiln-admins"])) }
        if case .copy = try plan("", compose(.failed)) {} else { Issue.record("failed") }
    }

    @Test func renewChecksRestrictionsOfTheOldCompose() {
        var c = compose(.done)
        c.sourceType = .pulp
        #expect(throws: ComposeError.forbidden("User bob not allowed to operate with compose with source_types=pulp."))
        { try plan("", c) }
    }

    func delete(_ c: Compose, _ caller: Caller, cancel: Bool = true) throws(ComposeError) -> DeleteRequest.Plan {
        var conf = configuration
        conf.cancelWaitingComposes = cancel
        return try DeleteRequest.plan(for: c, caller: caller, configuration: conf)
    }

    @Test func ownerOrAdminCancelsWaitingCompose() throws {
        #expect(try delete(compose(.wait), user("alice")) == .cancel(reason: "Canceled by alice"))
        #expect(try delete(compose(.wait), user("root", ["kiln-admins"])) == .cancel(reason: "Canceled by root"))
        #expect(throws: ComposeError.forbidden("Compose (id=7) can not be canceled, it's owned by someone else.")) {
            try delete(compose(.wait), user("mallory"))
        }
        #expect(DeleteRequest.message(for: .cancel(reason: ""), id: 7) == "Compose (id=7) has been canceled")
    }

    @Test func onlyAdminsMarkExpired() throws {
        #expect(try delete(compose(.done), user("root", ["kiln-admins"])) == .markExpired(removedBy: "root"))
        #expect(try delete(compose(.failed), user("root", ["kiln-admins"])) == .markExpired(removedBy: "root"))
        #expect(throws: ComposeError.forbidden("User alice is not in role admins.")) {
            try delete(compose(.done), user("alice"))
        }
        #expect(throws: ComposeError.forbidden("User alice is not in role admins.")) {
            try delete(compose(.wait), user("alice"), cancel: false)
        }
        #expect(try delete(compose(.done), .noauth) == .markExpired(removedBy: "anonymous"))
    }

    @Test(arguments: [ComposeState.generating, .removed])
    func unfinishedOrRemovedComposeCannotBeRemoved(_ state: ComposeState) {
        #expect(
            throws: ComposeError.invalid(
                "Compose (id=7) can not be removed, its state need to be in ['done', 'failed'].")
        ) {
            try delete(compose(state), user("root", ["kiln-admins"]))
        }
    }
}

@Suite struct ReuseRuleTests {
    func compose(_ id: Int64, _ edit: (inout Compose) -> Void = { _ in }) -> Compose {
        var c = Compose(
            id: id, owner: "a", sourceType: .repo, source: "/srv/repo", timeToExpire: .init(secondsSinceEpoch: 0),
            timeSubmitted: .init(secondsSinceEpoch: 0))
        c.arches = "x86_64 aarch64"
        c.packages = "bash vim"
        c.sigkeys = ""
        c.kojiEvent = 7
        edit(&c)
        return c
    }

    @Test func identicalOlderComposeIsReusedWithSetEqualLists() {
        #expect(
            ReuseRule.matches(
                compose(5) {
                    $0.arches = "aarch64 x86_64"
                    $0.packages = "vim bash"
                }, compose(3)))
        #expect(ReuseRule.matches(compose(5) { $0.lookasideRepos = "" }, compose(3) { $0.lookasideRepos = nil }))
    }

    @Test func anyDifferenceOrNewerOrReusingCandidatePreventsReuse() {
        #expect(!ReuseRule.matches(compose(5), compose(6)))
        #expect(!ReuseRule.matches(compose(5), compose(3) { $0.reusedID = 1 }))
        #expect(!ReuseRule.matches(compose(5) { $0.packages = "bash" }, compose(3)))
        #expect(!ReuseRule.matches(compose(5) { $0.flags = [.noDeps] }, compose(3)))
        #expect(!ReuseRule.matches(compose(5) { $0.kojiEvent = 8 }, compose(3)))
        #expect(!ReuseRule.matches(compose(5) { $0.kojiEvent = 6 }, compose(3)))
        #expect(!ReuseRule.matches(compose(5) { $0.sourceType = .build }, compose(3)))
        #expect(!ReuseRule.allowsReuse(compose(5) { $0.flags = [.noReuse] }))
        #expect(ReuseRule.allowsReuse(compose(5)))
    }
}
