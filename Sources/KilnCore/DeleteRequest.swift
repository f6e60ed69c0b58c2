/// What DELETE `/api/1/composes/<id>` does, decided without I/O.
public enum DeleteRequest {
    public enum Plan: Sendable, Equatable {
        /// wait → failed "Canceled by <user>".
        case cancel(reason: String)
        /// time_to_expire = now, removed_by = user; the expire job removes it later.
        case markExpired(removedBy: String)
    }

    public static func plan(for compose: Compose, caller: Caller, configuration: ServiceConfiguration)
        throws(ComposeError) -> Plan
    {
        let permissions = Permissions(configuration: configuration)
        let isAdmin = permissions.isAdmin(caller)
        let username: String
        switch caller {
        case .user(let identity): username = identity.username
        case .noauth, .anonymous: username = "anonymous"
        }
        if configuration.cancelWaitingComposes && compose.state == .wait {
            if !isAdmin && compose.owner != username {
                throw .forbidden("Compose (id=\(compose.id)) can not be canceled, it's owned by someone else.")
            }
            return .cancel(reason: "Canceled by \(username)")
        }
        if !isAdmin { throw .forbidden("User \(username) is not in role admins.") }
        guard compose.state == .done || compose.state == .failed else {
            throw .invalid("Compose (id=\(compose.id)) can not be removed, its state need to be in ['done', 'failed'].")
        }
        return .markExpired(removedBy: username)
    }

    public static func message(for plan: Plan, id: Int64) -> String {
        switch plan {
        case .cancel: "Compose (id=\(id)) has been canceled"
        case .markExpired:
            "The delete request for compose (id=\(id)) has been accepted and will be processed by backend later."
        }
    }
}
