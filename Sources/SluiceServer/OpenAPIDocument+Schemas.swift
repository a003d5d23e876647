import SluiceCore

extension OpenAPIDocument {
    typealias S = OpenAPISchema

    /// The component schemas, each derived from the declaration the server writes or reads it with: the objects of
    /// ``APIRepresentation`` and the request bodies' shapes.
    static let schemas: JSONObject = Dictionary(
        uniqueKeysWithValues: (APIRepresentation.components + requestBodies).map { ($0.component, $0.schema) })

    /// The request bodies.
    static let requestBodies: [any APIComponent] = [
        BrandBody.shape, CompetitorBody.shape, JobBody.shape, TokenBody.shape,
    ]
}
