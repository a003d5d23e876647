import Foundation
import Hummingbird
import Logging
import NIOCore
import SluiceTestSupport
import Synchronization

/// A real HTTP server on 127.0.0.1 (an ephemeral port) standing in for webhook receivers and asset hosts: it
/// records every request, fails the first `failures` webhook posts with 500, and serves redirects and large bodies.
final class LoopbackReceiver: Sendable {
    struct Received: Sendable {
        let path: String
        let headers: [String: String]
        let body: String
        let at: ContinuousClock.Instant
    }

    private let received = Mutex<[Received]>([])
    private let failuresLeft: Mutex<Int>

    init(failures: Int = 0) { failuresLeft = Mutex(failures) }

    var requests: [Received] { received.withLock { $0 } }

    /// Runs the server while `body` runs, passing its base URL (`http://127.0.0.1:PORT`).
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let logger = Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        // The server reports its port once it listens; the body starts then, with no polling.
        let (ports, portReported) = AsyncStream.makeStream(of: Int?.self)
        let app = Application(
            router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portReported.yield(channel.localAddress?.port)
                portReported.finish()
            }, logger: logger)
        return try await withRunningServices([app], logger: logger) {
            var reported = ports.makeAsyncIterator()
            guard let port = await reported.next() ?? nil else { throw CancellationError() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/hook") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            record(request, body: String(buffer: body))
            let fail = failuresLeft.withLock { left in
                defer { left = max(0, left - 1) }
                return left > 0
            }
            return Response(status: fail ? .internalServerError : .noContent)
        }
        router.get("/redirect/:hops") { [self] request, context -> Response in
            record(request, body: "")
            let hops = try context.parameters.require("hops", as: Int.self)
            guard hops > 0 else { return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "arrived"))) }
            return Response(status: .found, headers: [.location: "/redirect/\(hops - 1)"])
        }
        router.get("/to-metadata") { [self] request, _ -> Response in
            record(request, body: "")
            return Response(status: .found, headers: [.location: "http://169.254.169.254/latest/meta-data/"])
        }
        router.get("/big") { [self] request, _ -> Response in
            record(request, body: "")
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x41, count: 100_000)))
        }
        return router
    }

    private func record(_ request: Request, body: String) {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let entry = Received(path: request.uri.path, headers: headers, body: body, at: .now)
        received.withLock { $0.append(entry) }
    }
}
