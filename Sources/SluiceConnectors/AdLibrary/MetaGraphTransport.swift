import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

/// Calls of the Meta Graph API shared by its clients: the token in the Authorization header, the error envelope
/// read into ``MetaAPIError``, and retries with backoff on throttles and transient failures (honouring
/// `estimated_time_to_regain_access`). A response that is not complete JSON counts as transient. Without an access
/// token nothing is sent.
struct MetaGraphTransport: Sendable {
    let settings: MetaGraphSettings
    let retryPolicy: RetryPolicy
    let http: HTTPClient

    /// Sends `method` to `/{version}/{path}` with `parameters`, retried per the policy; returns the response decoded
    /// as `Response`.
    func send<Response: Decodable>(
        _ method: HTTPMethod = .GET, path: String, parameters: [(name: String, value: String)],
        as response: Response.Type, beforeRequest: @Sendable () async throws -> Void,
        onBackoff: @Sendable (MetaAPIError, Duration) -> Void
    ) async throws -> Response {
        guard !settings.accessToken.isEmpty else { throw MetaAPIError.missingAccessToken }
        var components = URLComponents(string: "\(settings.baseURL)/\(settings.version)/\(path)")
        components?.queryItems = parameters.map { URLQueryItem(name: $0.name, value: $0.value) }
        guard let url = components?.url?.absoluteString else {
            throw SluiceError.invalidArgument("base_url", "the Meta Graph base URL is not a valid URL")
        }
        var attempt = 0
        while true {
            attempt += 1
            try await beforeRequest()
            let failure: MetaAPIError
            do {
                return try await sendOnce(method, url, as: response)
            } catch let error as MetaAPIError {
                guard error.isRetryable else { throw error }
                failure = error
            }
            guard case .retry(let at) = retryPolicy.decision(afterAttempt: attempt, at: Date()) else { throw failure }
            let delay = max(
                Duration.milliseconds(Int64(max(0, at.timeIntervalSinceNow) * 1000)), failure.regainAccessAfter ?? .zero
            )
            onBackoff(failure, delay)
            try await Task.sleep(for: delay)
        }
    }

    private func sendOnce<Response: Decodable>(
        _ method: HTTPMethod, _ url: String, as type: Response.Type
    ) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(settings.accessToken)")
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .seconds(60))
            body = try await response.body.collect(upTo: 32 << 20)
        } catch {
            try rethrowIfCancelled(error)
            // The connection failed: as transient as a 5xx.
            throw MetaAPIError(
                status: 0, code: 2, subcode: nil,
                message: "request to \(URL(string: url)?.host ?? "the API") failed: \(error)", isTransient: true,
                traceID: nil,
                regainAccessAfter: nil)
        }
        let bytes = Array(body.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw MetaAPIError.parse(
                status: status, body: bytes, usageHeader: response.headers.first(name: "x-business-use-case-usage"))
                ?? MetaAPIError(
                    status: status, code: status >= 500 ? 2 : 100, subcode: nil,
                    message: "HTTP \(status) without an error envelope", isTransient: status >= 500, traceID: nil,
                    regainAccessAfter: nil)
        }
        do {
            return try JSONDecoder().decode(Response.self, from: Data(bytes))
        } catch {
            // Cut short, or not the shape the API documents: as transient as a 5xx.
            throw MetaAPIError(
                status: status, code: 2, subcode: nil, message: "the response is not the JSON expected: \(error)",
                isTransient: true, traceID: nil, regainAccessAfter: nil)
        }
    }
}
