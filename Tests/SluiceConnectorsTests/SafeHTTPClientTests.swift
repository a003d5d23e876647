import Foundation
import Testing

@testable import SluiceConnectors

@Suite("SafeHTTPClient")
struct SafeHTTPClientTests {
    static let loopbackAllowed = SafeHTTPClient(policy: EgressPolicy(allowsLoopback: true))

    @Test("the default policy refuses loopback before connecting, by address or by name")
    func refusesLoopback() async throws {
        let receiver = LoopbackReceiver()
        try await receiver.serve { base in
            let client = SafeHTTPClient(policy: .publicOnly)
            let port = base.split(separator: ":").last!
            for url in [
                "\(base)/redirect/0", "http://localhost:\(port)/redirect/0", "http://0x7f.1:\(port)/redirect/0",
            ] {
                let error = try await #require(throws: EgressError.self) {
                    try await client.send(SafeHTTPRequest(url: url), maximumBytes: 1000)
                }
                guard case .forbiddenAddress = error else {
                    Issue.record("\(url): \(error)")
                    continue
                }
            }
        }
        #expect(receiver.requests.isEmpty)
    }

    @Test("with an explicit loopback allowance, requests and up to 3 redirects go through")
    func followsRedirects() async throws {
        let receiver = LoopbackReceiver()
        try await receiver.serve { base in
            let response = try await Self.loopbackAllowed.send(
                SafeHTTPRequest(url: "\(base)/redirect/3"), maximumBytes: 1000)
            #expect(response.status == 200 && String(decoding: response.body, as: UTF8.self) == "arrived")
            #expect(response.url.path == "/redirect/0")
            let error = try await #require(throws: EgressError.self) {
                try await Self.loopbackAllowed.send(SafeHTTPRequest(url: "\(base)/redirect/4"), maximumBytes: 1000)
            }
            #expect(error == .tooManyRedirects(3))
            let unfollowed = try await Self.loopbackAllowed.send(
                SafeHTTPRequest(url: "\(base)/redirect/1"), maximumBytes: 1000, followRedirects: false)
            #expect(unfollowed.status == 302)
        }
    }

    @Test("every redirect hop is checked again: a hop to the cloud metadata address is refused")
    func rechecksHops() async throws {
        let receiver = LoopbackReceiver()
        try await receiver.serve { base in
            let error = try await #require(throws: EgressError.self) {
                try await Self.loopbackAllowed.send(SafeHTTPRequest(url: "\(base)/to-metadata"), maximumBytes: 1000)
            }
            #expect(error == .forbiddenAddress(host: "169.254.169.254", address: "169.254.169.254"))
        }
    }

    @Test("bodies over the byte cap are cut off")
    func capsBytes() async throws {
        let receiver = LoopbackReceiver()
        try await receiver.serve { base in
            let error = try await #require(throws: EgressError.self) {
                try await Self.loopbackAllowed.send(SafeHTTPRequest(url: "\(base)/big"), maximumBytes: 10_000)
            }
            #expect(error == .tooLarge(limit: 10_000))
            let whole = try await Self.loopbackAllowed.send(SafeHTTPRequest(url: "\(base)/big"), maximumBytes: 100_000)
            #expect(whole.body.count == 100_000)
        }
    }

    @Test(
        "only absolute http and https URLs without credentials are accepted",
        arguments: [
            "ftp://example.com/a.png", "file:///etc/passwd", "/relative", "gopher://x",
        ])
    func refusesURLs(url: String) async throws {
        let error = try await #require(throws: EgressError.self) {
            try await Self.loopbackAllowed.send(SafeHTTPRequest(url: url), maximumBytes: 1000)
        }
        #expect(error == .unsupportedURL(url))
    }

    @Test("a URL with credentials is refused for what it is, and the refusal never shows the password")
    func refusesCredentials() async throws {
        let url = "https://someone:hunter2-secret@cdn.example.com/a.png?token=also-secret"
        let error = try await #require(throws: EgressError.self) {
            try await Self.loopbackAllowed.send(SafeHTTPRequest(url: url), maximumBytes: 1000)
        }
        #expect(error == .credentialsInURL(url))
        #expect(error.description.contains("user name or password"))
        #expect(error.description.contains("cdn.example.com/a.png"))
        for secret in ["hunter2-secret", "someone", "also-secret"] { #expect(!error.description.contains(secret)) }
        #expect(!"\(error)".contains("hunter2-secret") && !String(reflecting: error).contains("hunter2-secret"))
    }
}
