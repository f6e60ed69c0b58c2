/// A validated PATCH `/cts/api/1/composes/<id>` body: tag or untag the compose, or record its URL.
public struct TrackedComposePatch: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case tag(String)
        case untag(String)
        /// The new `compose_url`, or why the body's is refused: CTS checks the caller may set URLs before it
        /// looks at the URL, so the refusal is the caller's to raise after that check.
        case setURL(Result<String, ComposeError>)

        /// The action's name on the wire.
        public var name: String {
            switch self {
            case .tag: "tag"
            case .untag: "untag"
            case .setURL: "set_url"
            }
        }
    }

    public var action: Action
    public var userData: String?

    public init(action: Action, userData: String? = nil) {
        self.action = action
        self.userData = userData
    }

    /// Validates in CTS's order: a non-empty JSON object, `action`, `user_data`, then the action's own fields.
    public static func parse(body: [UInt8]) throws(ComposeError) -> TrackedComposePatch {
        let data = try RequestBody.object(body, emptyMessage: "No JSON PATCH data submitted.")
        guard let action = data["action"], action != .null else {
            throw .invalid("No \"action\" field in JSON PATCH data.")
        }
        try RequestBody.refuseUnknown(data, allowed: ["action", "tag", "compose_url", "user_data"])
        let userData = try RequestBody.optionalString(data, "user_data")
        let unused = action.stringValue == "set_url" ? "tag" : "compose_url"
        if let name = action.stringValue, ["tag", "untag", "set_url"].contains(name), let value = data[unused],
            value != .null
        {
            throw .invalid("Field \"\(unused)\" is not used by action \"\(name)\".")
        }
        switch action.stringValue {
        case "tag"?, "untag"?:
            guard let name = data["tag"]?.stringValue, !name.isEmpty else {
                throw .invalid("No \"tag\" field in JSON PATCH data.")
            }
            let change: Action = action.stringValue == "tag" ? .tag(name) : .untag(name)
            return TrackedComposePatch(action: change, userData: userData)
        case "set_url"?:
            return TrackedComposePatch(action: .setURL(composeURL(data["compose_url"])), userData: userData)
        default:
            throw .invalid("Unknown action.")
        }
    }

    static func composeURL(_ value: JSON?) -> Result<String, ComposeError> {
        guard let value, value != .null else {
            return .failure(.invalid("No \"compose_url\" field in JSON PATCH data."))
        }
        guard let url = value.stringValue, RequestInput.isHTTPURL(url) else {
            return .failure(.invalid("\"compose_url\" field must be a valid http(s) URL"))
        }
        return .success(url)
    }
}
