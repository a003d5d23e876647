import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static func alert(
        _ kind: AlertKind = .runFailed, brand: UUID = ConformanceJobTypes.brandA, key: String
    )
        -> AlertEvent
    {
        AlertEvent(
            kind: kind, brandID: brand, key: key, data: ["run_id": .int(1)],
            occurredAt: Date(timeIntervalSince1970: 1_767_225_600))
    }

    static let webhookCases: [ConformanceCase] = [
        ConformanceCase("alerts reach the webhooks of their brand and the global ones, once per key and kind") {
            fixture in
            let store = fixture.store
            let (brandA, brandB) = (ConformanceJobTypes.brandA, ConformanceJobTypes.brandB)
            let global = try await store.createWebhook(
                WebhookRequest(brandID: nil, url: "https://hooks.example.com/all", secret: "0123456789abcdef"))
            let onlyA = try await store.createWebhook(
                WebhookRequest(
                    brandID: brandA, url: "http://127.0.0.1:9/a", secret: "0123456789abcdef", kinds: [.runFailed]))
            let datasetsOfB = try await store.createWebhook(
                WebhookRequest(
                    brandID: brandB, url: "http://127.0.0.1:9/b", secret: "0123456789abcdef",
                    kinds: [.datasetFailing]))
            #expect(try await store.webhooks(brandID: nil).map(\.id) == [global.id, onlyA.id, datasetsOfB.id])
            #expect(try await store.webhooks(brandID: brandA).map(\.kinds) == [[.runFailed]])
            #expect(try await store.enqueueAlert(alert(key: "run.failed:1")) == 2)
            #expect(try await store.enqueueAlert(alert(key: "run.failed:1")) == 0)
            #expect(try await store.enqueueAlert(alert(.runFailed, brand: brandB, key: "run.failed:2")) == 1)
            #expect(try await store.enqueueAlert(alert(.datasetFailing, brand: brandB, key: "dataset.failing:x")) == 2)
            #expect(try await store.deliveries(webhookID: global.id, limit: 10).count == 3)
            let delivered = try await store.deliveries(webhookID: onlyA.id, limit: 10)
            #expect(delivered.map(\.eventKey) == ["run.failed:1"] && delivered[0].state == .pending)
            let body = try JSONCoding.decodeObject(delivered[0].body)
            #expect(body["type"] == .string("run.failed") && body["id"] == .string("run.failed:1"))
            #expect(body["brand_id"] == .string(brandA.uuidString.lowercased()))
            #expect(body["data"] == .object(["run_id": .int(1)]))
            try await store.deleteWebhook(id: global.id)
            #expect(try await store.deliveries(webhookID: global.id, limit: 10).isEmpty)
            await expectError(.notFound) { try await store.deleteWebhook(id: global.id) }
        },
        ConformanceCase("a claimed delivery is leased: it comes back only if its attempt is not recorded in time") {
            fixture in
            let store = fixture.store
            let hook = try await store.createWebhook(
                WebhookRequest(brandID: nil, url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef"))
            _ = try await store.enqueueAlert(alert(key: "run.failed:1"))
            let claimed = try await store.claimDeliveries(limit: 10, leaseFor: .seconds(30))
            #expect(claimed.count == 1 && claimed[0].url == hook.url && claimed[0].secret == "0123456789abcdef")
            #expect(claimed[0].delivery.attempts == 1)
            #expect(try await store.claimDeliveries(limit: 10, leaseFor: .seconds(30)).isEmpty)
            fixture.clock.advance(by: .seconds(31))  // the sender died: it is due again
            let again = try await store.claimDeliveries(limit: 10, leaseFor: .seconds(30))
            #expect(again.map(\.delivery.attempts) == [2])
            let retryAt = fixture.clock.now().addingTimeInterval(5)
            let failed = try await store.recordDeliveryAttempt(
                DeliveryAttempt(
                    deliveryID: again[0].delivery.id, outcome: .failed(status: 503, error: "HTTP 503", retryAt: retryAt)
                ))
            #expect(failed.state == .pending && failed.lastStatus == 503 && failed.nextAttemptAt == stored(retryAt))
            #expect(try await store.claimDeliveries(limit: 10, leaseFor: .seconds(30)).isEmpty)
            fixture.clock.advance(by: .seconds(5))
            let third = try await store.claimDeliveries(limit: 10, leaseFor: .seconds(30))
            let delivered = try await store.recordDeliveryAttempt(
                DeliveryAttempt(deliveryID: third[0].delivery.id, outcome: .delivered(status: 204)))
            #expect(delivered.state == .delivered && delivered.attempts == 3 && delivered.lastStatus == 204)
            #expect(delivered.deliveredAt == stored(fixture.clock.now()) && delivered.nextAttemptAt == nil)
            await expectError(.notFound) {
                try await store.recordDeliveryAttempt(
                    DeliveryAttempt(deliveryID: delivered.id, outcome: .delivered(status: 200)))
            }
            // Giving up.
            _ = try await store.enqueueAlert(alert(key: "run.failed:2"))
            let last = try await store.claimDeliveries(limit: 10, leaseFor: .seconds(30))
            let gaveUp = try await store.recordDeliveryAttempt(
                DeliveryAttempt(
                    deliveryID: last[0].delivery.id, outcome: .failed(status: nil, error: "refused", retryAt: nil)))
            #expect(gaveUp.state == .failed && gaveUp.lastError == "refused")
        },
        ConformanceCase("a test delivery goes to one webhook; webhook requests are validated") { fixture in
            let store = fixture.store
            let hook = try await store.createWebhook(
                WebhookRequest(
                    brandID: ConformanceJobTypes.brandA, url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef",
                    kinds: [.runFailed]))
            let test = try await store.enqueueTestDelivery(webhookID: hook.id)
            #expect(test.kind == .test && test.state == .pending && test.webhookID == hook.id)
            #expect(try await store.claimDeliveries(limit: 10, leaseFor: .seconds(30)).map(\.delivery.id) == [test.id])
            await expectError(.notFound) { try await store.enqueueTestDelivery(webhookID: hook.id + 100) }
            for (url, field) in [("ftp://example.com/x", "url"), ("not a url", "url"), ("https://", "url")] {
                await expectError(.invalidArgument, field: field) {
                    try await store.createWebhook(WebhookRequest(brandID: nil, url: url, secret: "0123456789abcdef"))
                }
            }
            await expectError(.invalidArgument, field: "secret") {
                try await store.createWebhook(WebhookRequest(brandID: nil, url: "https://example.com", secret: "short"))
            }
            #expect(try await store.webhooks(brandID: nil).count == 1)
        },
        ConformanceCase("a run that fails for good raises one run.failed alert in the transaction that fails it") {
            fixture in
            let store = fixture.store
            let hook = try await store.createWebhook(
                WebhookRequest(brandID: nil, url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef"))
            try await fixture.enqueue()
            let first = try await fixture.claimOne()
            _ = try await store.failRun(
                try fixture.lease(of: first), RunFailure(error: "boom", retryAt: fixture.clock.now()))
            #expect(try await store.deliveries(webhookID: hook.id, limit: 10).isEmpty, "a retried failure")
            let second = try await fixture.claimOne()
            _ = try await store.failRun(try fixture.lease(of: second), RunFailure(error: "boom again", retryAt: nil))
            let deliveries = try await store.deliveries(webhookID: hook.id, limit: 10)
            #expect(deliveries.map(\.eventKey) == ["run.failed:\(first.id):2"])
            let body = try JSONCoding.decodeObject(deliveries[0].body)
            #expect(body["type"] == .string("run.failed"))
            // A rescue that gives up raises it too.
            try await fixture.enqueue()
            for _ in 0..<3 {
                _ = try await fixture.claim(lease: .seconds(1))
                fixture.clock.advance(by: .seconds(2))
                _ = try await store.rescueExpiredRuns(limit: 10)
                fixture.clock.advance(by: .seconds(60))
            }
            #expect(try await store.deliveries(webhookID: hook.id, limit: 10).count == 2)
        },
        ConformanceCase("old refresh history and finished deliveries are pruned in batches; pending ones are kept") {
            fixture in
            let store = fixture.store
            let hook = try await store.createWebhook(
                WebhookRequest(brandID: nil, url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef"))
            for run in Int64(1)...3 {
                try await store.recordDatasetEvent(
                    DatasetEvent(
                        brandID: ConformanceJobTypes.brandA, dataset: "competitor_ads", runID: run,
                        outcome: .succeeded(rowsWritten: run)))
                _ = try await store.enqueueAlert(alert(key: "run.failed:\(run)"))
            }
            let claimed = try await store.claimDeliveries(limit: 2, leaseFor: .seconds(30))
            for item in claimed {
                _ = try await store.recordDeliveryAttempt(
                    DeliveryAttempt(deliveryID: item.delivery.id, outcome: .delivered(status: 200)))
            }
            fixture.clock.advance(by: .seconds(10))
            try await store.recordDatasetEvent(
                DatasetEvent(
                    brandID: ConformanceJobTypes.brandA, dataset: "competitor_ads", runID: 4,
                    outcome: .succeeded(rowsWritten: 4)))
            let cutoff = fixture.clock.now().addingTimeInterval(-5)
            let first = try await store.prunePipeline(
                PipelinePruneRequest(historyBefore: cutoff, deliveriesBefore: cutoff, batchSize: 2))
            #expect(first.historyDeleted == 2 && first.deliveriesDeleted == 2 && !first.isComplete)
            let second = try await store.prunePipeline(
                PipelinePruneRequest(historyBefore: cutoff, deliveriesBefore: cutoff, batchSize: 2))
            #expect(second.historyDeleted == 1 && second.deliveriesDeleted == 0 && second.isComplete)
            let history = try await store.datasetHistory(
                DatasetHistoryQuery(brandID: ConformanceJobTypes.brandA, dataset: "competitor_ads"))
            #expect(history.map(\.runID) == [4])
            #expect(try await store.deliveries(webhookID: hook.id, limit: 10).map(\.state) == [.pending])
        },
        ConformanceCase("a recurring job's missed tick raises one alert in the scheduling transaction") { fixture in
            let hook = try await fixture.store.createWebhook(
                WebhookRequest(brandID: nil, url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef"))
            fixture.clock.set(Date(timeIntervalSince1970: 1_767_225_600))
            let job = try await fixture.enqueue(schedule: .cron("0 * * * *", timeZone: "UTC"))
            fixture.clock.advance(by: .seconds(3600 + 30))  // the 01:00 tick reached in time: no alert
            _ = try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest())
            #expect(try await fixture.store.deliveries(webhookID: hook.id, limit: 10).isEmpty)
            fixture.clock.advance(by: .seconds(3 * 3600))  // 04:00:30; 02:00 missed
            _ = try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest())
            _ = try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest())
            let deliveries = try await fixture.store.deliveries(webhookID: hook.id, limit: 10)
            #expect(deliveries.map(\.kind) == [.tickMissed])
            let body = try JSONCoding.decodeObject(deliveries[0].body)
            guard case .object(let data) = body["data"] else {
                Issue.record("no data in \(body)")
                return
            }
            #expect(data["job_id"] == .int(job.job.id) && data["action"] == .string("run_once"))
            #expect(data["tick"] == .string("2026-01-01T02:00:00Z"))
        },
    ]
}
