import SluiceCore

extension OpenAPIDocument {
    typealias S = OpenAPISchema

    /// The component schemas, each derived from the declaration the server writes or reads it with: the objects of
    /// ``APIRepresentation``, the request bodies' shapes and the time zone names.
    static let schemas: JSONObject = Dictionary(
        uniqueKeysWithValues: (APIRepresentation.components + requestComponents).map { ($0.component, $0.schema) })

    /// The request bodies, and the time zone names they refer to.
    static let requestComponents: [any APIComponent] = [
        BrandBody.shape, CompetitorBody.shape, JobBody.shape, TokenBody.shape, RateLimiterBody.shape, TimeZoneNames(),
    ]
}
