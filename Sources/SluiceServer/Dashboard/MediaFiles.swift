import Foundation
import Hummingbird

/// Serving downloaded creatives from the content-addressed asset store (`<root>/ab/abcdef….jpg`) to the dashboard.
enum MediaFiles {
    private static let types: [String: String] = [
        "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp", "mp4": "video/mp4",
        "mov": "video/quicktime", "webm": "video/webm",
    ]

    /// The store's file extension for a content type it accepts.
    static func fileExtension(ofContentType contentType: String) -> String? {
        types.first { $0.value == contentType }?.key
    }

    /// The content hash that `name` (`<64 lowercase hex>.<extension>` of a served type) names, or nil for any other
    /// name.
    static func contentHash(named name: String) -> String? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 64,
            parts[0].allSatisfy({ $0.isHexDigit && ($0.isNumber || $0.isLowercase) }), types[String(parts[1])] != nil
        else { return nil }
        return String(parts[0])
    }

    /// The response for `name` (`<64 hex>.<extension>`) from the store at `root`; the name is checked before any
    /// path is built, so nothing outside the store can be read.
    static func response(named name: String, root: URL?) throws -> Response {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard let root, contentHash(named: name) != nil, let contentType = types[String(parts[1])] else {
            throw APIError.notFound("media \(name.prefix(80))")
        }
        let file = root.appendingPathComponent(String(parts[0].prefix(2))).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw APIError.notFound("media \(name.prefix(80))")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: contentType, .cacheControl: "private, max-age=31536000, immutable",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
