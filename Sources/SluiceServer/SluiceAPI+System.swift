import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine

extension SluiceAPI {
    /// The open routes: liveness, readiness (the database answers) and the OpenAPI document.
    func registerSystemRoutes(_ routes: RouteTable) {
        routes.get("/healthz") { _, _ in JSONResponse(APIRepresentation.status("ok")).response() }
        routes.get("/readyz") { _, _ in
            do {
                _ = try await client.rateLimiters()
            } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "the database does not answer")
            }
            return JSONResponse(APIRepresentation.status("ready")).response()
        }
        let document = OpenAPIDocument.json(jobTypes: client.registry.all).jsonText
        routes.get("/api/v1/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: document)))
        }
    }

    /// `/metrics` in the Prometheus text format, for tokens that see every brand (the series name brands).
    func registerMetricsRoute(_ routes: RouteTable) {
        routes.get("/metrics") { _, context in
            try context.caller().requireUnscoped()
            let text = try await metrics.scrape(client, now: Date())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
