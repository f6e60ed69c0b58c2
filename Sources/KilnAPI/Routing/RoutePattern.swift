internal import KilnCore
internal import KilnFastCGI

/// A path pattern such as `/api/1/composes/{id:int}` or `/cts/api/1/composes/{compose_id}/repo/`.
///
/// A `{name}` segment takes any non-empty percent-decoded text without control characters; `{name:int}` takes up to
/// 18 ASCII digits. A pattern that ends in `/` also matches without the slash; `optionalTrailingSlash` extends that
/// to patterns that do not end in one.
struct RoutePattern: Hashable, Sendable, CustomStringConvertible {
    enum Segment: Hashable, Sendable {
        case literal(String)
        case string(String)
        case int(String)
    }

    /// The segments after the leading `/`, without the trailing empty one.
    let segments: [Segment]
    let trailingSlash: Bool
    let optionalTrailingSlash: Bool

    init(_ text: String, optionalTrailingSlash: Bool = false) {
        precondition(text.hasPrefix("/"), "a route pattern starts with /: \(text)")
        var parts = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        trailingSlash = parts.count > 1 && parts.last == ""
        if trailingSlash { parts.removeLast() }
        self.optionalTrailingSlash = optionalTrailingSlash || trailingSlash
        segments = parts.map { part in
            guard part.hasPrefix("{"), part.hasSuffix("}") else { return .literal(part) }
            let inner = part.dropFirst().dropLast()
            if inner.hasSuffix(":int") { return .int(String(inner.dropLast(4))) }
            return .string(String(inner))
        }
    }

    /// The pattern as the OpenAPI document writes it: `/api/1/composes/{id}`.
    var description: String { render { "{\($0)}" } }

    /// The label request metrics count it under: `/api/1/composes/:id`.
    var metricsName: String { render { ":\($0)" } }

    /// The paths that reach this pattern as written in the OpenAPI document: the pattern, and without its trailing
    /// slash where that is optional.
    var documentedPaths: [String] {
        trailingSlash ? [description, String(description.dropLast())] : [description]
    }

    private func render(_ parameter: (String) -> String) -> String {
        let body = segments.map { segment -> String in
            switch segment {
            case .literal(let text): text
            case .string(let name), .int(let name): parameter(name)
            }
        }
        return "/" + body.joined(separator: "/") + (trailingSlash ? "/" : "")
    }

    /// The path parameters when `path` matches, nil otherwise. `parts` is the path split at `/` after its leading one.
    func match(_ parts: [Substring]) -> RouteParameters? {
        var parts = parts[...]
        if optionalTrailingSlash, parts.count > 1, parts.last == "" { parts = parts.dropLast() }
        guard parts.count == segments.count else { return nil }
        var parameters = RouteParameters()
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text):
                guard part.utf8.elementsEqual(text.utf8) else { return nil }
            case .int(let name):
                let digits = part.utf8
                guard !digits.isEmpty, digits.count <= 18,
                    digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = Int64(part)
                else { return nil }
                parameters.values[name] = .int(value)
            case .string(let name):
                let value = percentDecode(part, plusAsSpace: false)
                // No id or tag name holds a control character; a NUL would cut the lookup short.
                guard !value.isEmpty, !RequestInput.hasControlCharacter(value) else { return nil }
                parameters.values[name] = .string(value)
            }
        }
        return parameters
    }
}
