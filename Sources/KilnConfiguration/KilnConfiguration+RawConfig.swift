public import KilnCore

extension KilnConfiguration {
    /// `raw_config_urls` (name → {url, config_filename, path, pungi_timeout, seconds_to_live,
    /// max_seconds_to_live}), `pungi_command`, `pungi_timeout` and `git_timeout`. ODCS's other per-configuration
    /// keys (`raw_config_wrapper`, `schema_override`, `post_script`, ...) are refused rather than ignored.
    mutating func loadRawConfig(_ o: JSONObject) throws {
        func seconds(_ key: String, _ value: JSON?, range: ClosedRange<Int64>) throws -> Int64? {
            guard let value else { return nil }
            guard let n = value.integerValue, range.contains(n) else {
                throw LoadError(key: key, reason: "must be \(range.lowerBound) to \(range.upperBound) seconds")
            }
            return n
        }
        if let v = try seconds("pungi_timeout", o["pungi_timeout"], range: 1...604_800) { service.pungiTimeout = v }
        if let v = try seconds("git_timeout", o["git_timeout"], range: 1...86_400) { service.gitTimeout = v }
        if let value = o["pungi_command"] {
            guard let items = value.arrayValue, !items.isEmpty,
                let command = Optional(items.compactMap(\.stringValue)), command.count == items.count,
                command[0].hasPrefix("/")
            else {
                throw LoadError(
                    key: "pungi_command", reason: "must be a list of strings starting with an absolute program path")
            }
            service.pungiCommand = command
        }
        guard let value = o["raw_config_urls"] else { return }
        guard let entries = value.objectValue else {
            throw LoadError(key: "raw_config_urls", reason: "must be an object")
        }
        let known: Set<String> = [
            "url", "config_filename", "path", "pungi_timeout", "seconds_to_live", "max_seconds_to_live",
        ]
        for (name, value) in entries.pairs {
            let key = "raw_config_urls.\(name)"
            let nameCharacters = name.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
            }
            guard !name.isEmpty, name.utf8.count <= 100, nameCharacters else {
                throw LoadError(key: key, reason: "a name must be letters, digits, '.', '_' and '-'")
            }
            guard let entry = value.objectValue, let url = entry["url"]?.stringValue, !url.isEmpty,
                let filename = entry["config_filename"]?.stringValue
            else { throw LoadError(key: key, reason: "needs string \"url\" and \"config_filename\"") }
            for field in entry.keys where !known.contains(field) {
                throw LoadError(key: "\(key).\(field)", reason: "is not supported by Kiln")
            }
            let path = entry["path"]?.stringValue
            for relative in [filename] + (path.map { [$0] } ?? []) {
                guard (try? RemoteURL.checkRelative(relative)) != nil else {
                    throw LoadError(key: key, reason: "\"\(relative)\" must be a relative path inside the repository")
                }
            }
            let lifetimes: ClosedRange<Int64> = 1...3_155_760_000
            service.rawConfigURLs[name] = ServiceConfiguration.RawConfig(
                url: url, configFilename: filename, path: path,
                pungiTimeout: try seconds("\(key).pungi_timeout", entry["pungi_timeout"], range: 1...604_800),
                secondsToLive: try seconds("\(key).seconds_to_live", entry["seconds_to_live"], range: lifetimes),
                maxSecondsToLive: try seconds(
                    "\(key).max_seconds_to_live", entry["max_seconds_to_live"], range: lifetimes))
        }
    }
}
