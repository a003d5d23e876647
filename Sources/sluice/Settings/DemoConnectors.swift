import Foundation
import SluiceAdIntel
import SluiceConnectors

#if canImport(Glibc)
    import Glibc
#endif

/// The connector settings that `sluice demo` records next to its SQLite database, in `DATABASE.connectors.json`: the
/// fake Meta servers' base URL, their fake access token, the demo's asset folder, and that connectors may reach
/// loopback. `sluice run`, `sluice worker` and `sluice serve` on that database use them when no flag, variable or
/// config file gives a Meta setting (see ``ConnectorOptions``), so the README's tour works without any.
///
/// A record's token is only ever used with the record's own base URLs, which must be loopback addresses: a token
/// written for the demo can never reach graph.facebook.com, even from an edited file.
struct DemoConnectors: Codable, Equatable, Sendable {
    var metaBaseURL: String
    var metaSnapshotBaseURL: String
    var metaAccessToken: String
    var assetDirectory: String
    var allowLoopbackEgress: Bool

    enum CodingKeys: String, CodingKey {
        case metaBaseURL = "meta_base_url"
        case metaSnapshotBaseURL = "meta_snapshot_base_url"
        case metaAccessToken = "meta_access_token"
        case assetDirectory = "asset_dir"
        case allowLoopbackEgress = "allow_loopback_egress"
    }

    /// The handlers' settings of the record, with creatives in `assetDirectory` instead of the record's when given.
    func settings(assetDirectory: String? = nil) -> AdIntelSettings {
        AdIntelSettings(
            meta: MetaGraphSettings(
                baseURL: metaBaseURL, accessToken: metaAccessToken, snapshotBaseURL: metaSnapshotBaseURL),
            assetDirectory: URL(fileURLWithPath: assetDirectory ?? self.assetDirectory),
            egress: EgressPolicy(allowsLoopback: allowLoopbackEgress))
    }

    /// The record's file for the SQLite database at `databasePath`.
    static func path(forDatabase databasePath: String) -> String { databasePath + ".connectors.json" }

    /// Writes the record for the SQLite database at `databasePath`, readable by its owner only.
    /// - Throws: ``UnavailableError`` when the file cannot be written.
    func write(forDatabase databasePath: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = Self.path(forDatabase: databasePath)
        guard
            FileManager.default.createFile(
                atPath: path, contents: try encoder.encode(self), attributes: [.posixPermissions: 0o600])
        else { throw UnavailableError("cannot write \(path), where the demo records its fake servers") }
    }

    /// The record for the database at `location`; nil for PostgreSQL and for a SQLite file without one.
    /// - Throws: ``ConfigurationError`` naming the file when it cannot be read, is not a record, or names a Meta
    ///   server that is not on loopback.
    static func read(for location: DatabaseLocation) throws -> DemoConnectors? {
        guard case .sqlite(let database) = location else { return nil }
        let path = path(forDatabase: database)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let record: DemoConnectors
        do {
            record = try JSONDecoder().decode(DemoConnectors.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ConfigurationError(
                "\(path) is not a connector record of `sluice demo`; delete it, or set the Meta settings explicitly")
        }
        for url in [record.metaBaseURL, record.metaSnapshotBaseURL] where !isLoopback(url) {
            throw ConfigurationError(
                "\(path): \(url.prefix(80)) is not a loopback address; a record of `sluice demo` names only its fake "
                    + "servers on 127.0.0.1")
        }
        return record
    }

    /// Whether `url` is an http URL of 127.0.0.1 or `localhost` with a port.
    static func isLoopback(_ url: String) -> Bool {
        guard let parsed = URLComponents(string: url), parsed.scheme?.lowercased() == "http", parsed.port != nil
        else { return false }
        return ["127.0.0.1", "localhost"].contains(parsed.host?.lowercased() ?? "")
    }

    /// Whether the fake servers accept connections: on loopback, a connection is accepted or refused at once.
    func serversAnswer() -> Bool {
        Set([metaBaseURL, metaSnapshotBaseURL]).allSatisfy { url in
            URLComponents(string: url)?.port.map(Self.acceptsConnections(port:)) ?? false
        }
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted (within 5 s, should the backlog be full).
    private static func acceptsConnections(port: Int) -> Bool {
        guard let port = UInt16(exactly: port) else { return false }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var deadline = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &deadline, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port.bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Why Meta runs cannot work while the demo that wrote this record is not running, for `database`.
    func notRunning(database: String) -> String {
        "the demo's fake Meta servers at \(metaBaseURL) are not running; start `sluice demo` first "
            + "(`sluice demo --database \(database)` to reopen this database), or set the Meta settings explicitly"
    }
}
