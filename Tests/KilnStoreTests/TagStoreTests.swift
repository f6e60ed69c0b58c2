import KilnCore
import KilnStore
import KilnTesting
import Testing

/// Tags on a real PostgreSQL: creating, renaming, and who may put a tag on or take it off.
@Suite struct TagStoreTests {
    let scratch: ConnectedTestDatabase
    var database: TestDatabase { scratch.database }
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    var tags: TagStore { TagStore(connection) }

    @Test func permissionsListUsersAndGroupsPerKindInGrantOrder() throws {
        let tag = try tags.create(
            name: "qa-ok", description: "QA passed", documentation: "", user: "admin", userData: nil)
        #expect(tag.taggers.isEmpty && tag.untaggerGroups.isEmpty)
        try tags.grant(.tagger, on: tag.id, username: "bob", group: "qa", actor: "admin", userData: nil)
        try tags.grant(.tagger, on: tag.id, username: "alice", group: nil, actor: "admin", userData: nil)
        try tags.grant(.untagger, on: tag.id, username: nil, group: "releng", actor: "admin", userData: "why")
        let granted = try #require(try tags.tag(id: tag.id))
        #expect(granted.taggers == ["bob", "alice"])
        #expect(granted.taggerGroups == ["qa"])
        #expect(granted.untaggers.isEmpty)
        #expect(granted.untaggerGroups == ["releng"])
        try tags.revoke(.tagger, on: tag.id, username: "bob", group: "qa", actor: "admin", userData: nil)
        let revoked = try #require(try tags.tag(named: "qa-ok"))
        #expect(revoked.taggers == ["alice"] && revoked.taggerGroups.isEmpty)
        #expect(
            try tags.changes(tagID: tag.id).map(\.action)
                == [
                    "created", "add_tagger", "add_tagger", "add_tagger", "add_untagger", "remove_tagger",
                    "remove_tagger",
                ])
        #expect(try tags.all().contains(revoked))
    }

    @Test func takenNamesAreRefusedAndListsFilterByName() throws {
        _ = try tags.create(name: "one", description: "1", documentation: "", user: "admin", userData: nil)
        let two = try tags.create(name: "two", description: "2", documentation: "", user: "admin", userData: nil)
        #expect(throws: ComposeError.self) {
            try tags.create(name: "one", description: "", documentation: "", user: "admin", userData: nil)
        }
        #expect(throws: ComposeError.self) {
            try tags.update(id: two.id, name: "one", description: nil, documentation: nil)
        }
        try tags.update(id: two.id, name: nil, description: "second", documentation: nil)
        #expect(try tags.tag(id: two.id)?.description == "second")
        var query = try TrackingTagQuery.parse([("name", "two")])
        #expect(try tags.list(query).items.map(\.id) == [two.id])
        query = try TrackingTagQuery.parse([("name", "three")])
        #expect(try tags.list(query).total == 0)
    }
}
