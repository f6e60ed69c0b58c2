internal import CModulemd
public import KilnCore

/// Module metadata read and written with libmodulemd 2: the module streams a modulemd YAML text describes (their
/// N:S:V:C, RPM artifacts and run-time requirements), and a repository's `modules.yaml` made of many documents
/// (module streams and modulemd-defaults), merged and written back by libmodulemd as dnf reads it.
public enum ModuleMetadata {
    /// One module stream of a modulemd document.
    public struct Stream: Sendable, Equatable {
        public var name: String
        public var stream: String
        public var version: Int64
        public var context: String
        /// `name-epoch:version-release.arch` of every RPM the stream ships.
        public var artifacts: [String]
        /// Module name → streams, from every dependency block's run-time requirements.
        public var requires: [String: [String]]
    }

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible, UserFacingError {
        public var description: String
        public init(_ description: String) { self.description = description }
        public var userMessage: String { description }
    }

    /// The module streams of a modulemd YAML text (upgraded to modulemd v2).
    public static func streams(in yaml: String, what: String) throws(Invalid) -> [Stream] {
        let index = try self.index(of: [yaml], what: what)
        defer { CModulemd_unref(UnsafeMutableRawPointer(index)) }
        var error: UnsafeMutablePointer<GError>?
        guard modulemd_module_index_upgrade_streams(index, MD_MODULESTREAM_VERSION_TWO, &error) != 0 else {
            defer { g_error_free(error) }
            throw Invalid("\(what): \(String(cString: CModulemd_error_message(error)))")
        }
        let all = CModulemd_index_streams(index)
        defer { g_ptr_array_unref(all) }
        var streams: [Stream] = []
        for i in 0..<CModulemd_length(all) {
            let stream = CModulemd_stream_at(all, i)
            guard CModulemd_is_v2(stream) != 0 else { continue }
            guard let name = modulemd_module_stream_get_module_name(stream),
                let streamName = modulemd_module_stream_get_stream_name(stream)
            else { throw Invalid("\(what): a module stream without a name or stream") }
            let version = modulemd_module_stream_get_version(stream)
            var requires: [String: [String]] = [:]
            let dependencies = CModulemd_v2_dependencies(stream)
            for d in 0..<CModulemd_length(dependencies) {
                let block = CModulemd_dependencies_at(dependencies, d)
                for module in strings(modulemd_dependencies_get_runtime_modules_as_strv(block)) {
                    requires[module, default: []] += strings(
                        modulemd_dependencies_get_runtime_streams_as_strv(block, module))
                }
            }
            streams.append(
                Stream(
                    name: String(cString: name), stream: String(cString: streamName),
                    version: Int64(clamping: version),
                    context: modulemd_module_stream_get_context(stream).map { String(cString: $0) } ?? "",
                    artifacts: strings(CModulemd_v2_artifacts(stream)), requires: requires))
        }
        return streams
    }

    /// One `modules.yaml` holding every document of `documents` (modulemd and modulemd-defaults YAML texts), and
    /// of `defaults` those of the modules `documents` describe.
    public static func modulesYAML(_ documents: [String], defaults: [String] = []) throws(Invalid) -> String {
        let index = try self.index(of: documents + defaults, what: "modules.yaml")
        defer { CModulemd_unref(UnsafeMutableRawPointer(index)) }
        if !defaults.isEmpty {
            let described = try Set(streams(in: documents.joined(separator: "\n"), what: "modules.yaml").map(\.name))
            for name in strings(modulemd_module_index_get_module_names_as_strv(index)) where !described.contains(name) {
                _ = modulemd_module_index_remove_module(index, name)
            }
        }
        var error: UnsafeMutablePointer<GError>?
        _ = modulemd_module_index_upgrade_streams(index, MD_MODULESTREAM_VERSION_TWO, &error)
        if let error { g_error_free(error) }
        error = nil
        guard let text = modulemd_module_index_dump_to_string(index, &error) else {
            defer { g_error_free(error) }
            throw Invalid("modules.yaml could not be written: \(String(cString: CModulemd_error_message(error)))")
        }
        defer { g_free(text) }
        return String(cString: text)
    }

    /// A module index of every document of `documents`; the caller unrefs it.
    static func index(of documents: [String], what: String) throws(Invalid) -> OpaquePointer {
        let index = modulemd_module_index_new()!
        for document in documents {
            var failures: UnsafeMutablePointer<GPtrArray>?
            var error: UnsafeMutablePointer<GError>?
            let ok = modulemd_module_index_update_from_string(index, document, 0, &failures, &error)
            defer {
                if let failures { g_ptr_array_unref(failures) }
                if let error { g_error_free(error) }
            }
            if let failure = CModulemd_first_failure(failures) {
                CModulemd_unref(UnsafeMutableRawPointer(index))
                throw Invalid("\(what) is not valid modulemd: \(String(cString: failure))")
            }
            guard ok != 0 else {
                CModulemd_unref(UnsafeMutableRawPointer(index))
                throw Invalid("\(what) is not valid modulemd: \(String(cString: CModulemd_error_message(error)))")
            }
        }
        return index
    }

    /// The strings of a NULL-terminated `gchar **`, which is freed.
    static func strings(_ vector: UnsafeMutablePointer<UnsafeMutablePointer<gchar>?>?) -> [String] {
        guard let vector else { return [] }
        defer { g_strfreev(vector) }
        var out: [String] = []
        var i = 0
        while let item = vector[i] {
            out.append(String(cString: item))
            i += 1
        }
        return out
    }
}
