/// A deterministic 128-bit hash of texts, the same in every process and on every machine (unlike Swift's
/// `Hasher`, seeded per process), for ids that must survive restarts.
///
/// Two FNV-1a 64-bit hashes with different offset bases run over the same bytes; each text is followed by a
/// 0xFF byte (never in UTF-8) so that `["ab", "c"]` and `["a", "bc"]` differ. Not cryptographic: ids name
/// alerts, they do not protect anything.
public struct StableHash: Sendable {
    private var high: UInt64 = 0xCBF2_9CE4_8422_2325
    private var low: UInt64 = 0x6C62_272E_07BB_0142
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    public init() {}

    /// Adds one text (its UTF-8 bytes, then a separator).
    public mutating func combine(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0xFF)
    }

    private mutating func mix(_ byte: UInt8) {
        high = (high ^ UInt64(byte)) &* Self.prime
        // The second lane also rotates so that the two lanes do not stay linearly related.
        low = ((low ^ UInt64(byte)) &* Self.prime).rotatedLeft(by: 29)
    }

    /// 32 lowercase hex digits.
    public var hex: String { Self.hex(high) + Self.hex(low) }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}

extension Alert {
    /// A deterministic id (32 hex digits) naming this detection wherever and whenever it is computed, so that a
    /// redelivered event, a rescan or a retry after a crash gives the same id (used by `trailwatch watch` to
    /// deliver each alert once, and by receivers as an idempotency key).
    ///
    /// - A single-event alert hashes `event`, the rule id and the event id; without an event id, its origin
    ///   (file and line) and event time stand in.
    /// - A correlation alert hashes `correlation`, the rule id, the group values, the window start and the ids
    ///   of the contributing events.
    public var stableID: String {
        var hash = StableHash()
        if let correlation {
            hash.combine("correlation")
            hash.combine(ruleID)
            for value in correlation.group {
                hash.combine(value.field)
                hash.combine(value.value)
            }
            hash.combine(correlation.windowStart)
            for id in correlation.eventIDs { hash.combine(id) }
        } else {
            hash.combine("event")
            hash.combine(ruleID)
            if let eventID {
                hash.combine(eventID)
            } else {
                hash.combine(origin ?? "")
                hash.combine(eventTime)
            }
        }
        return hash.hex
    }
}
