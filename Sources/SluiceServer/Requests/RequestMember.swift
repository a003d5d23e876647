import Foundation
import SluiceCore

/// One member of a request body, declared once: its name, its JSON Schema in the OpenAPI document, and how the
/// server reads it, so the document and the server cannot disagree on a member's type, size or presence.
///
/// A reader checks what the JSON must look like (type, length, presence) and answers 422 naming the member. What
/// a value means (a brand's name is not blank, a cron parses) is the domain's rule, checked once, further in; the
/// schema's `pattern` documents it for clients.
struct RequestMember<Value>: Sendable {
    /// The member's name in the body.
    let name: String
    /// The member's JSON Schema.
    let schema: JSONValue
    /// Whether the member must be present.
    let required: Bool
    private let reader: @Sendable (JSONValue?) throws -> Value

    private init(
        _ name: String, schema: JSONValue, required: Bool, _ reader: @escaping @Sendable (JSONValue?) throws -> Value
    ) {
        self.name = name
        self.schema = schema
        self.required = required
        self.reader = reader
    }

    /// Reads the member from `object`.
    ///
    /// - Throws: ``APIError`` (422) naming the member when it is missing or malformed.
    func read(from object: JSONObject) throws -> Value { try reader(object[name]) }

    /// A member that may be absent or null (meaning absent): the same schema or null, read as nil.
    private static func optional<Wrapped>(_ member: RequestMember<Wrapped>) -> RequestMember<Wrapped?> {
        RequestMember<Wrapped?>(member.name, schema: OpenAPISchema.orNull(member.schema), required: false) { value in
            guard let value, value != .null else { return nil }
            return try member.reader(value)
        }
    }

    /// Reads a string of at most `maximum` characters (Unicode scalars), or nil when absent or null.
    private static func string(_ name: String, _ value: JSONValue?, maximum: Int) throws -> String? {
        switch value {
        case nil, .null: return nil
        case .string(let text):
            guard text.unicodeScalars.count <= maximum else {
                throw APIError.invalid(name, "is longer than \(maximum) characters")
            }
            return text
        default: throw APIError.invalid(name, "must be a string")
        }
    }
}

extension RequestMember where Value == String {
    /// Required text of `lengths` characters; `pattern` documents the domain's rule (by default: no NUL).
    static func text(_ name: String, _ lengths: ClosedRange<Int>, pattern: String = OpenAPISchema.noNUL) -> Self {
        RequestMember(
            name, schema: OpenAPISchema.text(lengths.lowerBound, lengths.upperBound, pattern: pattern), required: true
        ) { value in
            guard let text = try string(name, value, maximum: lengths.upperBound) else {
                throw APIError.invalid(name, "is required")
            }
            return text
        }
    }

    /// A display name: 1–200 characters, no surrounding whitespace.
    static func displayName(_ name: String) -> Self {
        text(name, 1...200, pattern: OpenAPISchema.displayName)
    }
}

extension RequestMember where Value == String? {
    /// Optional text of `lengths` characters; `pattern` documents the domain's rule (by default: no NUL).
    static func optionalText(
        _ name: String, _ lengths: ClosedRange<Int>, pattern: String = OpenAPISchema.noNUL
    ) -> Self {
        optional(.text(name, lengths, pattern: pattern))
    }
}

extension RequestMember where Value == String? {
    /// An optional IANA time zone name, one of ``TimeZoneNames``.
    static func optionalTimeZone(_ name: String) -> Self {
        optional(
            RequestMember<String>(name, schema: OpenAPISchema.ref(TimeZoneNames.name), required: true) { value in
                guard let text = try string(name, value, maximum: 64) else {
                    throw APIError.invalid(name, "is required")
                }
                return text
            })
    }
}

extension RequestMember where Value == UUID {
    /// A required UUID.
    static func uuid(_ name: String) -> Self {
        RequestMember(name, schema: OpenAPISchema.uuid, required: true) { value in
            guard let text = try string(name, value, maximum: 64) else { throw APIError.invalid(name, "is required") }
            guard let uuid = UUID(uuidString: text) else { throw APIError.invalid(name, "must be a UUID") }
            return uuid
        }
    }
}

