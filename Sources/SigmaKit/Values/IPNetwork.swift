import Foundation

/// An IPv4 or IPv6 network for `|cidr` (MOD-cidr). Parsing is strict: host bits set, a prefix beyond the
/// address width, or a malformed address is an error.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// 16 bytes; IPv4 networks use the first 4.
    public let address: [UInt8]
    public let prefixLength: Int
    public let isIPv6: Bool

    /// Parses `10.0.0.0/8`, `2001:db8::/32`, or a bare address (/32 or /128).
    public init(parsing text: String) throws(RuleError) {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let first = pieces.first else {
            throw RuleError(.invalidValue, "'\(text.forMessage)' is not an IP network")
        }
        let addressText = String(first)
        if let v4 = IPNetwork.parseIPv4(addressText) {
            isIPv6 = false
            address = v4
        } else if let v6 = IPNetwork.parseIPv6(addressText) {
            isIPv6 = true
            address = v6
        } else {
            throw RuleError(
                .invalidValue,
                "'\(text.forMessage)' is not an IP network: '\(addressText.forMessage)' is not an IP address")
        }
        let width = isIPv6 ? 128 : 32
        if pieces.count == 2 {
            guard let length = Int(pieces[1]), pieces[1].allSatisfy(\.isASCII), length >= 0, length <= width else {
                throw RuleError(.invalidValue, "'\(text.forMessage)': prefix length must be 0...\(width)")
            }
            prefixLength = length
        } else {
            prefixLength = width
        }
        // Host bits must be zero (pySigma rejects 10.1.2.3/8).
        for bit in prefixLength..<width where address[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 {
            throw RuleError(.invalidValue, "'\(text.forMessage)' has host bits set")
        }
    }

    public var description: String {
        if isIPv6 {
            var groups: [String] = []
            for i in stride(from: 0, to: 16, by: 2) {
                groups.append(String(UInt16(address[i]) << 8 | UInt16(address[i + 1]), radix: 16))
            }
            return groups.joined(separator: ":") + "/\(prefixLength)"
        }
        return address[0..<4].map(String.init).joined(separator: ".") + "/\(prefixLength)"
    }

    /// True when `candidate` (an address in text form) lies inside this network. Non-addresses are outside.
    public func contains(_ candidate: some StringProtocol) -> Bool {
        let text = String(candidate)
        if isIPv6 {
            guard let bytes = IPNetwork.parseIPv6(text) else { return false }
            return matchesPrefix(bytes)
        }
        guard let bytes = IPNetwork.parseIPv4(text) else { return false }
        return matchesPrefix(bytes)
    }

    private func matchesPrefix(_ bytes: [UInt8]) -> Bool {
        var remaining = prefixLength
        var index = 0
        while remaining >= 8 {
            if bytes[index] != address[index] { return false }
            remaining -= 8
            index += 1
        }
        if remaining > 0 {
            let mask: UInt8 = 0xFF << UInt8(8 - remaining)
            if bytes[index] & mask != address[index] & mask { return false }
        }
        return true
    }

    /// Dotted quad, four decimal octets without leading-zero ambiguity (`01.2.3.4` is refused).
    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out = [UInt8](repeating: 0, count: 16)
        for (i, part) in parts.enumerated() {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let value = UInt8(part)
            else { return nil }
            out[i] = value
        }
        return out
    }

    /// RFC 4291 text forms, including `::` compression and a trailing dotted IPv4.
    static func parseIPv6(_ text: String) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ s: String, allowV4: Bool) -> [UInt16]? {
            if s.isEmpty { return [] }
            var groups: [UInt16] = []
            let items = s.split(separator: ":", omittingEmptySubsequences: false)
            for (index, item) in items.enumerated() {
                if allowV4, index == items.count - 1, item.contains(".") {
                    guard let v4 = parseIPv4(String(item)) else { return nil }
                    groups.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    groups.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard !item.isEmpty, item.count <= 4, item.allSatisfy(\.isHexDigit), let value = UInt16(item, radix: 16)
                else { return nil }
                groups.append(value)
            }
            return groups
        }
        if halves.count == 2 {
            guard let h = parseGroups(halves[0], allowV4: false), let t = parseGroups(halves[1], allowV4: true),
                h.count + t.count <= 7
            else { return nil }
            head = h
            tail = t
        } else {
            guard let all = parseGroups(halves[0], allowV4: true), all.count == 8 else { return nil }
            head = all
        }
        let groups = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for g in groups {
            out.append(UInt8(g >> 8))
            out.append(UInt8(g & 0xFF))
        }
        return out
    }
}
