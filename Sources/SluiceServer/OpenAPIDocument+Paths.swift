import SluiceCore

extension OpenAPIDocument {
    /// One operation: its summary, tag, parameters, optional JSON body, success response and error statuses.
    static func operation(
        _ summary: String, tag: String, parameters: [JSONValue] = [], body: String? = nil,
        success: Int = 200, returns: String?, also: [Int: String] = [:], errors: [Int] = [], open: Bool = false
    ) -> JSONValue {
        var responses: JSONObject = [:]
        responses[String(success)] = response(success == 204 ? "no content" : "success", schema: returns)
        for (status, schema) in also { responses[String(status)] = response("success", schema: schema) }
        var statuses = Set(errors)
        if !open { statuses.formUnion([401, 403, 503]) }
        if !parameters.isEmpty { statuses.insert(422) }
        if body != nil { statuses.formUnion([400, 413, 422]) }
        for status in statuses {
            responses[String(status)] = response(errorDescriptions[status] ?? "error", schema: "Error")
        }
        var operation: JSONObject = [
            "summary": .string(summary), "tags": .array([.string(tag)]), "responses": .object(responses),
            "operationId": .string(summary.lowercased().split(separator: " ").joined(separator: "_")),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body {
            operation["requestBody"] = .object([
                "required": .bool(true),
                "content": .object(["application/json": .object(["schema": S.ref(body)])]),
            ])
        }
        if open { operation["security"] = .array([]) }
        return .object(operation)
    }

    static let errorDescriptions = [
        400: "the body is not a JSON object", 401: "no valid bearer token", 403: "the token's role may not do this",
        404: "no such object, or not visible to this token", 409: "conflicts with the object's state",
        413: "the body is too large", 422: "a member or parameter is invalid (named in `field`)",
        503: "the database is unavailable",
    ]

    static func response(_ description: String, schema: String?) -> JSONValue {
        guard let schema else { return .object(["description": .string(description)]) }
        return .object([
            "description": .string(description),
            "content": .object(["application/json": .object(["schema": S.ref(schema)])]),
        ])
    }

    static func path(_ name: String, _ schema: JSONValue) -> JSONValue {
        .object(["name": .string(name), "in": .string("path"), "required": .bool(true), "schema": schema])
    }

    static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        .object([
            "name": .string(name), "in": .string("query"), "required": .bool(false), "schema": schema,
            "description": .string(description),
        ])
    }

    static let positiveID = JSONValue.object([
        "type": .string("integer"), "format": .string("int64"), "minimum": .int(1),
    ])
    static let limit = query(
        "limit", .object(["type": .string("integer"), "minimum": .int(1), "maximum": .int(1000)]),
        "page size, default 50")
    static let cursor = query(
        "cursor", S.text(2, 19, pattern: "^k[1-9][0-9]*$"), "the next_cursor of the previous page")
    static let brandFilter = query("brand_id", S.uuid, "only this brand")
    static let parameterFilters = [
        query("competitor_id", S.uuid, "only those whose competitor_id parameter is this"),
        query(
            "parameter", S.text(2, 300, pattern: #"^[a-z][a-z0-9_]{0,63}:[^\x00]*$"#),
            "name:value, only those whose parameter has this value"),
    ]

    static let paths: JSONObject = [
        "/healthz": .object(["get": operation("Liveness", tag: "system", returns: "Status", open: true)]),
        "/readyz": .object([
            "get": operation("Readiness", tag: "system", returns: "Status", errors: [503], open: true)
        ]),
        "/metrics": .object([
            "get": .object([
                "summary": .string("Prometheus metrics"), "tags": .array([.string("system")]),
                "operationId": .string("metrics"),
                "responses": .object([
                    "200": .object([
                        "description": .string("the Prometheus text format"),
                        "content": .object(["text/plain": .object(["schema": S.string])]),
                    ]),
                    "401": response("no valid bearer token", schema: "Error"),
                    "503": response("the database is unavailable", schema: "Error"),
                ]),
            ])
        ]),
        "/api/v1/openapi.json": .object([
            "get": .object([
                "summary": .string("This document"), "tags": .array([.string("system")]),
                "operationId": .string("openapi"), "security": .array([]),
                "responses": .object([
                    "200": .object([
                        "description": .string("the OpenAPI document"),
                        "content": .object(["application/json": .object(["schema": S.anyObject])]),
                    ])
                ]),
            ])
        ]),
    ].merging(apiPaths) { first, _ in first }
}
