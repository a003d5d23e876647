import Foundation
import SluiceCore

/// Why an outgoing request to a user-supplied URL was refused or failed.
public enum EgressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not an absolute http or https URL.
    case unsupportedURL(String)
    /// The URL carries credentials (`user:password@host`), which are never sent.
    case credentialsInURL(String)
    /// The host does not resolve.
    case unresolvable(String)
    /// The host resolves to an address the egress policy refuses.
    case forbiddenAddress(host: String, address: String)
    /// More redirects than the policy allows.
    case tooManyRedirects(Int)
    /// The response body exceeded the byte cap.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .unsupportedURL(let url): "not an absolute http or https URL: \(Self.redacted(url))"
        case .credentialsInURL(let url):
            "the URL carries a user name or password, which are never sent: \(Self.redacted(url))"
        case .unresolvable(let host): "host \(host.prefix(200)) does not resolve"
        case .forbiddenAddress(let host, let address):
            "host \(host.prefix(200)) resolves to \(address), which is not a public address"
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        case .tooLarge(let limit): "the response is larger than \(limit) bytes"
        }
    }

    /// `url` as errors and logs may show it: without a user name, password or query (either may hold a secret),
    /// and at most 200 characters.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.scheme != nil else {
            // Not a URL with parts to keep: show its beginning only, up to anything that may start a secret.
            let head = url.prefix { !["@", "?", "#"].contains($0) }
            return String(head.prefix(120)) + (head.count < url.count ? "…" : "")
        }
        let hadSecrets = components.user != nil || components.password != nil || components.query != nil
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        let text = components.string ?? "?"
        return String(text.prefix(200)) + (hadSecrets ? "?…" : "")
    }
}

extension EgressError: RetryableError {
    /// A refused address or a malformed URL stays so; a name that did not resolve, too many redirects or too large a
    /// response may change.
    public var isRetryable: Bool {
        switch self {
        case .unsupportedURL, .credentialsInURL, .forbiddenAddress: false
        case .unresolvable, .tooManyRedirects, .tooLarge: true
        }
    }
}
