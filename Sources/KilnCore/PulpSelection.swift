/// What a `pulp` compose becomes: the Pulp repositories found for its content sets and repo
/// ids, and the `.repo` file that points at them. Pure: the generator does the two HTTP calls and feeds them here.
public struct PulpSelection: Sendable, Equatable {
    /// One Pulp repository as ODCS keeps it.
    public struct Repository: Sendable, Equatable {
        public var id: String
        public var url: String
        public var arches: Set<String>
        public var sigkeys: [String]
        public init(id: String, url: String, arches: Set<String>, sigkeys: [String]) {
            self.id = id
            self.url = url
            self.arches = arches
            self.sigkeys = sigkeys
        }
    }

    public var repositories: [Repository]
    /// Requested tokens nothing was found for, in request order.
    public var missing: [String]
    /// The tokens that were found (content sets and repo ids), sorted.
    public var found: [String]

    /// The POST body of `repositories/search/` for these tokens.
    public static func searchBody(tokens: [String], includeUnpublished: Bool) -> JSON {
        var filters = JSONObject()
        filters["notes.content_set"] = ["$in": .array(tokens.map { .string($0) })]
        if !includeUnpublished { filters["notes.include_in_download_service"] = "True" }
        return ["criteria": ["filters": .object(filters), "fields": ["notes", "id"]]]
    }

    /// Turns Pulp's answers into repositories. `searchResults` is the JSON array `repositories/search/` returned;
    /// `lookUp` answers `GET repositories/<id>/` for each token the search did not match (nil for a 404).
    public static func select(
        tokens: [String], serverURL: String, searchResults: JSON, includeUnpublished: Bool,
        lookUp: (String) throws -> JSON?
    ) throws -> PulpSelection {
        let base = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        func repository(_ item: JSON) throws(ComposeError) -> Repository {
            guard let id = item["id"]?.stringValue, let notes = item["notes"]?.objectValue,
                let relative = notes["relative_url"]?.stringValue
            else { throw .invalid("Pulp returned a repository without id, notes or notes.relative_url") }
            guard notes["product_versions"] != nil else {
                throw .invalid("Pulp repository \(id) has no notes.product_versions")
            }
            let arches = notes["arch"]?.stringValue.map { Set([$0]) } ?? []
            let sigkeys = (notes["signatures"]?.stringValue ?? "").split(separator: ",").map(String.init).filter {
                !$0.isEmpty
            }.sorted()
            return Repository(id: id, url: base + "/" + relative, arches: arches, sigkeys: sigkeys)
        }
        var repositories: [Repository] = []
        var matched = Set<String>()
        for item in searchResults.arrayValue ?? [] {
            repositories.append(try repository(item))
            if let set = item["notes"]?["content_set"]?.stringValue { matched.insert(set) }
        }
        var missing: [String] = []
        var found = Set(tokens.filter(matched.contains))
        for token in tokens where !matched.contains(token) && !token.isEmpty {
            guard let item = try lookUp(token) else {
                missing.append(token)
                continue
            }
            let published = item["notes"]?["include_in_download_service"]?.isTruthy ?? false
            guard published || includeUnpublished else {
                missing.append(token)
                continue
            }
            let repo = try repository(item)
            if !repositories.contains(where: { $0.id == repo.id }) { repositories.append(repo) }
            found.insert(token)
        }
        repositories.sort { $0.id < $1.id }
        return PulpSelection(repositories: repositories, missing: missing, found: found.sorted())
    }

    /// ODCS's refusal when tokens are missing and `ignore_absent_pulp_repos`
    /// is not set (rendered without Python reprs).
    public func missingMessage(tokens: [String]) -> String {
        "Failed to find all the source(s) \(tokens.joined(separator: ", ")) in Pulp, found only "
            + "\(found.joined(separator: ", "))"
    }

    /// The `.repo` file: a blank line before each section, sorted by id; with `use_only_compatible_arch` the arch in
    /// the URL becomes `$basearch` and `skip_if_unavailable=1` is added.
    public func repoFile(useOnlyCompatibleArch: Bool) -> String {
        var text = ""
        for repo in repositories {
            var url = repo.url
            if useOnlyCompatibleArch { for arch in repo.arches { url = url.replacingAll(arch, with: "$basearch") } }
            text += "\n[\(repo.id)]\nname=\(repo.id)\nbaseurl=\(url)\nenabled=1\ngpgcheck=0\n"
            if useOnlyCompatibleArch { text += "skip_if_unavailable=1\n" }
        }
        return text
    }

    public var arches: [String] { Array(Set(repositories.flatMap(\.arches))).sorted() }
    public var sigkeys: [String] { Array(Set(repositories.flatMap(\.sigkeys))).sorted() }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        guard !target.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
