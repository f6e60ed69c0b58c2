/// What `RepoSolver.resolve` decided a compose contains.
public struct Resolution: Sendable, Hashable {
    /// Binary packages only (never SRPMs; derive those from `RepoPackage.sourceRPM`), only from non-lookaside
    /// repositories, sorted by `nevra`.
    public var selected: [RepoPackage]
    /// Dependency problems that were tolerated (`checkDeps: false`), as libsolv words them. Empty when none.
    public var problems: [String]

    public init(selected: [RepoPackage], problems: [String]) {
        self.selected = selected
        self.problems = problems
    }
}
