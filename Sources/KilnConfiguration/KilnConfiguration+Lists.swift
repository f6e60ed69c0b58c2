internal import KilnCore

extension KilnConfiguration {
    /// The items of the list under `key` with their names for messages (`key[0]`, `key[1]`, ...); nil when the key
    /// is absent, an error saying the list must hold `what` when it is not a list.
    static func listItems(_ o: JSONObject, _ key: String, of what: String) throws -> [(key: String, item: JSON)]? {
        guard let value = o[key] else { return nil }
        guard let list = value.arrayValue else { throw LoadError(key: key, reason: "must be a list of \(what)") }
        return list.enumerated().map { ("\(key)[\($0.offset)]", $0.element) }
    }

    /// The objects of the list under `key`, as `listItems`, each item required to be an object.
    static func objectItems(_ o: JSONObject, _ key: String) throws -> [(key: String, object: JSONObject)]? {
        try listItems(o, key, of: "objects")?.map { key, item in
            guard let object = item.objectValue else { throw LoadError(key: key, reason: "must be an object") }
            return (key, object)
        }
    }

    /// Refuses an item whose `name` an earlier item of the same list already has.
    static func requireUnique(
        _ name: String, among earlier: some Sequence<String>, key: String, field: String = "name"
    ) throws {
        guard !earlier.contains(name) else { throw LoadError(key: key, reason: "duplicate \(field) \(name)") }
    }
}
