/// Parameters typed as text (a dashboard form field, a `--param name=value` on the command line), read by the
/// field's kind.
extension ParameterField {
    /// The value that `text` stands for: a whole number for `int` fields, `true`/`on` or `false`/`off` for `bool`
    /// fields, the text itself otherwise (the schema's validation checks URLs, UUIDs and choices).
    /// - Returns: the value, or a message saying what the text must be (such as "must be a whole number").
    public func value(fromText text: String) -> Result<JSONValue, TextValueError> {
        switch kind {
        case .int:
            guard let value = Int64(text) else { return .failure(TextValueError("must be a whole number")) }
            return .success(.int(value))
        case .bool:
            switch text {
            case "true", "on": return .success(.bool(true))
            case "false", "off": return .success(.bool(false))
            default: return .failure(TextValueError("must be true or false"))
            }
        case .string, .url, .uuid, .oneOf:
            return .success(.string(text))
        }
    }
}

/// Why a text cannot be a parameter's value.
public struct TextValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the text must be, such as "must be a whole number".
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
