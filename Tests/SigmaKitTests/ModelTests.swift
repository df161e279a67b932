import Testing
@testable import SigmaKit

struct ModelTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.255.1.2", true),
        ("10.0.0.0/8", "11.0.0.1", false),
        ("192.168.0.0/23", "192.168.1.255", true),
        ("192.168.0.0/23", "192.168.2.0", false),
        ("2001:db8::/32", "2001:db8:1::5", true),
        ("2001:db8::/32", "2001:db9::5", false),
        ("1.2.3.4", "1.2.3.4", true),
        ("10.0.0.0/8", "10.foo", false),
    ])
    func cidrMembership(network: String, address: String, expected: Bool) throws {
        let net = try IPNetwork(parsing: network)
        #expect(net.contains(address) == expected)
    }

    @Test(arguments: ["10.1.2.3/8", "10.0.0.0/33", "nope", "1.2.3/8", "::1::2/128"])
    func cidrRejects(text: String) {
        #expect(throws: RuleError.self) { try IPNetwork(parsing: text) }
    }
}
