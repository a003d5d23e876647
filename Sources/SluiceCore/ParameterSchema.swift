import Foundation

/// The parameters a job type accepts.
///
/// Validation applies defaults, rejects unknown names, and reports every problem with its field name:
///
/// ```swift
/// let schema = ParameterSchema([
///     ParameterField("competitor_id", .uuid, required: true),
///     ParameterField("max_ads", .int, minimum: 1, maximum: 5000, default: .int(500)),
/// ])
/// let parameters = try schema.validate(["competitor_id": .string(id.uuidString)])  // max_ads = 500 added
/// ```
public struct ParameterSchema: Sendable, Hashable {
    /// The fields, in declaration order.
    public let fields: [ParameterField]

    /// Creates a schema. Field names must be unique lowercase identifiers (checked by ``JobType/validate()``).
    public init(_ fields: [ParameterField]) {
        self.fields = fields
    }

    /// The defaults of every field that has one.
    public var defaults: JSONObject {
        fields.reduce(into: [:]) { result, field in
            if let value = field.defaultValue { result[field.name] = value }
        }
    }

    /// The field named `name`, if any.
    public func field(named name: String) -> ParameterField? {
        fields.first { $0.name == name }
    }

    /// Validates `parameters`, returning them with defaults applied.
    ///
    /// - Throws: ``SluiceError`` with code ``SluiceError/Code/invalidParameters`` listing every problem
    ///   (missing, unknown, ill-typed or out-of-bounds parameters), each with its field path `parameters.NAME`.
    public func validate(_ parameters: JSONObject) throws(SluiceError) -> JSONObject {
        var problems: [FieldProblem] = []
        var result: JSONObject = [:]
        for name in parameters.keys.sorted() where field(named: name) == nil {
            problems.append(FieldProblem(field: "parameters.\(name)", message: "is not a parameter of this job type"))
        }
        for field in fields {
            let path = "parameters.\(field.name)"
            switch parameters[field.name].flatMap({ $0 == .null ? nil : $0 }) ?? field.defaultValue {
            case nil, .null?:
                if field.required { problems.append(FieldProblem(field: path, message: "is required")) }
            case let value?:
                let fieldProblems = field.problems(of: value)
                problems += fieldProblems.map { FieldProblem(field: path, message: $0) }
                if fieldProblems.isEmpty { result[field.name] = field.normalized(value) }
            }
        }
        guard problems.isEmpty else {
            let summary = problems.count == 1 ? problems[0].description : "\(problems.count) parameter problems"
            throw SluiceError(.invalidParameters, summary, field: problems[0].field, problems: problems)
        }
        return result
    }
}
