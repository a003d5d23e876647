import Foundation
import Hummingbird
import Logging
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

/// The control plane's HTTP routes over a ``SluiceClient``: the JSON API under `/api/v1`, its OpenAPI document,
/// live events, `/metrics`, `/healthz` and `/readyz`.
///
/// ```swift
/// let api = SluiceAPI(
///     client: client, adIntel: AdIntelClient(store: store), feed: ActivityFeed(client: client),
///     metrics: ServerMetrics())
/// let router = api.router()
/// let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
/// ```
public struct SluiceAPI: Sendable {
    let client: SluiceClient
    /// The ad domain's operations (competitors, ads, creatives).
    let adIntel: AdIntelClient
    let feed: ActivityFeed
    let metrics: ServerMetrics
    let configuration: SluiceServerConfiguration
    /// The Pipeline Manager's chart data, shared by its requests.
    let outcomes = OutcomeCache()

    public init(
        client: SluiceClient, adIntel: AdIntelClient, feed: ActivityFeed, metrics: ServerMetrics,
        configuration: SluiceServerConfiguration = SluiceServerConfiguration()
    ) {
        self.client = client
        self.adIntel = adIntel
        self.feed = feed
        self.metrics = metrics
        self.configuration = configuration
    }

    /// A router with every route, and the list of the routes registered.
    public func router() -> (router: Router<APIRequestContext>, routes: [RouteKey]) {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorMiddleware(routes: RouteMatcher(OpenAPIDocument.routeKeys)))
        router.add(middleware: MetricsMiddleware())
        router.add(
            middleware: BodyDeadlineMiddleware(timeout: configuration.bodyTimeout, limit: configuration.maxBodyBytes))
        let open = RouteTable(group: router.group(), prefix: "")
        registerSystemRoutes(open)
        let api = RouteTable(
            group: router.group("api/v1").add(middleware: AuthenticationMiddleware(client: client)),
            prefix: "/api/v1", auditor: record)
        registerCatalogRoutes(api)
        registerJobRoutes(api)
        registerRunRoutes(api)
        registerBrandRoutes(api)
        registerOperationRoutes(api)
        registerEventRoutes(api)
        let metricsRoute = RouteTable(
            group: router.group().add(middleware: AuthenticationMiddleware(client: client)), prefix: "")
        registerMetricsRoute(metricsRoute)
        registerDashboardRoutes(router)
        return (router, (open.keys + api.keys + metricsRoute.keys).sorted())
    }

    /// Records one mutating request in the audit log. Best-effort: a failure to write it is logged and never
    /// hides the action's own answer.
    func record(_ context: APIRequestContext, _ action: String, _ trail: AuditTrail, _ outcome: String) async {
        guard let caller = context.identity else { return }
        do {
            try await client.audit(
                actor: caller.name, tokenID: caller.tokenID, action: trail.action ?? action, target: trail.target,
                brandID: trail.brandID, outcome: outcome)
        } catch {
            context.logger.error(
                "could not write the audit log", metadata: ["error": "\(error)", "action": "\(action)"])
        }
    }
}
