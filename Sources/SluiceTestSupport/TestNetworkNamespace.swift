import Foundation

/// A network namespace of this test run's own, joined to this one by a veth pair on a private /30: a second "host"
/// whose link a test can cut and restore, as a network partition does. Needs root (CI runs as root).
public final class TestNetworkNamespace: Sendable {
    /// The namespace's name.
    public let name: String
    /// This namespace's end of the link.
    public let hostAddress: String
    /// The other namespace's end of the link, where its servers listen.
    public let peerAddress: String
    private let hostDevice: String

    private init(name: String, hostAddress: String, peerAddress: String, hostDevice: String) {
        self.name = name
        self.hostAddress = hostAddress
        self.peerAddress = peerAddress
        self.hostDevice = hostDevice
    }

    /// Creates the namespace and its link, both ends up.
    public static func create() throws -> TestNetworkNamespace {
        let suffix = String(UUID().uuidString.prefix(6)).lowercased()
        let subnet = Int.random(in: 1...250)
        let network = TestNetworkNamespace(
            name: "sluice-\(suffix)", hostAddress: "10.231.\(subnet).1", peerAddress: "10.231.\(subnet).2",
            hostDevice: "sh\(suffix)")
        let peerDevice = "sp\(suffix)"
        try ip(["netns", "add", network.name])
        do {
            try ip(["link", "add", network.hostDevice, "type", "veth", "peer", "name", peerDevice])
            try ip(["link", "set", peerDevice, "netns", network.name])
            try ip(["addr", "add", "\(network.hostAddress)/30", "dev", network.hostDevice])
            try ip(["link", "set", network.hostDevice, "up"])
            try ip(["netns", "exec", network.name, "ip", "addr", "add", "\(network.peerAddress)/30", "dev", peerDevice])
            try ip(["netns", "exec", network.name, "ip", "link", "set", peerDevice, "up"])
            try ip(["netns", "exec", network.name, "ip", "link", "set", "lo", "up"])
        } catch {
            network.remove()
            throw error
        }
        return network
    }

    /// Cuts (`false`) or restores (`true`) the link. Packets on connections already open are dropped silently
    /// while it is down, as on a real partition: nothing tells either end.
    public func setLink(up: Bool) throws {
        try Self.ip(["link", "set", hostDevice, up ? "up" : "down"])
        if up {
            // Bringing the device up again restores its address but not always the route to the peer.
            _ = try? Self.ip(["route", "replace", "\(peerAddress)/32", "dev", hostDevice])
        }
    }

    /// Runs `executable arguments` inside the namespace (as `ip netns exec`).
    func command(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        ("/usr/sbin/ip", ["netns", "exec", name, executable] + arguments)
    }

    /// Removes the link and the namespace (processes still inside keep running until they exit).
    public func remove() {
        _ = try? Self.ip(["link", "del", hostDevice])
        _ = try? Self.ip(["netns", "del", name])
    }

    private static func ip(_ arguments: [String]) throws {
        try ThrowawayCluster.run("/usr/sbin/ip", arguments)
    }
}
