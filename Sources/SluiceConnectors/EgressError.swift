/// Why an outgoing request to a user-supplied URL was refused or failed.
public enum EgressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not an absolute http or https URL.
    case unsupportedURL(String)
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
        case .unsupportedURL(let url): "not an absolute http or https URL: \(url.prefix(200))"
        case .unresolvable(let host): "host \(host.prefix(200)) does not resolve"
        case .forbiddenAddress(let host, let address):
            "host \(host.prefix(200)) resolves to \(address), which is not a public address"
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        case .tooLarge(let limit): "the response is larger than \(limit) bytes"
        }
    }
}
