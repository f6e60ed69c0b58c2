/// Which compose a directory or file in the compose volume belongs to, from its name alone.
public enum LeftoverName {
    /// ODCS's rule for `odcs-<id>`, `latest-odcs-<id>-...` and `odcs-<id>-1-20201010.n.0`: split on `-`, drop the
    /// parts before `odcs`, and the next part must be all digits. Nil for names such as `odcs-`, `odcs-abc`.
    public static func composeID(of name: String) -> Int64? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard let start = parts.firstIndex(of: "odcs"), start + 1 < parts.count else { return nil }
        let digits = parts[start + 1]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }

    /// A generator's work directory, `.tmp-odcs-<id>-<host>-<pid>[-<purpose>]`.
    public static func composeID(ofWorkDirectory name: String) -> Int64? {
        guard name.hasPrefix(".tmp-odcs-") else { return nil }
        return composeID(of: String(name.dropFirst(".tmp-".count)))
    }

    /// A `<type>/` link's target, `../odcs-<id>` (nothing else: a link elsewhere is not Kiln's).
    public static func composeID(ofLinkTarget target: String) -> Int64? {
        guard target.hasPrefix("../odcs-") else { return nil }
        let name = target.dropFirst(3)
        guard name.dropFirst(5).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return composeID(of: String(name))
    }
}
