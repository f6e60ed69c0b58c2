/// A compose's links in `<target_dir>/<compose_type>/` (ODCS): `<pungi id>`, `latest-<first two dash fields of
/// the pungi id>` and, with a label, that name plus `-<label>`, each pointing at `../odcs-<id>`. Built only from
/// checked parts, whatever the database row holds (rows may predate the API's checks): the compose type must be
/// a productmd type, the label productmd's `<Milestone>-X.Y`, the pungi id letters, digits, `.`, `_` and `-`.
public struct ComposeLinks: Sendable, Equatable {
    /// The `<compose_type>` directory, relative to the target directory.
    public var directory: String
    /// The link names in `directory`.
    public var names: [String]
    /// What each link holds: `../odcs-<id>`.
    public var target: String

    public init(composeID: Int64, composeType: String?, pungiComposeID: String, label: String?) throws(ComposeError) {
        try Self.check(composeType: composeType, label: label)
        guard Self.isIDText(pungiComposeID), pungiComposeID.first != "." else {
            throw .invalid("The compose id \"\(LogText.escaped(pungiComposeID))\" is not a plain name")
        }
        let latest = "latest-" + Self.series(of: pungiComposeID)
        var names = [pungiComposeID, latest]
        if let label, !label.isEmpty { names.append(latest + "-" + label) }
        directory = composeType ?? "test"
        self.names = names
        target = "../odcs-\(composeID)"
    }

    /// Refuses a compose type that is not a productmd type and a label not in productmd's `<Milestone>-X.Y`.
    public static func check(composeType: String?, label: String?) throws(ComposeError) {
        let type = composeType ?? "test"
        guard ComposeID.ComposeType(rawValue: type) != nil else {
            throw .invalid("The compose type \"\(LogText.escaped(type))\" is not one of \(typeList)")
        }
        if let label, !label.isEmpty, !ComposeID.isValidLabel(label) {
            throw .invalid("The label \"\(LogText.escaped(label))\" is not in productmd's format (such as RC-1.0)")
        }
    }

    /// `<A>-<B>` of a pungi id `<A>-<B>-...`.
    public static func series(of pungiID: String) -> String {
        pungiID.split(separator: "-", omittingEmptySubsequences: false).prefix(2).joined(separator: "-")
    }

    static let typeList = ComposeID.ComposeType.allCases.map(\.rawValue).joined(separator: ", ")

    static func isIDText(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 200
            && text.unicodeScalars.allSatisfy { c in
                c.isASCII
                    && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
                        || c == "." || c == "_" || c == "-")
            } && text != "." && text != ".."
    }
}
