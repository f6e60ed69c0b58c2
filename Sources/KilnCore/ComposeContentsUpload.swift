/// A validated POST or PUT `/cts/api/1/composes/<id>/rpms/` body: a productmd rpms.json.
public struct ComposeContentsUpload: Sendable, Equatable {
    public var contents: ComposeContents
    /// PUT replaces a recorded list; POST only adds one where none is recorded.
    public var replaces: Bool

    public init(contents: ComposeContents, replaces: Bool) {
        self.contents = contents
        self.replaces = replaces
    }

    public static func parse(body: [UInt8], replaces: Bool) throws(ComposeError) -> ComposeContentsUpload {
        guard !TrackingRequestBody.isBlank(body) else {
            throw .invalid("No JSON \(replaces ? "PUT" : "POST") data submitted.")
        }
        return ComposeContentsUpload(contents: try ComposeContents.parse(bytes: body), replaces: replaces)
    }
}
