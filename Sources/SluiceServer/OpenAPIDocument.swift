import SluiceCore

/// The OpenAPI 3.1 document served at `/api/v1/openapi.json`: its component schemas are derived from the
/// declarations the server writes and reads JSON with (``APIRepresentation``, the request bodies' shapes); its paths
/// are written next to the routes, a test holds them to the routes the router really has, and CI runs schemathesis
/// against a live server with the document.
enum OpenAPIDocument {
    static let json: JSONValue = .object([
        "openapi": .string("3.1.0"),
        "info": .object([
            "title": .string("Sluice control plane API"), "version": .string("1.0.0"),
            "description": .string(
                "Durable jobs, runs, datasets and ad-intelligence data. Every route but /healthz, /readyz and this "
                    + "document needs `Authorization: Bearer <token>`. Errors are "
                    + "`{\"error\": {\"code\", \"message\", \"field\"}}`. Lists use keyset pages (`limit`, `cursor`)."),
        ]),
        "servers": .array([.object(["url": .string("/")])]),
        "security": .array([.object(["bearer": .array([])])]),
        "components": .object([
            "schemas": .object(schemas),
            "securitySchemes": .object([
                "bearer": .object(["type": .string("http"), "scheme": .string("bearer")])
            ]),
        ]),
        "paths": .object(paths),
    ])

    /// Every documented route, as `RouteKey`s.
    static var routeKeys: [RouteKey] {
        paths.flatMap { path, item in
            guard case .object(let operations) = item else { return [RouteKey]() }
            return operations.keys.map { RouteKey($0, path) }
        }.sorted()
    }
}
