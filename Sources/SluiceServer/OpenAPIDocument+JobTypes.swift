import SluiceCore

extension OpenAPIDocument {
    /// The document for a server whose registry has `jobTypes`: a job request is one of them, with that type's own
    /// parameter schema, so the document accepts exactly the parameters the server accepts.
    static func json(jobTypes: [JobType]) -> JSONValue {
        guard case .object(var document) = json, case .object(var components) = document["components"],
            case .object(var schemas) = components["schemas"], case .object(let request) = schemas["JobRequest"],
            case .object(let properties) = request["properties"], case .array(let required) = request["required"]
        else { return json }
        let variants = jobTypes.sorted { $0.name < $1.name }.map { type -> JSONValue in
            var variant = request
            var typed = properties
            typed["job_type"] = OpenAPISchema.enumeration([type.name])
            let parameters = parameterSchema(type.schema)
            let needsParameters = type.schema.fields.contains { $0.required && $0.defaultValue == nil }
            typed["parameters"] = needsParameters ? parameters : OpenAPISchema.orNull(parameters)
            variant["properties"] = .object(typed)
            variant["required"] = .array(needsParameters ? required + ["parameters"] : required)
            return .object(variant)
        }
        schemas["JobRequest"] = .object(["oneOf": .array(variants)])
        components["schemas"] = .object(schemas)
        document["components"] = .object(components)
        return .object(document)
    }

    /// A job type's parameters as a JSON Schema object: each field typed and bounded as ``ParameterSchema``
    /// validates it, the required ones (without a default) required, no others allowed.
    static func parameterSchema(_ schema: ParameterSchema) -> JSONValue {
        var properties: JSONObject = [:]
        for field in schema.fields {
            let value = fieldSchema(field)
            properties[field.name] = field.required && field.defaultValue == nil ? value : OpenAPISchema.orNull(value)
        }
        let required = schema.fields.filter { $0.required && $0.defaultValue == nil }.map { JSONValue.string($0.name) }
        return .object([
            "type": "object", "properties": .object(properties), "required": .array(required),
            "additionalProperties": false,
        ])
    }

    private static func fieldSchema(_ field: ParameterField) -> JSONValue {
        var schema: JSONObject
        switch field.kind {
        case .string:
            schema = ["type": "string", "pattern": .string(OpenAPISchema.noNUL)]
            if let minimum = field.minimum { schema["minLength"] = .int(minimum) }
            if let maximum = field.maximum { schema["maxLength"] = .int(maximum) }
        case .int:
            schema = ["type": "integer", "format": "int64"]
            if let minimum = field.minimum { schema["minimum"] = .int(minimum) }
            if let maximum = field.maximum { schema["maximum"] = .int(maximum) }
        case .bool:
            schema = ["type": "boolean"]
        case .url:
            schema = ["type": "string", "pattern": .string(webURLPattern)]
        case .uuid:
            schema = ["type": "string", "format": "uuid"]
        case .oneOf(let choices):
            return OpenAPISchema.enumeration(choices)
        }
        return .object(schema)
    }

    /// An absolute http or https URL with a host, written with only the characters a URL may carry unencoded.
    static let webURLPattern =
        #"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?"#
        + #"([/?#]([!$&'()*+,./0-9:;=?@A-Z\[\]_a-z~#-]|%[0-9A-Fa-f]{2})*)?$"#
}
