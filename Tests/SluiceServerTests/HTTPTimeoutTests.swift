import Foundation
import SluiceTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Slow and idle clients are cut off: a request head sent a byte at a time, a body that never arrives, and a
/// connection left open without a request.
@Suite("HTTP timeouts for slow and idle clients")
struct HTTPTimeoutTests {
    @Test("a request head that never completes is closed after the idle timeout")
    func slowHead() async throws {
        try await ServerFixture.with(idleTimeout: .seconds(1), bodyTimeout: .seconds(1)) { fixture in
            try await LiveServer.run(fixture) { server in
                let socket = try RawSocket(base: server.base)
                defer { socket.close() }
                try socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                for _ in 0..<3 {
                    try await Task.sleep(for: .milliseconds(300))
                    try? socket.send("X")  // one byte now and then, as a slowloris client does
                }
                let (_, closed) = try await socket.readUntilClosed(within: .seconds(20))
                #expect(closed, "the connection was still open 20 s after a 1 s idle timeout")
            }
        }
    }

    @Test("a body that does not arrive in time is answered 408 and the connection closed")
    func slowBody() async throws {
        try await ServerFixture.with(idleTimeout: .seconds(5), bodyTimeout: .seconds(1)) { fixture in
            try await LiveServer.run(fixture) { server in
                let socket = try RawSocket(base: server.base)
                defer { socket.close() }
                try socket.send(
                    "POST /api/v1/brands HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(server.tokens["admin"] ?? "")"
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\": ")
                let (answer, closed) = try await socket.readUntilClosed(within: .seconds(20))
                #expect(answer.hasPrefix("HTTP/1.1 408"), "answered: \(answer.prefix(200))")
                #expect(answer.contains("body_timeout"))
                #expect(closed)
            }
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout")
    func idleConnection() async throws {
        try await ServerFixture.with(idleTimeout: .seconds(1)) { fixture in
            try await LiveServer.run(fixture) { server in
                let socket = try RawSocket(base: server.base)
                defer { socket.close() }
                try socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let (answer, closed) = try await socket.readUntilClosed(within: .seconds(20))
                #expect(answer.hasPrefix("HTTP/1.1 200"))
                #expect(closed)
            }
        }
    }
}

/// A plain TCP connection to the test server, for requests no HTTP client would send.
final class RawSocket: Sendable {
    let descriptor: Int32

    init(base: String) throws {
        guard let port = URLComponents(string: base)?.port else { throw POSIXError(.EINVAL) }
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw POSIXError(.EPIPE)
        }
    }

    /// Reads until the server closes the connection or `limit` passes; returns what arrived and whether it closed.
    func readUntilClosed(within limit: Duration) async throws -> (String, Bool) {
        let deadline = ContinuousClock.now + limit
        var received: [UInt8] = []
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count <= 0 { return (String(decoding: received, as: UTF8.self), true) }
                received += buffer[0..<count]
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }

    func close() { _ = Glibc.close(descriptor) }
}
