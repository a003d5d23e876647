import Foundation
import SluiceCore
import SluiceStore

/// A job submitted from a dashboard form: its parameters read from text fields by their schema, and what is wrong
/// with them, by field, so the page can show each message beside its input.
struct JobForm {
    /// The parameters, typed by the schema; empty fields are left out so that defaults apply.
    var parameters: JSONObject = [:]
    /// Problems by field name (a parameter's name, or `brand_id`, `run_at`, `cron`, `timezone`, `job_type`).
    var errors: [String: String] = [:]

    /// Reads `type`'s parameters from the fields named `prefix` + parameter name. A field named in `required` must
    /// be filled in even though its parameter has a default: a browser sends a number input that does not hold a
    /// number as empty, and that must not silently become the default.
    init(type: JobType, fields: [String: String], prefix: String = "", required: Set<String> = []) {
        for field in type.schema.fields {
            let text = (fields[prefix + field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else {
                if required.contains(field.name) { errors[field.name] = Self.missing(field) }
                continue
            }
            switch field.value(fromText: text) {
            case .success(let value): parameters[field.name] = value
            case .failure(let error): errors[field.name] = error.description
            }
        }
    }

    /// What to say of a required field left empty: "give a whole number from 1 to 5000".
    static func missing(_ field: ParameterField) -> String {
        guard case .int = field.kind else { return "is required" }
        switch (field.minimum, field.maximum) {
        case (let low?, let high?): return "give a whole number from \(low) to \(high)"
        default: return "give a whole number"
        }
    }

    /// Records what the engine refused: each parameter problem under its field, other errors under theirs (or
    /// `form` when the error names no field). Returns false for errors that are not about the input.
    mutating func record(_ error: SluiceError) -> Bool {
        switch error.code {
        case .invalidParameters:
            for problem in error.problems {
                let name = problem.field.hasPrefix("parameters.") ? String(problem.field.dropFirst(11)) : problem.field
                errors[name] = problem.message
            }
            if error.problems.isEmpty { errors[error.field ?? "form"] = error.message }
        case .unknownJobType, .invalidCron, .unknownTimeZone, .invalidArgument:
            errors[error.field ?? "form"] = error.message
        case .conflict where error.field != nil:
            errors[error.field ?? "form"] = error.message
        case .notFound where error.field?.hasPrefix("parameters.") == true:
            errors[String(error.field?.dropFirst(11) ?? "form")] = error.message
        default:
            return false
        }
        return true
    }

    /// The inputs for `type`'s parameters, each with its current text (the submitted one, else the default) and
    /// its error, for a template.
    static func inputs(
        for type: JobType, fields: [String: String]?, errors: [String: String], prefix: String = ""
    ) -> [[String: Any]] {
        type.schema.fields.map { field in
            let text = fields.map { $0[prefix + field.name] ?? "" } ?? field.defaultValue.map(Self.text) ?? ""
            var input: [String: Any] = [
                "name": prefix + field.name, "label": field.name.replacingOccurrences(of: "_", with: " "),
                "id": "field-" + field.name, "value": text, "summary": field.summary,
                "type": inputType(field.kind), "required": field.required,
            ]
            if case .oneOf(let options) = field.kind {
                input["options"] = options.map { ["value": $0, "selected": $0 == text] }
            }
            if case .bool = field.kind {
                input["options"] = ["true", "false"].map { ["value": $0, "selected": $0 == text] }
            }
            input["hasOptions"] = input["options"] != nil
            input["error"] = errors[field.name]
            return input
        }
    }

    private static func inputType(_ kind: ParameterField.Kind) -> String {
        switch kind {
        case .int: "number"
        case .url: "url"
        default: "text"
        }
    }

    /// A parameter's value as an input shows it.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: value.jsonText
        }
    }
}
