import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resolves host names to every address the system resolver returns, off the cooperative thread pool.
enum HostResolver {
    /// The addresses of `host` (a literal is returned as is).
    /// - Throws: ``EgressError/unresolvable(_:)`` when the name does not resolve.
    static func addresses(of host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(literal: host) { return [literal] }
        return try await NIOThreadPool.singleton.runIfActive { try resolve(host) }
    }

    private static func resolve(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
            throw EgressError.unresolvable(host)
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let sockaddr = entry.pointee.ai_addr {
                switch entry.pointee.ai_family {
                case AF_INET:
                    let value = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    addresses.append(.v4(UInt32(bigEndian: value.s_addr)))
                case AF_INET6:
                    let value = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(.v6(withUnsafeBytes(of: value) { Array($0) }))
                default: break
                }
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw EgressError.unresolvable(host) }
        return addresses
    }
}
