import Foundation
import Hummingbird
import Logging

extension SluiceAPI {
    /// The HTTP server on ``SluiceServerConfiguration/host``:``SluiceServerConfiguration/port``, a `Service` to run
    /// in a `ServiceGroup` (put the ``SluiceEngine/ActivityFeed`` after it, so that event streams end first on
    /// shutdown). `onServerRunning` receives the bound port (useful with port 0).
    public func application(
        logger: Logger = Logger(label: "sluice.http"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router().router,
            server: .http1(
                configuration: .init(
                    idleTimeout: .nanoseconds(Int64(configuration.idleTimeout.components.seconds) * 1_000_000_000))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "sluice"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
