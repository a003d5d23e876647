import Foundation

/// One parameter of a job type: its name, type, whether it is required, its bounds and its default.
public struct ParameterField: Sendable, Hashable {
    /// The value types a parameter can have.
    public enum Kind: Sendable, Hashable {
        /// Any string; ``ParameterField/minimum``/``ParameterField/maximum`` bound its length.
        case string
        /// A whole number; ``ParameterField/minimum``/``ParameterField/maximum`` bound its value.
        case int
        /// `true` or `false`.
        case bool
        /// An absolute `http` or `https` URL with a host.
        case url
        /// A UUID in its canonical textual form.
        case uuid
        /// One of a fixed set of strings.
        case oneOf([String])

        /// The kind's name as shown in schemas and messages.
        public var name: String {
            switch self {
            case .string: "string"
            case .int: "int"
            case .bool: "bool"
            case .url: "url"
            case .uuid: "uuid"
            case .oneOf: "enum"
            }
        }
    }

    /// The parameter's name, a lowercase identifier such as `max_ads`.
    public let name: String
    /// The parameter's type.
    public let kind: Kind
    /// Whether the parameter must be given (a parameter with a default is never missing).
    public let required: Bool
    /// The smallest value (ints) or length (strings), if bounded.
    public let minimum: Int64?
    /// The largest value (ints) or length (strings), if bounded.
    public let maximum: Int64?
    /// The value used when the parameter is absent.
    public let defaultValue: JSONValue?
    /// What the parameter means, for forms and API documentation.
    public let summary: String

    /// Creates a parameter field.
    public init(
        _ name: String, _ kind: Kind, required: Bool = false, minimum: Int64? = nil, maximum: Int64? = nil,
        default defaultValue: JSONValue? = nil, summary: String = ""
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.minimum = minimum
        self.maximum = maximum
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

extension ParameterField {
    /// The problems of `value` against this field, empty when it is valid.
    func problems(of value: JSONValue) -> [String] {
        if kind == .int, let number = value.wholeNumber { return boundProblems(number, noun: "value") }
        switch (kind, value) {
        case (.string, .string(let text)):
            return boundProblems(Int64(text.unicodeScalars.count), noun: "length")
        case (.bool, .bool):
            return []
        case (.url, .string(let text)):
            return Self.isWebURL(text) ? [] : ["must be an absolute http or https URL"]
        case (.uuid, .string(let text)):
            return UUID(uuidString: text) == nil ? ["must be a UUID"] : []
        case (.oneOf(let choices), .string(let text)):
            return choices.contains(text) ? [] : ["must be one of \(choices.joined(separator: ", "))"]
        default:
            return ["must be of type \(kind.name), not \(value.typeName)"]
        }
    }

    /// The value normalised to its canonical JSON form: whole doubles become ints, UUIDs lowercase (RFC 9562), so
    /// that filters on a parameter match whatever case a client sent.
    func normalized(_ value: JSONValue) -> JSONValue {
        switch (kind, value) {
        case (.int, .double(let number)): .int(Int64(number))
        case (.uuid, .string(let text)): .string(text.lowercased())
        default: value
        }
    }

    private func boundProblems(_ measured: Int64, noun: String) -> [String] {
        var problems: [String] = []
        if let minimum, measured < minimum { problems.append("\(noun) must be at least \(minimum)") }
        if let maximum, measured > maximum { problems.append("\(noun) must be at most \(maximum)") }
        return problems
    }

    private static func isWebURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
