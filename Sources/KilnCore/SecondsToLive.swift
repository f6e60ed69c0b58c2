/// ODCS's `_get_seconds_to_live`: defaults, the legacy `seconds-to-live` key, and clamping to the maximum. A
/// lifetime below one second is refused.
public enum SecondsToLive {
    public static func resolve(body: JSONObject, rawConfigKey: String?, configuration: ServiceConfiguration)
        throws(ComposeError) -> Int64
    {
        let rawConfig = rawConfigKey.flatMap { configuration.rawConfigURLs[$0] }
        let defaultValue = rawConfig?.secondsToLive ?? configuration.secondsToLive
        let maximum = rawConfig?.maxSecondsToLive ?? configuration.maxSecondsToLive
        var value = body["seconds_to_live"]
        if value == nil || value == .null { value = body["seconds-to-live"] }
        guard let value, value.isTruthy else { return defaultValue }
        guard let seconds = pythonInt(value) else {
            throw .invalid("Invalid seconds_to_live specified in request: \(JSON.object(body).serialized())")
        }
        // A lifetime that ends before the compose starts is a mistake, not a request.
        guard seconds > 0 else {
            throw .invalid("seconds_to_live must be a positive number of seconds, not \(seconds).")
        }
        return min(seconds, maximum)
    }

    /// Python's `int(v)` for the JSON types a client can send.
    static func pythonInt(_ value: JSON) -> Int64? {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d): return d.isFinite && abs(d) < 9.2e18 ? Int64(d) : nil
        case .string(let s):
            var text = s.trimmingWhitespace()
            var negative = false
            if text.first == "+" || text.first == "-" {
                negative = text.first == "-"
                text.removeFirst()
            }
            guard !text.isEmpty, !text.hasPrefix("_"), !text.hasSuffix("_"), !text.contains("__") else { return nil }
            let digits = text.filter { $0 != "_" }
            guard digits.allSatisfy(\.isASCIIDigit), let magnitude = Int64(digits) else { return nil }
            return negative ? -magnitude : magnitude
        default:
            return nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
