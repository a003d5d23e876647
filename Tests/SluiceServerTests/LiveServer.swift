import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceTestSupport
import Testing

/// A real HTTP server on 127.0.0.1 (port 0) over a fixture's API, with extra services (workers) beside it.
struct LiveServer: Sendable {
    let base: String
    let tokens: [String: String]

    static func run(
        _ fixture: ServerFixture, services: [any Service] = [], _ body: @Sendable (LiveServer) async throws -> Void
    ) async throws {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = fixture.api.application(logger: ServerFixture.quiet) { port in portContinuation.yield(port) }
        try await withRunningServices([app, fixture.feed] + services, logger: ServerFixture.quiet) {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            try await body(LiveServer(base: "http://127.0.0.1:\(port)", tokens: fixture.tokens))
        }
    }

    /// A JSON call as token `token`.
    func call(
        _ method: HTTPMethod, _ path: String, as token: String = "admin", json: JSONObject? = nil
    )
        async throws -> (status: Int, json: JSONObject)
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(tokens[token] ?? "")")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: JSONValue.object(json).jsonText))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 16 << 20)
        guard case .object(let object) = try? JSONValue(parsing: String(buffer: body)) else {
            return (Int(response.status.code), [:])
        }
        return (Int(response.status.code), object)
    }

    /// Opens `/api/v1/events` with `query` and returns its events (type and JSON body) as they arrive; the
    /// subscription is live when this returns.
    func events(
        _ query: String, as token: String = "admin"
    ) async throws -> AsyncThrowingStream<
        (type: String, body: JSONObject), any Error
    > {
        var request = HTTPClientRequest(url: base + "/api/v1/events?" + query)
        request.headers.add(name: "Authorization", value: "Bearer \(tokens[token] ?? "")")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"].first == "text/event-stream")
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: (type: String, body: JSONObject).self)
        let reader = Task {
            var pending = ""
            var eventType = "message"
            do {
                for try await buffer in response.body {
                    pending += String(buffer: buffer)
                    while let newline = pending.firstIndex(of: "\n") {
                        let line = String(pending[..<newline])
                        pending = String(pending[pending.index(after: newline)...])
                        if line.hasPrefix("event: ") { eventType = String(line.dropFirst(7)) }
                        if line.hasPrefix("data: "),
                            case .object(let body) = try JSONValue(parsing: String(line.dropFirst(6)))
                        {
                            continuation.yield((eventType, body))
                        }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }
}
