public import KilnCore

extension KojiBuild {
    /// The module build a Koji `module` build is (`extra.typeinfo.module`: name, stream, version, context,
    /// `content_koji_tag`, `modulemd_str`), in state `ready` when the Koji build is complete; nil when the build is
    /// not a module build or its fields are missing or out of bounds.
    public var moduleBuild: ModuleBuild? {
        guard let module = extra["typeinfo"]?["module"]?.structValue,
            let name = module["name"]?.stringValue, let stream = module["stream"]?.stringValue,
            let context = module["context"]?.stringValue, let tag = module["content_koji_tag"]?.stringValue,
            let modulemd = module["modulemd_str"]?.stringValue, modulemd.utf8.count <= MBSClient.maxModulemdBytes,
            [name, stream, context, tag].allSatisfy({ (text: String) in !text.isEmpty && text.utf8.count <= 255 })
        else { return nil }
        let version: Int64?
        switch module["version"] {
        case .string(let text)?:
            let digits = text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            version = digits && text.utf8.count <= 19 ? Int64(text) : nil
        case .int(let n)?: version = n >= 0 ? n : nil
        default: version = nil
        }
        guard let version else { return nil }
        return ModuleBuild(
            name: name, stream: stream, version: version, context: context, state: state == 1 ? "ready" : "failed",
            kojiTag: tag, modulemd: modulemd)
    }
}
