/// The values a matched path gave its pattern's parameters, read by name and type.
struct RouteParameters: Equatable, Sendable {
    enum Value: Equatable, Sendable {
        case int(Int64)
        case string(String)
    }

    var values: [String: Value] = [:]

    /// The `{name:int}` parameter.
    func int(_ name: String) throws -> Int64 {
        guard case .int(let value)? = values[name] else { throw missing(name) }
        return value
    }

    /// The `{name}` parameter, percent-decoded.
    func string(_ name: String) throws -> String {
        guard case .string(let value)? = values[name] else { throw missing(name) }
        return value
    }

    private func missing(_ name: String) -> APIError {
        APIError(status: 500, message: "The route has no parameter \"\(name)\".")
    }
}
