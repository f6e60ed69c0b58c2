public import KilnCore

/// An OpenAPI 3 document as the API documentation page shows it: operations grouped by tag, each with its
/// parameters, body and responses, and the schemas with their properties. Built once from the served document.
public struct APIDocumentation: Sendable {
    public struct Parameter: Sendable {
        public var name: String
        public var location: String
        public var required: Bool
        public var type: String
        public var description: String
    }

    public struct Response: Sendable {
        public var status: String
        public var description: String
        public var type: String
    }

    public struct Operation: Sendable {
        public var anchor: String
        public var method: String
        public var path: String
        public var summary: String
        public var description: String
        public var parameters: [Parameter]
        public var hasParameters: Bool
        public var body: String?
        public var responses: [Response]
    }

    public struct Group: Sendable {
        public var name: String
        public var anchor: String
        public var description: String
        public var operations: [Operation]
    }

    public struct Property: Sendable {
        public var name: String
        public var type: String
        public var required: Bool
        public var description: String
    }

    public struct Schema: Sendable {
        public var name: String
        public var anchor: String
        public var type: String?
        public var description: String
        public var properties: [Property]
        public var hasProperties: Bool
    }

    public var title: String
    public var version: String
    /// HTML (DocText): the document's own description.
    public var introduction: String
    public var groups: [Group]
    public var schemas: [Schema]
    public var operationCount: Int

    public init(document bytes: [UInt8]) throws {
        let doc = try JSONParser.parse(bytes)
        let components = doc["components"]?.objectValue ?? JSONObject()
        title = doc["info"]?["title"]?.stringValue ?? "API"
        version = doc["info"]?["version"]?.stringValue ?? ""
        introduction = DocText.html(doc["info"]?["description"]?.stringValue ?? "")

        func resolve(_ value: JSON?) -> JSON? {
            guard let ref = value?["$ref"]?.stringValue, ref.hasPrefix("#/components/") else { return value }
            let parts = ref.dropFirst("#/components/".count).split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return value }
            return components[parts[0]]?[parts[1]]
        }

        var groups: [Group] = []
        var indexByTag: [String: Int] = [:]
        for tag in doc["tags"]?.arrayValue ?? [] {
            guard let name = tag["name"]?.stringValue else { continue }
            indexByTag[name] = groups.count
            groups.append(
                Group(
                    name: name, anchor: "tag-" + Self.anchor(name),
                    description: DocText.html(tag["description"]?.stringValue ?? ""), operations: []))
        }
        var count = 0
        let methods = ["get", "post", "put", "patch", "delete", "head", "options"]
        for (path, item) in doc["paths"]?.objectValue?.pairs ?? [] {
            for method in methods {
                guard let op = item[method] else { continue }
                let parameters = ((item["parameters"]?.arrayValue ?? []) + (op["parameters"]?.arrayValue ?? []))
                    .compactMap { resolve($0) }
                    .map { p in
                        Parameter(
                            name: p["name"]?.stringValue ?? "", location: p["in"]?.stringValue ?? "",
                            required: p["required"] == .bool(true), type: Self.typeName(p["schema"]),
                            description: DocText.html(p["description"]?.stringValue ?? ""))
                    }
                let body = resolve(op["requestBody"]).map { b -> String in
                    let content = b["content"]?.objectValue
                    let media = content?.keys.first ?? "application/json"
                    return media + ": " + Self.typeName(content?[media]?["schema"])
                }
                let responses = (op["responses"]?.objectValue?.pairs ?? []).map { status, value in
                    let r = resolve(value)
                    let schema = r?["content"]?.objectValue.flatMap { c in c.keys.first.flatMap { c[$0]?["schema"] } }
                    return Response(
                        status: status, description: DocText.inline(r?["description"]?.stringValue ?? ""),
                        type: schema.map { Self.typeName($0) } ?? "")
                }
                let tag = op["tags"]?.arrayValue?.first?.stringValue ?? "other"
                if indexByTag[tag] == nil {
                    indexByTag[tag] = groups.count
                    groups.append(Group(name: tag, anchor: "tag-" + Self.anchor(tag), description: "", operations: []))
                }
                let operation = Operation(
                    anchor: op["operationId"]?.stringValue.map { "op-" + Self.anchor($0) }
                        ?? "op-" + Self.anchor(method + path),
                    method: method.uppercased(), path: path, summary: op["summary"]?.stringValue ?? "",
                    description: DocText.html(op["description"]?.stringValue ?? ""), parameters: parameters,
                    hasParameters: !parameters.isEmpty, body: body, responses: responses)
                groups[indexByTag[tag]!].operations.append(operation)
                count += 1
            }
        }
        self.groups = groups.filter { !$0.operations.isEmpty }
        operationCount = count
        schemas = (components["schemas"]?.objectValue?.pairs ?? []).map { name, s in
            let required = Set((s["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            let properties = (s["properties"]?.objectValue?.pairs ?? []).map { pname, p in
                Property(
                    name: pname, type: Self.typeName(p), required: required.contains(pname),
                    description: DocText.html(p["description"]?.stringValue ?? ""))
            }
            return Schema(
                name: name, anchor: "schema-" + Self.anchor(name),
                type: Optional(Self.typeName(s, top: true)).flatMap { $0.isEmpty ? nil : $0 },
                description: DocText.html(s["description"]?.stringValue ?? ""), properties: properties,
                hasProperties: !properties.isEmpty)
        }
    }

    /// A schema's type in a few words: `string`, `integer (1–7)`, `array of Compose`, `Compose | null`.
    static func typeName(_ schema: JSON?, top: Bool = false) -> String {
        guard let schema else { return "" }
        if let ref = schema["$ref"]?.stringValue {
            return String(ref.split(separator: "/").last ?? "")
        }
        if let all = schema["allOf"]?.arrayValue {
            return all.map { typeName($0, top: true) }.filter { !$0.isEmpty }.joined(separator: " + ")
        }
        if let any = (schema["anyOf"] ?? schema["oneOf"])?.arrayValue {
            return any.map { typeName($0) }.joined(separator: " | ")
        }
        if let values = schema["enum"]?.arrayValue, !values.isEmpty {
            let shown = values.prefix(12).map { v -> String in
                v.stringValue.map { "\"\($0)\"" } ?? v.integerValue.map(String.init) ?? "…"
            }
            return "one of " + shown.joined(separator: ", ") + (values.count > 12 ? ", …" : "")
        }
        var type =
            schema["type"]?.stringValue ?? schema["type"]?.arrayValue?.compactMap(\.stringValue)
            .joined(separator: " | ") ?? (top ? "" : "any")
        if type == "array" { type = "array of " + typeName(schema["items"]) }
        if let min = schema["minimum"]?.integerValue, let max = schema["maximum"]?.integerValue {
            type += " (\(min)–\(max))"
        }
        return type
    }

    /// An id attribute's value: letters, digits and `-` only.
    static func anchor(_ text: String) -> String {
        String(
            text.map { c -> Character in c.isASCII && (c.isLetter || c.isNumber) ? c : "-" })
    }
}
