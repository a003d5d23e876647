/// How a webhook delivery travels: the engine's `WebhookDispatcher` builds the signed request and records the
/// outcome, and the transport sends it. SluiceConnectors' `SafeHTTPClient` is the transport Sluice uses: it enforces
/// the egress policy (public addresses only outside tests) and never follows a redirect.
public protocol WebhookTransport: Sendable {
    /// How long one request may take.
    var timeout: Duration { get }

    /// Posts `body` with `headers` to `url`, and returns the status of the response.
    /// - Throws: when no response was had. An error that is a ``RetryableError`` saying `isRetryable == false` (an
    ///   address the policy forbids, a malformed URL) ends the delivery at once; any other is retried.
    func post(to url: String, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int
}
