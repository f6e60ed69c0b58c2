public import KilnCore

/// A compose could not be generated, for a reason said in the one sentence the user reads in `state_reason`
/// (`Unknown Koji tag "f40"`, `repomd.xml has no primary metadata`). The error every step of generating throws
/// when it has no error of its own with more to say.
public struct GenerationError: Error, Sendable, Equatable, CustomStringConvertible, UserFacingError {
    public var description: String
    public init(_ description: String) { self.description = description }
    public var userMessage: String { description }
}
