public import KilnCore

/// Every failure of `RepoSolver`. `description` names the code and the message; the message holds package names and
/// libsolv's problem text, never file contents.
public struct SolverError: Error, Sendable, CustomStringConvertible, UserFacingError {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Value: Sendable, Hashable { case repositoryUnreadable, missingPackages, brokenDependencies }
        let value: Value
        /// A repository's `repomd.xml` or one of its metadata files is missing or could not be parsed.
        public static let repositoryUnreadable = Code(value: .repositoryUnreadable)
        /// Requested package names match no package of a compatible arch.
        public static let missingPackages = Code(value: .missingPackages)
        /// The requested packages need something no repository provides (or conflict).
        public static let brokenDependencies = Code(value: .brokenDependencies)
        public var description: String { "\(value)" }
    }

    public var code: Code
    /// e.g. `Missing packages: a, b` or `Broken dependencies: nothing provides x needed by y-1-1.noarch`.
    public var message: String
    /// The names behind `.missingPackages` (sorted), or libsolv's problem strings behind `.brokenDependencies`.
    public var details: [String]

    init(_ code: Code, _ message: String, details: [String] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "SolverError(\(code)): \(message)" }
    public var userMessage: String { message }
}
