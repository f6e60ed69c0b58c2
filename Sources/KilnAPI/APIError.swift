public import KilnCore
public import KilnFastCGI

/// An error with an HTTP status, rendered as `{"status", "error", "message"}` in one place.
public struct APIError: Error, Sendable, Equatable {
    public var status: Int
    public var message: String
    public var headers: [(name: String, value: String)] = []

    public init(status: Int, message: String, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public init(_ error: ComposeError) {
        switch error.code {
        case .invalid: status = 400
        case .unauthorized: status = 401
        case .forbidden: status = 403
        case .notFound: status = 404
        default: status = 409
        }
        message = error.message
    }

    public static func == (a: APIError, b: APIError) -> Bool { a.status == b.status && a.message == b.message }

    public var response: HTTPResponse {
        var o = JSONObject()
        o["status"] = .int(Int64(status))
        o["error"] = .string(HTTPResponse.reasonPhrase(status))
        o["message"] = .string(message)
        return HTTPResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers,
            body: JSON.object(o).serializedBytes())
    }
}
