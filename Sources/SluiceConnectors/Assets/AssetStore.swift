import Crypto
import Foundation

/// A content-addressed store of downloaded creatives on disk: each file is named by the SHA-256 of its bytes
/// (`<root>/ab/abcdef….jpg`), so the same creative seen in many ads is stored once.
public struct AssetStore: Sendable {
    /// The folder holding the files.
    public let root: URL

    /// Creates a store in `root` (created when missing).
    public init(root: URL) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        self.root = root
    }

    /// Saves `bytes` unless a file with the same content exists; returns its hash and whether it was new.
    public func save(_ bytes: [UInt8], fileExtension: String) throws -> (hash: String, isNew: Bool) {
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let file = url(ofHash: hash, fileExtension: fileExtension)
        if FileManager.default.fileExists(atPath: file.path) { return (hash, false) }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Write beside it and rename: a reader never sees half a file, and concurrent writers of one hash agree.
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).part")
        try Data(bytes).write(to: temporary)
        do {
            try FileManager.default.moveItem(at: temporary, to: file)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if !FileManager.default.fileExists(atPath: file.path) { throw error }
        }
        return (hash, true)
    }

    /// Where the file of `hash` lives.
    public func url(ofHash hash: String, fileExtension: String) -> URL {
        root.appendingPathComponent(String(hash.prefix(2))).appendingPathComponent("\(hash).\(fileExtension)")
    }
}
