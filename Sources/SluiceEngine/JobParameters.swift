import Foundation
import SluiceCore

/// A run's parameters, validated against its job type's schema (defaults applied), with typed accessors.
///
/// Accessors throw ``SluiceError/Code/invalidParameters`` naming the field when a value is missing or of another
/// type, which fails the attempt without a retry being of any use.
public struct JobParameters: Sendable, Hashable {
    /// The raw values.
    public let values: JSONObject

    /// Wraps validated values.
    public init(_ values: JSONObject) {
        self.values = values
    }

    /// The string named `name`.
    public func string(_ name: String) throws(SluiceError) -> String {
        guard case .string(let value)? = values[name] else { throw Self.problem(name, "string") }
        return value
    }

    /// The integer named `name`.
    public func int(_ name: String) throws(SluiceError) -> Int {
        guard case .int(let value)? = values[name], let int = Int(exactly: value) else {
            throw Self.problem(name, "int")
        }
        return int
    }

    /// The boolean named `name`.
    public func bool(_ name: String) throws(SluiceError) -> Bool {
        guard case .bool(let value)? = values[name] else { throw Self.problem(name, "bool") }
        return value
    }

    /// The UUID named `name`.
    public func uuid(_ name: String) throws(SluiceError) -> UUID {
        guard case .string(let text)? = values[name], let value = UUID(uuidString: text) else {
            throw Self.problem(name, "uuid")
        }
        return value
    }

    /// The URL named `name`.
    public func url(_ name: String) throws(SluiceError) -> URL {
        guard case .string(let text)? = values[name], let value = URL(string: text) else {
            throw Self.problem(name, "url")
        }
        return value
    }

    /// The parameters decoded as `type` (JSON names as in the schema).
    /// - Throws: ``SluiceError/Code/invalidParameters`` when they do not decode.
    public func decode<T: Decodable>(_ type: T.Type) throws(SluiceError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(JSONCoding.encodeString(values).utf8))
        } catch {
            throw SluiceError(.invalidParameters, "parameters do not decode as \(T.self)", field: "parameters")
        }
    }

    private static func problem(_ name: String, _ kind: String) -> SluiceError {
        let problem = FieldProblem(field: "parameters.\(name)", message: "must be a \(kind)")
        return SluiceError(.invalidParameters, problem.description, field: problem.field, problems: [problem])
    }
}
