import Foundation
import Hummingbird
import Logging
import SluiceCore
import SluiceEngine
import SluiceStore

/// The control plane's HTTP routes over a ``SluiceClient``: the JSON API under `/api/v1`, its OpenAPI document,
/// live events, `/metrics`, `/healthz` and `/readyz`.
///
/// ```swift
/// let api = SluiceAPI(client: client, feed: ActivityFeed(client: client), metrics: ServerMetrics())
/// let router = api.router()
/// let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
/// ```
public struct SluiceAPI: Sendable {
    let client: SluiceClient
    let feed: ActivityFeed
    let metrics: ServerMetrics
    let configuration: SluiceServerConfiguration

    public init(
        client: SluiceClient, feed: ActivityFeed, metrics: ServerMetrics,
        configuration: SluiceServerConfiguration = SluiceServerConfiguration()
    ) {
        self.client = client
        self.feed = feed
        self.metrics = metrics
        self.configuration = configuration
    }

    /// A router with every route, and the list of the routes registered.
    public func router() -> (router: Router<APIRequestContext>, routes: [RouteKey]) {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorMiddleware(routes: RouteMatcher(OpenAPIDocument.routeKeys)))
        router.add(middleware: MetricsMiddleware())
        let open = RouteTable(group: router.group(), prefix: "")
        registerSystemRoutes(open)
        let api = RouteTable(
            group: router.group("api/v1").add(middleware: AuthenticationMiddleware(client: client)),
            prefix: "/api/v1")
        registerCatalogRoutes(api)
        registerJobRoutes(api)
        registerRunRoutes(api)
        registerBrandRoutes(api)
        registerOperationRoutes(api)
        registerEventRoutes(api)
        let metricsRoute = RouteTable(
            group: router.group().add(middleware: AuthenticationMiddleware(client: client)), prefix: "")
        registerMetricsRoute(metricsRoute)
        return (router, (open.keys + api.keys + metricsRoute.keys).sorted())
    }

    /// Runs `body` as the mutating action `action` on `target` and records it, with its outcome, in the audit log.
    /// The audit record is best-effort: a failure to write it is logged, never hides the action's own result.
    func audited<T>(
        _ context: APIRequestContext, _ action: String, target: String, brandID: UUID?,
        _ body: () async throws -> T
    ) async throws -> T {
        let caller = try context.caller()
        do {
            let result = try await body()
            await record(caller, action, target, brandID, outcome: "ok", context)
            return result
        } catch {
            let outcome =
                switch error {
                case let error as APIError: error.code
                case let error as SluiceError: error.code.rawValue
                default: "error"
                }
            await record(caller, action, target, brandID, outcome: outcome, context)
            throw error
        }
    }

    private func record(
        _ caller: AccessIdentity, _ action: String, _ target: String, _ brandID: UUID?, outcome: String,
        _ context: APIRequestContext
    ) async {
        do {
            try await client.audit(
                actor: caller.name, tokenID: caller.tokenID, action: action, target: target, brandID: brandID,
                outcome: outcome)
        } catch {
            context.logger.error(
                "could not write the audit log", metadata: ["error": "\(error)", "action": "\(action)"])
        }
    }
}
