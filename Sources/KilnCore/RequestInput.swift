/// Checks every API applies to client input before it is used: paging numbers, control characters in strings,
/// and URLs. Each refusal is a `ComposeError.invalid` naming the field.
public enum RequestInput {
    /// The largest `page` a list accepts: `(page - 1) * per_page` stays far inside 64 bits and PostgreSQL's OFFSET.
    public static let maximumPage = 2_147_483_647
    /// The largest `per_page` a list returns; larger values are lowered to it.
    public static let maximumPerPage = 1000

    /// `page` and `per_page` of every list. A value that is not an integer falls back to its default (ODCS),
    /// `page` below 1 is 1, a negative `per_page` is 20 and one above the maximum is the maximum. A `page` above
    /// `maximumPage` is refused.
    /// Refuses a query argument the endpoint does not read: each is honoured or refused, never ignored.
    public static func refuseUnknownArguments(_ arguments: [(name: String, value: String)], known: Set<String>)
        throws(ComposeError)
    {
        for (name, _) in arguments where !known.contains(name) {
            throw .invalid(
                "Unknown query argument \"\(name)\" (this endpoint takes "
                    + (known.count <= 12 ? known.sorted().joined(separator: ", ") : "those in the OpenAPI document")
                    + ").")
        }
    }

    public static func paging(page: String?, perPage: String?) throws(ComposeError) -> (page: Int, perPage: Int) {
        var p = 1
        if let page {
            let digits = page.hasPrefix("-") || page.hasPrefix("+") ? page.dropFirst() : Substring(page)
            let isInteger = !digits.isEmpty && digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            if isInteger {
                guard !page.hasPrefix("-") else { return (1, try paging(perPage: perPage)) }
                guard let n = Int(digits), n <= maximumPage else {
                    throw .invalid("Invalid value for \"page\": \(page). It must be at most \(maximumPage).")
                }
                p = max(n, 1)
            }
        }
        return (p, try paging(perPage: perPage))
    }

    private static func paging(perPage: String?) throws(ComposeError) -> Int {
        guard let perPage else { return 10 }
        let digits = perPage.hasPrefix("-") || perPage.hasPrefix("+") ? perPage.dropFirst() : Substring(perPage)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return 10 }
        if perPage.hasPrefix("-") { return Int(digits) == 0 ? 0 : 20 }
        guard let n = Int(digits) else { return maximumPerPage }
        return min(n, maximumPerPage)
    }

    /// True when `s` holds a control character (Unicode category Cc: C0, DEL, C1).
    public static func hasControlCharacter(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Refuses a JSON body holding a control character in any string or key, naming the first such field
    /// (`source.packages[0]`). PostgreSQL and C strings would store such a value altered, if at all.
    public static func requireNoControlCharacters(_ value: JSON) throws(ComposeError) {
        if let field = controlCharacterField(value, path: "") {
            throw .invalid("Field \"\(field)\" contains a control character, which is not allowed.")
        }
    }

    static func controlCharacterField(_ value: JSON, path: String) -> String? {
        switch value {
        case .string(let s): return hasControlCharacter(s) ? (path.isEmpty ? "(body)" : path) : nil
        case .array(let items):
            for (i, item) in items.enumerated() {
                if let field = controlCharacterField(item, path: "\(path)[\(i)]") { return field }
            }
            return nil
        case .object(let o):
            for (key, item) in o.pairs {
                let name = path.isEmpty ? LogText.escaped(key) : "\(path).\(LogText.escaped(key))"
                if hasControlCharacter(key) { return name }
                if let field = controlCharacterField(item, path: name) { return field }
            }
            return nil
        default: return nil
        }
    }

    /// An absolute `http` or `https` URL with a host (a DNS name, an IPv4 address or a bracketed IPv6 address),
    /// an optional port 1-65535, no user information and no whitespace or control characters anywhere: what
    /// `RemoteURL` accepts, plus a query and a fragment.
    public static func isHTTPURL(_ text: String) -> Bool {
        guard !hasControlCharacter(text), !text.unicodeScalars.contains(where: \.properties.isWhitespace) else {
            return false
        }
        let end = text.firstIndex { $0 == "?" || $0 == "#" } ?? text.endIndex
        return (try? RemoteURL(parsing: String(text[..<end]))) != nil
    }
}
