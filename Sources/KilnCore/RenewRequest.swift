/// A validated PATCH `/api/1/composes/<id>` body (renew, extend, copy).
public struct RenewRequest: Sendable, Equatable {
    public var body: JSONObject
    public var label: String?
    /// Present only when the body had `sigkeys`.
    public var sigkeys: String?
    public var modules: [String]?
    public var builds: [String]?

    /// An empty body means `{}`; anything else must be a JSON object.
    public static func parse(body: [UInt8]) throws(ComposeError) -> RenewRequest {
        var object = JSONObject()
        if body.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) {
            let json: JSON
            do {
                json = try JSONParser.parse(body)
            } catch {
                throw .invalid(error.requestBodyMessage)
            }
            try RequestInput.requireNoControlCharacters(json)
            switch json {
            case .object(let o): object = o
            case .null: break
            default:
                if json.isTruthy { throw .invalid("The request body must be a JSON object") }
            }
        }
        return try parse(object)
    }

    public static func parse(_ object: JSONObject) throws(ComposeError) -> RenewRequest {
        try InputValidation.validate(object)
        try ComposeRequestSupport.checkRenewalKeys(object)
        var request = RenewRequest(body: object)
        request.label = try ComposeRequest.label(object["label"]?.stringValue)
        if object["sigkeys"] != nil { request.sigkeys = try ComposeRequest.joinedList(object, "sigkeys") }
        if let source = object["source"]?.objectValue {
            request.modules = try ComposeRequest.stringList(source, "modules")
            request.builds = try ComposeRequest.stringList(source, "builds")
        }
        return request
    }

    /// What a PATCH does to `old`.
    public enum Plan: Sendable, Equatable {
        /// Extend the expiry of `old` (and the composes sharing its files) to at least now + seconds.
        case extend(secondsToLive: Int64)
        /// Create a new compose from this template (id and times assigned when stored).
        case copy(Compose, secondsToLive: Int64)
    }

    /// Decides between extending and copying, and checks the caller's restrictions on the old compose.
    public func plan(for old: Compose, caller: Caller, configuration: ServiceConfiguration) throws(ComposeError) -> Plan
    {
        guard [.done, .failed, .removed].contains(old.state) else {
            throw .notFound("No compose with id \(old.id) found")
        }
        let composeType = old.composeType ?? "test"
        let newSigkeys = sigkeys ?? old.sigkeys
        let newLabel = (label?.isEmpty == false ? label : nil) ?? old.label
        let rawConfigKey = old.sourceType == .rawConfig ? old.source.split(separator: "#").first.map(String.init) : nil

        var checked = old
        checked.composeType = composeType
        let permissions = Permissions(configuration: configuration)
        try permissions.requireInputAllowed(permissions.inputs(for: checked, includeTargetDirs: false), for: caller)

        let secondsToLive = try SecondsToLive.resolve(
            body: body, rawConfigKey: rawConfigKey, configuration: configuration)
        let needsCopy =
            old.state == .removed || old.state == .failed || newLabel != old.label || newSigkeys != old.sigkeys
            || modules != nil || builds != nil
        guard needsCopy else { return .extend(secondsToLive: secondsToLive) }
        try ComposeRequestSupport.checkRenewal(body, type: old.sourceType)

        var copy = old
        copy.id = 0
        copy.owner = caller.ownerName
        copy.state = .wait
        copy.stateReason = nil
        copy.timeStarted = nil
        copy.timeDone = nil
        copy.timeRemoved = nil
        copy.removedBy = nil
        copy.reusedID = nil
        copy.kojiTaskID = nil
        copy.pungiComposeID = nil
        copy.composeType = composeType
        copy.sigkeys = newSigkeys
        copy.label = newLabel
        if let modules, !modules.isEmpty { copy.modules = modules.joined(separator: " ") }
        if let builds, !builds.isEmpty { copy.builds = builds.joined(separator: " ") }
        copy.respinOf = old.pungiComposeID
        return .copy(copy, secondsToLive: secondsToLive)
    }
}
