import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore
import SluiceTestSupport

/// A small W3C WebDriver client for chromedriver on 127.0.0.1: navigate, find, click, type, read, wait, and take
/// screenshots. Every wait polls with a deadline; nothing sleeps and hopes.
struct WebDriver: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String

        /// The element was replaced or removed since it was found (Chromium says so in two ways).
        var isStaleElement: Bool {
            description.contains("stale element") || description.contains("does not belong to the document")
        }
    }

    private static let elementKey = "element-6066-11e4-a52e-4f735466cecf"
    let base: String
    let session: String

    /// Chromium's flags: headless, and no traffic to anything but loopback (no proxy for loopback; every other
    /// address goes to a closed local port, host names other than localhost do not resolve, and the UDP senders —
    /// QUIC, WebRTC, media-router discovery — are off).
    static let chromiumArguments = [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-domain-reliability", "--disable-extensions",
        "--disable-client-side-phishing-detection", "--disable-default-apps", "--metrics-recording-only",
        "--disable-quic", "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--disable-features=MediaRouter,DialMediaRouteProvider,OptimizationHints,Translate",
        "--proxy-server=http://127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ]

    /// Opens a session on the chromedriver at `base`.
    static func session(base: String, chromium: String) async throws -> WebDriver {
        let capabilities: JSONObject = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": .string(chromium), "args": .array(chromiumArguments.map(JSONValue.string)),
                    ],
                ]
            ]
        ]
        let value = try await call(base + "/session", .POST, capabilities)
        guard case .object(let object) = value, let id = object["sessionId"]?.stringValue else {
            throw Failure(description: "chromedriver opened no session: \(value.jsonText.prefix(500))")
        }
        return WebDriver(base: base, session: id)
    }

    func quit() async { _ = try? await command(.DELETE, "") }

    func go(_ url: String) async throws { _ = try await command(.POST, "/url", ["url": .string(url)]) }

    var currentURL: String {
        get async throws { try await command(.GET, "/url").stringValue ?? "" }
    }

    /// The first element matching `css`, waiting up to `timeout` for one to appear.
    func element(_ css: String, timeout: Duration = .seconds(60)) async throws -> String {
        var found: String?
        try await waitUntil("an element matching \(css)", timeout: timeout) {
            found = try await elements(css).first
            return found != nil
        }
        return found!
    }

    func elements(_ css: String) async throws -> [String] {
        let value = try await command(.POST, "/elements", ["using": "css selector", "value": .string(css)])
        guard case .array(let items) = value else { return [] }
        return items.compactMap { item in
            guard case .object(let object) = item else { return nil }
            return object[Self.elementKey]?.stringValue
        }
    }

    func click(_ css: String) async throws {
        try await onElement(css) { id in _ = try await command(.POST, "/element/\(id)/click", [:]) }
    }

    /// Replaces the text of the input matching `css`.
    func type(_ css: String, _ text: String) async throws {
        try await onElement(css) { id in
            _ = try await command(.POST, "/element/\(id)/clear", [:])
            _ = try await command(.POST, "/element/\(id)/value", ["text": .string(text)])
        }
    }

    func text(_ css: String) async throws -> String {
        var text = ""
        try await onElement(css) { id in text = try await command(.GET, "/element/\(id)/text").stringValue ?? "" }
        return text
    }

    /// Runs `action` on the first element matching `css`, finding it again when the live page replaced it meanwhile
    /// (the dashboard re-renders parts of itself as runs change).
    private func onElement(_ css: String, _ action: (String) async throws -> Void) async throws {
        try await waitUntil("an element matching \(css) that stays in the page") {
            guard let id = try await elements(css).first else { return false }
            try await action(id)
            return true
        }
    }

    /// Runs `script` in the page (its `arguments` are `arguments`) and returns its result.
    @discardableResult
    func execute(_ script: String, _ arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command(.POST, "/execute/sync", ["script": .string(script), "args": .array(arguments)])
    }

    /// Waits until the text of the element matching `css` contains `expected`.
    func waitForText(_ css: String, contains expected: String, timeout: Duration = .seconds(90)) async throws {
        try await waitUntil("\(css) to show \(expected)", timeout: timeout) {
            let found = try await elements(css)
            guard let id = found.first else { return false }
            let text = try await command(.GET, "/element/\(id)/text").stringValue ?? ""
            return text.contains(expected)
        }
    }

    /// Polls `condition` every 100 ms until it holds; fails after `timeout` naming what it waited for.
    func waitUntil(
        _ what: String, timeout: Duration = .seconds(90), every interval: Duration = .milliseconds(100),
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                if try await condition() { return }
            } catch let failure as Failure where failure.isStaleElement {
                // The page changed under the element: look again.
            }
            guard ContinuousClock.now < deadline else {
                throw Failure(description: "timed out after \(timeout) waiting for \(what) on \(try await currentURL)")
            }
            try await Task.sleep(for: interval)
        }
    }

    /// Saves a PNG of the viewport's page, full height, to `file`.
    func screenshot(_ file: URL) async throws {
        let height = try await execute("return document.documentElement.scrollHeight;").intValue ?? 1000
        _ = try? await Self.call(
            base + "/session/\(session)/window/rect", .POST,
            ["width": 1280, "height": .int(min(max(height, 700), 4000) + 120)])
        guard let encoded = try await command(.GET, "/screenshot").stringValue, let data = Data(base64Encoded: encoded)
        else { throw Failure(description: "chromedriver returned no screenshot") }
        try data.write(to: file)
    }

    private func command(_ method: HTTPMethod, _ path: String, _ body: JSONObject? = nil) async throws -> JSONValue {
        try await Self.call(base + "/session/\(session)" + path, method, body)
    }

    private static func call(_ url: String, _ method: HTTPMethod, _ body: JSONObject? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: JSONValue.object(body).jsonText))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let json = try JSONValue(parsing: String(buffer: bytes))
        guard case .object(let object) = json else { throw Failure(description: "not JSON: \(url)") }
        let value = object["value"] ?? .null
        if response.status.code >= 400 {
            throw Failure(description: "WebDriver \(method) \(url): \(value.jsonText.prefix(600))")
        }
        return value
    }
}
