/// A compose in the tracking service (CTS's `Compose`): its productmd metadata, who imported it, where it lives, its
/// tags and its relations to other composes.
public struct TrackedCompose: Sendable, Equatable {
    /// The surrogate key other tracking tables reference.
    public var key: Int64
    /// The stored productmd id (always `create_compose_id()`); `info.id` equals it.
    public var composeID: String
    public var info: ComposeInfo
    public var builder: String
    public var composeURL: String?
    public var tags: [String]
    public var parents: [String]
    public var children: [String]
    public var respinOf: String?
    public var respunBy: [String]

    public init(
        key: Int64, composeID: String, info: ComposeInfo, builder: String, composeURL: String? = nil,
        tags: [String] = [],
        parents: [String] = [], children: [String] = [], respinOf: String? = nil, respunBy: [String] = []
    ) {
        self.key = key
        self.composeID = composeID
        self.info = info
        self.builder = builder
        self.composeURL = composeURL
        self.tags = tags
        self.parents = parents
        self.children = children
        self.respinOf = respinOf
        self.respunBy = respunBy
    }

    /// CTS's ComposeJSON. `compose_info` is rebuilt from the stored fields, variants `{}`, and reports the stored
    /// `final` (CTS always says false there).
    public var json: JSON {
        var info = self.info
        info.id = composeID
        func strings(_ a: [String]) -> JSON { .array(a.map { .string($0) }) }
        return [
            "compose_info": info.json(includeVariants: false),
            "builder": .string(builder),
            "tags": strings(tags),
            "parents": strings(parents),
            "children": strings(children),
            "respin_of": .optional(respinOf),
            "respun_by": strings(respunBy),
            "compose_url": .optional(composeURL),
        ]
    }

    /// The `.repo` text for one variant (`GET .../repo/?variant=V`); nil when the compose has no (valid) URL.
    public func repoFile(variant: String) -> String? {
        // A URL stored before URLs were checked must not add lines to the file either.
        guard let composeURL, RequestInput.isHTTPURL(composeURL) else { return nil }
        let base = composeURL.hasSuffix("/") ? String(composeURL.dropLast()) : composeURL
        return
            "[\(composeID)-\(variant)]\nname=Compose \(composeID) (RPMs) - \(variant)\n"
            + "baseurl=\(base)/compose/\(variant)/$basearch/os/\nenabled=1\ngpgcheck=0\n"
    }
}

/// A tag composes can carry, and who may put it on and take it off.
public struct TrackingTag: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var description: String
    public var documentation: String
    public var taggers: [String]
    public var untaggers: [String]
    public var taggerGroups: [String]
    public var untaggerGroups: [String]

    public init(
        id: Int64, name: String, description: String, documentation: String, taggers: [String] = [],
        untaggers: [String] = [],
        taggerGroups: [String] = [], untaggerGroups: [String] = []
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.documentation = documentation
        self.taggers = taggers
        self.untaggers = untaggers
        self.taggerGroups = taggerGroups
        self.untaggerGroups = untaggerGroups
    }

    public var json: JSON {
        func strings(_ a: [String]) -> JSON { .array(a.map { .string($0) }) }
        return [
            "id": .int(id), "name": .string(name), "description": .string(description),
            "documentation": .string(documentation),
            "taggers": strings(taggers), "untaggers": strings(untaggers), "tagger_groups": strings(taggerGroups),
            "untagger_groups": strings(untaggerGroups),
        ]
    }

    /// Tagging (`.tagger`) or untagging (`.untagger`).
    public enum Kind: String, Sendable, CaseIterable { case tagger, untagger }

    public func users(_ kind: Kind) -> [String] { kind == .tagger ? taggers : untaggers }
    public func groups(_ kind: Kind) -> [String] { kind == .tagger ? taggerGroups : untaggerGroups }
}

/// One entry of a compose's or a tag's change history.
public struct TrackingChange: Sendable, Equatable {
    public var time: Timestamp
    public var action: String
    public var user: String
    public var message: String?
    public var userData: String?

    public init(time: Timestamp, action: String, user: String, message: String? = nil, userData: String? = nil) {
        self.time = time
        self.action = action
        self.user = user
        self.message = message
        self.userData = userData
    }

    public var json: JSON {
        [
            "time": .string(time.iso8601), "action": .string(action), "user": .string(user),
            "message": .optional(message),
            "user_data": .optional(userData),
        ]
    }
}
