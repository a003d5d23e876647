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

    /// Whether `bytes` are a whole file of this format, not one cut short or padded: a PNG ends with its `IEND`
    /// chunk, a JPEG with its end-of-image marker, a GIF with its trailer; a WebP's RIFF size and an MP4's or
    /// QuickTime file's top-level boxes account for every byte. (A server that sends more or fewer bytes than its
    /// Content-Length announced yields such a file.) WebM is accepted as it is.
    func isComplete(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .png:
            return bytes.count >= 20
                && Array(bytes.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        case .jpeg:
            // Some encoders pad after the end-of-image marker; a cut file has no marker near its end.
            let tail = Array(bytes.suffix(16))
            return zip(tail, tail.dropFirst()).contains { $0 == 0xFF && $1 == 0xD9 }
        case .gif:
            return bytes.last == 0x3B
        case .webp:
            guard bytes.count >= 12 else { return false }
            let size = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
            return size + 8 == bytes.count
        case .mp4, .quicktime:
            return Self.boxesCover(bytes)
        case .webm:
            return true
        }
    }

    /// Whether the ISO base media file's top-level boxes end exactly at the end of `bytes`.
    private static func boxesCover(_ bytes: [UInt8]) -> Bool {
        func number(at offset: Int, bytes count: Int) -> Int {
            bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
        }
        var offset = 0
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else { return false }
            var size = number(at: offset, bytes: 4)
            if size == 0 { return true }  // the last box runs to the end of the file
            if size == 1 {
                guard offset + 16 <= bytes.count else { return false }
                size = number(at: offset + 8, bytes: 8)
            }
            guard size >= 8 else { return false }
            offset += size
        }
        return offset == bytes.count
    }
}
