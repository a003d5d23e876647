import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension FakeMetaServer {
    /// The snapshot renderer and the CDN: `/ads/archive/render_ad/?id=` answers HTML whose `<img>` or `<video>`
    /// points at `/cdn/{id}.jpg|mp4?oe=<hex expiry>&oh=<signature>`, which serves deterministic real JPEG or MP4
    /// bytes until the expiry, then 403 "URL signature expired". Ads of the trap page point at redirects to private
    /// addresses instead.
    func addCDNRoutes(to router: Router<BasicRequestContext>) {
        router.get("/ads/archive/render_ad") { [self] request, _ -> Response in
            record(request)
            let base = "http://\(request.head.authority ?? "127.0.0.1")"
            guard let id = request.uri.queryParameters["id"].map(String.init),
                let index = corpus.ads.firstIndex(where: { $0.id == id })
            else { return Self.error(status: .badRequest, code: 100, message: "(#100) Unknown ad id") }
            let ad = corpus.ads[index]
            guard validTokens.contains(request.uri.queryParameters["access_token"].map(String.init) ?? "") else {
                return Self.error(status: .badRequest, code: 190, message: "Invalid OAuth access token.")
            }
            let source: String
            if ad.pageID == AdCorpus.trapPageID {
                let traps = [
                    "\(base)/trap/metadata", "\(base)/trap/private", "http://169.254.169.254/latest/meta-data/",
                ]
                source = traps[Int(ad.id.suffix(1)).map { $0 % traps.count } ?? 0]
            } else {
                let lifetime = Double(cdnURLLifetime.withLock { $0 }.components.seconds)
                let expiry = Int(Date().timeIntervalSince1970 + lifetime)
                let file = "\(ad.id).\(ad.mediaType == "VIDEO" ? "mp4" : "jpg")"
                source = "\(base)/cdn/\(file)?oe=\(String(expiry, radix: 16))&amp;oh=\(Self.signature(file, expiry))"
            }
            let tag =
                ad.mediaType == "VIDEO"
                ? "<video controls src=\"\(source)\"></video>" : "<img alt=\"\" src=\"\(source)\">"
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(
                    byteBuffer: ByteBuffer(string: "<!doctype html><html><body><div>\(tag)</div></body></html>")))
        }
        router.get("/cdn/:file") { [self] request, context -> Response in
            record(request)
            let file = context.parameters.get("file") ?? ""
            let query = request.uri.queryParameters
            guard let expiryText = query["oe"].map(String.init), let expiry = Int(expiryText, radix: 16),
                query["oh"].map(String.init) == Self.signature(file, expiry),
                Double(expiry) > Date().timeIntervalSince1970
            else {
                return Response(
                    status: .forbidden, headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: "URL signature expired")))
            }
            let video = file.hasSuffix(".mp4")
            return Response(
                status: .ok, headers: [.contentType: video ? "video/mp4" : "image/png", .eTag: "\"\(file)\""],
                body: .init(byteBuffer: ByteBuffer(bytes: Self.media(for: file, video: video))))
        }
        router.get("/trap/metadata") { [self] request, _ -> Response in
            record(request)
            return Response(status: .found, headers: [.location: "http://169.254.169.254/latest/meta-data/"])
        }
        router.get("/trap/private") { [self] request, _ -> Response in
            record(request)
            return Response(status: .found, headers: [.location: "http://10.0.0.1/internal.jpg"])
        }
    }

    static func signature(_ file: String, _ expiry: Int) -> String {
        String(
            UInt64(
                bitPattern: Int64(
                    truncatingIfNeeded: (file + String(expiry)).utf8.reduce(5381) { ($0 &* 33) &+ Int($1) })), radix: 16
        )
    }

    /// Deterministic bytes per file: a real PNG picture, or bytes that start like an MP4 (`ftyp isom`).
    static func media(for file: String, video: Bool) -> [UInt8] {
        let seed = file.utf8.reduce(UInt8(7)) { $0 &+ $1 }
        guard video else { return FakePNG.image(seed: seed) }
        let header: [UInt8] =
            [0x00, 0x00, 0x00, 0x18] + Array("ftypisom".utf8) + [0x00, 0x00, 0x02, 0x00] + Array("isomiso2".utf8)
        let payload = (0..<4096).map { UInt8(truncatingIfNeeded: $0) &+ seed }
        let mediaData = [0x00, 0x00, 0x10, 0x08] + Array("mdat".utf8) + payload  // a box of 8 + 4096 bytes
        return header + mediaData
    }
}
