/// A bitmask whose bits have ODCS names (flags, results, multilib methods).
public protocol NamedBits: OptionSet, Sendable where RawValue == Int, Element == Self {
    /// Every named bit in bit order.
    static var named: [(name: String, bits: Self)] { get }
}

extension NamedBits {
    /// The names of the bits set, in bit order.
    public var names: [String] { Self.named.filter { !$0.bits.isEmpty && isSuperset(of: $0.bits) }.map(\.name) }

    public init?(name: String) {
        guard let entry = Self.named.first(where: { $0.name == name }) else { return nil }
        self = entry.bits
    }

    public static var allNames: [String] { named.map(\.name) }
}
