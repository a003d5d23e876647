import Foundation
import SluiceEngine

/// Settings of the HTTP control plane.
public struct SluiceServerConfiguration: Sendable {
    /// The address to bind. Default `127.0.0.1`: only this machine can reach the API until told otherwise.
    public var host: String
    /// The port. Default 8080; 0 picks a free one.
    public var port: Int
    /// The largest request body accepted, in bytes. Default 1 MiB.
    public var maxBodyBytes: Int
    /// The worker that executes `mode: direct` jobs in this process; nil refuses direct mode. Default nil.
    public var directWorker: Worker?
    /// The content-addressed store of downloaded creatives that the dashboard shows; nil shows none. Default nil.
    public var assetDirectory: URL?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, directWorker: Worker? = nil,
        assetDirectory: URL? = nil
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.directWorker = directWorker
        self.assetDirectory = assetDirectory
    }
}
