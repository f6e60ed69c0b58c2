/// The body of a compose tracking write: a JSON object, read the way CTS reads it.
enum TrackingRequestBody {
    static func isBlank(_ body: [UInt8]) -> Bool {
        body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// The body as a JSON object; `emptyMessage` when it is empty, `{}`, `null` or another false value.
    static func object(_ body: [UInt8], emptyMessage: String) throws(ComposeError) -> JSONObject {
        let json: JSON
        do {
            json = try JSONParser.parse(body)
        } catch {
            if isBlank(body) { throw .invalid(emptyMessage) }
            throw .invalid(error.requestBodyMessage)
        }
        guard json.isTruthy else { throw .invalid(emptyMessage) }
        guard let data = json.objectValue else { throw .invalid("The request body must be a JSON object") }
        try RequestInput.requireNoControlCharacters(json)
        return data
    }

    /// A string field that may be absent or null.
    static func optionalString(_ data: JSONObject, _ key: String) throws(ComposeError) -> String? {
        switch data[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw .invalid("\"\(key)\" must be a string.")
        }
    }
}
