import AsyncHTTPClient

extension HTTPClient {
    /// The HTTP client the API clients share unless given another: AsyncHTTPClient's defaults, except that a
    /// connection that cannot be established (refused, unreachable) fails the request at once, within 10 s at most.
    ///
    /// AsyncHTTPClient would otherwise retry the connection silently until the request's deadline (a minute for a
    /// Meta call), and the client's own retry policy, which knows the API's throttles and the run's attempt, would
    /// only hear of it then.
    public static let connectors: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
