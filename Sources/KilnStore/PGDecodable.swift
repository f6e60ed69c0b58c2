public import KilnCore

/// A Swift type a column value can be read as, from PostgreSQL's text format.
public protocol PGDecodable {
    /// The value `text` stands for; nil when it is not a value of this type.
    static func decode(pgText text: String) -> Self?
}

/// An enum or option set stored as its raw value: decoding reads the raw value, then `init(rawValue:)`.
public protocol PGRawDecodable: PGDecodable, RawRepresentable where RawValue: PGDecodable {}

extension PGRawDecodable {
    public static func decode(pgText text: String) -> Self? {
        RawValue.decode(pgText: text).flatMap(Self.init(rawValue:))
    }
}

extension String: PGDecodable {
    public static func decode(pgText text: String) -> String? { text }
}

extension Int64: PGDecodable {
    public static func decode(pgText text: String) -> Int64? { Int64(text) }
}

extension Int: PGDecodable {
    public static func decode(pgText text: String) -> Int? { Int(text) }
}

extension Int32: PGDecodable {
    public static func decode(pgText text: String) -> Int32? { Int32(text) }
}

extension Double: PGDecodable {
    public static func decode(pgText text: String) -> Double? { Double(text) }
}

extension Bool: PGDecodable {
    /// `t` / `f`, as PostgreSQL writes booleans.
    public static func decode(pgText text: String) -> Bool? {
        switch text {
        case "t": true
        case "f": false
        default: nil
        }
    }
}

extension ComposeState: PGRawDecodable {}
extension SourceType: PGRawDecodable {}
extension ComposeFlags: PGRawDecodable {}
extension ComposeResults: PGRawDecodable {}
extension MultilibMethod: PGRawDecodable {}
extension ComposeID.ComposeType: PGRawDecodable {}
extension TrackingTag.Kind: PGRawDecodable {}
