import Foundation
import SluiceCore
import SluiceStore

/// A Swift value that the API writes as one JSON value, with the JSON Schema of what it writes.
///
/// An ``APIMember`` takes its schema from the type of the value it reads, so the OpenAPI document and the JSON the
/// API sends cannot disagree: an optional value is nullable in the schema because it is optional in Swift.
public protocol APIValue: SendableMetatype {
    /// The JSON Schema of every ``apiJSON`` of this type.
    static var apiSchema: JSONValue { get }
    /// The value as the API writes it.
    var apiJSON: JSONValue { get }
}

/// A string enumeration that the API writes by its raw value; its schema lists every case.
public protocol APIEnumeration: APIValue, RawRepresentable<String>, CaseIterable {}

extension APIEnumeration {
    /// A string schema listing every case's raw value.
    public static var apiSchema: JSONValue { OpenAPISchema.enumeration(allCases.map(\.rawValue)) }
    /// The raw value.
    public var apiJSON: JSONValue { .string(rawValue) }
}

extension String: APIValue {
    /// Any text without NUL (Sluice refuses NUL everywhere).
    public static var apiSchema: JSONValue { OpenAPISchema.string }
    /// The text.
    public var apiJSON: JSONValue { .string(self) }
}

extension Int64: APIValue {
    /// A 64-bit integer.
    public static var apiSchema: JSONValue { OpenAPISchema.integer }
    /// The number.
    public var apiJSON: JSONValue { .int(self) }
}

extension Int: APIValue {
    /// A 64-bit integer.
    public static var apiSchema: JSONValue { OpenAPISchema.integer }
    /// The number.
    public var apiJSON: JSONValue { .int(Int64(self)) }
}

extension Double: APIValue {
    /// A number.
    public static var apiSchema: JSONValue { OpenAPISchema.number }
    /// The number.
    public var apiJSON: JSONValue { .double(self) }
}

extension Bool: APIValue {
    /// A boolean.
    public static var apiSchema: JSONValue { OpenAPISchema.boolean }
    /// The boolean.
    public var apiJSON: JSONValue { .bool(self) }
}

extension Date: APIValue {
    /// An RFC 3339 date-time.
    public static var apiSchema: JSONValue { OpenAPISchema.time }
    /// An RFC 3339 time with fractional seconds.
    public var apiJSON: JSONValue { .string(formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))) }
}

extension UUID: APIValue {
    /// A UUID.
    public static var apiSchema: JSONValue { OpenAPISchema.uuid }
    /// The UUID in lowercase.
    public var apiJSON: JSONValue { .string(uuidString.lowercased()) }
}

extension Dictionary: APIValue where Key == String, Value == JSONValue {
    /// Any JSON object.
    public static var apiSchema: JSONValue { OpenAPISchema.anyObject }
    /// The object.
    public var apiJSON: JSONValue { .object(self) }
}

extension Array: APIValue where Element: APIValue {
    /// An array of the element's schema.
    public static var apiSchema: JSONValue { OpenAPISchema.array(Element.apiSchema) }
    /// Each element's JSON.
    public var apiJSON: JSONValue { .array(map(\.apiJSON)) }
}

extension Optional: APIValue where Wrapped: APIValue {
    /// The wrapped value's schema, or null.
    public static var apiSchema: JSONValue { OpenAPISchema.nullable(Wrapped.apiSchema) }
    /// The wrapped value's JSON, or null.
    public var apiJSON: JSONValue { map(\.apiJSON) ?? .null }
}

extension RunState: APIEnumeration {}
extension JobStatus: APIEnumeration {}
extension FreshnessState: APIEnumeration {}
extension LogLevel: APIEnumeration {}
extension AccessRole: APIEnumeration {}
extension DatasetHistoryEntry.Outcome: APIEnumeration {}

extension JSONValue: APIValue {
    /// Any JSON value.
    public static var apiSchema: JSONValue { .object([:]) }
    /// The value itself.
    public var apiJSON: JSONValue { self }
}
