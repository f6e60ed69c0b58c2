/// A validated PATCH `/cts/api/1/tags/<id>` body: field edits, and optionally granting or revoking a tagger or
/// untagger.
public struct TagPatchRequest: Sendable, Equatable {
    /// Granting or revoking the right to put the tag on (tagger) or take it off (untagger).
    public struct Grant: Sendable, Equatable {
        public var kind: TrackingTag.Kind
        public var adds: Bool
        public var username: String?
        public var group: String?
        public var userData: String?

        /// The action's name on the wire: `add_tagger`, `remove_untagger`, ...
        public var action: String { (adds ? "add_" : "remove_") + kind.rawValue }
    }

    /// New values; nil leaves the field as it is.
    public var name: String?
    public var description: String?
    public var documentation: String?
    public var grant: Grant?

    public init(name: String? = nil, description: String? = nil, documentation: String? = nil, grant: Grant? = nil) {
        self.name = name
        self.description = description
        self.documentation = documentation
        self.grant = grant
    }

    static let actions = ["add_tagger", "remove_tagger", "add_untagger", "remove_untagger"]

    /// A field that is absent, null or false-like is left alone; any other non-string is refused.
    public static func parse(body: [UInt8]) throws(ComposeError) -> TagPatchRequest {
        let data = try RequestBody.object(body, emptyMessage: "No JSON POST data submitted.")
        try RequestBody.refuseUnknown(
            data, allowed: ["name", "description", "documentation", "action", "username", "group", "user_data"])
        func edit(_ key: String) throws(ComposeError) -> String? {
            guard let value = data[key], value.isTruthy else { return nil }
            guard let s = value.stringValue else { throw .invalid("Tag \"\(key)\" must be a string.") }
            return s
        }
        var request = TagPatchRequest(
            name: try edit("name"), description: try edit("description"), documentation: try edit("documentation"))
        guard let actionValue = data["action"], actionValue != .null else {
            for key in ["username", "group"] where data[key].map({ $0 != .null && $0 != "" }) == true {
                throw .invalid("Field \"\(key)\" is used only with an action (\(actions.joined(separator: ", "))).")
            }
            return request
        }
        guard let action = actionValue.stringValue, actions.contains(action) else { throw .invalid("Unknown action.") }
        let username = try RequestBody.optionalString(data, "username").flatMap { $0.isEmpty ? nil : $0 }
        let group = try RequestBody.optionalString(data, "group").flatMap { $0.isEmpty ? nil : $0 }
        guard username != nil || group != nil else {
            throw .invalid("Either \"username\" or \"group\" should be defined.")
        }
        let userData = try RequestBody.optionalString(data, "user_data")
        request.grant = Grant(
            kind: action.hasSuffix("_tagger") ? .tagger : .untagger, adds: action.hasPrefix("add_"), username: username,
            group: group, userData: userData)
        return request
    }
}
