import Foundation

/// A JSON value: job parameters, run results and other small documents.
///
/// Integers are kept apart from floating-point numbers so that `500` round-trips as an integer.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// A JSON object, the shape of job parameters and results.
public typealias JSONObject = [String: JSONValue]

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// The value as a whole number: an integer, or a number written with a zero fraction (`5.0`), which JSON Schema's
    /// `integer` accepts too; nil for anything else, and for a fraction-free number too large to be exact.
    public var wholeNumber: Int64? {
        switch self {
        case .int(let number): number
        case .double(let number) where number.rounded() == number && abs(number) < 9e15: Int64(number)
        default: nil
        }
    }

    /// The name of this value's JSON type, for messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The canonical text used in uniqueness keys: strings as-is, other values as compact JSON.
    public var canonicalText: String {
        switch self {
        case .string(let value): value
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .array, .object: jsonText
        }
    }
}

/// Compact, key-sorted JSON encoding and decoding shared by the stores.
public enum JSONCoding {
    /// Encodes a value as compact JSON with sorted keys.
    public static func encodeString(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding JSONValue and plain Codable structs cannot fail.
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Encodes a JSON object as compact JSON with sorted keys (the fast path of ``JSONValue/jsonText``).
    public static func encodeString(_ object: JSONObject) -> String { object.jsonText }

    /// Decodes a JSON object stored as text.
    /// - Throws: ``SluiceError/Code/storageFailure`` when the text is not a JSON object.
    public static func decodeObject(_ text: String) throws -> JSONObject {
        if text == "{}" { return [:] }
        guard case .object(let object)? = try? JSONValue(parsing: text) else {
            throw SluiceError(.storageFailure, "stored JSON is not an object")
        }
        return object
    }
}
