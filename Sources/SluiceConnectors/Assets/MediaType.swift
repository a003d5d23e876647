import Foundation

/// The image and video formats the asset downloader accepts, recognised by content type and by magic bytes (a
/// server's Content-Type alone is not trusted).
enum MediaType: String, CaseIterable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case gif = "image/gif"
    case webp = "image/webp"
    case mp4 = "video/mp4"
    case quicktime = "video/quicktime"
    case webm = "video/webm"

    /// The file extension in the asset store.
    var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .gif: "gif"
        case .webp: "webp"
        case .mp4: "mp4"
        case .quicktime: "mov"
        case .webm: "webm"
        }
    }

    /// The format a Content-Type header names, ignoring parameters; nil when it is not an accepted format.
    init?(contentType: String) {
        let bare = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let bare, let type = MediaType(rawValue: bare == "image/jpg" ? "image/jpeg" : bare) else { return nil }
        self = type
    }

    /// Whether `bytes` start like this format.
    func matches(_ bytes: [UInt8]) -> Bool {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        switch self {
        case .jpeg: return starts([0xFF, 0xD8, 0xFF])
        case .png: return starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .gif: return starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8))
        case .webp: return starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8)
        case .mp4, .quicktime: return starts(Array("ftyp".utf8), at: 4)
        case .webm: return starts([0x1A, 0x45, 0xDF, 0xA3])
        }
    }
}
