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
    /// How long a connection may stay open without a request, and how long a client may take to send a request's
    /// head: past it the connection is closed (a client sending its headers a byte at a time is cut off). A
    /// response being written, such as a live event stream, is never cut. Default 30 seconds.
    public var idleTimeout: Duration
    /// How long a client may take to send a request's body once its head arrived; past it the answer is 408 and
    /// the connection is closed. Default 30 seconds.
    public var bodyTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, directWorker: Worker? = nil,
        assetDirectory: URL? = nil, idleTimeout: Duration = .seconds(30), bodyTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.directWorker = directWorker
        self.assetDirectory = assetDirectory
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
    }
}
