/// ODCS's `validate_json_data`: the recursive type and character checks every POST and PATCH body goes through.
public enum InputValidation {
    static let listKeys: Set<String> = [
        "builds", "multilib_method", "packages", "scratch_build_tasks", "scratch_modules", "sigkeys", "modules",
    ]
    static let stringKeys: Set<String> = [
        "base_module_br_name", "base_module_br_stream", "compose_type", "label", "target_dir", "type",
    ]
    static let integerKeys: Set<String> = [
        "seconds_to_live", "koji_event", "base_module_br_stream_version_lte", "base_module_br_stream_version_gte",
    ]
    static let allowedPunctuation: Set<Character> = [" ", "-", "/", "_", ".", ":", "#", "+", "?", "$", "~", "^", ","]

    public static let characterMessage =
        "Only alphanumerical characters and ' -/_.:#+?$~^,' characters are allowed in ODCS input variables"

    public static func validate(_ object: JSONObject) throws(ComposeError) {
        try validate(object, level: 0)
    }

    private static func validate(_ object: JSONObject, level: Int) throws(ComposeError) {
        for (key, value) in object.pairs {
            try validate(key: key, value: value, level: level, parentKey: nil)
        }
    }

    private static func validate(key: String, value: JSON, level: Int, parentKey: String?) throws(ComposeError) {
        if listKeys.contains(key), value.arrayValue == nil { throw .invalid("\(key) should be a list") }
        if stringKeys.contains(key), value.stringValue == nil { throw .invalid("\(key) should be a string") }
        if integerKeys.contains(key), value.integerValue == nil { throw .invalid("\(key) should be an integer") }
        switch value {
        case .object(let nested):
            guard level == 0, key == "source" else { throw .invalid("Only 'source' key is allowed to contain dict.") }
            try validate(nested, level: level + 1)
        case .array(let elements):
            for (i, element) in elements.enumerated() {
                try validate(key: String(i), value: element, level: level + 1, parentKey: key)
            }
        case .string(let s):
            if parentKey != "packages", key != "packages", !isAllowed(s) { throw .invalid(characterMessage) }
        case .int, .double, .bool:
            break
        case .null:
            throw .invalid(
                "Only dict, list, str, int, float and bool types are allowed in ODCS input "
                    + "variables, but '\(key)' is null"
            )
        }
    }

    /// `str.isalnum()` or one of ODCS's allowed punctuation characters, for every character.
    static func isAllowed(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII {
                let c = Character(scalar)
                return c.isLetter || c.isNumber || allowedPunctuation.contains(c)
            }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                return true
            default:
                return false
            }
        }
    }
}
