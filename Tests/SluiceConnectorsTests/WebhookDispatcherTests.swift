import Foundation
import Logging
import SluiceConnectors
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

@Suite("Webhook deliveries")
struct WebhookDispatcherTests {
    static let registry = try! JobTypeRegistry([JobType(name: "noop", label: "No-op")])
    static let brand = UUID()
    static let secret = "whsec-0123456789abcdef"
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func alert(_ key: String) -> AlertEvent {
        AlertEvent(kind: .runFailed, brandID: brand, key: key, data: ["run_id": .int(7)], occurredAt: Date())
    }

    static func dispatcher(_ store: any JobStore, egress: EgressPolicy) -> WebhookDispatcher {
        WebhookDispatcher(
            store: store, egress: egress,
            retryPolicy: RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(300), jitter: 0),
            pollInterval: .milliseconds(50), logger: quiet)
    }

    /// Polls until `condition` holds (generous deadline for a loaded machine).
    static func eventually<T: Sendable>(_ condition: @Sendable () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let value = try await condition() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met in 30 s")
        throw CancellationError()
    }

    @Test(
        "an alert is delivered once, signed; a failing receiver gets it again after the backoff",
        arguments: TestBackend.allCases)
    func deliversWithRetry(backend: TestBackend) async throws {
        let receiver = LoopbackReceiver(failures: 1)
        try await receiver.serve { base in
            try await backend.withDatabase(configuration: StoreConfiguration(registry: Self.registry)) { database in
                let store = database.stores[0]
                let hook = try await store.createWebhook(
                    WebhookRequest(brandID: Self.brand, url: "\(base)/hook", secret: Self.secret))
                #expect(try await store.enqueueAlert(Self.alert("run.failed:7:1")) == 1)
                let delivery = try await withRunningServices(
                    [Self.dispatcher(store, egress: EgressPolicy(allowsLoopback: true))], logger: Self.quiet
                ) {
                    try await Self.eventually {
                        try await store.deliveries(webhookID: hook.id, limit: 10).first { $0.state == .delivered }
                    }
                }
                #expect(delivery.attempts == 2 && delivery.lastStatus == 204)
                let requests = receiver.requests
                #expect(requests.count == 2, "one failed attempt, one delivery, nothing after")
                for request in requests {
                    #expect(request.body == delivery.body)
                    #expect(request.headers["content-type"] == "application/json")
                    #expect(request.headers["sluice-event"] == "run.failed")
                    let signature = try #require(request.headers["sluice-signature"])
                    #expect(
                        WebhookSignature.isValid(
                            header: signature, body: request.body, secret: Self.secret, now: Date()))
                    #expect(
                        !WebhookSignature.isValid(
                            header: signature, body: request.body, secret: "another-secret-value", now: Date()))
                    #expect(
                        !WebhookSignature.isValid(
                            header: signature, body: request.body + " ", secret: Self.secret, now: Date()))
                }
                #expect(requests[1].at - requests[0].at >= .milliseconds(250), "retried after the backoff")
            }
        }
    }

    @Test(
        "a receiver on a forbidden address is never contacted; the delivery fails at once",
        arguments: TestBackend.allCases)
    func refusesForbidden(backend: TestBackend) async throws {
        let receiver = LoopbackReceiver()
        try await receiver.serve { base in
            try await backend.withDatabase(configuration: StoreConfiguration(registry: Self.registry)) { database in
                let store = database.stores[0]
                let hook = try await store.createWebhook(
                    WebhookRequest(brandID: nil, url: "\(base)/hook", secret: Self.secret))
                let test = try await store.enqueueTestDelivery(webhookID: hook.id)
                #expect(try await Self.dispatcher(store, egress: .publicOnly).dispatchDue() == 1)
                let failed = try #require(try await store.deliveries(webhookID: hook.id, limit: 1).first)
                #expect(failed.id == test.id && failed.state == .failed && failed.attempts == 1)
                #expect(failed.lastError?.contains("not a public address") == true)
            }
        }
        #expect(receiver.requests.isEmpty)
    }

    @Test(
        "a receiver that keeps failing gets the delivery's attempts, then it is given up",
        arguments: TestBackend.allCases)
    func givesUp(backend: TestBackend) async throws {
        let receiver = LoopbackReceiver(failures: 100)
        try await receiver.serve { base in
            try await backend.withDatabase(configuration: StoreConfiguration(registry: Self.registry)) { database in
                let store = database.stores[0]
                let hook = try await store.createWebhook(
                    WebhookRequest(brandID: nil, url: "\(base)/hook", secret: Self.secret))
                _ = try await store.enqueueAlert(Self.alert("run.failed:9:1"))
                let dispatcher = WebhookDispatcher(
                    store: store, egress: EgressPolicy(allowsLoopback: true),
                    retryPolicy: RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(50), jitter: 0),
                    pollInterval: .milliseconds(20), logger: Self.quiet)
                let failed = try await withRunningServices([dispatcher], logger: Self.quiet) {
                    try await Self.eventually {
                        try await store.deliveries(webhookID: hook.id, limit: 1).first { $0.state == .failed }
                    }
                }
                #expect(failed.attempts == 2 && failed.lastStatus == 500)
                #expect(failed.lastError == "the receiver answered HTTP 500")
            }
        }
        #expect(receiver.requests.count == 2)
    }

    @Test("signatures expire: a timestamp outside the tolerance is refused")
    func signatureTolerance() {
        let sent = Date(timeIntervalSince1970: 1_767_225_600)
        let header = WebhookSignature.header(body: "{}", secret: Self.secret, at: sent)
        #expect(header.hasPrefix("t=1767225600,v1="))
        #expect(WebhookSignature.isValid(header: header, body: "{}", secret: Self.secret, now: sent + 299))
        #expect(!WebhookSignature.isValid(header: header, body: "{}", secret: Self.secret, now: sent + 301))
        #expect(!WebhookSignature.isValid(header: "garbage", body: "{}", secret: Self.secret, now: sent))
    }
}
