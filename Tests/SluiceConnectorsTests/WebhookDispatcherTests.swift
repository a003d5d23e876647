import Foundation
import Logging
import SluiceConnectors
import SluiceCore
import SluiceEngine
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

    static func dispatcher(
        _ store: any JobStore, egress: EgressPolicy, clock: any WallClock = SystemWallClock()
    ) -> WebhookDispatcher {
        WebhookDispatcher(
            store: store, transport: SafeHTTPClient(policy: egress, timeout: .seconds(10)),
            configuration: WebhookDispatcher.Configuration(
                retryPolicy: RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(300), jitter: 0)),
            clock: clock, logger: quiet)
    }

    @Test(
        "an alert is delivered once, signed; a failing receiver gets it again after the backoff",
        arguments: TestBackend.allCases)
    func deliversWithRetry(backend: TestBackend) async throws {
        let receiver = LoopbackReceiver(failures: 1)
        try await receiver.serve { base in
            // Passes are driven one by one on a manual clock: the backoff is checked without waiting for it.
            let clock = ManualWallClock(Date().roundedToMicroseconds)
            let configuration = StoreConfiguration(registry: Self.registry, clock: clock)
            try await backend.withDatabase(configuration: configuration) { database in
                let store = database.stores[0]
                _ = try await store.createBrand(id: Self.brand, name: "Hooked")
                let hook = try await store.createWebhook(
                    WebhookRequest(brandID: Self.brand, url: "\(base)/hook", secret: Self.secret))
                #expect(try await store.enqueueAlert(Self.alert("run.failed:7:1")) == 1)
                let dispatcher = Self.dispatcher(store, egress: EgressPolicy(allowsLoopback: true), clock: clock)
                #expect(try await dispatcher.dispatchDue() == 1)
                let retrying = try #require(try await store.deliveries(webhookID: hook.id, limit: 10).first)
                #expect(retrying.state == .pending && retrying.attempts == 1 && retrying.lastStatus == 500)
                #expect(
                    retrying.nextAttemptAt == clock.now().addingTimeInterval(0.3).roundedToMicroseconds,
                    "retried after the backoff")
                clock.advance(by: .milliseconds(299))
                #expect(try await dispatcher.dispatchDue() == 0, "not before the backoff")
                clock.advance(by: .milliseconds(1))
                #expect(try await dispatcher.dispatchDue() == 1)
                let delivery = try #require(try await store.deliveries(webhookID: hook.id, limit: 10).first)
                #expect(delivery.state == .delivered && delivery.attempts == 2 && delivery.lastStatus == 204)
                #expect(try await dispatcher.dispatchDue() == 0)
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
            let clock = ManualWallClock(Date().roundedToMicroseconds)
            let configuration = StoreConfiguration(registry: Self.registry, clock: clock)
            try await backend.withDatabase(configuration: configuration) { database in
                let store = database.stores[0]
                let hook = try await store.createWebhook(
                    WebhookRequest(brandID: nil, url: "\(base)/hook", secret: Self.secret))
                _ = try await store.enqueueAlert(Self.alert("run.failed:9:1"))
                let dispatcher = WebhookDispatcher(
                    store: store,
                    transport: SafeHTTPClient(policy: EgressPolicy(allowsLoopback: true), timeout: .seconds(10)),
                    configuration: WebhookDispatcher.Configuration(
                        retryPolicy: RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(50), jitter: 0)),
                    clock: clock, logger: Self.quiet)
                #expect(try await dispatcher.dispatchDue() == 1)
                clock.advance(by: .milliseconds(50))
                #expect(try await dispatcher.dispatchDue() == 1)
                let failed = try #require(try await store.deliveries(webhookID: hook.id, limit: 1).first)
                #expect(failed.state == .failed && failed.nextAttemptAt == nil)
                clock.advance(by: .seconds(3600))
                #expect(try await dispatcher.dispatchDue() == 0, "given up")
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
