import Foundation
import Testing

@testable import SluiceConnectors
@testable import SluiceFakes

@Suite("Asset downloads against a server that lies about its length")
struct AssetDownloaderTests {
    @Test(
        "a body that does not match its Content-Length is a retryable failed download, and nothing is stored",
        arguments: [-300, 300])
    func lengthMismatch(announcedMinusSent difference: Int) async throws {
        let png = FakeMetaServer.media(for: "a.png", video: false)
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: \(png.count + difference)\r\n"
            + "Connection: close\r\n\r\n"
        let assets = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-assets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: assets) }
        let downloader = AssetDownloader(
            store: try AssetStore(root: assets), egress: EgressPolicy(allowsLoopback: true))
        let outcome = try await RawResponseServer.serve(answering: Array(head.utf8) + png) { base in
            await downloader.download(from: "\(base)/cdn/a.png")
        }
        guard case .failed(let reason, let retryable) = outcome else {
            Issue.record("a length mismatch was \(outcome)")
            return
        }
        #expect(retryable, "\(reason)")
        let stored = FileManager.default.enumerator(at: assets, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { ($0 as? URL).flatMap { try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile } }
            .filter { $0 }
        #expect((stored ?? []).isEmpty, "a file was stored for a mismatched body")
    }
}
