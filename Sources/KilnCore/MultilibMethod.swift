/// Pungi multilib methods as an ODCS bitmask (`none` is 0).
public struct MultilibMethod: NamedBits {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let runtime = MultilibMethod(rawValue: 1)
    public static let devel = MultilibMethod(rawValue: 2)
    public static let all = MultilibMethod(rawValue: 4)

    public static let named: [(name: String, bits: MultilibMethod)] = [
        ("none", []),
        ("runtime", .runtime),
        ("devel", .devel),
        ("all", .all),
    ]
}
