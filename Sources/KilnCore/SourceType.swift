/// Where a compose's content comes from, with ODCS's numeric values.
public enum SourceType: Int, Sendable, CaseIterable {
    case tag = 1
    case module = 2
    case repo = 3
    case pulp = 4
    case rawConfig = 5
    case build = 6
    case pungiCompose = 7

    public var name: String {
        switch self {
        case .tag: "tag"
        case .module: "module"
        case .repo: "repo"
        case .pulp: "pulp"
        case .rawConfig: "raw_config"
        case .build: "build"
        case .pungiCompose: "pungi_compose"
        }
    }

    public init?(name: String) {
        guard let type = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = type
    }

    public init?(numberOrName text: String) {
        if let n = Int(text), let type = SourceType(rawValue: n) {
            self = type
        } else if let type = SourceType(name: text) {
            self = type
        } else {
            return nil
        }
    }
}
