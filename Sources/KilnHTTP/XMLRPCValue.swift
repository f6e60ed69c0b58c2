/// One XML-RPC value, in the dialect Koji speaks: `<nil/>` and `<i8>` included. Integers of every width (`int`,
/// `i4`, `i8`, ...) decode to `.int`; an untyped `<value>text</value>` is a `.string`.
public enum XMLRPCValue: Sendable, Equatable {
    case `nil`
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case string(String)
    case base64([UInt8])
    /// `dateTime.iso8601` text as sent (e.g. `20240122T13:39:53`). Koji itself sends dates as plain strings.
    case dateTime(String)
    case array([XMLRPCValue])
    case structure([String: XMLRPCValue])

    public var isNil: Bool { self == .nil }

    /// The integer of `.int`; nil for anything else.
    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The flag of `.bool`; nil for anything else.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// `.double`, or `.int` widened (a JSON-ish number either way).
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    /// The text of `.string` (and `.dateTime`); nil for anything else.
    public var stringValue: String? {
        switch self {
        case .string(let value), .dateTime(let value): return value
        default: return nil
        }
    }

    public var bytesValue: [UInt8]? {
        if case .base64(let value) = self { return value }
        return nil
    }

    public var arrayValue: [XMLRPCValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var structValue: [String: XMLRPCValue]? {
        if case .structure(let value) = self { return value }
        return nil
    }

    /// A member of a `.structure`; nil when absent or when this is not a struct.
    public subscript(key: String) -> XMLRPCValue? {
        structValue?[key]
    }

    /// An element of an `.array`; nil when out of range or when this is not an array.
    public subscript(index: Int) -> XMLRPCValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

extension XMLRPCValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: XMLRPCValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, XMLRPCValue)...) {
        self = .structure(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
