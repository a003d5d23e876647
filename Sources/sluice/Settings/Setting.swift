/// A setting of `sluice` that can come from a flag, the environment or the config file (in that precedence), with
/// its default.
enum Setting: String, CaseIterable {
    case database
    case bind
    case port
    case concurrency
    case metaBaseURL = "meta_base_url"
    case metaSnapshotBaseURL = "meta_snapshot_base_url"
    case metaAccessToken = "meta_access_token"
    case assetDirectory = "asset_dir"
    case logFormat = "log_format"
    case logLevel = "log_level"
    case httpIdleTimeout = "http_idle_timeout"
    case httpBodyTimeout = "http_body_timeout"

    /// The environment variable, such as `SLUICE_DATABASE_URL`.
    var environmentName: String {
        switch self {
        case .database: "SLUICE_DATABASE_URL"
        default: "SLUICE_" + rawValue.uppercased()
        }
    }

    /// The value used when no flag, variable or config file sets it; nil when the setting may stay unset.
    var defaultValue: String? {
        switch self {
        case .database: "sluice.sqlite"
        case .bind: "127.0.0.1"
        case .port: "8080"
        case .concurrency: "10"
        case .metaBaseURL: "https://graph.facebook.com"
        case .metaSnapshotBaseURL: "https://www.facebook.com"
        case .metaAccessToken: nil
        case .assetDirectory: "assets"
        case .logFormat: "text"
        case .logLevel: "info"
        case .httpIdleTimeout, .httpBodyTimeout: "30"
        }
    }

    /// Where it comes from and its default, for `--help`: "(env SLUICE_PORT, config port; default 8080)".
    var sources: String {
        "(env \(environmentName), config \(rawValue)\(defaultValue.map { "; default \($0)" } ?? ""))"
    }
}
