import Testing

@testable import SluiceConnectors

@Suite("IPAddress and EgressPolicy")
struct IPAddressTests {
    @Test(
        "non-public addresses are refused",
        arguments: [
            "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1",
            "127.255.0.1", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1",
            "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
            "239.255.255.250", "240.0.0.1", "255.255.255.255", "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1",
            "febf::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:8.8.8.8", "::127.0.0.1", "2001:db8::1", "64:ff9b::7f00:1",
            "2002:7f00:1::", "100::1", "[::1]",
            // Other spellings of 127.0.0.1 and 169.254.169.254 that resolvers accept.
            "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1", "0xa9fea9fe", "2852039166",
        ])
    func refused(literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(!address.isPublic)
        #expect(!EgressPolicy.publicOnly.allows(address))
    }

    @Test(
        "public addresses are allowed",
        arguments: [
            "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1", "192.167.1.1",
            "198.17.255.255", "198.20.0.1", "223.255.255.255", "157.240.1.35", "2a03:2880:f10c:83:face:b00c::25de",
            "2606:4700::1111", "2001:4860:4860::8888",
        ])
    func allowed(literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(address.isPublic)
        #expect(EgressPolicy.publicOnly.allows(address))
    }

    @Test("loopback is allowed only by an explicit policy, and nothing else private with it")
    func loopbackAllowance() throws {
        let tests = EgressPolicy(allowsLoopback: true)
        for literal in ["127.0.0.1", "::1", "127.0.0.53"] {
            #expect(tests.allows(try #require(IPAddress(literal: literal))))
        }
        for literal in ["10.0.0.1", "169.254.169.254", "192.168.0.1", "fd00::1", "0.0.0.0"] {
            #expect(!tests.allows(try #require(IPAddress(literal: literal))))
        }
    }

    @Test(
        "descriptions are canonical",
        arguments: [("0x7f.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("[::1]", "::1")])
    func descriptions(literal: String, canonical: String) throws {
        #expect(try #require(IPAddress(literal: literal)).description == canonical)
    }

    @Test("host names and garbage are not literals", arguments: ["example.com", "", "1.2.3.4.5", "::g", "localhost"])
    func notLiterals(text: String) {
        #expect(IPAddress(literal: text) == nil)
    }
}
