/// A request body that must be a JSON object, read the way ODCS and CTS read theirs.
enum RequestBody {
    static func isBlank(_ body: [UInt8]) -> Bool {
        body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// The body as a JSON object, its strings free of control characters. `emptyMessage` when it is `{}`, `null` or
    /// another false value, and when it is blank if `blankIsEmpty` (otherwise a blank body is invalid JSON).
    static func object(
        _ body: [UInt8], emptyMessage: String, blankIsEmpty: Bool = true
    ) throws(ComposeError) -> JSONObject {
        let json: JSON
        do {
            json = try JSONParser.parse(body)
        } catch {
            if blankIsEmpty && isBlank(body) { throw .invalid(emptyMessage) }
            throw .invalid(error.requestBodyMessage)
        }
        guard json.isTruthy else { throw .invalid(emptyMessage) }
        guard let data = json.objectValue else { throw .invalid("The request body must be a JSON object") }
        try RequestInput.requireNoControlCharacters(json)
        return data
    }

    /// Refuses a key outside `allowed` (a field is honoured or refused, never accepted and ignored).
    static func refuseUnknown(_ data: JSONObject, allowed: Set<String>) throws(ComposeError) {
        for key in data.keys.sorted() where !allowed.contains(key) {
            throw .invalid("Unknown field \"\(key)\" in the request.")
        }
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
