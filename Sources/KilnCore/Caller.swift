/// The party behind a request: nobody, anybody (noauth), or a known identity.
public enum Caller: Sendable, Equatable {
    case anonymous
    /// `auth_backend = "noauth"`: every check passes, the owner is "unknown".
    case noauth
    case user(Identity)

    public static func from(variables: [String: String], configuration: ServiceConfiguration) -> Caller {
        if configuration.authBackend == "noauth" { return .noauth }
        return Identity.from(variables: variables, configuration: configuration).map(Caller.user) ?? .anonymous
    }

    /// The owner recorded on composes this caller creates.
    public var ownerName: String {
        switch self {
        case .user(let identity): identity.username
        case .noauth, .anonymous: "unknown"
        }
    }

    /// ODCS's 401 text when no user could be loaded.
    public static let unauthorizedMessage =
        "The server could not verify that you are authorized to access the URL requested. You either supplied the "
        + "wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials "
        + "required."
}
