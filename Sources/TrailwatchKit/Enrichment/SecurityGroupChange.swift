import CloudTrail
import SigmaKit

/// What a security-group API call changed, read from the CloudTrail record: the group, the direction, the
/// action, and every permission in both the legacy request shape (`ipPermissions.items[]`, or the top-level
/// `cidrIp`/`ipProtocol`/ports of EC2-Classic calls) and the modern one (`securityGroupRuleSet` in the response,
/// `ModifySecurityGroupRulesRequest`).
public struct SecurityGroupChange: Sendable, Hashable {
    public enum Direction: String, Sendable { case ingress, egress }
    public enum Action: String, Sendable { case added, removed, modified }

    /// One permission: protocol, port range and one peer (CIDR, IPv6 CIDR, prefix list or security group).
    public struct Permission: Sendable, Hashable, CustomStringConvertible {
        public enum Peer: Sendable, Hashable {
            case ipv4(String)
            case ipv6(String)
            case prefixList(String)
            case group(String)
            case unspecified
        }

        /// `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number as written.
        public var ipProtocol: String
        public var fromPort: Int?
        public var toPort: Int?
        public var peer: Peer
        public var ruleID: String?

        /// True when the peer is the whole IPv4 or IPv6 internet (a /0 network, whatever address is written).
        public var isWorldOpen: Bool {
            switch peer {
            case .ipv4(let cidr), .ipv6(let cidr): return cidr.hasSuffix("/0")
            default: return false
            }
        }

        /// True for all protocols, or a range covering a port in ``SecurityGroupChange/sensitivePorts``.
        public var isSensitive: Bool {
            if isAllTraffic { return true }
            guard ["tcp", "udp", "6", "17"].contains(ipProtocol.lowercased()) else { return false }
            let low = fromPort ?? 0
            let high = toPort ?? 65535
            if low <= 0 && high >= 65535 { return true }
            return SecurityGroupChange.sensitivePorts.keys.contains { $0 >= low && $0 <= high }
        }

        public var isAllTraffic: Bool { ipProtocol == "-1" || ipProtocol.lowercased() == "all" }

        /// `tcp/22`, `tcp/8000-8080`, `all traffic`, `icmp`.
        public var portText: String {
            if isAllTraffic { return "all traffic" }
            let proto = ["6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"][ipProtocol] ?? ipProtocol.lowercased()
            guard let from = fromPort, let to = toPort, from >= 0, proto == "tcp" || proto == "udp" else {
                return proto
            }
            return from == to ? "\(proto)/\(from)" : "\(proto)/\(from)-\(to)"
        }

        public var peerText: String {
            switch peer {
            case .ipv4(let c), .ipv6(let c): return c.hasSuffix("/0") && !c.hasPrefix("0.0.0.0") && !c.hasPrefix("::")
                ? "\(c.contains(":") ? "::/0" : "0.0.0.0/0") (written \(c))" : c
            case .prefixList(let id): return "prefix list \(id)"
            case .group(let id): return "security group \(id)"
            case .unspecified: return "unspecified peer"
            }
        }

        public var description: String { "\(portText) \(peerText)" }
    }

    public var groupID: String?
    public var groupName: String?
    public var direction: Direction
    public var action: Action
    public var permissions: [Permission]

    /// Ports whose exposure to the internet is the classic initial-access mistake: remote administration,
    /// file sharing, databases and caches.
    public static let sensitivePorts: [Int: String] = [
        20: "ftp-data", 21: "ftp", 22: "ssh", 23: "telnet", 25: "smtp", 135: "msrpc", 137: "netbios",
        139: "netbios", 445: "smb", 1433: "mssql", 1521: "oracle", 2049: "nfs", 2375: "docker", 2376: "docker",
        3306: "mysql", 3389: "rdp", 5432: "postgresql", 5900: "vnc", 5984: "couchdb", 5985: "winrm",
        5986: "winrm", 6379: "redis", 7000: "cassandra", 9042: "cassandra", 9200: "elasticsearch",
        9300: "elasticsearch", 11211: "memcached", 27017: "mongodb", 27018: "mongodb",
    ]

