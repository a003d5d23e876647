/// Which addresses outgoing requests to user-supplied URLs (downloads, webhooks) may reach.
///
/// The default refuses everything that is not a public unicast address. Tests that run fake servers on
/// 127.0.0.1 allow loopback explicitly; nothing else ever does.
public struct EgressPolicy: Sendable, Hashable {
    /// Whether loopback addresses (127.0.0.0/8, ::1) may be reached. Never set outside tests and local demos.
    public var allowsLoopback: Bool
    /// How many redirects a request may follow, each hop checked again.
    public var maximumRedirects: Int

    /// The policy for production: public addresses only, at most 3 redirects.
    public static let publicOnly = EgressPolicy(allowsLoopback: false, maximumRedirects: 3)

    /// Creates a policy.
    public init(allowsLoopback: Bool, maximumRedirects: Int = 3) {
        self.allowsLoopback = allowsLoopback
        self.maximumRedirects = maximumRedirects
    }

    /// Whether `address` may be reached.
    public func allows(_ address: IPAddress) -> Bool {
        address.isPublic || (allowsLoopback && address.isLoopback)
    }
}
