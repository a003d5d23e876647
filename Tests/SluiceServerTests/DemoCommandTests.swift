import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SluiceCore
import SluiceTestSupport
import Testing

/// `sluice demo`, the README's first command, run as the real binary.
@Suite("sluice demo")
struct DemoCommandTests {
    @Test("starts offline with the fake Meta servers, seeds a brand, three competitors and a recurring sync, scrapes")
    func demo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-demo-test-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = try ChildProcess(
            try SiblingExecutable.url(named: "sluice"),
            ["demo", "--port", "0", "--database", folder.appendingPathComponent("demo.sqlite").path],
            name: "demo", folder: folder)
        do {
            let token = try await demo.wait(for: #"(sluice_[A-Za-z0-9_-]+)"#)
            let port = try await demo.wait(for: #"serving on http://127\.0\.0\.1:(\d+)"#)
            #expect(demo.printed.contains("seeded brand Acme Coffee with 3 competitors"))
            let api = "http://127.0.0.1:\(port)/api/v1"
            let brands = try await Self.get(api + "/brands", token: token)
            let brand = try #require(brands["items"]?.arrayValue?.first?.objectValue)
            #expect(brand["name"] == .string("Acme Coffee"))
            let brandID = try #require(brand["id"]?.stringValue)
            let competitors = try await Self.get(api + "/brands/\(brandID)/competitors", token: token)
            let names = (competitors["items"]?.arrayValue ?? []).compactMap { $0.objectValue?["name"]?.stringValue }
            #expect(Set(names) == ["Rival Coffee", "Bean Bros", "Roast Republic"])
            let jobs = try await Self.get(api + "/jobs?job_type=meta_sync", token: token)
            #expect(jobs["items"]?.arrayValue?.count == 1)
            // A scrape against the fake Ad Library succeeds, offline.
            let rival = try #require(
                (competitors["items"]?.arrayValue ?? []).compactMap(\.objectValue).first {
                    $0["name"] == .string("Rival Coffee")
                })
            var request = HTTPClientRequest(url: api + "/jobs")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            let body: JSONObject = [
                "brand_id": .string(brandID), "job_type": "competitor_scrape", "mode": "direct",
                "parameters": [
                    "competitor_id": rival["id"] ?? .null, "ad_library_url": rival["ad_library_url"] ?? .null,
                    "max_ads": 20,
                ],
            ]
            request.body = .bytes(.init(string: JSONValue.object(body).jsonText))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            let answer = try JSONValue(parsing: String(buffer: try await response.body.collect(upTo: 1 << 20)))
            #expect(response.status == .created)
            #expect(answer.objectValue?["run"]?.objectValue?["state"] == .string("succeeded"))
        } catch {
            Issue.record("sluice demo printed:\n\(demo.printed.suffix(4000))")
            await demo.stop()
            throw error
        }
        #expect(await demo.stop() == 0)
    }

    static func get(_ url: String, token: String) async throws -> JSONObject {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let text = String(buffer: try await response.body.collect(upTo: 4 << 20))
        guard case .object(let object) = try JSONValue(parsing: text) else { return [:] }
        return object
    }
}