    /// True when an ingress permission was added that opens a sensitive port to the whole internet.
    public var opensSensitivePortToInternet: Bool {
        direction == .ingress && action != .removed && permissions.contains { $0.isWorldOpen && $0.isSensitive }
    }

    /// True when an ingress permission was added for the whole internet (any port).
    public var opensToInternet: Bool {
        direction == .ingress && action != .removed && permissions.contains(where: \.isWorldOpen)
    }

    /// One line for the timeline: `sg-0abc (web) ingress added: tcp/22 from 0.0.0.0/0 — OPEN TO THE INTERNET
    /// on a sensitive port`.
    public var summary: String {
        let group = [groupID, groupName.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        let preposition = direction == .ingress ? "from" : "to"
        let permissionText = permissions.isEmpty
            ? "no permission details in the event"
            : permissions.map { "\($0.portText) \(preposition) \($0.peerText)" }.joined(separator: ", ")
        var text = "\(group.isEmpty ? "security group" : group) \(direction.rawValue) \(action.rawValue): "
            + permissionText
        if opensSensitivePortToInternet {
            text += " — OPEN TO THE INTERNET on a sensitive port"
        } else if opensToInternet {
            text += " — open to the internet"
        }
        return text
    }

    /// Reads the change from a record, or nil when the record is not a security-group rule change.
    public init?(record: JSONValue) {
        guard let name = record["eventName"]?.string else { return nil }
        switch name {
        case "AuthorizeSecurityGroupIngress": (direction, action) = (.ingress, .added)
        case "AuthorizeSecurityGroupEgress": (direction, action) = (.egress, .added)
        case "RevokeSecurityGroupIngress": (direction, action) = (.ingress, .removed)
        case "RevokeSecurityGroupEgress": (direction, action) = (.egress, .removed)
        case "ModifySecurityGroupRules": (direction, action) = (.ingress, .modified)
        default: return nil
        }
        let request = record["requestParameters"]
        groupID = request?["groupId"]?.string
        groupName = request?["groupName"]?.string
        permissions = []
        if let items = request?["ipPermissions"]?["items"] {
            items.forEachElement { permissions.append(contentsOf: SecurityGroupChange.legacyPermissions($0)) }
        }
        // EC2-Classic style: the permission's fields at the top of requestParameters.
        if let request, request["ipProtocol"] != nil || request["cidrIp"] != nil {
            permissions.append(contentsOf: SecurityGroupChange.legacyPermissions(request))
        }
        // Modern response shape: the rules as created, with their ids and isEgress.
        if let ruleSet = record["responseElements"]?["securityGroupRuleSet"]?["items"] {
            var modern: [Permission] = []
            ruleSet.forEachElement { item in
                if let permission = SecurityGroupChange.modernPermission(item) { modern.append(permission) }
                if groupID == nil { groupID = item["groupId"]?.string }
            }
            // Prefer the response's rules (they carry rule ids) over the request's copy of the same rules.
            if !modern.isEmpty { permissions = modern }
        }
        if name == "ModifySecurityGroupRules", let modify = request?["ModifySecurityGroupRulesRequest"] {
            groupID = groupID ?? modify["GroupId"]?.string
            modify["SecurityGroupRule"]?.forEachElementOrSelf { update in
                let ruleID = update["SecurityGroupRuleId"]?.string
                if let rule = update["SecurityGroupRule"],
                    var permission = SecurityGroupChange.modernPermission(rule, capitalized: true)
                {
                    permission.ruleID = ruleID
                    permissions.append(permission)
                }
            }
        }
        var seen: Set<Permission> = []
        permissions = permissions.filter { seen.insert($0).inserted }
    }

    private static func int(_ value: JSONValue?) -> Int? {
        guard let value else { return nil }
        return Int(value.text)
    }

    static func legacyPermissions(_ item: JSONValue) -> [Permission] {
        let proto = item["ipProtocol"]?.text ?? "-1"
        let from = int(item["fromPort"])
        let to = int(item["toPort"])
        var peers: [Permission.Peer] = []
        if let cidr = item["cidrIp"]?.string { peers.append(.ipv4(cidr)) }
        item["ipRanges"]?["items"]?.forEachElement { if let c = $0["cidrIp"]?.string { peers.append(.ipv4(c)) } }
        item["ipv6Ranges"]?["items"]?.forEachElement { if let c = $0["cidrIpv6"]?.string { peers.append(.ipv6(c)) } }
        item["prefixListIds"]?["items"]?.forEachElement {
            if let id = $0["prefixListId"]?.string { peers.append(.prefixList(id)) }
        }
        item["groups"]?["items"]?.forEachElement {
            if let id = $0["groupId"]?.string ?? $0["groupName"]?.string { peers.append(.group(id)) }
        }
        if let source = item["sourceSecurityGroupName"]?.string { peers.append(.group(source)) }
        if peers.isEmpty { peers = [.unspecified] }
        return peers.map { Permission(ipProtocol: proto, fromPort: from, toPort: to, peer: $0, ruleID: nil) }
    }

    static func modernPermission(_ item: JSONValue, capitalized: Bool = false) -> Permission? {
        func key(_ name: String) -> JSONValue? {
            item[capitalized ? name.prefix(1).uppercased() + name.dropFirst() : name]
        }
        let peer: Permission.Peer
        if let c = key("cidrIpv4")?.string {
            peer = .ipv4(c)
        } else if let c = key("cidrIpv6")?.string {
            peer = .ipv6(c)
        } else if let p = key("prefixListId")?.string {
            peer = .prefixList(p)
        } else if let g = key("referencedGroupInfo")?["groupId"]?.string ?? key("referencedGroupId")?.string {
            peer = .group(g)
        } else {
            peer = .unspecified
        }
        guard let proto = key("ipProtocol")?.text else { return nil }
        return Permission(
            ipProtocol: proto, fromPort: int(key("fromPort")), toPort: int(key("toPort")), peer: peer,
            ruleID: key("securityGroupRuleId")?.string)
    }

    /// Structured fields for JSON output.
    var jsonFields: [(key: String, value: JSONRecord)] {
        [
            ("groupId", .optional(groupID)),
            ("groupName", .optional(groupName)),
            ("direction", .string(direction.rawValue)),
            ("action", .string(action.rawValue)),
            ("opensToInternet", .bool(opensToInternet)),
            ("opensSensitivePortToInternet", .bool(opensSensitivePortToInternet)),
            (
                "permissions",
                .array(
                    permissions.map { p in
                        var peerType = "unspecified"
                        var peerValue: String?
                        switch p.peer {
                        case .ipv4(let c): (peerType, peerValue) = ("cidrIpv4", c)
                        case .ipv6(let c): (peerType, peerValue) = ("cidrIpv6", c)
                        case .prefixList(let id): (peerType, peerValue) = ("prefixList", id)
                        case .group(let id): (peerType, peerValue) = ("securityGroup", id)
                        case .unspecified: break
                        }
                        return .object([
                            ("protocol", .string(p.ipProtocol)),
                            ("fromPort", p.fromPort.map { .int(Int64($0)) } ?? .null),
                            ("toPort", p.toPort.map { .int(Int64($0)) } ?? .null),
                            ("peerType", .string(peerType)),
                            ("peer", .optional(peerValue)),
                            ("ruleId", .optional(p.ruleID)),
                            ("text", .string(p.description)),
                            ("worldOpen", .bool(p.isWorldOpen)),
                            ("sensitivePort", .bool(p.isSensitive)),
                        ])
                    })
            ),
        ]
    }
}

extension JSONValue {
    /// Calls `body` for each element of an array, or once with the value itself when it is not an array
    /// (CloudTrail writes a one-element list as either).
    func forEachElementOrSelf(_ body: (JSONValue) -> Void) {
        if kind == .array { forEachElement(body) } else { body(self) }
    }
}
