/// A validated POST `/cts/api/1/tags/` body.
public struct TagCreateRequest: Sendable, Equatable {
    public var name: String
    public var description: String
    public var documentation: String
    public var userData: String?

    public init(name: String, description: String, documentation: String, userData: String? = nil) {
        self.name = name
        self.description = description
        self.documentation = documentation
        self.userData = userData
    }

    /// `name`, `description` and `documentation` are required non-empty strings, checked in that order.
    public static func parse(body: [UInt8]) throws(ComposeError) -> TagCreateRequest {
        let data = try RequestBody.object(body, emptyMessage: "No JSON POST data submitted.")
        try RequestBody.refuseUnknown(data, allowed: ["name", "description", "documentation", "user_data"])
        func required(_ name: String) throws(ComposeError) -> String {
            guard let value = data[name]?.stringValue, !value.isEmpty else {
                throw .invalid("Tag \"\(name)\" is not defined.")
            }
            return value
        }
        let name = try required("name")
        let description = try required("description")
        let documentation = try required("documentation")
        let userData = try RequestBody.optionalString(data, "user_data")
        return TagCreateRequest(name: name, description: description, documentation: documentation, userData: userData)
    }
}
