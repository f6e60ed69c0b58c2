internal import KilnCore
internal import KilnFastCGI

/// A page's query arguments: only the names the page reads, each at most once; anything else is refused with 400,
/// as the APIs refuse arguments they do not read.
struct PageQuery {
    private var values: [String: String] = [:]

    init(_ request: HTTPRequest, allowed: Set<String>) throws {
        for (name, value) in request.queryArguments {
            guard allowed.contains(name) else {
                throw APIError(status: 400, message: "Unknown query argument \"\(percentEncode(name))\".")
            }
            guard values[name] == nil else {
                throw APIError(status: 400, message: "Query argument \"\(name)\" is given more than once.")
            }
            values[name] = value
        }
    }

    subscript(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }
}
