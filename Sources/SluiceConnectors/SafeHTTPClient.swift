import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

/// An HTTP client for user-supplied URLs (asset downloads, alert webhooks) that cannot be turned against the
/// network it runs in (SSRF):
///
/// - only absolute http and https URLs;
/// - the host is resolved once and refused if **any** of its addresses is not allowed by the ``EgressPolicy``
///   (private, loopback, link-local with cloud metadata, CGNAT, multicast, IPv6 ULA, …); the connection then goes to
///   the checked address (DNS rebinding cannot swap it), keeping the Host header and TLS server name;
/// - redirects are followed by hand, each hop checked again, at most ``EgressPolicy/maximumRedirects``;
/// - the body is streamed with a byte cap, whatever Content-Length claims.
///
/// ```swift
/// let client = SafeHTTPClient(policy: .publicOnly)
/// let response = try await client.send(SafeHTTPRequest(url: imageURL), maximumBytes: 20 << 20)
/// ```
public struct SafeHTTPClient: Sendable {
    /// The egress policy every hop is checked against.
    public let policy: EgressPolicy
    /// The deadline of one hop (connect, send, receive).
    public let timeout: Duration

    /// Creates a client.
    public init(policy: EgressPolicy, timeout: Duration = .seconds(30)) {
        self.policy = policy
        self.timeout = timeout
    }

    /// Sends `request`, following redirects when `followRedirects` (a 3xx is otherwise returned as is).
    /// - Throws: ``EgressError`` when a hop is refused or the body exceeds `maximumBytes`; AsyncHTTPClient's errors
    ///   for connection failures and timeouts.
    public func send(
        _ request: SafeHTTPRequest, maximumBytes: Int, followRedirects: Bool = true
    ) async throws -> SafeHTTPResponse {
        var url = try Self.checkedURL(request.url)
        var request = request
        var redirects = 0
        while true {
            let response = try await sendOnce(request, to: url, maximumBytes: maximumBytes)
            guard followRedirects, [301, 302, 303, 307, 308].contains(response.status),
                let location = response.headers.first(name: "location")
            else { return response }
            guard redirects < policy.maximumRedirects else {
                throw EgressError.tooManyRedirects(policy.maximumRedirects)
            }
            redirects += 1
            guard let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                throw EgressError.unsupportedURL(location)
            }
            url = try Self.checkedURL(next.absoluteString)
            if response.status == 303 || ([301, 302].contains(response.status) && request.method == .POST) {
                request.method = .GET
                request.body = nil
            }
        }
    }

    private func sendOnce(
        _ request: SafeHTTPRequest, to url: URL, maximumBytes: Int
    ) async throws -> SafeHTTPResponse {
        let host = url.host ?? ""
        let addresses = try await HostResolver.addresses(of: host)
        if let refused = addresses.first(where: { !policy.allows($0) }) {
            throw EgressError.forbiddenAddress(host: host, address: refused.description)
        }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .nanoseconds(Int64(timeout.seconds * 1e9))))
        configuration.dnsOverride = [host: addresses[0].description]
        // A refused or failed connection fails the request at once: the caller's retry policy, which knows the job,
        // decides what comes next (AsyncHTTPClient would otherwise retry it silently until the request's deadline).
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            let response = try await execute(request, url: url, on: client, maximumBytes: maximumBytes)
            try await client.shutdown()
            return response
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func execute(
        _ request: SafeHTTPRequest, url: URL, on client: HTTPClient, maximumBytes: Int
    ) async throws -> SafeHTTPResponse {
        var outgoing = HTTPClientRequest(url: url.absoluteString)
        outgoing.method = request.method
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(outgoing, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
        if let declared = response.headers.first(name: "content-length").flatMap(Int.init), declared > maximumBytes {
            throw EgressError.tooLarge(limit: maximumBytes)
        }
        var body: [UInt8] = []
        for try await chunk in response.body {
            guard body.count + chunk.readableBytes <= maximumBytes else {
                throw EgressError.tooLarge(limit: maximumBytes)
            }
            body.append(contentsOf: chunk.readableBytesView)
        }
        return SafeHTTPResponse(status: Int(response.status.code), headers: response.headers, body: body, url: url)
    }

    /// `text` as an absolute http or https URL with a host.
    ///
    /// - Throws: ``EgressError/unsupportedURL(_:)``.
    static func checkedURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else { throw EgressError.unsupportedURL(text) }
        guard url.user == nil, url.password == nil else { throw EgressError.credentialsInURL(text) }
        return url
    }
}

/// A request for ``SafeHTTPClient``.
public struct SafeHTTPRequest: Sendable {
    /// The URL.
    public var url: String
    /// The method. Defaults to GET.
    public var method: HTTPMethod
    /// Header fields.
    public var headers: [(String, String)]
    /// The body, if any.
    public var body: [UInt8]?

    /// Creates a request.
    public init(url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// A response from ``SafeHTTPClient``.
public struct SafeHTTPResponse: Sendable {
    /// The status code.
    public let status: Int
    /// The header fields.
    public let headers: HTTPHeaders
    /// The body, at most the byte cap.
    public let body: [UInt8]
    /// The URL that answered (after redirects).
    public let url: URL
}

extension SafeHTTPClient: WebhookTransport {
    /// Posts a webhook delivery: never follows a redirect, and reads at most 64 KiB of the answer.
    public func post(to url: String, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int {
        let request = SafeHTTPRequest(url: url, method: .POST, headers: headers.map { ($0.name, $0.value) }, body: body)
        return try await send(request, maximumBytes: 64 << 10, followRedirects: false).status
    }
}
