import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An Apify-shaped scraper feed over the same corpus: start a run with an Ad Library URL and a limit
/// (`POST /v2/acts/{actor}/runs` → 201 `{data: {id, status: "READY", defaultDatasetId}}`), poll it
/// (`GET /v2/actor-runs/{id}`: READY → RUNNING → SUCCEEDED), then page its dataset
/// (`GET /v2/datasets/{id}/items?offset&limit`) of camelCase items with snapshots whose images and videos are on
/// the fake CDN.
extension FakeMetaServer {
    /// The scraper token the feed accepts.
    public static let scraperToken = "fake-apify-token"

    func addScraperFeedRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v2/acts/:actor/runs") { [self] request, _ -> Response in
            record(request)
            guard Self.scraperAuthorized(request) else { return Self.apifyError(.unauthorized, "token is not valid") }
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let input = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                let urls = input["urls"] as? [[String: Any]], let url = urls.first?["url"] as? String
            else { return Self.apifyError(.badRequest, "input.urls must list one Ad Library URL") }
            let limit = (input["count"] as? Int) ?? 100
            guard let components = URLComponents(string: url),
                let page = components.queryItems?.first(where: { $0.name == "view_all_page_id" })?.value
            else { return Self.apifyError(.badRequest, "input.urls[0].url is not an Ad Library page URL") }
            let ads = corpus.ads.filter { $0.pageID == page }.prefix(limit)
            let id = feedRuns.withLock { runs in
                let id = "run\(runs.count + 1)"
                runs[id] = FeedRun(ads: Array(ads), polls: 0)
                return id
            }
            return try Self.json(
                ["data": ["id": id, "status": "READY", "defaultDatasetId": "ds-\(id)"]], status: .created)
        }
        router.get("/v2/actor-runs/:id") { [self] request, context -> Response in
            record(request)
            guard Self.scraperAuthorized(request) else { return Self.apifyError(.unauthorized, "token is not valid") }
            let id = context.parameters.get("id") ?? ""
            guard
                let polls = feedRuns.withLock({ runs -> Int? in
                    runs[id]?.polls += 1
                    return runs[id]?.polls
                })
            else { return Self.apifyError(.notFound, "run not found") }
            let status = ["READY", "RUNNING", "SUCCEEDED"][min(polls - 1, 2)]
            return try Self.json(["data": ["id": id, "status": status, "defaultDatasetId": "ds-\(id)"]])
        }
        router.get("/v2/datasets/:dataset/items") { [self] request, context -> Response in
            record(request)
            guard Self.scraperAuthorized(request) else { return Self.apifyError(.unauthorized, "token is not valid") }
            let dataset = context.parameters.get("dataset") ?? ""
            guard dataset.hasPrefix("ds-"), let run = feedRuns.withLock({ $0[String(dataset.dropFirst(3))] }) else {
                return Self.apifyError(.notFound, "dataset not found")
            }
            let query = request.uri.queryParameters
            let offset = query["offset"].flatMap { Int(String($0)) } ?? 0
            let limit = query["limit"].flatMap { Int(String($0)) } ?? 1000
            let base = "http://\(request.head.authority ?? "127.0.0.1")"
            let items = run.ads.dropFirst(offset).prefix(limit).map { feedItem($0, base: base) }
            let data = try JSONSerialization.data(withJSONObject: Array(items), options: [.sortedKeys])
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json",
                    HTTPField.Name("X-Apify-Pagination-Total")!: String(run.ads.count),
                    HTTPField.Name("X-Apify-Pagination-Offset")!: String(offset),
                ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    private func feedItem(_ ad: AdCorpus.Ad, base: String) -> [String: Any] {
        func seconds(_ day: String?) -> Any {
            guard let day, let date = try? Date("\(day)T07:00:00Z", strategy: .iso8601) else { return NSNull() }
            return Int(date.timeIntervalSince1970)
        }
        let lifetime = Double(cdnURLLifetime.withLock { $0 }.components.seconds)
        let expiry = Int(Date().timeIntervalSince1970 + lifetime)
        let file = "\(ad.id).\(ad.mediaType == "VIDEO" ? "mp4" : "jpg")"
        let media = "\(base)/cdn/\(file)?oe=\(String(expiry, radix: 16))&oh=\(Self.signature(file, expiry))"
        var snapshot: [String: Any] = [
            "body": ["text": ad.bodies.first ?? ""], "title": ad.titles.first ?? "",
            "link_url": "https://rival.example/",
            "cta_type": "SHOP_NOW", "display_format": ad.mediaType, "images": [], "videos": [], "cards": [],
        ]
        if ad.mediaType == "VIDEO" {
            snapshot["videos"] = [["video_hd_url": media, "video_sd_url": media]]
        } else {
            snapshot["images"] = [["original_image_url": media, "resized_image_url": media]]
        }
        return [
            "adArchiveID": ad.id, "pageID": ad.pageID, "pageName": ad.pageName, "isActive": ad.stopDate == nil,
            "startDate": seconds(ad.startDate), "endDate": seconds(ad.stopDate),
            "publisherPlatform": ad.platforms.map { $0.uppercased() }, "collationCount": 1 + Int(ad.id.suffix(1))! % 3,
            "url": "https://www.facebook.com/ads/library/?id=\(ad.id)", "snapshot": snapshot,
        ]
    }

    private static func scraperAuthorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(scraperToken)"
            || request.uri.queryParameters["token"].map(String.init) == scraperToken
    }

    private static func apifyError(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body =
            #"{"error":{"type":"\#(status.code == 401 ? "token-not-valid" : "invalid-input")","message":"\#(message)"}}"#
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// A scraper run of the fake.
struct FeedRun: Sendable {
    let ads: [AdCorpus.Ad]
    var polls: Int
}
