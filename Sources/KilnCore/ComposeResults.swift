/// What a compose produces; `repository` is always set.
public struct ComposeResults: NamedBits {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let repository = ComposeResults(rawValue: 1)
    public static let iso = ComposeResults(rawValue: 2)
    public static let ostree = ComposeResults(rawValue: 4)
    public static let bootISO = ComposeResults(rawValue: 8)

    public static let named: [(name: String, bits: ComposeResults)] = [
        ("repository", .repository),
        ("iso", .iso),
        ("ostree", .ostree),
        ("boot.iso", .bootISO),
    ]
}