extension RequestMember where Value == UUID? {
    /// An optional UUID.
    static func optionalUUID(_ name: String) -> Self { optional(.uuid(name)) }
}

extension RequestMember where Value == JSONObject? {
    /// An optional JSON object.
    static func optionalObject(_ name: String) -> Self {
        optional(
            RequestMember<JSONObject>(name, schema: OpenAPISchema.anyObject, required: true) { value in
                guard case .object(let object)? = value else { throw APIError.invalid(name, "must be a JSON object") }
                return object
            })
    }
}

extension RequestMember where Value == Date? {
    /// An optional RFC 3339 time such as `2026-12-01T06:00:00Z`.
    static func optionalTime(_ name: String) -> Self {
        optional(
            RequestMember<Date>(name, schema: OpenAPISchema.time, required: true) { value in
                guard let text = try string(name, value, maximum: 64), let date = RFC3339.parse(text) else {
                    throw APIError.invalid(name, "must be an RFC 3339 time such as 2026-12-01T06:00:00Z")
                }
                return date
            })
    }
}

extension RequestMember where Value == Int? {
    /// An optional whole number; `range` is documented here and checked by the domain rule it comes from.
    static func optionalInteger(_ name: String, in range: ClosedRange<Int>) -> Self {
        let message = "must be an integer in \(range.lowerBound)...\(range.upperBound)"
        let schema: JSONValue = .object([
            "type": "integer", "minimum": .int(Int64(range.lowerBound)), "maximum": .int(Int64(range.upperBound)),
        ])
        return optional(
            RequestMember<Int>(name, schema: schema, required: true) { value in
                guard let number = value?.wholeNumber, let integer = Int(exactly: number) else {
                    throw APIError.invalid(name, message)
                }
                return integer
            })
    }
}

extension RequestMember where Value == Int {
    /// A required whole number; `range` is documented here and checked by the domain rule it comes from.
    static func integer(_ name: String, in range: ClosedRange<Int>) -> Self {
        let schema: JSONValue = .object([
            "type": "integer", "minimum": .int(Int64(range.lowerBound)), "maximum": .int(Int64(range.upperBound)),
        ])
        return RequestMember(name, schema: schema, required: true) { value in
            guard let number = value?.wholeNumber, let integer = Int(exactly: number) else {
                throw APIError.invalid(name, "must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return integer
        }
    }
}

extension RequestMember where Value == Double {
    /// A required positive number at most `maximum`, checked again by the domain rule it comes from.
    static func positiveNumber(_ name: String, maximum: Double) -> Self {
        let schema: JSONValue = .object([
            "type": "number", "exclusiveMinimum": .int(0), "maximum": .double(maximum),
        ])
        return RequestMember(name, schema: schema, required: true) { value in
            let number: Double? =
                switch value {
                case .int(let integer): Double(integer)
                case .double(let double): double
                default: nil
                }
            guard let number else { throw APIError.invalid(name, "must be a number") }
            return number
        }
    }
}

extension RequestMember where Value: RawRepresentable<String> & CaseIterable & Sendable {
    /// A required string naming one of `Value`'s cases.
    static func oneOf(_ name: String) -> Self {
        let options = Value.allCases.map(\.rawValue)
        return RequestMember(name, schema: OpenAPISchema.enumeration(options), required: true) { value in
            guard let text = try string(name, value, maximum: 64) else { throw APIError.invalid(name, "is required") }
            guard let option = Value(rawValue: text) else {
                throw APIError.invalid(name, "must be one of \(options.joined(separator: ", "))")
            }
            return option
        }
    }
}

extension RequestMember {
    /// An optional string naming one of `Option`'s cases.
    static func optionalOneOf<Option: RawRepresentable<String> & CaseIterable & Sendable>(
        _ name: String, _: Option.Type
    ) -> Self where Value == Option? {
        optional(RequestMember<Option>.oneOf(name))
    }
}
