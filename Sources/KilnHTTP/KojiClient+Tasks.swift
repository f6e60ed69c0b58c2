public import KilnCore

/// A Koji task (`getTaskInfo`), as much of it as scratch-build composes need.
public struct KojiTask: Sendable, Equatable {
    /// Koji's task states.
    public enum State: Int64, Sendable {
        case free = 0, open, closed, canceled, assigned, failed
    }

    public var id: Int64
    /// The raw state number (a value Koji adds later is kept rather than refused).
    public var state: Int64
    public var method: String
    public var arch: String
    public var parent: Int64?

    public init(id: Int64, state: Int64, method: String, arch: String, parent: Int64?) {
        self.id = id
        self.state = state
        self.method = method
        self.arch = arch
        self.parent = parent
    }

    public var stateName: String {
        switch State(rawValue: state) {
        case .free?: "FREE"
        case .open?: "OPEN"
        case .closed?: "CLOSED"
        case .canceled?: "CANCELED"
        case .assigned?: "ASSIGNED"
        case .failed?: "FAILED"
        case nil: "\(state)"
        }
    }
}

/// What a `buildArch` task left (`getTaskResult`): its RPMs and source RPMs, as paths relative to Koji's `work`
/// directory.
public struct KojiTaskResult: Sendable, Equatable {
    public var rpms: [String]
    public var srpms: [String]
}

extension KojiClient {
    /// nil when there is no such task (Koji's default `strict=False`).
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getTaskInfo(_ id: Int64) throws -> KojiTask? {
        let value = try call("getTaskInfo", [.int(id)])
        if value.isNil { return nil }
        return try Self.task(Row(value, "getTaskInfo"))
    }

    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getTaskChildren(_ id: Int64) throws -> [KojiTask] {
        let value = try call("getTaskChildren", [.int(id)])
        guard let array = value.arrayValue else {
            throw XMLRPCError(.unexpectedValue, "getTaskChildren: expected an array")
        }
        var tasks: [KojiTask] = []
        for element in array { tasks.append(try Self.task(Row(element, "getTaskChildren"))) }
        return tasks
    }

    /// A `buildArch` task's result. Every path must stay inside the `work` directory: one that is absolute or
    /// climbs out is refused, as is a result that is not the struct Koji answers.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getTaskResult(_ id: Int64) throws -> KojiTaskResult {
        let row = try Row(call("getTaskResult", [.int(id)]), "getTaskResult")
        func paths(_ key: String) throws(XMLRPCError) -> [String] {
            guard let value = row.fields[key], !value.isNil else { return [] }
            guard let array = value.arrayValue else { throw row.missing(key, "an array") }
            var out: [String] = []
            for element in array {
                guard let path = element.stringValue, path.hasSuffix(".rpm"),
                    (try? RemoteURL.checkRelative(path)) != nil
                else {
                    throw XMLRPCError(
                        .unexpectedValue, "getTaskResult: \(key) holds a path that is not an RPM inside work/")
                }
                out.append(path)
            }
            return out
        }
        return KojiTaskResult(rpms: try paths("rpms"), srpms: try paths("srpms"))
    }

    /// `<top>/work/<relative>`: where a task's output is (`relative` as `getTaskResult` gives it).
    public func workPath(_ relative: String) -> String { "\(pathInfo.top)/work/\(relative)" }

    private static func task(_ row: Row) throws(XMLRPCError) -> KojiTask {
        KojiTask(
            id: try row.int("id"), state: try row.int("state"), method: try row.string("method"),
            arch: try row.optionalString("arch") ?? "noarch", parent: try row.optionalInt("parent"))
    }
}
