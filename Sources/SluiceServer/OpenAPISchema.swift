import SluiceCore

/// Small builders of JSON Schema (OpenAPI 3.1) values, so the document reads close to the shapes it describes.
enum OpenAPISchema {
    static func type(_ name: String, format: String? = nil) -> JSONValue {
        var schema: JSONObject = ["type": .string(name)]
        if let format { schema["format"] = .string(format) }
        return .object(schema)
    }

    /// Any text: Sluice refuses the NUL character (U+0000) everywhere, on every backend (see `StoredText`).
    static let string: JSONValue = .object(["type": "string", "pattern": .string(noNUL)])

    /// Text without NUL.
    static let noNUL = #"^[^\x00]*$"#
    static let integer = type("integer", format: "int64")
    static let number = type("number")
    static let boolean = type("boolean")
    static let uuid = type("string", format: "uuid")
    static let time = type("string", format: "date-time")
    static let anyObject: JSONValue = .object(["type": .string("object")])

    /// A string of `minimum...maximum` characters matching `pattern` (by default: any text without NUL; a pattern
    /// given must exclude NUL itself).
    static func text(_ minimum: Int, _ maximum: Int, pattern: String = noNUL) -> JSONValue {
        .object([
            "type": "string", "minLength": .int(Int64(minimum)), "maxLength": .int(Int64(maximum)),
            "pattern": .string(pattern),
        ])
    }

    /// Text with something other than white space in it (and no NUL).
    static let nonBlank = #"^[^\x00]*[^\s\x00][^\x00]*$"#

    /// A display name's text: no surrounding whitespace, no NUL.
    static let displayName = #"^[^\s\x00]([^\x00]*[^\s\x00])?$"#

    /// `schema` or null, as the API writes an unset value: a plain type gains `null` in its `type`, anything else (an
    /// enumeration, a reference) is wrapped in `anyOf`.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema, object["enum"] == nil, case .string(let name)? = object["type"] else {
            return orNull(schema)
        }
        object["type"] = .array([.string(name), .string("null")])
        return .object(object)
    }

    /// `schema`, or null (an optional request member may be sent as null, meaning absent).
    static func orNull(_ schema: JSONValue) -> JSONValue { .object(["anyOf": [schema, .object(["type": "null"])]]) }

    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    static func array(_ items: JSONValue) -> JSONValue { .object(["type": .string("array"), "items": items]) }

    static func enumeration(_ values: [String]) -> JSONValue {
        .object(["type": .string("string"), "enum": .array(values.map(JSONValue.string))])
    }

    /// An object whose listed properties are all required (the API always sends every member, null when unset).
    static func object(_ properties: [String: JSONValue], optional: Set<String> = []) -> JSONValue {
        .object([
            "type": .string("object"), "properties": .object(properties),
            "required": .array(properties.keys.filter { !optional.contains($0) }.sorted().map(JSONValue.string)),
        ])
    }
}
