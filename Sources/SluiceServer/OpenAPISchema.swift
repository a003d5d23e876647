import SluiceCore

/// Small builders of JSON Schema (OpenAPI 3.1) values, so the document reads close to the shapes it describes.
enum OpenAPISchema {
    static func type(_ name: String, nullable: Bool = false, format: String? = nil) -> JSONValue {
        var schema: JSONObject = ["type": nullable ? .array([.string(name), .string("null")]) : .string(name)]
        if let format { schema["format"] = .string(format) }
        return .object(schema)
    }

    static let string = type("string")
    static let nullableString = type("string", nullable: true)
    static let integer = type("integer", format: "int64")
    static let nullableInteger = type("integer", nullable: true, format: "int64")
    static let number = type("number")
    static let boolean = type("boolean")
    static let uuid = type("string", format: "uuid")
    static let nullableUUID = type("string", nullable: true, format: "uuid")
    static let time = type("string", format: "date-time")
    static let nullableTime = type("string", nullable: true, format: "date-time")
    static let anyObject: JSONValue = .object(["type": .string("object")])
    static let nullableObject: JSONValue = .object(["type": .array([.string("object"), .string("null")])])

    /// A string of `minimum...maximum` characters matching `pattern`.
    static func text(_ minimum: Int, _ maximum: Int, pattern: String? = nil) -> JSONValue {
        var schema: JSONObject = [
            "type": "string", "minLength": .int(Int64(minimum)), "maxLength": .int(Int64(maximum)),
        ]
        if let pattern { schema["pattern"] = .string(pattern) }
        return .object(schema)
    }

    /// A display name: 1–200 characters, no surrounding whitespace.
    static let name = text(1, 200, pattern: #"^\S([\s\S]*\S)?$"#)

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

    /// `{"items": [item]}`, optionally with `next_cursor`.
    static func list(of item: String, paged: Bool = false) -> JSONValue {
        var properties: [String: JSONValue] = ["items": array(ref(item))]
        if paged { properties["next_cursor"] = nullableString }
        return object(properties)
    }
}
