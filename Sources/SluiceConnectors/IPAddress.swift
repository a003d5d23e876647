#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address, classified for egress: is it a public, routable address?
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address, most significant byte first.
    case v4(UInt32)
    /// An IPv6 address, 16 bytes.
    case v6([UInt8])

    /// Parses an address literal. IPv4 accepts every form `inet_aton` does (so `0x7f.1`, `2130706433` and `0177.0.0.1`
    /// are all 127.0.0.1, as a resolver would read them); IPv6 may be bracketed.
    public init?(literal text: String) {
        var v4 = in_addr()
        if inet_aton(text, &v4) != 0 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, bare, &v6) == 1 else { return nil }
        self = .v6(withUnsafeBytes(of: v6) { Array($0) })
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String((value >> $0) & 0xFF) }.joined(separator: ".")
        case .v6(let bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Whether it is a loopback address (127.0.0.0/8 or ::1).
    public var isLoopback: Bool {
        switch self {
        case .v4(let value): value >> 24 == 127
        case .v6(let bytes): bytes == Array(repeating: 0, count: 15) + [1]
        }
    }

    /// Whether it is a public unicast address: not private, loopback, link-local (cloud metadata included), CGNAT,
    /// benchmarking, documentation, multicast, reserved, unspecified, IPv6 ULA, or an IPv6 form embedding IPv4.
    public var isPublic: Bool {
        switch self {
        case .v4(let value):
            return !Self.blockedV4.contains { value & $0.mask == $0.network }
        case .v6(let bytes):
            let prefix16 = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return false }  // :: and ::1
            if bytes[0..<10].allSatisfy({ $0 == 0 }) { return false }  // IPv4-mapped and IPv4-compatible
            if prefix16 & 0xFE00 == 0xFC00 { return false }  // fc00::/7 unique local
            if prefix16 & 0xFFC0 == 0xFE80 { return false }  // fe80::/10 link-local
            if bytes[0] == 0xFF { return false }  // ff00::/8 multicast
            if prefix16 == 0x2001 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return false }  // 2001:db8::/32
            if prefix16 == 0x0064 && bytes[2] == 0xFF && bytes[3] == 0x9B { return false }  // 64:ff9b::/96 NAT64
            if prefix16 == 0x2002 { return false }  // 6to4 embeds IPv4
            if prefix16 == 0x0100 && bytes[2..<8].allSatisfy({ $0 == 0 }) { return false }  // 100::/64 discard
            return true
        }
    }

    private static let blockedV4: [(network: UInt32, mask: UInt32)] = [
        (0x0000_0000, 0xFF00_0000),  // 0.0.0.0/8 "this network"
        (0x0A00_0000, 0xFF00_0000),  // 10.0.0.0/8
        (0x6440_0000, 0xFFC0_0000),  // 100.64.0.0/10 CGNAT
        (0x7F00_0000, 0xFF00_0000),  // 127.0.0.0/8 loopback
        (0xA9FE_0000, 0xFFFF_0000),  // 169.254.0.0/16 link-local, cloud metadata
        (0xAC10_0000, 0xFFF0_0000),  // 172.16.0.0/12
        (0xC000_0000, 0xFFFF_FF00),  // 192.0.0.0/24 IETF protocol assignments
        (0xC000_0200, 0xFFFF_FF00),  // 192.0.2.0/24 documentation
        (0xC0A8_0000, 0xFFFF_0000),  // 192.168.0.0/16
        (0xC612_0000, 0xFFFE_0000),  // 198.18.0.0/15 benchmarking
        (0xC633_6400, 0xFFFF_FF00),  // 198.51.100.0/24 documentation
        (0xCB00_7100, 0xFFFF_FF00),  // 203.0.113.0/24 documentation
        (0xE000_0000, 0xF000_0000),  // 224.0.0.0/4 multicast
        (0xF000_0000, 0xF000_0000),  // 240.0.0.0/4 reserved and broadcast
    ]
}
